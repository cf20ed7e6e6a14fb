-- Grain: one row: rows of the staged file without a key, and up to five keys it holds twice.
-- Parameters: none (reads the temp table `stage`).
SELECT
    count(*) FILTER (WHERE key IS NULL) AS missing_keys,
    (
        SELECT coalesce(list(key ORDER BY key), [])[1:5]
        FROM (SELECT key FROM stage WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1)
    ) AS duplicate_keys
FROM stage
