-- Version numbers for the Users list's in-memory directory (src/services/user_directory.rs).
-- The list keeps one customer's active users in memory, in display-name order, so filters,
-- searches and deep pages of 100,000 users take a millisecond. Every page view reads these
-- numbers (in the query it makes anyway) and rebuilds the directory when they moved.
--
-- customers.users_version moves with any change to who is listed or what the list shows of
-- them: users added, removed (deleted ones too: the Deleted users tab's number), deleted or
-- restored, or a change to their names, usage location, role or sign-in. It is bumped by the same
-- statement-level triggers that keep customers.active_users, in the same UPDATE, so it takes
-- no lock those triggers did not take already...
ALTER TABLE customers ADD COLUMN users_version BIGINT NOT NULL DEFAULT 0;
-- ...and subscriptions.licenses_version with any license given or taken, in the UPDATE that
-- already keeps subscriptions.assigned.
ALTER TABLE subscriptions ADD COLUMN licenses_version BIGINT NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION customer_users_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users + n.c, users_version = c.users_version + 1
    FROM (SELECT customer_id, count(*) AS c FROM added WHERE deleted_at IS NULL GROUP BY customer_id) n
    WHERE c.id = n.customer_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION customer_users_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers c SET active_users = c.active_users - n.c, users_version = c.users_version + 1
    FROM (SELECT customer_id, count(*) FILTER (WHERE deleted_at IS NULL) AS c FROM removed GROUP BY customer_id) n
    WHERE c.id = n.customer_id;
    RETURN NULL;
END $$;

-- An update moves the version only when it changes what the list shows or filters on: a new
-- password leaves the directory as it was (and takes no customer lock).
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

CREATE OR REPLACE FUNCTION licenses_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE subscriptions s
    SET assigned = s.assigned + n.c, licenses_version = s.licenses_version + 1, updated_at = now()
    FROM (SELECT subscription_id, count(*) AS c FROM added GROUP BY subscription_id) n
    WHERE s.id = n.subscription_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION licenses_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE subscriptions s
    SET assigned = s.assigned - n.c, licenses_version = s.licenses_version + 1, updated_at = now()
    FROM (SELECT subscription_id, count(*) AS c FROM removed GROUP BY subscription_id) n
    WHERE s.id = n.subscription_id;
    RETURN NULL;
END $$;

-- The list no longer filters or searches users in SQL, so the indexes made for that only slow
-- down every insert and update of a user (the trigram index most, on imports).
DROP INDEX customer_users_search_trgm;
DROP INDEX customer_users_admins_idx;
DROP INDEX customer_users_blocked_idx;
