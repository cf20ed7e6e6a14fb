-- Grain: one new, current version per key of the batch. Parameters: $contract_id, $batch_id.
-- Placeholders: {{table}} the kind's version table, {{columns}} its stored columns (whitelisted).
INSERT INTO {{table}} (contract_id, key, batch_id, is_current, {{columns}})
SELECT $contract_id, key, $batch_id, true, {{columns}}
FROM merged
