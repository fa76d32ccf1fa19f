-- The checked rows of an import move out of import_jobs into chunks of a table of their own,
-- so that an upload writes them, a worker reads them and the purge removes them a bounded
-- number at a time (one job's rows were one value of up to tens of MB, which had to be built,
-- sent and dropped whole). Once a job's rows are no longer needed (done: after the credentials'
-- hour; failed: after 7 days; never started: after a day) they are removed and rows_purged_at
-- says so; the job row itself stays as the import's summary.
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_customer_id_id_key UNIQUE (customer_id, id);

CREATE TABLE import_job_rows (
    customer_id BIGINT NOT NULL,
    job_id UUID NOT NULL,
    -- 0, 1, 2...: the chunks in the file's order.
    chunk INTEGER NOT NULL,
    -- A JSON array of checked rows, as compact JSON text (read whole, never queried inside).
    rows BYTEA NOT NULL,
    PRIMARY KEY (customer_id, job_id, chunk),
    FOREIGN KEY (customer_id, job_id) REFERENCES import_jobs (customer_id, id) ON DELETE CASCADE
);

-- Rows stored before this migration become one chunk each.
INSERT INTO import_job_rows (customer_id, job_id, chunk, rows)
SELECT customer_id, id, 0, rows FROM import_jobs WHERE length(rows) > 0;

ALTER TABLE import_jobs
    DROP COLUMN rows,
    ADD COLUMN rows_purged_at TIMESTAMPTZ;

-- The purge looks for finished jobs whose rows are still kept: few, however many summaries.
CREATE INDEX import_jobs_rows_kept_idx ON import_jobs (finished_at) WHERE rows_purged_at IS NULL;
