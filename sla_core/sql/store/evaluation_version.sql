-- Grain: one row: the contract's data version (the query of data_version.sql, filled in below) and a
-- digest of everything else an evaluation of the contract reads from the store: improvement actions
-- (an obligation is done when its linked action is), month closes (a closed month's verdicts and
-- penalty are the frozen ones) and every exemption decision (a provider's exclusion stays a request
-- until decided). Any write of these changes the digest; a mapping or a preset does not.
-- Parameters: $contract_id.
WITH data AS ({{data_version}})
SELECT
    data.data_version,
    md5(concat_ws('|',
        data.data_version,
        (SELECT coalesce(string_agg(action_id::VARCHAR || ':' || status || ':' || coalesce(link_ref, '')
                                    || ':' || epoch_us(updated_at)::VARCHAR, ',' ORDER BY action_id), '')
           FROM actions WHERE contract_id = $contract_id),
        (SELECT count(*)::VARCHAR FROM action_history WHERE contract_id = $contract_id),
        (SELECT coalesce(string_agg(month || ':' || epoch_us(closed_at)::VARCHAR, ',' ORDER BY month), '')
           FROM month_closes WHERE contract_id = $contract_id),
        (SELECT coalesce(string_agg(exemption_id::VARCHAR || ':' || decision, ',' ORDER BY exemption_id), '')
           FROM exemptions WHERE contract_id = $contract_id)
    )) AS evaluation_version
FROM data
