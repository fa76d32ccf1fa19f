-- A second factor for staff sign-ins (issue 11). Partners made from now on require one; the
-- demo partner turns it off.
ALTER TABLE partners ADD COLUMN second_factor_required BOOLEAN NOT NULL DEFAULT true;

-- Authenticator apps (kind 'totp': the RFC 6238 secret and the last time step accepted, so a
-- code works once) and, later, passkeys.
CREATE TABLE staff_factors (
    id BIGSERIAL PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('totp')),
    secret BYTEA NOT NULL,
    last_step BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ
);
CREATE INDEX staff_factors_staff ON staff_factors (staff_id);

-- Ten one-time codes a member writes down; only their SHA-256 is kept.
CREATE TABLE staff_recovery_codes (
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (staff_id, code_hash)
);
