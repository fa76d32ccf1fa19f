-- Staff sessions live on the server, so they can be revoked: the cookie carries a random
-- secret and this table only its SHA-256, so neither a copied cookie outlives its row (sign-out,
-- a password change, a role change, removal) nor does a dump of the table sign anyone in.
CREATE TABLE staff_sessions (
    token_hash BYTEA PRIMARY KEY,
    -- A handle that names the session on the Account page without revealing the token.
    id BIGSERIAL NOT NULL UNIQUE,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    signed_in_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    -- The browser's User-Agent as it signed in, cut short: shown on the Account page.
    browser TEXT NOT NULL DEFAULT '',
    -- The credentials pages' key, masked with a pad derived from the cookie's secret: a dump of
    -- this table cannot open a sealed credentials sheet.
    sheet_key_masked BYTEA,
    -- The rest of the session (the CSRF token): JSON values by key, as actix-session keeps them.
    state JSONB NOT NULL DEFAULT '{}'
);

CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_last_seen ON staff_sessions (last_seen_at);

-- A removed staff member keeps their rows in the activity log but can no longer sign in.
ALTER TABLE staff ADD COLUMN removed_at TIMESTAMPTZ;
-- An email is unique among the staff who can sign in, so a removed member's address can be
-- given to a new account (sign-in looks the address up among those).
DROP INDEX staff_email_key;
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email)) WHERE removed_at IS NULL;
