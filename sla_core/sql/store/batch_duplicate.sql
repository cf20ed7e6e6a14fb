-- Grain: one row per active batch of the same contract and kind that imported the same file
-- (same sha256), oldest first. Parameters: $contract_id, $kind, $sha256.
SELECT batch_id
FROM batches
WHERE contract_id = $contract_id
  AND kind = $kind
  AND sha256 = $sha256
  AND status = 'active'
ORDER BY batch_id
