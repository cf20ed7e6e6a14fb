-- Grain: one row per row of the incoming file (registered as `incoming`), with its row key. A view,
-- not a copy: it is read twice (the key check and the merge) while `incoming` is registered.
-- Parameters: none. Placeholders (whitelisted identifiers only): {{key}} the key expression of the
-- kind, {{columns}} the canonical columns plus "_row" (and dims for surveys).
CREATE OR REPLACE TEMP VIEW stage AS
SELECT {{key}} AS key, {{columns}}
FROM incoming
