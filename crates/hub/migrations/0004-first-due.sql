-- Version 4: a dossier whose appointment was extended with the apology (Mẫu 04, event
-- appointment_extended) keeps the appointment first given beside the new one in due_at;
-- NULL when it was never extended.
ALTER TABLE dossiers ADD COLUMN first_due_at TEXT;
