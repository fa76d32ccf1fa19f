-- What an import changed but does not stop for (a line break in a name made one space): the
-- first 10,000, and how many in all. Warnings hold values from the file, like problems.
ALTER TABLE import_jobs
    ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN warning_count integer NOT NULL DEFAULT 0 CHECK (warning_count >= 0);
