-- Grain: one row: a digest of everything that changes a contract's numbers: its latest contract
-- revision, its batches and their status, approved exemptions, excluded survey responses.
-- (Month closes and the workflow do not change numbers and are left out.) Parameters: $contract_id.
SELECT md5(concat_ws('|',
    (SELECT coalesce(max(revision), 0)::VARCHAR FROM contracts WHERE contract_id = $contract_id),
    (SELECT coalesce(string_agg(batch_id::VARCHAR || ':' || status, ',' ORDER BY batch_id), '')
       FROM batches WHERE contract_id = $contract_id),
    (SELECT coalesce(string_agg(exemption_id::VARCHAR, ',' ORDER BY exemption_id), '')
       FROM exemptions WHERE contract_id = $contract_id AND decision = 'approved'),
    (SELECT coalesce(string_agg(response_id, chr(31) ORDER BY response_id), '')
       FROM survey_exclusions WHERE contract_id = $contract_id)
)) AS data_version
