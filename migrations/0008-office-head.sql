-- Version 7 -> 8.
-- A third role, the office head (lãnh đạo văn phòng, `head`): reviews the access log and
-- the reports and answers a person's request; changes nothing of the station. SQLite
-- cannot change a CHECK constraint in place, so the accounts table is rebuilt under its
-- own name (renaming would rewrite the dossiers' references to it): its rows kept in a
-- temporary copy, the table dropped and made again, the rows put back. Dropping it leaves
-- the dossiers' clerks without their account for a moment; the check of those references
-- waits for the commit (defer_foreign_keys), when every account is back.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE users_v7 AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
    username       TEXT PRIMARY KEY,
    full_name      TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('clerk', 'admin', 'head')),
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL
) STRICT;
INSERT INTO users (username, full_name, role, password_hash, active, created_at)
SELECT username, full_name, role, password_hash, active, created_at FROM temp.users_v7;
DROP TABLE temp.users_v7;
