-- Migration 3 (grain: one version row per ticket key and batch, unchanged): tickets carry `workaround_at`,
-- the temporary fix / initial solution (doc 003 临时解决方案, doc 002 初步解决方案) that conditional targets
-- judge. The version table is rebuilt so the new column sits in canonical order (after
-- first_response_at); every stored version keeps its values and has no workaround.
-- Parameters: none.

CREATE TABLE tickets_rows_v3 (
    contract_id              VARCHAR NOT NULL,
    key                      VARCHAR NOT NULL,
    batch_id                 BIGINT  NOT NULL,
    is_current               BOOLEAN NOT NULL,
    "ticket_id"              VARCHAR,
    "created_at"             TIMESTAMPTZ,
    "priority"               VARCHAR,
    "first_response_at"      TIMESTAMPTZ,
    "workaround_at"          TIMESTAMPTZ,
    "resolved_at"            TIMESTAMPTZ,
    "closed_at"              TIMESTAMPTZ,
    "status"                 VARCHAR,
    "category"               VARCHAR,
    "category_raw"           VARCHAR,
    "channel"                VARCHAR,
    "customer"               VARCHAR,
    "team"                   VARCHAR,
    "assignee"               VARCHAR,
    "reopened_count"         BIGINT,
    "first_contact_resolved" BOOLEAN,
    "classified_at"          TIMESTAMPTZ,
    "paused_minutes"         DOUBLE,
    "suggestion_adopted"     BOOLEAN,
    "excluded"               BOOLEAN,
    "exclusion_reason"       VARCHAR,
    "pause_intervals"        VARCHAR,
    "_row"                   BIGINT
);

INSERT INTO tickets_rows_v3
SELECT contract_id, key, batch_id, is_current,
       "ticket_id", "created_at", "priority", "first_response_at", NULL, "resolved_at", "closed_at", "status",
       "category", "category_raw", "channel", "customer", "team", "assignee", "reopened_count",
       "first_contact_resolved", "classified_at", "paused_minutes", "suggestion_adopted", "excluded",
       "exclusion_reason", "pause_intervals", "_row"
FROM tickets_rows;

DROP TABLE tickets_rows;
ALTER TABLE tickets_rows_v3 RENAME TO tickets_rows;
