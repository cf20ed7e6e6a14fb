-- Grain: one version per key in `undo_keys`: the one from the latest batch still active (the batch
-- being undone is already marked undone), which becomes current again. Keys without one are gone.
-- Parameters: $contract_id. Placeholders: {{table}} the kind's version table (whitelisted).
UPDATE {{table}} AS t
SET is_current = true
FROM (
    SELECT v.key, max(v.batch_id) AS batch_id
    FROM {{table}} AS v
    JOIN batches AS b
        ON b.batch_id = v.batch_id
       AND b.contract_id = v.contract_id
       AND b.status = 'active'
    WHERE v.contract_id = $contract_id
      AND v.key IN (SELECT key FROM undo_keys)
    GROUP BY v.key
) AS latest
WHERE t.contract_id = $contract_id
  AND t.key = latest.key
  AND t.batch_id = latest.batch_id
