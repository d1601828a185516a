-- Version 6 -> 7.
-- What the periodic reports read, kept narrow: a year's report over a million dossiers
-- read the whole register and journal (2.9 GB) and took seconds (benches/report_scale.rs).
-- report_steps holds one row per status change and appointment extension of a dossier,
-- written by a trigger in the same transaction as the event, so every path that writes
-- the journal (receiving, changes, sync, recovery) keeps it; dossiers_report lets the
-- report read the dossiers it counts from an index alone.
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
INSERT INTO report_steps (seq, dossier_rowid, wall_time, status, extension)
    SELECT e.seq, d.rowid, e.wall_time,
           CASE WHEN e.kind != 'appointment_extended' AND json_valid(e.payload)
                THEN json_extract(e.payload, '$.to') END,
           CASE WHEN e.kind = 'appointment_extended' THEN e.payload END
    FROM events e JOIN dossiers d ON d.id = e.dossier_id
    WHERE e.kind IN ('status_changed', 'upstream_status', 'appointment_extended');
