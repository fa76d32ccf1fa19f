-- The chunks go back into one value per job (jsonb_agg may reorder an object's keys, which the
-- rows' reader does not mind). Rows already purged stay gone: their jobs get an empty array.
ALTER TABLE import_jobs ADD COLUMN rows BYTEA NOT NULL DEFAULT '\x';
UPDATE import_jobs j
SET rows = convert_to(
    coalesce(
        (SELECT jsonb_agg(element ORDER BY r.chunk, e.n)::text
         FROM import_job_rows r,
              jsonb_array_elements(convert_from(r.rows, 'UTF8')::jsonb) WITH ORDINALITY AS e(element, n)
         WHERE r.customer_id = j.customer_id AND r.job_id = j.id),
        '[]'),
    'UTF8');
ALTER TABLE import_jobs ALTER COLUMN rows DROP DEFAULT;
DROP INDEX import_jobs_rows_kept_idx;
ALTER TABLE import_jobs DROP COLUMN rows_purged_at;
DROP TABLE import_job_rows;
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_customer_id_id_key;
