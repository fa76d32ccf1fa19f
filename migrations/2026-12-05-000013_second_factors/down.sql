DROP TABLE staff_recovery_codes;
DROP TABLE staff_factors;
ALTER TABLE partners DROP COLUMN second_factor_required;
