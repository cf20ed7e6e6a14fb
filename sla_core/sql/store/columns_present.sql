-- Grain: one row per active batch of the contract, oldest first: its kind and the canonical columns
-- its file had (the caller takes the ordered union per kind). Parameters: $contract_id.
SELECT kind, columns_present
FROM batches
WHERE contract_id = $contract_id
  AND status = 'active'
ORDER BY batch_id
