-- Fails if a removed member's email was given to a new account: rename one of them first.
DROP INDEX staff_email_key;
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));
ALTER TABLE staff DROP COLUMN removed_at;
DROP TABLE staff_sessions;
