-- Version 2 -> 3.
-- The search table gets a prefix index of 3 characters beside those of 1 and 2: a last word
-- of three characters that starts many terms ("h56" of every code, "091" of phone
-- numbers) was the slowest keystroke of the register's search as you type (count and
-- first page 67 ms on a million dossiers, 10 ms with the index). FTS5 cannot change a
-- table's prefix option, so the table is made again from its own rows.
CREATE TABLE dossier_search_rows AS
    SELECT rowid AS r, name, address, code, id_number, phone FROM dossier_search;

DROP TABLE dossier_search;

CREATE VIRTUAL TABLE dossier_search USING fts5(
    name, address, code, id_number, phone,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

INSERT INTO dossier_search(rowid, name, address, code, id_number, phone)
    SELECT r, name, address, code, id_number, phone FROM dossier_search_rows ORDER BY r;

DROP TABLE dossier_search_rows;
