-- The indexes and trigger functions as migrations 000001 and 000005 made them.
CREATE INDEX customer_users_search_trgm
    ON customer_users USING gin ((lower(display_name) || ' ' || lower(user_name)) gin_trgm_ops)
    WHERE deleted_at IS NULL;
CREATE INDEX customer_users_admins_idx ON customer_users (customer_id, display_name, id)
    WHERE deleted_at IS NULL AND org_role <> 'user';
CREATE INDEX customer_users_blocked_idx ON customer_users (customer_id, display_name, id)
    WHERE deleted_at IS NULL AND sign_in_blocked;

CREATE OR REPLACE FUNCTION customer_users_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users + n.c
    FROM (SELECT customer_id, count(*) AS c FROM added WHERE deleted_at IS NULL GROUP BY customer_id) n
    WHERE c.id = n.customer_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION customer_users_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users - n.c
    FROM (SELECT customer_id, count(*) AS c FROM removed WHERE deleted_at IS NULL GROUP BY customer_id) n
    WHERE c.id = n.customer_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION customer_users_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION licenses_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE subscriptions s SET assigned = s.assigned + n.c, updated_at = now()
    FROM (SELECT subscription_id, count(*) AS c FROM added GROUP BY subscription_id) n
    WHERE s.id = n.subscription_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION licenses_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE subscriptions s SET assigned = s.assigned - n.c, updated_at = now()
    FROM (SELECT subscription_id, count(*) AS c FROM removed GROUP BY subscription_id) n
    WHERE s.id = n.subscription_id;
    RETURN NULL;
END $$;

ALTER TABLE subscriptions DROP COLUMN licenses_version;
ALTER TABLE customers DROP COLUMN users_version;
