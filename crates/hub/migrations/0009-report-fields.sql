-- Version 9: a dossier's row in the reports keeps the field (lĩnh vực) its reception's
-- event names (procedure.field, which counters write from version 9 of their register).
-- The hub then counts by field without the commune's catalogue, which the real
-- catalogue's format cannot publish at the hub; a dossier whose event names no field
-- (received before) is counted under its catalogue's field as before, when the hub
-- holds that catalogue. The rows are made again from the events: the next report reads
-- every event once more (report_marks starts over).
DELETE FROM report_marks;
DELETE FROM report_dossiers;
ALTER TABLE report_dossiers ADD COLUMN field TEXT;
--sqlite: DROP INDEX report_dossiers_count;
--sqlite: CREATE INDEX report_dossiers_count ON report_dossiers(
--sqlite:     station_id, catalog_version, procedure_code, field, received, ended_from, complex,
--sqlite:     in_time_from, in_time_until, overdue_from, overdue_until, early_from,
--sqlite:     early_until, on_time_from, on_time_until, late_from, late_until);
