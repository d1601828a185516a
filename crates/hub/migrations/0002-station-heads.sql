-- Version 2: every journal head a station signed and pushed (one per batch), so the
-- events the hub serves back to a counter rebuilding its journal can be checked against
-- its signature.
CREATE TABLE station_heads (
    station_id  TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    signature   TEXT NOT NULL,
    PRIMARY KEY (station_id, seq)
);
