-- Survey sums per period and breakdown member: the numerators and denominators of the CSAT KPIs.
-- grain: one row per (period, dimension, member); dimension 'all' (member '') is the whole period.
-- reads: relation `responses` (one row per non-excluded survey response, built by sla_core.surveys;
--        ticket attributes joined by ticket_id; column `period` set by the caller).
-- parameters: none (`satisfied` is decided per response by the terms of its month).
-- Two steps, as in ticket_counts.sql: per combination of period and every breakdown first, then the
-- grouping sets add those up (one pass over the responses instead of six).
WITH fine AS (
    SELECT
        period, priority, team, category, channel, customer,
        count(score) AS responses,
        sum(score) AS score_sum,
        count(score) FILTER (WHERE satisfied) AS satisfied
    FROM responses
    GROUP BY period, priority, team, category, channel, customer
)
SELECT
    period,
    CASE
        WHEN GROUPING(priority) = 0 THEN 'priority'
        WHEN GROUPING(team) = 0 THEN 'team'
        WHEN GROUPING(category) = 0 THEN 'category'
        WHEN GROUPING(channel) = 0 THEN 'channel'
        WHEN GROUPING(customer) = 0 THEN 'customer'
        ELSE 'all'
    END AS dimension,
    CASE
        WHEN GROUPING(priority) = 0 THEN coalesce(priority, '')
        WHEN GROUPING(team) = 0 THEN coalesce(team, '')
        WHEN GROUPING(category) = 0 THEN coalesce(category, '')
        WHEN GROUPING(channel) = 0 THEN coalesce(channel, '')
        WHEN GROUPING(customer) = 0 THEN coalesce(customer, '')
        ELSE ''
    END AS member,
    sum(responses)::BIGINT AS responses,
    sum(score_sum) AS score_sum,
    sum(satisfied)::BIGINT AS satisfied
FROM fine
GROUP BY GROUPING SETS (
    (period),
    (period, priority),
    (period, team),
    (period, category),
    (period, channel),
    (period, customer)
)
