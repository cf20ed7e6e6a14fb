-- Grain: one row per kind with at least one active batch for the contract: the union of the
-- canonical columns the files of those batches had. Parameters: $contract_id.
SELECT kind, list_sort(list_distinct(flatten(list(columns_present)))) AS columns
FROM batches
WHERE contract_id = $contract_id
  AND status = 'active'
GROUP BY kind
ORDER BY kind
