-- Grain: one row per row of the incoming file (registered as `incoming`), with its row key.
-- Parameters: none. Placeholders (whitelisted identifiers only): {{key}} the key expression of the
-- kind, {{columns}} the canonical columns plus "_row" (and dims for surveys).
CREATE OR REPLACE TEMP TABLE stage AS
SELECT {{key}} AS key, {{columns}}
FROM incoming
