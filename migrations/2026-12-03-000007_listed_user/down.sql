CREATE OR REPLACE FUNCTION customer_users_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users + d.delta, users_version = c.users_version + 1
    FROM (
        SELECT a.customer_id,
               count(*) FILTER (WHERE a.deleted_at IS NULL) - count(*) FILTER (WHERE b.deleted_at IS NULL) AS delta
        FROM after_rows a JOIN before_rows b ON b.id = a.id
        WHERE (a.customer_id, a.display_name, a.user_name, a.usage_location, a.org_role, a.sign_in_blocked,
               a.deleted_at)
              IS DISTINCT FROM
              (b.customer_id, b.display_name, b.user_name, b.usage_location, b.org_role, b.sign_in_blocked,
               b.deleted_at)
        GROUP BY a.customer_id
    ) d
    WHERE c.id = d.customer_id;
    RETURN NULL;
END $$;

DROP VIEW listed_users;
DROP FUNCTION listed_user(customer_users);
DROP TYPE listed_user;
