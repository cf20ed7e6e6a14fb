-- Ticket counts per period and breakdown member: the numerators and denominators of every ticket KPI.
-- grain: one row per (period, dimension, member); dimension 'all' (member '') is the whole period.
-- reads: relation `outcomes` (one row per ticket, built by sla_core.outcomes; column `period` set by
--        the caller: a month key, a quarter label or a custom range label). parameters: none.
-- Counts are additive, so quarters can also be summed from months.
-- Two steps: the tickets are first counted per combination of period and every breakdown (a few
-- thousand groups), and the grouping sets then add those up — one pass over the tickets instead of
-- six (5 s → 1 s for a million tickets).
WITH fine AS (
    SELECT
        period, priority, team, category, channel, customer,
        count(*) AS tickets_all,
        count(*) FILTER (WHERE NOT excluded) AS tickets,
        count(*) FILTER (WHERE excluded) AS excluded,
        count(*) FILTER (WHERE response_status = 'met') AS response_met,
        count(*) FILTER (WHERE response_status IN ('met', 'breached')) AS response_judged,
        count(*) FILTER (WHERE response_status = 'pending') AS response_pending,
        count(*) FILTER (WHERE resolution_status = 'met') AS resolution_met,
        count(*) FILTER (WHERE resolution_status IN ('met', 'breached')) AS resolution_judged,
        count(*) FILTER (WHERE resolution_status = 'pending') AS resolution_pending,
        count(*) FILTER (WHERE workaround_status = 'met') AS workaround_met,
        count(*) FILTER (WHERE workaround_status IN ('met', 'breached')) AS workaround_judged,
        count(*) FILTER (WHERE workaround_status = 'pending') AS workaround_pending,
        count(*) FILTER (WHERE resolved AND NOT excluded) AS resolved,
        count(*) FILTER (WHERE resolved AND NOT excluded AND first_contact_resolved) AS first_contact,
        count(*) FILTER (WHERE resolved AND NOT excluded AND reopened) AS reopened,
        count(*) FILTER (WHERE NOT excluded AND category = 'complaint') AS complaints,
        count(*) FILTER (WHERE feedback_status = 'on_time') AS feedback_on_time,
        count(*) FILTER (WHERE feedback_status IN ('on_time', 'late')) AS feedback_judged,
        count(*) FILTER (WHERE NOT excluded AND category = 'suggestion') AS suggestions,
        count(*) FILTER (WHERE NOT excluded AND category = 'suggestion' AND suggestion_adopted) AS suggestions_adopted,
        count(*) FILTER (WHERE resolved AND NOT excluded AND surveyed) AS resolved_surveyed
    FROM outcomes
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
    sum(tickets_all)::BIGINT AS tickets_all,
    sum(tickets)::BIGINT AS tickets,
    sum(excluded)::BIGINT AS excluded,
    sum(response_met)::BIGINT AS response_met,
    sum(response_judged)::BIGINT AS response_judged,
    sum(response_pending)::BIGINT AS response_pending,
    sum(resolution_met)::BIGINT AS resolution_met,
    sum(resolution_judged)::BIGINT AS resolution_judged,
    sum(resolution_pending)::BIGINT AS resolution_pending,
    sum(workaround_met)::BIGINT AS workaround_met,
    sum(workaround_judged)::BIGINT AS workaround_judged,
    sum(workaround_pending)::BIGINT AS workaround_pending,
    sum(resolved)::BIGINT AS resolved,
    sum(first_contact)::BIGINT AS first_contact,
    sum(reopened)::BIGINT AS reopened,
    sum(complaints)::BIGINT AS complaints,
    sum(feedback_on_time)::BIGINT AS feedback_on_time,
    sum(feedback_judged)::BIGINT AS feedback_judged,
    sum(suggestions)::BIGINT AS suggestions,
    sum(suggestions_adopted)::BIGINT AS suggestions_adopted,
    sum(resolved_surveyed)::BIGINT AS resolved_surveyed
FROM fine
GROUP BY GROUPING SETS (
    (period),
    (period, priority),
    (period, team),
    (period, category),
    (period, channel),
    (period, customer)
)
