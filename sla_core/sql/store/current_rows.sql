-- Grain: one row per key: the current version of every row of one kind for one contract, in
-- import order (batch, then the row number the file showed).
-- Parameters: $contract_id. Placeholders: {{table}}, {{columns}} (whitelisted identifiers).
SELECT {{columns}}
FROM {{table}}
WHERE contract_id = $contract_id
  AND is_current
ORDER BY batch_id, "_row"
