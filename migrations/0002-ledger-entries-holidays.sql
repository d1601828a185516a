-- Version 1 -> 2.
-- 1. Each dossier keeps its number in the year's ledger book (Sổ theo dõi hồ sơ), given
--    once at receipt, instead of counting the year's dossiers again on every show and
--    every receipt. Existing dossiers are numbered as version 1 numbered them: in order of
--    receipt (received_at, then local order) within each calendar year.
-- 2. Holiday schedules pulled from the hub move from files into the database, so they
--    commit with the sync cursor.
-- 3. Indexes for the register's filters and sorts (procedure, appointment).
ALTER TABLE dossiers ADD COLUMN ledger_entry INTEGER;

UPDATE dossiers SET ledger_entry = numbered.entry
FROM (
    SELECT rowid AS r,
           row_number() OVER (PARTITION BY substr(received_day, 1, 4)
                              ORDER BY received_at, rowid) AS entry
    FROM dossiers
) AS numbered
WHERE dossiers.rowid = numbered.r;

CREATE TABLE ledger_counters (
    year  INTEGER PRIMARY KEY,
    used  INTEGER NOT NULL CHECK (used >= 0)
) STRICT;

INSERT INTO ledger_counters(year, used)
SELECT CAST(substr(received_day, 1, 4) AS INTEGER), max(ledger_entry)
FROM dossiers GROUP BY substr(received_day, 1, 4);

CREATE TABLE holiday_schedules (
    year       INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    change_id  INTEGER NOT NULL,
    loaded_at  TEXT NOT NULL
) STRICT;

CREATE INDEX dossiers_procedure ON dossiers(procedure_code, rowid);
CREATE INDEX dossiers_due ON dossiers(due_at);
