-- Counts of the contract's own ticket-share KPIs ([[custom_kpis]] kind = "ticket_share") per period
-- and breakdown member: the numerator (met) and denominator (met + breached) of each.
-- grain: one row per (period, kpi, dimension, member); dimension 'all' (member '') is the whole period.
-- reads: relation `shares` (one row per ticket × contract KPI whose `where` the ticket matches, built
--        by sla_core.custom_kpis; column `period` set by the caller). parameters: none.
-- Counts are additive, so quarters can also be summed from months (as in ticket_counts.sql).
WITH fine AS (
    SELECT
        period, kpi, priority, team, category, channel, customer,
        count(*) FILTER (WHERE status = 'met') AS met,
        count(*) FILTER (WHERE status IN ('met', 'breached')) AS judged,
        count(*) FILTER (WHERE status = 'pending') AS pending
    FROM shares
    GROUP BY period, kpi, priority, team, category, channel, customer
)
SELECT
    period,
    kpi,
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
    sum(met)::BIGINT AS met,
    sum(judged)::BIGINT AS judged,
    sum(pending)::BIGINT AS pending
FROM fine
GROUP BY GROUPING SETS (
    (period, kpi),
    (period, kpi, priority),
    (period, kpi, team),
    (period, kpi, category),
    (period, kpi, channel),
    (period, kpi, customer)
)
