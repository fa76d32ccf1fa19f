-- Credentials confirmation pages: the temporary passwords of one action, encrypted with a key
-- that lives only in the session of the staff member who made them, deleted after an hour.
CREATE TABLE credential_sheets (
    id UUID PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    action TEXT NOT NULL,
    user_count INTEGER NOT NULL,
    -- A sealed box (X25519 + XSalsa20-Poly1305) for the session's key pair.
    sealed BYTEA NOT NULL,
    -- Non-secret results shown beside the list (licenses not restored, name clashes).
    notes JSONB NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credential_sheets_expiry_idx ON credential_sheets (expires_at);
CREATE INDEX credential_sheets_customer_idx ON credential_sheets (customer_id, staff_id);

-- The users list filters "licensed"/"has product" look licenses up by user.
CREATE INDEX licenses_user_idx ON licenses (customer_id, user_id);
