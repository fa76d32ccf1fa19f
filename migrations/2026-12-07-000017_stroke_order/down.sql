DROP VIEW listed_users;
ALTER TYPE listed_user ALTER ATTRIBUTE display_name TYPE text COLLATE "default";
ALTER TABLE customer_users ALTER COLUMN display_name TYPE text COLLATE "default";
CREATE VIEW listed_users AS SELECT (listed_user(u)).* FROM customer_users u;
DROP COLLATION partnerdesk_names;
