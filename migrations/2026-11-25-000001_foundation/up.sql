-- The foundation: partners and their staff, customers with domains, the product catalogue,
-- subscriptions with a seat counter the database itself keeps honest, customer users and their
-- licenses, and the activity log. Customer-owned tables carry customer_id and lead their keys with it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE partners (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX partners_name_key ON partners (lower(name));

CREATE TABLE staff (
    id BIGSERIAL PRIMARY KEY,
    partner_id BIGINT NOT NULL REFERENCES partners (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent')),
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    lockouts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Staff sign in by email alone, so an email is unique across the whole installation.
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));
CREATE INDEX staff_partner_idx ON staff (partner_id);

CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    partner_id BIGINT NOT NULL REFERENCES partners (id),
    company_name TEXT NOT NULL,
    default_usage_location TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customers_partner_name_idx ON customers (partner_id, lower(company_name), id);
CREATE INDEX customers_company_name_trgm ON customers USING gin (lower(company_name) gin_trgm_ops);

CREATE TABLE customer_domains (
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name = lower(name)),
    position INTEGER NOT NULL,
    PRIMARY KEY (customer_id, name)
);
-- A domain belongs to one customer only.
CREATE UNIQUE INDEX customer_domains_name_key ON customer_domains (name);

CREATE TABLE products (
    id BIGSERIAL PRIMARY KEY,
    sku_part_number TEXT NOT NULL UNIQUE,
    sku_guid UUID NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE service_plans (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    guid UUID NOT NULL,
    friendly_name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (product_id, name)
);

CREATE TABLE exclusive_plans (
    plan_a TEXT NOT NULL,
    plan_b TEXT NOT NULL,
    PRIMARY KEY (plan_a, plan_b)
);

CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    -- Kept by the triggers on licenses below; the CHECK is the seat invariant, enforced under
    -- the row lock every writer takes, so no two transactions can oversell a subscription.
    assigned INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_seats_check CHECK (assigned BETWEEN 0 AND quantity),
    UNIQUE (customer_id, product_id)
);

CREATE TABLE customer_users (
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    id BIGSERIAL NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL,
    user_name TEXT NOT NULL,
    usage_location TEXT,
    org_role TEXT NOT NULL DEFAULT 'user',
    sign_in_blocked BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    deleted_by BIGINT REFERENCES staff (id),
    -- The licenses a deleted user held, as [{"product_id":..,"disabled_plans":[..]}], for restore.
    former_licenses JSONB NOT NULL DEFAULT '[]',
    PRIMARY KEY (customer_id, id)
);
CREATE UNIQUE INDEX customer_users_id_key ON customer_users (id);
-- User names are unique per customer among active users, compared case-insensitively.
CREATE UNIQUE INDEX customer_users_active_name_key
    ON customer_users (customer_id, lower(user_name)) WHERE deleted_at IS NULL;
CREATE INDEX customer_users_active_display_idx
    ON customer_users (customer_id, display_name, id) WHERE deleted_at IS NULL;
CREATE INDEX customer_users_deleted_idx
    ON customer_users (customer_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX customer_users_search_trgm
    ON customer_users USING gin ((lower(display_name) || ' ' || lower(user_name)) gin_trgm_ops)
    WHERE deleted_at IS NULL;

CREATE TABLE licenses (
    customer_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    disabled_plans TEXT[] NOT NULL DEFAULT '{}',
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, user_id, subscription_id),
    FOREIGN KEY (customer_id, user_id) REFERENCES customer_users (customer_id, id) ON DELETE CASCADE
);
CREATE INDEX licenses_subscription_idx ON licenses (customer_id, subscription_id, user_id);

-- Set-based seat counting: one UPDATE per statement, however many licenses it touched.
CREATE FUNCTION licenses_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE subscriptions s SET assigned = s.assigned + n.c, updated_at = now()
    FROM (SELECT subscription_id, count(*) AS c FROM added GROUP BY subscription_id) n
    WHERE s.id = n.subscription_id;
    RETURN NULL;
END $$;

CREATE FUNCTION licenses_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE subscriptions s SET assigned = s.assigned - n.c, updated_at = now()
    FROM (SELECT subscription_id, count(*) AS c FROM removed GROUP BY subscription_id) n
    WHERE s.id = n.subscription_id;
    RETURN NULL;
END $$;

CREATE TRIGGER licenses_added AFTER INSERT ON licenses
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION licenses_count_added();
CREATE TRIGGER licenses_removed AFTER DELETE ON licenses
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION licenses_count_removed();

CREATE TABLE activity_log (
    id BIGSERIAL PRIMARY KEY,
    partner_id BIGINT NOT NULL REFERENCES partners (id),
    staff_id BIGINT REFERENCES staff (id),
    customer_id BIGINT REFERENCES customers (id),
    action TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'success',
    details JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX activity_log_partner_idx ON activity_log (partner_id, created_at DESC, id DESC);
CREATE INDEX activity_log_customer_idx ON activity_log (customer_id, created_at DESC, id DESC);
CREATE INDEX activity_log_staff_idx ON activity_log (staff_id, created_at DESC, id DESC);
