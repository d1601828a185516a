-- Version 8 -> 9.
-- A dossier keeps the field (lĩnh vực) its procedure was listed under in the catalogue it
-- was received under, and its reception's event carries it (procedure.field), so the
-- province hub counts the periodic reports by field without the commune's catalogue.
-- NULL for dossiers received before version 9: their events do not carry it, and the
-- reports take it from the catalogue they were received under, as before.
ALTER TABLE dossiers ADD COLUMN procedure_field TEXT;
