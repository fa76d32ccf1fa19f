-- Dates and times are shown in the partner's time zone (an IANA name such as Asia/Taipei),
-- or in a staff member's own when they chose one. The application checks the names.
ALTER TABLE partners ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'
    CHECK (length(time_zone) BETWEEN 1 AND 64);
ALTER TABLE staff ADD COLUMN time_zone text
    CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
