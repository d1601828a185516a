-- Version 7: what the periodic reports keep is one row per dossier. Version 6 kept one
-- narrow row per event, and a year's report still read a million dossiers' rows and
-- their status changes through the hub (5.8 s on SQLite, 6.9 s on PostgreSQL for
-- 1,000,000 dossiers, benches/report_hub.sh). Each dossier's row now keeps what its
-- count reads (its procedure, times and steps) and its standing for every period end
-- (motcua_core::report::Course: when it stands pending within time, overdue, early, on
-- time or late), so a report is one GROUP BY per station over these rows, counting by
-- comparisons alone. The rows are made from
-- the events pushed, each read once, as version 6 did: its rows are dropped and every
-- event is read again by the next report (report_marks starts over).
DROP TABLE report_rows;
DELETE FROM report_marks;
CREATE TABLE report_dossiers (
    station_id       TEXT NOT NULL,
    dossier_id       TEXT NOT NULL,
    -- when it was received, in whole seconds of Vietnam's local time since
    -- 1970-01-01T00:00:00; NULL until its reception is read
    received         BIGINT,
    catalog_version  TEXT,
    procedure_code   TEXT,
    -- the appointment given on reception, and the one its first extension moved on from
    -- (seconds, as received)
    due_at           BIGINT,
    first_due        BIGINT,
    -- its status changes after reception, in journal order: "seconds status;…"
    steps            TEXT NOT NULL,
    -- its course (motcua_core::report::Course): for each standing, the seconds a period
    -- may end at to find it so, from (included; NULL: never) until (excluded;
    -- 9223372036854775807: for ever); ended_from: the first second it stands as ended.
    -- complex = 1: a standing it leaves and comes back to (a clock put back), counted
    -- from the facts above (the standings are then NULL)
    in_time_from     BIGINT,
    in_time_until    BIGINT,
    overdue_from     BIGINT,
    overdue_until    BIGINT,
    early_from       BIGINT,
    early_until      BIGINT,
    on_time_from     BIGINT,
    on_time_until    BIGINT,
    late_from        BIGINT,
    late_until       BIGINT,
    ended_from       BIGINT,
    complex          BIGINT NOT NULL,
    PRIMARY KEY (station_id, dossier_id)
);
-- SQLite counts one station's dossiers by procedure reading this index alone, in its
-- order (no sorting: SQLite has no hashed GROUP BY). PostgreSQL does better with a
-- parallel scan of the table and a hashed GROUP BY (and reads an index alone only where
-- vacuum has marked the pages), so it has no such index.
--sqlite: CREATE INDEX report_dossiers_count ON report_dossiers(
--sqlite:     station_id, catalog_version, procedure_code, received, ended_from, complex,
--sqlite:     in_time_from, in_time_until, overdue_from, overdue_until, early_from,
--sqlite:     early_until, on_time_from, on_time_until, late_from, late_until);
-- The few dossiers counted from their facts.
CREATE INDEX report_dossiers_complex ON report_dossiers(station_id) WHERE complex = 1;
