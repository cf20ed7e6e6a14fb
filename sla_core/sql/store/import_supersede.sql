-- Grain: the current versions of every key the new batch holds; they stop being current.
-- Parameters: $contract_id. Placeholders: {{table}} the kind's version table (whitelisted).
UPDATE {{table}}
SET is_current = false
WHERE contract_id = $contract_id
  AND is_current
  AND key IN (SELECT key FROM merged)
