-- Median and p90 of response and resolution time per priority, on each priority's clock.
-- grain: one row per (period, priority).
-- reads: relation `outcomes` (one row per ticket; `period` set by the caller). parameters: none.
-- Over completed, non-excluded tickets; nearest-rank quantiles (quantile_disc), whole seconds.
SELECT
    period,
    priority,
    count(*) FILTER (WHERE responded) AS response_count,
    quantile_disc(response_seconds, 0.5) FILTER (WHERE responded) AS response_median,
    quantile_disc(response_seconds, 0.9) FILTER (WHERE responded) AS response_p90,
    count(*) FILTER (WHERE resolved) AS resolution_count,
    quantile_disc(resolution_seconds, 0.5) FILTER (WHERE resolved) AS resolution_median,
    quantile_disc(resolution_seconds, 0.9) FILTER (WHERE resolved) AS resolution_p90
FROM outcomes
WHERE NOT excluded
GROUP BY period, priority
ORDER BY period, priority
