-- Grain: the versions of the batch being undone that are current; they stop being current.
-- Parameters: $contract_id, $batch_id. Placeholders: {{table}} the kind's version table.
UPDATE {{table}}
SET is_current = false
WHERE contract_id = $contract_id
  AND batch_id = $batch_id
  AND is_current
