-- What the Users list shows of a user, defined once. The in-memory directory
-- (src/services/user_directory.rs) reads exactly these columns through the view listed_users, and the
-- trigger that moves customers.users_version compares the same function's value before and
-- after an update, so a column added here is both listed and watched, and a change to a column
-- not here (a new password) leaves the directory as it is.
CREATE TYPE listed_user AS (
    customer_id BIGINT,
    id BIGINT,
    display_name TEXT,
    user_name TEXT,
    usage_location TEXT,
    admin BOOLEAN,
    sign_in_blocked BOOLEAN,
    created_at TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ
);

-- Plain SQL, so PostgreSQL inlines it: the directory's read still walks the display-name index.
CREATE FUNCTION listed_user(u customer_users) RETURNS listed_user
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ROW(u.customer_id, u.id, u.display_name, u.user_name, u.usage_location, u.org_role <> 'user',
               u.sign_in_blocked, u.created_at, u.deleted_at)::listed_user
$$;

-- The function's columns as a view the directory reads (src/db/views.rs declares it for diesel).
CREATE VIEW listed_users AS SELECT (listed_user(u)).* FROM customer_users u;

CREATE OR REPLACE FUNCTION customer_users_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users + d.delta, users_version = c.users_version + 1
    FROM (
        SELECT a.customer_id,
               count(*) FILTER (WHERE a.deleted_at IS NULL) - count(*) FILTER (WHERE b.deleted_at IS NULL) AS delta
        FROM after_rows a JOIN before_rows b ON b.id = a.id
        WHERE listed_user(a) IS DISTINCT FROM listed_user(b)
        GROUP BY a.customer_id
    ) d
    WHERE c.id = d.customer_id;
    RETURN NULL;
END $$;
