DROP TABLE credential_sheets; DROP INDEX licenses_user_idx;
