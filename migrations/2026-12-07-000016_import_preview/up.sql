-- The report shows how each header of the file was read and its first rows as read, for
-- every file, so a person can check that names were decoded right before creating users.
ALTER TABLE import_jobs
    ADD COLUMN column_map jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN preview jsonb NOT NULL DEFAULT '[]';
