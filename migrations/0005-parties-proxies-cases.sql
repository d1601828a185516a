-- Version 4 -> 5.
-- The 2025 forms (Thông tư 03/2025/TT-VPCP): an applicant may be an organisation (with its
-- code in id_number and its legal representative), a dossier may be handed in by an
-- authorised person (người được ủy quyền, with the authorisation document), and a
-- procedure of the national catalogue has cases and per-channel terms and fees.
ALTER TABLE dossiers ADD COLUMN applicant_kind TEXT NOT NULL DEFAULT 'person'
    CHECK (applicant_kind IN ('person', 'organisation'));
ALTER TABLE dossiers ADD COLUMN representative TEXT;
ALTER TABLE dossiers ADD COLUMN proxy TEXT;
ALTER TABLE dossiers ADD COLUMN case_code TEXT;
ALTER TABLE dossiers ADD COLUMN case_name TEXT;
ALTER TABLE procedures ADD COLUMN offered INTEGER NOT NULL DEFAULT 1 CHECK (offered IN (0, 1));
ALTER TABLE procedures ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
