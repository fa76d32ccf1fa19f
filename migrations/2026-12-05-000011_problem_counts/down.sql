ALTER TABLE import_jobs DROP COLUMN problem_groups, DROP COLUMN problem_count;
