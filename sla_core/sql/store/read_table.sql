-- Read every row of one table of the store, to prove that each of its blocks can be read (DuckDB checks
-- a block's checksum when it reads it).
-- Grain: one row (the table's row count and a hash of all its rows).
-- Parameters: none. Fragment {{table}}: a table the store's migrations create (store_tables()).
SELECT count(*) AS "rows", sum(hash(t)) AS digest
FROM {{table}} AS t
