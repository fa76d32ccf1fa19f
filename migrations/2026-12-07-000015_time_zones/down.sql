ALTER TABLE staff DROP COLUMN time_zone;
ALTER TABLE partners DROP COLUMN time_zone;
