-- Grain: one row per key of the staged file: the new version of that row. Columns the file had
-- come from the file (a blank clears the value); columns it lacked keep the current stored value.
-- is_new: no current version existed; is_same: the file changes nothing in the current version.
-- Parameters: $contract_id (plus $present_dims for surveys whose file had dimension columns).
-- Placeholders (built from whitelisted identifiers only): {{table}} the kind's version table,
-- {{merged}} one expression per stored column, {{changed}} "is any file column different".
CREATE OR REPLACE TEMP TABLE merged AS
SELECT
    s.key,
    cur.key IS NULL AS is_new,
    cur.key IS NOT NULL AND NOT ({{changed}}) AS is_same,
    {{merged}}
FROM stage AS s
LEFT JOIN {{table}} AS cur
    ON cur.contract_id = $contract_id
   AND cur.is_current
   AND cur.key = s.key
