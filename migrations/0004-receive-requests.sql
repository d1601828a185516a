-- Version 3 -> 4.
-- Idempotency keys of receive requests: a request retried after its answer was lost (a
-- broken pipe after the commit, a window that crashed before showing the code) returns
-- the dossier the first attempt saved instead of receiving the citizen a second time.
CREATE TABLE receive_requests (
    request_id  TEXT PRIMARY KEY,            -- chosen by the caller (the window: one per form)
    dossier_id  TEXT NOT NULL UNIQUE REFERENCES dossiers(id),
    at          TEXT NOT NULL                -- RFC 3339, station clock
) STRICT;
