-- The Users tab shows how many users a filter matches on every page. Counting 100,000 rows per
-- page view is the slow part, so the number of active users per customer is kept by the
-- database itself, set-based per statement like subscriptions.assigned.
ALTER TABLE customers ADD COLUMN active_users INTEGER NOT NULL DEFAULT 0;

UPDATE customers c SET active_users = (
    SELECT count(*) FROM customer_users u WHERE u.customer_id = c.id AND u.deleted_at IS NULL);

CREATE FUNCTION customer_users_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users + n.c
    FROM (SELECT customer_id, count(*) AS c FROM added WHERE deleted_at IS NULL GROUP BY customer_id) n
    WHERE c.id = n.customer_id;
    RETURN NULL;
END $$;

CREATE FUNCTION customer_users_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users - n.c
    FROM (SELECT customer_id, count(*) AS c FROM removed WHERE deleted_at IS NULL GROUP BY customer_id) n
    WHERE c.id = n.customer_id;
    RETURN NULL;
END $$;

CREATE FUNCTION customer_users_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users + d.delta
    FROM (
        SELECT customer_id, sum(delta) AS delta FROM (
            SELECT customer_id, count(*) FILTER (WHERE deleted_at IS NULL) AS delta FROM after_rows GROUP BY customer_id
            UNION ALL
            SELECT customer_id, -count(*) FILTER (WHERE deleted_at IS NULL) FROM before_rows GROUP BY customer_id
        ) x GROUP BY customer_id
    ) d
    WHERE c.id = d.customer_id AND d.delta <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER customer_users_added AFTER INSERT ON customer_users
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION customer_users_count_added();
CREATE TRIGGER customer_users_removed AFTER DELETE ON customer_users
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION customer_users_count_removed();
CREATE TRIGGER customer_users_changed AFTER UPDATE ON customer_users
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_users_count_changed();

-- Filters with few matches.
CREATE INDEX customer_users_admins_idx ON customer_users (customer_id, display_name, id)
    WHERE deleted_at IS NULL AND org_role <> 'user';
CREATE INDEX customer_users_blocked_idx ON customer_users (customer_id, display_name, id)
    WHERE deleted_at IS NULL AND sign_in_blocked;
