ALTER TABLE staff DROP COLUMN removed_at;
DROP TABLE staff_sessions;
