-- Smart lockout: failures are counted per account and client address, so failures from one
-- address never lock out another. The account-wide counters go.
CREATE TABLE staff_sign_in_failures (
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    lockouts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    -- Attempts refused while locked: counted here instead of one activity row each.
    refused_while_locked INTEGER NOT NULL DEFAULT 0,
    last_failure_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, address)
);

CREATE INDEX staff_sign_in_failures_last_failure ON staff_sign_in_failures (last_failure_at);

ALTER TABLE staff
    DROP COLUMN failed_attempts,
    DROP COLUMN lockouts,
    DROP COLUMN locked_until;
