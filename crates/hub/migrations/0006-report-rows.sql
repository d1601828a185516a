-- Version 6: what the periodic reports read of each pushed event, kept narrow. A year's
-- report read and parsed every pushed event's body (about 1.4 KB a dossier): 1.8 s on
-- SQLite and 2.5 s on PostgreSQL for 100,000 dossiers (benches/report_hub.sh). A report
-- now first brings these rows up to date from the events pushed since the last one
-- (report_marks: how far each station's events were read), then reads them alone. The
-- push itself writes nothing more. Events are never changed once stored, so a row, once
-- made, stays true.
CREATE TABLE report_rows (
    station_id       TEXT NOT NULL,
    seq              BIGINT NOT NULL,
    dossier_id       TEXT NOT NULL,
    -- received | status | extended
    kind             TEXT NOT NULL,
    -- received: when it was received; status: the event's wall time in Vietnam's local
    -- time; extended: the appointment it moved on from (YYYY-MM-DDTHH:MM:SS)
    at               TEXT NOT NULL,
    -- status: the status gone to
    status           TEXT,
    -- received: the dossier's appointment, code, procedure and clerk
    due_at           TEXT,
    code             TEXT,
    catalog_version  TEXT,
    procedure_code   TEXT,
    procedure_name   TEXT,
    clerk            TEXT,
    PRIMARY KEY (station_id, seq)
);
CREATE TABLE report_marks (
    station_id  TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL
);
