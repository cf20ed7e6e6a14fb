-- Grain: one row per key whose current version came from the batch being undone.
-- Parameters: $contract_id, $batch_id. Placeholders: {{table}} the kind's version table.
CREATE OR REPLACE TEMP TABLE undo_keys AS
SELECT key
FROM {{table}}
WHERE contract_id = $contract_id
  AND batch_id = $batch_id
  AND is_current
