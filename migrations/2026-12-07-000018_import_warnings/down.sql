ALTER TABLE import_jobs DROP COLUMN warning_count, DROP COLUMN warnings;
