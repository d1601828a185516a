-- motcua counter database, schema version 8 (PRAGMA user_version = 8).
--
-- This file is the schema as it is now; it is applied to a new database in one IMMEDIATE
-- transaction. An older database gets the steps under migrations/ instead, one IMMEDIATE
-- transaction each (migrations/0002-ledger-entries-holidays.sql took version 1 to 2).
-- Every connection runs with journal_mode=WAL, synchronous=FULL, foreign_keys=ON.
--
-- Invariants kept by the store crate (never by the GUI):
--   * every change is one row in `events`, chained by SHA-256 (prev_hash -> hash) with a
--     gap-free `seq`; `journal_head` holds the last seq/hash signed with the station key;
--   * the dossier tables are a projection of the journal and are written in the same
--     transaction as the event that explains them;
--   * every event has an `outbox` row from the moment it exists, until the hub acks it.

-- The station itself: exactly one row once `motcua init` has run.
CREATE TABLE station (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    agency_id    TEXT NOT NULL,              -- mã định danh, e.g. 000.17.22.H56
    agency_name  TEXT NOT NULL,              -- e.g. UBND xã Tân Lập
    parent_name  TEXT,                       -- governing agency, e.g. UBND tỉnh Thanh Hóa
    station_no   INTEGER NOT NULL CHECK (station_no BETWEEN 1 AND 9),
    station_id   TEXT NOT NULL,              -- '<agency_id>#<station_no>', in every event
    public_key   TEXT NOT NULL,              -- Ed25519 public key (hex) that signs the journal head
    created_at   TEXT NOT NULL               -- RFC 3339
) STRICT;

-- Small key/value settings (current catalogue version, lookup base URL, ...).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

-- Accounts: clerks, admins and the office head (who reviews, changes nothing). Passwords
-- are argon2id PHC strings, never plain text.
CREATE TABLE users (
    username       TEXT PRIMARY KEY,
    full_name      TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('clerk', 'admin', 'head')),
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL
) STRICT;

-- Every catalogue version ever loaded, with its full JSON body, so a dossier's version can
-- always be looked up again.
CREATE TABLE catalog_versions (
    version         TEXT PRIMARY KEY,
    effective_from  TEXT NOT NULL,           -- YYYY-MM-DD
    source          TEXT NOT NULL,
    loaded_at       TEXT NOT NULL,
    body            TEXT NOT NULL            -- the catalogue file as loaded (JSON)
) STRICT;

-- Procedures of every loaded catalogue version; the current version is settings.catalog_version.
CREATE TABLE procedures (
    version           TEXT NOT NULL REFERENCES catalog_versions(version),
    code              TEXT NOT NULL,         -- national code, e.g. 1.001193
    name              TEXT NOT NULL,
    field             TEXT NOT NULL,         -- lĩnh vực
    term              TEXT NOT NULL,         -- same-day | <n>wd | <n>d | <n>wh | <n>h | <n>mo
    term_unconfirmed  INTEGER NOT NULL CHECK (term_unconfirmed IN (0, 1)),
    fee               TEXT NOT NULL,
    documents         TEXT NOT NULL,         -- JSON array of {name, kind}
    folded            TEXT NOT NULL,         -- folded code + name + field, for search
    offered           INTEGER NOT NULL DEFAULT 1 CHECK (offered IN (0, 1)),
                                             -- offered at the counter (0: e.g. cư trú,
                                             -- received by the commune police)
    detail            TEXT NOT NULL DEFAULT '{}', -- JSON: cases, per-channel terms and
                                             -- fees, legal basis, handled_by, source
    PRIMARY KEY (version, code)
) STRICT;

-- The dossier register: the projection of dossier_received / status_changed events.
CREATE TABLE dossiers (
    rowid            INTEGER PRIMARY KEY,    -- local order of receipt; also the FTS rowid
    id               TEXT NOT NULL UNIQUE,   -- UUIDv7
    code             TEXT NOT NULL UNIQUE,   -- <agency>-<yyMMdd>-<nnnn>
    lookup_secret    TEXT NOT NULL,          -- mã tra cứu printed for the citizen
    applicant_name   TEXT NOT NULL,
    id_number        TEXT,                   -- 12 digits; personal data
    phone            TEXT,
    email            TEXT,
    address          TEXT,
    owner            TEXT,                   -- JSON party, when the owner is not the applicant
    procedure_code   TEXT NOT NULL,
    procedure_name   TEXT NOT NULL,
    catalog_version  TEXT NOT NULL,
    term             TEXT NOT NULL,
    documents        TEXT NOT NULL,          -- JSON array of {name, kind, count}
    sets             INTEGER NOT NULL CHECK (sets >= 1),
    channel          TEXT NOT NULL CHECK (channel IN ('direct', 'postal')),
    result_delivery  TEXT NOT NULL,          -- JSON {kind: counter} | {kind: post, address}
    fee              INTEGER CHECK (fee >= 0),
    received_at      TEXT NOT NULL,          -- local Vietnam time, YYYY-MM-DDTHH:MM:SS
    received_day     TEXT NOT NULL,          -- YYYY-MM-DD, for the ledger and daily counts
    due_at           TEXT,                   -- appointment, local Vietnam time
    clerk            TEXT NOT NULL REFERENCES users(username),
    status           TEXT NOT NULL CHECK (status IN ('received', 'processing',
                         'supplement_requested', 'financial_obligation', 'result_ready',
                         'returned', 'refused', 'withdrawn', 'stopped')),
    note             TEXT,
    updated_at       TEXT NOT NULL,          -- RFC 3339 of the last event applied
    ledger_entry     INTEGER,                -- number in the year's Sổ theo dõi hồ sơ, given
                                             -- once at receipt (ledger_counters); set on every row
    applicant_kind   TEXT NOT NULL DEFAULT 'person'
                         CHECK (applicant_kind IN ('person', 'organisation')),
    representative   TEXT,                   -- an organisation's legal representative
    proxy            TEXT,                   -- JSON person + authorisation, when an
                                             -- authorised person handed the dossier in
    case_code        TEXT,                   -- the procedure's case, if it has cases
    case_name        TEXT,
    term_source      TEXT,                   -- JSON {kind: catalogue | typed | appointment, …}:
                                             -- where the term came from; NULL before v6
    procedure_field  TEXT                    -- the catalogue's field (lĩnh vực) of the
                                             -- procedure at reception; NULL before v9
) STRICT;
CREATE INDEX dossiers_received_day ON dossiers(received_day);
CREATE INDEX dossiers_status ON dossiers(status, rowid);
-- The register's filters and sorts: by procedure, by appointment (overdue, due soon).
CREATE INDEX dossiers_procedure ON dossiers(procedure_code, rowid);
CREATE INDEX dossiers_due ON dossiers(due_at);

-- Folded search text of each dossier (lowercase, no marks, đ->d), rowid = dossiers.rowid.
-- Prefix indexes of 1, 2 and 3 characters keep a short last word ("nguyen v", "bui 0",
-- "h56") fast.
CREATE VIRTUAL TABLE dossier_search USING fts5(
    name, address, code, id_number, phone,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

-- How many dossiers this station has received per day: the index into its code blocks.
CREATE TABLE daily_counters (
    day   TEXT PRIMARY KEY,                  -- YYYY-MM-DD of received_at
    used  INTEGER NOT NULL CHECK (used >= 0)
) STRICT;

-- How many entries each year's ledger book (Sổ theo dõi hồ sơ) has: the next dossier
-- received with a date in that year takes number used + 1. Books restart every year.
CREATE TABLE ledger_counters (
    year  INTEGER PRIMARY KEY,               -- year of received_at
    used  INTEGER NOT NULL CHECK (used >= 0)
) STRICT;

-- The journal: append-only, hash-chained, gap-free per station. The triggers stop
-- accidental edits; deliberate ones are caught by `motcua verify`.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,         -- 1, 2, 3 ... without gaps
    event_id    TEXT NOT NULL UNIQUE,        -- UUIDv7
    station_id  TEXT NOT NULL,
    wall_time   TEXT NOT NULL,               -- RFC 3339 with offset, station clock
    clerk       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    dossier_id  TEXT,
    payload     TEXT NOT NULL,               -- canonical JSON
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX events_dossier ON events(dossier_id) WHERE dossier_id IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

-- The signed head of the journal: last seq and hash, Ed25519 signature by the station key.
CREATE TABLE journal_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    signature  TEXT NOT NULL                 -- hex
) STRICT;

-- Events waiting to be pushed to the hub. A row is written with its event and is only
-- marked acked once the hub has acknowledged it; quarantined rows carry the hub's reason.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY REFERENCES events(seq),
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'quarantined')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    acked_at    TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox(state, seq);

-- The station's link to the province hub (motcua-hub): one row once `motcua sync enroll`
-- has run. The bearer credential itself is NOT here but in the file `sync.credential`
-- (0600) beside the database, so a copy of the database cannot push as this station.
CREATE TABLE sync_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    hub_url          TEXT NOT NULL,          -- e.g. http://127.0.0.1:8080
    enrolled_at      TEXT NOT NULL,          -- RFC 3339
    cursor           INTEGER NOT NULL DEFAULT 0 CHECK (cursor >= 0), -- last hub change applied
    online           INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1)),
    last_attempt_at  TEXT,                   -- RFC 3339, station clock
    last_success_at  TEXT,                   -- RFC 3339, station clock
    last_error       TEXT,                   -- plain Vietnamese, for the clerk
    failures         INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0), -- in a row, for backoff
    clock_offset_ms  INTEGER,                -- hub clock minus station clock, last exchange
    clock_skewed     INTEGER NOT NULL DEFAULT 0 CHECK (clock_skewed IN (0, 1)), -- |offset| > 5 min
    checked_seq      INTEGER NOT NULL DEFAULT 0 -- journal seq the clock was last checked up to
) STRICT;

-- Upstream changes that contradict what the counter recorded (e.g. upstream sets a status
-- the counter's status machine cannot reach from where the dossier stands). They are not
-- applied and are shown to the clerk instead of being dropped silently.
CREATE TABLE sync_conflicts (
    id            INTEGER PRIMARY KEY,
    change_id     INTEGER NOT NULL,          -- position in the hub's change feed
    dossier_code  TEXT NOT NULL,
    detail        TEXT NOT NULL,             -- plain Vietnamese
    at            TEXT NOT NULL              -- RFC 3339, station clock
) STRICT;

-- Journal events written while the station clock was more than 5 minutes off the hub's
-- clock (as last measured), so their wall_time can be read with care.
CREATE TABLE clock_skew_flags (
    seq        INTEGER PRIMARY KEY REFERENCES events(seq),
    offset_ms  INTEGER NOT NULL              -- hub clock minus station clock when flagged
) STRICT;

-- Yearly holiday schedules pulled from the province hub, stored in the same transaction as
-- the sync cursor. Precedence when the office calendar is built: the schedules built into
-- the app, then these, then an office's own files in <data dir>/calendar/ (last wins).
CREATE TABLE holiday_schedules (
    year       INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,                -- the schedule file's JSON (assets/calendar format)
    change_id  INTEGER NOT NULL,             -- position in the hub's change feed
    loaded_at  TEXT NOT NULL                 -- RFC 3339, station clock
) STRICT;

-- Idempotency keys of receive requests: a request retried after its answer was lost (a
-- broken pipe after the commit, a window that crashed before showing the code) returns
-- the dossier the first attempt saved instead of receiving the citizen a second time.
CREATE TABLE receive_requests (
    request_id  TEXT PRIMARY KEY,            -- chosen by the caller (the window: one per form)
    dossier_id  TEXT NOT NULL UNIQUE REFERENCES dossiers(id),
    at          TEXT NOT NULL                -- RFC 3339, station clock
) STRICT;

-- What the periodic reports read, kept narrow (version 7): one row per status change and
-- appointment extension of a dossier, written by a trigger in the same transaction as the
-- event, so every path that writes the journal keeps it; dossiers_report lets the report
-- read the dossiers it counts from an index alone (benches/report_scale.rs).
CREATE TABLE report_steps (
    seq            INTEGER PRIMARY KEY,      -- the event's seq (journal order)
    dossier_rowid  INTEGER NOT NULL,         -- dossiers.rowid
    wall_time      TEXT NOT NULL,            -- the event's, RFC 3339, station clock
    status         TEXT,                     -- the status gone to; NULL for an extension
    extension      TEXT                      -- an extension's payload (JSON), else NULL
) STRICT;
CREATE TRIGGER report_steps_from_events AFTER INSERT ON events
WHEN NEW.kind IN ('status_changed', 'upstream_status', 'appointment_extended')
BEGIN
    INSERT INTO report_steps (seq, dossier_rowid, wall_time, status, extension)
    SELECT NEW.seq, d.rowid, NEW.wall_time,
           CASE WHEN NEW.kind != 'appointment_extended' AND json_valid(NEW.payload)
                THEN json_extract(NEW.payload, '$.to') END,
           CASE WHEN NEW.kind = 'appointment_extended' THEN NEW.payload END
    FROM dossiers d WHERE d.id = NEW.dossier_id;
END;
CREATE INDEX dossiers_report ON dossiers (received_at, catalog_version, procedure_code,
    due_at, code, procedure_name, clerk);
