-- Version 5: the citizen lookup page shows a dossier's history, read from its events, and
-- the name, phone and address of the agency that received it (set by provincial IT with
-- `motcua-hub agency set`; without a name the page shows the one the station was set up
-- with).
-- status_note: the note of the last status set upstream (what is missing, the reason),
-- shown until the station's own event of it arrives.
ALTER TABLE dossiers ADD COLUMN status_note TEXT;
CREATE INDEX events_dossier ON events(dossier_id);
CREATE TABLE agencies (
    agency_id   TEXT PRIMARY KEY,
    name        TEXT,
    phone       TEXT,
    address     TEXT,
    updated_at  TEXT NOT NULL
);
