-- Migration 1: the initial schema (a script of DDL statements, run in one transaction).
-- Grain: one table per concept; every data table carries contract_id, and every query filters on it.
-- Parameters: none. Frozen once released: a later schema change is a new numbered migration.

CREATE TABLE schema_version (
    version     INTEGER     NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE batch_id_seq START 1;
CREATE SEQUENCE action_id_seq START 1;
CREATE SEQUENCE exemption_id_seq START 1;
CREATE SEQUENCE audit_id_seq START 1;

-- One row per stored revision of a contract's TOML text.
CREATE TABLE contracts (
    contract_id VARCHAR     NOT NULL,
    revision    INTEGER     NOT NULL,
    name        VARCHAR,
    text        VARCHAR     NOT NULL,
    sha256      VARCHAR     NOT NULL,
    stored_at   TIMESTAMPTZ NOT NULL,
    stored_by   VARCHAR     NOT NULL,
    PRIMARY KEY (contract_id, revision)
);

-- One row per import (a file of one kind for one contract).
CREATE TABLE batches (
    batch_id        BIGINT      PRIMARY KEY,
    contract_id     VARCHAR     NOT NULL,
    kind            VARCHAR     NOT NULL,
    file_name       VARCHAR,
    sha256          VARCHAR,
    "rows"          BIGINT      NOT NULL,
    columns_present VARCHAR[]   NOT NULL,
    imported_at     TIMESTAMPTZ NOT NULL,
    imported_by     VARCHAR     NOT NULL,
    status          VARCHAR     NOT NULL,  -- active | undone
    skipped         BIGINT      NOT NULL,
    inserted        BIGINT      NOT NULL,
    updated         BIGINT      NOT NULL,
    unchanged       BIGINT      NOT NULL,
    undone_at       TIMESTAMPTZ,
    undone_by       VARCHAR
);

-- The data-quality log: one row per issue reported for a batch's skipped rows.
CREATE TABLE batch_issues (
    batch_id    BIGINT  NOT NULL,
    contract_id VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,
    level       VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    file        VARCHAR,
    sheet       VARCHAR,
    row_no      BIGINT,
    column_name VARCHAR,
    value       VARCHAR,
    zh          VARCHAR NOT NULL,
    en          VARCHAR NOT NULL
);

-- Versioned rows, one table per kind. Every import writes one version per key it holds;
-- is_current marks the version in force: the one from the latest active batch of that key.
CREATE TABLE tickets_rows (
    contract_id              VARCHAR NOT NULL,
    key                      VARCHAR NOT NULL,
    batch_id                 BIGINT  NOT NULL,
    is_current               BOOLEAN NOT NULL,
    "ticket_id"              VARCHAR,
    "created_at"             TIMESTAMPTZ,
    "priority"               VARCHAR,
    "first_response_at"      TIMESTAMPTZ,
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
    "_row"                   BIGINT
);

CREATE TABLE surveys_rows (
    contract_id        VARCHAR NOT NULL,
    key                VARCHAR NOT NULL,
    batch_id           BIGINT  NOT NULL,
    is_current         BOOLEAN NOT NULL,
    "response_id"      VARCHAR,
    "submitted_at"     TIMESTAMPTZ,
    "score"            DOUBLE,
    "ticket_id"        VARCHAR,
    "respondent"       VARCHAR,
    "channel"          VARCHAR,
    "team"             VARCHAR,
    "comment"          VARCHAR,
    "duration_seconds" DOUBLE,
    dims               MAP(VARCHAR, DOUBLE),  -- dimension scores: dimension as written -> score
    "_row"             BIGINT
);

CREATE TABLE outages_rows (
    contract_id     VARCHAR NOT NULL,
    key             VARCHAR NOT NULL,
    batch_id        BIGINT  NOT NULL,
    is_current      BOOLEAN NOT NULL,
    "service"       VARCHAR,
    "start"         TIMESTAMPTZ,
    "end"           TIMESTAMPTZ,
    "planned"       BOOLEAN,
    "announced_at"  TIMESTAMPTZ,
    "severity"      VARCHAR,
    "cause"         VARCHAR,
    "description"   VARCHAR,
    "_row"          BIGINT
);

CREATE TABLE measures_rows (
    contract_id VARCHAR NOT NULL,
    key         VARCHAR NOT NULL,
    batch_id    BIGINT  NOT NULL,
    is_current  BOOLEAN NOT NULL,
    "month"     VARCHAR,
    "kpi"       VARCHAR,
    "value"     DOUBLE,
    "source"    VARCHAR,
    "note"      VARCHAR,
    "_row"      BIGINT
);

-- One row per contract and kind: the column mapping the user confirmed last (JSON object).
CREATE TABLE mappings (
    contract_id VARCHAR     NOT NULL,
    kind        VARCHAR     NOT NULL,
    mapping     VARCHAR     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  VARCHAR     NOT NULL,
    PRIMARY KEY (contract_id, kind)
);

-- Improvement actions and the history of every change to them.
CREATE TABLE actions (
    action_id   BIGINT      PRIMARY KEY,
    contract_id VARCHAR     NOT NULL,
    link_kind   VARCHAR,                -- miss | obligation | NULL
    link_ref    VARCHAR,
    kpi         VARCHAR,
    months      VARCHAR[]   NOT NULL,
    cause       VARCHAR     NOT NULL,
    measure     VARCHAR     NOT NULL,
    owner       VARCHAR     NOT NULL,
    due         DATE,
    status      VARCHAR     NOT NULL,   -- open | in_progress | done
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  VARCHAR     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  VARCHAR     NOT NULL
);

CREATE TABLE action_history (
    action_id   BIGINT      NOT NULL,
    contract_id VARCHAR     NOT NULL,
    seq         INTEGER     NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    changed_by  VARCHAR     NOT NULL,
    change      VARCHAR     NOT NULL,   -- created | updated
    fields      VARCHAR     NOT NULL    -- JSON: field -> [old, new]
);

-- Requests to exempt a ticket or change its priority, and their decision.
CREATE TABLE exemptions (
    exemption_id    BIGINT      PRIMARY KEY,
    contract_id     VARCHAR     NOT NULL,
    ticket_id       VARCHAR     NOT NULL,
    kind            VARCHAR     NOT NULL,   -- exempt | regrade
    new_priority    VARCHAR,
    reason          VARCHAR     NOT NULL,
    requested_by    VARCHAR     NOT NULL,
    requested_at    TIMESTAMPTZ NOT NULL,
    decision        VARCHAR     NOT NULL,   -- pending | approved | rejected
    decided_by      VARCHAR,
    decided_at      TIMESTAMPTZ,
    decision_reason VARCHAR
);

-- Closed months: the frozen snapshot (JSON) and the data version it was computed from.
CREATE TABLE month_closes (
    contract_id   VARCHAR     NOT NULL,
    month         VARCHAR     NOT NULL,   -- YYYY-MM
    snapshot_json VARCHAR     NOT NULL,
    data_version  VARCHAR     NOT NULL,
    closed_at     TIMESTAMPTZ NOT NULL,
    closed_by     VARCHAR     NOT NULL,
    PRIMARY KEY (contract_id, month)
);

-- Survey responses the user excluded, with who and why.
CREATE TABLE survey_exclusions (
    contract_id VARCHAR     NOT NULL,
    response_id VARCHAR     NOT NULL,
    reason      VARCHAR     NOT NULL,
    excluded_by VARCHAR     NOT NULL,
    excluded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contract_id, response_id)
);

-- Every mutating call writes one row.
CREATE TABLE audit_log (
    audit_id    BIGINT      NOT NULL,
    logged_at   TIMESTAMPTZ NOT NULL,
    actor       VARCHAR     NOT NULL,
    action      VARCHAR     NOT NULL,
    contract_id VARCHAR,
    detail      VARCHAR     NOT NULL    -- JSON
);
