-- Grain: one row: how the staged rows compare with the stored ones. Parameters: none.
SELECT
    count(*) FILTER (WHERE is_new) AS inserted,
    count(*) FILTER (WHERE NOT is_new AND NOT is_same) AS updated,
    count(*) FILTER (WHERE is_same) AS unchanged
FROM merged
