DROP TRIGGER customer_users_added ON customer_users;
DROP TRIGGER customer_users_removed ON customer_users;
DROP TRIGGER customer_users_changed ON customer_users;
DROP FUNCTION customer_users_count_added;
DROP FUNCTION customer_users_count_removed;
DROP FUNCTION customer_users_count_changed;
DROP INDEX customer_users_admins_idx;
DROP INDEX customer_users_blocked_idx;
ALTER TABLE customers DROP COLUMN active_users;
