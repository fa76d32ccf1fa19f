-- Imports of users from .csv files: the validated rows wait here for "Create users", then a
-- background worker on any app server claims the job (FOR UPDATE SKIP LOCKED) and creates
-- every user in one transaction. Rows hold no passwords; the results are sealed to the public
-- key of the staff member's session, like every credentials page.
CREATE TABLE import_jobs (
    id UUID PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    file_name TEXT NOT NULL,
    encoding TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('invalid', 'validated', 'queued', 'running', 'done', 'failed')),
    total_rows INTEGER NOT NULL,
    done_rows INTEGER NOT NULL DEFAULT 0,
    -- The checked rows as compact JSON text: read and written whole, never queried inside,
    -- and far smaller in the server's memory than a parsed JSONB value for 150,000 rows.
    rows BYTEA NOT NULL,
    valid_rows INTEGER NOT NULL DEFAULT 0,
    rows_without_location INTEGER NOT NULL DEFAULT 0,
    problems JSONB NOT NULL DEFAULT '[]',
    unknown_columns TEXT[] NOT NULL DEFAULT '{}',
    subscription_ids BIGINT[] NOT NULL DEFAULT '{}',
    default_location TEXT,
    recipient BYTEA,
    sheet_id UUID,
    failure JSONB,
    worker TEXT,
    heartbeat_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    queued_at TIMESTAMPTZ,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX import_jobs_queue_idx ON import_jobs (queued_at) WHERE status IN ('queued', 'running');
CREATE INDEX import_jobs_customer_idx ON import_jobs (customer_id, created_at DESC);
