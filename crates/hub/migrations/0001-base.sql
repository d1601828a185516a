-- Version 1: the hub schema as first released. {ID} is the dialect's auto-numbered key.
-- One-time enrolment tokens (SHA-256 of the token; the token itself is shown once).
CREATE TABLE enrol_tokens (
    token_hash  TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    used_at     TEXT
);
-- Bearer credentials of stations and processors (SHA-256 only).
CREATE TABLE credentials (
    token_hash  TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('station', 'processor')),
    subject     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
-- Enrolled stations: their key and how far the hub has their chain.
CREATE TABLE stations (
    station_id  TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    next_seq    BIGINT NOT NULL DEFAULT 1,
    last_hash   TEXT NOT NULL,
    enrolled_at TEXT NOT NULL
);
-- Every event ever pushed, with what the hub did with it (accepted | rejected).
CREATE TABLE events (
    station_id  TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    dossier_id  TEXT,
    hash        TEXT NOT NULL,
    body        TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    reason      TEXT,
    stored_at   TEXT NOT NULL,
    PRIMARY KEY (station_id, seq)
);
-- The province's register: one row per dossier, whatever station received it.
CREATE TABLE dossiers (
    code            TEXT PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    agency_id       TEXT NOT NULL,
    station_id      TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    lookup_secret   TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    due_at          TEXT,
    status          TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX dossiers_agency_status ON dossiers(agency_id, status);
-- The feed counters pull: upstream status changes and master data, numbered.
CREATE TABLE changes (
    id          {ID},
    agency_id   TEXT,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
-- Tampering and other problems found in stations' journals.
CREATE TABLE alerts (
    id          {ID},
    station_id  TEXT NOT NULL,
    seq         BIGINT,
    detail      TEXT NOT NULL,
    at          TEXT NOT NULL
);
-- Answers to push batches by idempotency key, replayed when a batch is re-sent.
CREATE TABLE idempotency (
    key         TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    response    TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (station_id, key)
);
