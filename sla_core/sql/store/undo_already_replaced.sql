-- Grain: one row per key of the batch being undone whose version a later batch had already
-- replaced: its key columns and the batch whose version is in force (left untouched).
-- Parameters: $contract_id, $batch_id. Placeholders: {{table}}, {{key_columns}} (v."col", whitelisted).
SELECT {{key_columns}}, cur.batch_id AS replaced_by
FROM {{table}} AS v
LEFT JOIN {{table}} AS cur
    ON cur.contract_id = v.contract_id
   AND cur.key = v.key
   AND cur.is_current
WHERE v.contract_id = $contract_id
  AND v.batch_id = $batch_id
  AND NOT v.is_current
ORDER BY v."_row", v.key
