DROP TABLE webauthn_ceremonies;
DELETE FROM staff_factors WHERE kind = 'passkey';
ALTER TABLE staff_factors DROP CONSTRAINT staff_factors_kind_check;
ALTER TABLE staff_factors DROP COLUMN credential_id, DROP COLUMN credential, ALTER COLUMN secret SET NOT NULL;
ALTER TABLE staff_factors ADD CONSTRAINT staff_factors_kind_check CHECK (kind IN ('totp'));
