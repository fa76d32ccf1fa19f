-- Passkeys and security keys (WebAuthn) as second factors beside authenticator apps.
ALTER TABLE staff_factors DROP CONSTRAINT staff_factors_kind_check;
ALTER TABLE staff_factors
    ALTER COLUMN secret DROP NOT NULL,
    -- The credential as webauthn-rs keeps it (public key, counter), and its id, unique.
    ADD COLUMN credential JSONB,
    ADD COLUMN credential_id BYTEA UNIQUE,
    ADD CONSTRAINT staff_factors_kind_check CHECK (
        (kind = 'totp' AND secret IS NOT NULL AND credential IS NULL)
        OR (kind = 'passkey' AND secret IS NULL AND credential IS NOT NULL AND credential_id IS NOT NULL));

-- A registration or sign-in with a passkey in progress: the challenge's state, kept here (never
-- in a cookie, where it could be replayed) until used once, for 5 minutes at most.
CREATE TABLE webauthn_ceremonies (
    id UUID PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
    state JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webauthn_ceremonies_created ON webauthn_ceremonies (created_at);
