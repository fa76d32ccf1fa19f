ALTER TABLE import_jobs DROP COLUMN preview, DROP COLUMN column_map;
