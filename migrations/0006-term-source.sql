-- Version 5 -> 6.
-- A dossier keeps where its term came from: the catalogue (confirmed or not, and the
-- published statement taken, chosen by the clerk where the record's terms disagree), the
-- term the clerk typed from the posted listing, or the clerk's own appointment where the
-- law sets no term. NULL for dossiers received before version 6 (not recorded then).
ALTER TABLE dossiers ADD COLUMN term_source TEXT;
