//! Importing users from a .csv file: validate (nothing but the job row is written), start
//! (seats checked for the whole file up front), and the background run that creates every user
//! of the file with its licenses in one transaction, or none. Any app server's worker can claim
//! a queued job (`FOR UPDATE SKIP LOCKED`) and holds it with a heartbeat; a server that shuts
//! down hands its running job back to the queue, and a job whose worker died (no heartbeat for
//! [`STALE_AFTER`]) shows as failed, with nothing half-made, and can be run again.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz};
use rayon::prelude::*;
use serde_json::json;
use uuid::Uuid;

use super::credentials::{self, CredentialRef, SheetLock, LIFETIME as CREDENTIALS_LIFETIME};
use super::customers::Customer;
use super::licenses;
use super::subscriptions::SubscriptionRow;
use super::{audit, Actor, Outcome};
use crate::auth::password;
use crate::db::schema::{customers, import_job_rows, import_jobs};
use crate::db::PgPool;
use crate::domain::country::UsageLocation;
use crate::domain::import_job::{self, JobStatus, NewUsers, Offer};
use crate::domain::import_rows::{self, CheckedFile, ImportRow, Problem};
use crate::domain::spreadsheet::EncodingChoice;
use crate::domain::{csv_safe, temp_password, FieldError};
use crate::error::AppError;
use crate::i18n::Tr;

/// A worker that has not been heard of for this long is taken to have stopped: six missed
/// heartbeats (see [`HEARTBEAT`]).
pub const STALE_AFTER: Duration = Duration::minutes(1);
/// How often a worker says it still holds its job, whatever the job is doing.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);
/// Passwords are made and hashed in chunks of this many rows, reporting progress after each.
const CHUNK: usize = 2_000;
/// Users are inserted this many per statement (all in one transaction).
const INSERT_CHUNK: usize = 5_000;
/// A file's checked rows are stored this many to a chunk (about 400 KB of JSON), so that no
/// statement that writes, reads or removes them carries more than that.
const ROWS_PER_CHUNK: usize = 2_000;
/// The purge removes at most this many chunks (20,000 rows) per statement, each its own
/// transaction: a 150,000-row job goes in 8 short ones.
const PURGE_CHUNKS_PER_STATEMENT: i64 = 10;
/// Jobs whose rows the purge marks as gone, per transaction.
const PURGE_JOBS_PER_TRANSACTION: i64 = 50;

/// What lets a server's shutdown interrupt a run: a flag the run looks at between chunks, and
/// the backend of the run's connection, whose statement the shutdown cancels (a statement may
/// wait on a lock for as long as another transaction holds it).
#[derive(Clone, Default)]
pub struct RunControl {
    stop: Arc<AtomicBool>,
    backend: Arc<AtomicI32>,
}

impl RunControl {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    pub fn is_stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Cancels the statement the run's connection is executing, if any; the run then rolls its
    /// transaction back and hands the job back.
    pub fn cancel_statement(&self, conn: &mut PgConnection) -> QueryResult<()> {
        match self.backend.load(Ordering::SeqCst) {
            0 => Ok(()),
            pid => diesel::sql_query("SELECT pg_cancel_backend($1)")
                .bind::<diesel::sql_types::Integer, _>(pid)
                .execute(conn)
                .map(|_| ()),
        }
    }

    fn checkpoint(&self) -> Result<(), AppError> {
        match self.is_stopping() {
            true => Err(AppError::internal(anyhow::anyhow!("the server is stopping"))),
            false => Ok(()),
        }
    }
}

/// How a claimed run ended for the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    /// Done, or failed with its reason shown on the job's page.
    Finished,
    /// The server is stopping: nothing was kept and the job is queued again for any server.
    HandedBack,
}

pub enum Validation {
    /// The file itself could not be read (encoding, not a .csv, missing columns...).
    FileError(FieldError),
    /// The file was read; the job row holds its rows and every problem found.
    Stored(Uuid),
}

/// Names active users of the customer already have, among `keys` (lower case).
fn taken_names(conn: &mut PgConnection, customer_id: i64, keys: &[String]) -> QueryResult<HashSet<String>> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let names: Vec<Name> = diesel::sql_query(
        "SELECT lower(user_name) AS name FROM customer_users \
         WHERE customer_id = $1 AND deleted_at IS NULL AND lower(user_name) = ANY($2)",
    )
    .bind::<BigInt, _>(customer_id)
    .bind::<Array<Text>, _>(keys)
    .load(conn)?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

/// Reads and checks an uploaded file, then stores it as a job: the rows and what is wrong with
/// them. Writes no user. Runs on an upload worker; its connection is opened only once the file
/// has been read and checked, so reading a big file holds none.
#[allow(clippy::too_many_arguments)]
pub fn validate(
    database_url: &str,
    actor: Actor,
    customer: &Customer,
    file_name: &str,
    bytes: Vec<u8>,
    choice: EncodingChoice,
    language_hint: Option<&str>,
) -> Result<Validation, AppError> {
    let file = match import_rows::read_file(bytes, choice, language_hint, &customer.domains) {
        Ok(file) => file,
        Err(error) => return Ok(Validation::FileError(error)),
    };
    let mut conn = crate::db::connect_own(database_url)?;
    store(&mut conn, actor, customer, file_name, file).map(Validation::Stored)
}

/// Stores a checked file as a job, after checking which of its names active users already have.
fn store(
    conn: &mut PgConnection,
    actor: Actor,
    customer: &Customer,
    file_name: &str,
    file: CheckedFile,
) -> Result<Uuid, AppError> {
    let CheckedFile {
        encoding,
        total_rows,
        unknown_columns,
        mapping,
        preview,
        mut rows,
        problems,
    } = file;
    let mapping: Vec<(String, &str)> = mapping.into_iter().map(|(header, c)| (header, c.key())).collect();
    let keys: Vec<String> = rows.iter().map(ImportRow::key).collect();
    let taken = taken_names(conn, customer.id, &keys)?;
    drop(keys);
    let problems = problems.merge(import_rows::clashes(&rows, &taken));
    rows.retain(|r| !taken.contains(&r.key()));
    let id = Uuid::new_v4();
    let status = JobStatus::after_check(problems.total(), rows.len());
    conn.transaction::<_, AppError, _>(|conn| {
        diesel::insert_into(import_jobs::table)
            .values((
                import_jobs::id.eq(id),
                import_jobs::customer_id.eq(customer.id),
                import_jobs::staff_id.eq(actor.staff_id),
                import_jobs::file_name.eq(file_name),
                import_jobs::encoding.eq(encoding),
                import_jobs::status.eq(status.as_str()),
                import_jobs::total_rows.eq(total_rows as i32),
                import_jobs::valid_rows.eq(rows.len() as i32),
                import_jobs::rows_without_location
                    .eq(rows.iter().filter(|r| r.usage_location.is_none()).count() as i32),
                import_jobs::problems.eq(serde_json::to_value(&problems.listed).map_err(AppError::internal)?),
                import_jobs::problem_count.eq(problems.total() as i32),
                import_jobs::problem_groups.eq(serde_json::to_value(problems.groups()).map_err(AppError::internal)?),
                import_jobs::unknown_columns.eq(&unknown_columns),
                import_jobs::column_map.eq(serde_json::to_value(&mapping).map_err(AppError::internal)?),
                import_jobs::preview.eq(serde_json::to_value(&preview).map_err(AppError::internal)?),
                import_jobs::warnings.eq(serde_json::to_value(&problems.warnings).map_err(AppError::internal)?),
                import_jobs::warning_count.eq(problems.warning_count as i32),
            ))
            .execute(conn)?;
        // A file with problems can only be uploaded again: its rows would never be read.
        if status == JobStatus::Validated {
            store_rows(conn, customer.id, id, &rows)?;
        }
        Ok(())
    })?;
    Ok(id)
}

/// Writes the checked rows in chunks of [`ROWS_PER_CHUNK`], numbered from 0 in the file's order.
fn store_rows(conn: &mut PgConnection, customer_id: i64, job_id: Uuid, rows: &[ImportRow]) -> Result<(), AppError> {
    for (n, chunk) in rows.chunks(ROWS_PER_CHUNK).enumerate() {
        let bytes = serde_json::to_vec(chunk).map_err(AppError::internal)?;
        diesel::insert_into(import_job_rows::table)
            .values((
                import_job_rows::customer_id.eq(customer_id),
                import_job_rows::job_id.eq(job_id),
                import_job_rows::chunk.eq(n as i32),
                import_job_rows::rows.eq(&bytes),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An import as its pages show it (without the rows themselves).
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub customer_id: i64,
    pub staff_id: i64,
    pub file_name: String,
    pub encoding: String,
    pub status: JobStatus,
    pub total_rows: i32,
    pub valid_rows: i32,
    pub done_rows: i32,
    pub rows_without_location: i32,
    /// The first [`import_rows::PROBLEMS_LISTED`] problems, in row order.
    pub problems: Vec<Problem>,
    /// Every problem of the file, listed or not.
    pub problem_count: i32,
    /// How many problems of each kind the file has, largest first.
    pub problem_groups: Vec<(String, usize)>,
    pub unknown_columns: Vec<String>,
    /// Each known column's header as the file wrote it, with the column's key (`first_name`).
    pub column_map: Vec<(String, String)>,
    /// The file's first rows as read.
    pub preview: Vec<import_rows::PreviewRow>,
    /// What was changed without stopping the import (the first 10,000), and how many in all.
    pub warnings: Vec<Problem>,
    pub warning_count: i32,
    pub subscription_ids: Vec<i64>,
    pub default_location: Option<String>,
    pub sheet_id: Option<Uuid>,
    pub failure: Option<FieldError>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When the file's rows were removed; the job is then only a summary.
    pub rows_purged_at: Option<DateTime<Utc>>,
}

impl Job {
    /// "Create users" or "Run again" is offered: the status allows it and the rows are still kept.
    pub fn can_start(&self) -> bool {
        self.status.can_start() && self.rows_purged_at.is_none()
    }

    /// How far the run is, in whole percent of the rows to create.
    pub fn percent_done(&self) -> i64 {
        match self.valid_rows {
            0 => 0,
            rows => i64::from(self.done_rows) * 100 / i64::from(rows),
        }
    }

    /// Seconds left, from the pace so far; `None` before there is a pace.
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        import_job::seconds_left(self.started_at?, self.done_rows, self.total_to_create(), now)
    }

    pub fn total_to_create(&self) -> i32 {
        self.valid_rows
    }
}

/// An `import_jobs` row as it is read, without the rows of the file and the recipient's key.
#[derive(Queryable, Selectable)]
#[diesel(table_name = import_jobs, check_for_backend(diesel::pg::Pg))]
struct JobRow {
    id: Uuid,
    customer_id: i64,
    staff_id: i64,
    file_name: String,
    encoding: String,
    #[diesel(deserialize_as = String)]
    status: JobStatus,
    total_rows: i32,
    valid_rows: i32,
    done_rows: i32,
    rows_without_location: i32,
    problems: serde_json::Value,
    problem_count: i32,
    problem_groups: serde_json::Value,
    unknown_columns: Vec<String>,
    column_map: serde_json::Value,
    preview: serde_json::Value,
    warnings: serde_json::Value,
    warning_count: i32,
    subscription_ids: Vec<i64>,
    default_location: Option<String>,
    sheet_id: Option<Uuid>,
    failure: Option<serde_json::Value>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    rows_purged_at: Option<DateTime<Utc>>,
}

/// A stored JSON column that does not read back. Only the position of the fault is kept: the
/// value may be part of the customer's file, which must not reach the logs.
fn unreadable(what: &str, job_id: Uuid, error: &serde_json::Error) -> AppError {
    AppError::internal(anyhow::anyhow!(
        "the {what} of import {job_id} do not read back ({:?} error at line {}, column {})",
        error.classify(),
        error.line(),
        error.column()
    ))
}

impl TryFrom<JobRow> for Job {
    type Error = AppError;

    /// Problems and failures the job cannot read back are an error, not an empty report.
    fn try_from(row: JobRow) -> Result<Self, AppError> {
        let problems = serde_json::from_value(row.problems).map_err(|e| unreadable("problems", row.id, &e))?;
        let problem_groups =
            serde_json::from_value(row.problem_groups).map_err(|e| unreadable("problem groups", row.id, &e))?;
        let failure = row
            .failure
            .map(serde_json::from_value::<Problem>)
            .transpose()
            .map_err(|e| unreadable("failure", row.id, &e))?
            .map(|p| p.error());
        Ok(Job {
            id: row.id,
            customer_id: row.customer_id,
            staff_id: row.staff_id,
            file_name: row.file_name,
            encoding: row.encoding,
            status: row.status,
            total_rows: row.total_rows,
            valid_rows: row.valid_rows,
            done_rows: row.done_rows,
            rows_without_location: row.rows_without_location,
            problems,
            problem_count: row.problem_count,
            problem_groups,
            unknown_columns: row.unknown_columns,
            column_map: serde_json::from_value(row.column_map).map_err(|e| unreadable("column map", row.id, &e))?,
            preview: serde_json::from_value(row.preview).map_err(|e| unreadable("preview", row.id, &e))?,
            warnings: serde_json::from_value(row.warnings).map_err(|e| unreadable("warnings", row.id, &e))?,
            warning_count: row.warning_count,
            subscription_ids: row.subscription_ids,
            default_location: row.default_location,
            sheet_id: row.sheet_id,
            failure,
            created_at: row.created_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
            rows_purged_at: row.rows_purged_at,
        })
    }
}

/// How far a running import is, as its progress bar polls it: four columns, not the problems.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_jobs, check_for_backend(diesel::pg::Pg))]
pub struct Progress {
    #[diesel(deserialize_as = String)]
    pub status: JobStatus,
    pub valid_rows: i32,
    pub done_rows: i32,
    pub started_at: Option<DateTime<Utc>>,
}

impl Progress {
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        import_job::seconds_left(self.started_at?, self.done_rows, self.valid_rows, now)
    }
}

/// The progress of a job of this customer; anything else is `NotFound`.
pub fn progress(conn: &mut PgConnection, customer_id: i64, job_id: Uuid) -> Result<Progress, AppError> {
    import_jobs::table
        .filter(import_jobs::id.eq(job_id))
        .filter(import_jobs::customer_id.eq(customer_id))
        .select(Progress::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A job of this customer; anything else is `NotFound`.
pub fn find(conn: &mut PgConnection, customer_id: i64, job_id: Uuid) -> Result<Job, AppError> {
    import_jobs::table
        .filter(import_jobs::id.eq(job_id))
        .filter(import_jobs::customer_id.eq(customer_id))
        .select(JobRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?
        .try_into()
}

/// A job the worker holds, whoever's customer it is.
fn find_claimed(conn: &mut PgConnection, job_id: Uuid) -> Result<Job, AppError> {
    import_jobs::table
        .find(job_id)
        .select(JobRow::as_select())
        .first(conn)?
        .try_into()
}

/// The customer's recent imports, newest first (for the Import users page).
pub fn recent(conn: &mut PgConnection, customer_id: i64, count: i64) -> Result<Vec<Job>, AppError> {
    import_jobs::table
        .filter(import_jobs::customer_id.eq(customer_id))
        .filter(import_jobs::status.ne(JobStatus::Invalid.as_str()))
        .order(import_jobs::created_at.desc())
        .limit(count)
        .select(JobRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Job::try_from)
        .collect()
}

/// The customer's subscriptions as the seat check sees them.
fn offers(subs: &[SubscriptionRow]) -> Vec<Offer<'_>> {
    subs.iter()
        .map(|s| Offer {
            subscription_id: s.id,
            product_name: &s.product_name,
            available: s.available(),
        })
        .collect()
}

/// "Create users": checks seats for the whole file and queues the job for a worker. The
/// results will be sealed to `lock`, the starting staff member's session key.
#[expect(clippy::too_many_arguments, reason = "the page's choices, each a different type")]
pub fn start(
    conn: &mut PgConnection,
    actor: Actor,
    customer: &Customer,
    job_id: Uuid,
    subscription_ids: &[i64],
    default_location: Option<&UsageLocation>,
    lock: &SheetLock,
    now: DateTime<Utc>,
) -> Result<Outcome<(), Vec<FieldError>>, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        let job: Job = import_jobs::table
            .filter(import_jobs::id.eq(job_id))
            .filter(import_jobs::customer_id.eq(customer.id))
            .select(JobRow::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        let subs = licenses::lock_for_customer(conn, customer.id)?;
        let problems = import_job::start_problems(
            job.status,
            job.rows_purged_at.is_none(),
            job.valid_rows.into(),
            job.rows_without_location,
            default_location.is_some(),
            subscription_ids,
            &offers(&subs),
        );
        if !problems.is_empty() {
            return Ok(Outcome::Refused(problems));
        }
        diesel::update(import_jobs::table.find(job_id))
            .set((
                import_jobs::status.eq(JobStatus::Queued.as_str()),
                import_jobs::staff_id.eq(actor.staff_id),
                import_jobs::subscription_ids.eq(subscription_ids),
                import_jobs::default_location.eq(default_location.map(|l| l.code())),
                import_jobs::recipient.eq(Some(lock.to_bytes().to_vec())),
                import_jobs::done_rows.eq(0),
                import_jobs::failure.eq(None::<serde_json::Value>),
                import_jobs::queued_at.eq(now),
                import_jobs::started_at.eq(None::<DateTime<Utc>>),
                import_jobs::finished_at.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)?;
        Ok(Outcome::Done(()))
    })
}

/// The checked rows stored with the job, chunk by chunk. Rows that do not read back, or fewer or
/// more than were checked, are an error: running on would create other users than the page
/// promised.
fn load_rows(conn: &mut PgConnection, job: &Job) -> Result<Vec<ImportRow>, AppError> {
    let mut rows: Vec<ImportRow> = Vec::with_capacity(job.valid_rows.max(0) as usize);
    for chunk in 0.. {
        let bytes: Option<Vec<u8>> = import_job_rows::table
            .find((job.customer_id, job.id, chunk))
            .select(import_job_rows::rows)
            .first(conn)
            .optional()?;
        let Some(bytes) = bytes else { break };
        let read: Vec<ImportRow> = serde_json::from_slice(&bytes).map_err(|e| unreadable("rows", job.id, &e))?;
        rows.extend(read);
    }
    if rows.len() != job.valid_rows as usize {
        return Err(AppError::internal(anyhow::anyhow!(
            "import {} holds {} rows, not the {} checked",
            job.id,
            rows.len(),
            job.valid_rows
        )));
    }
    Ok(rows)
}

/// Takes the oldest queued job, if any, for this worker.
pub fn claim(conn: &mut PgConnection, worker: &str, now: DateTime<Utc>) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    // The statuses are written into the statement, not bound, so the planner can use the
    // partial index on queued and running jobs.
    let sql = format!(
        "UPDATE import_jobs SET status = '{running}', worker = $1, heartbeat_at = $2, started_at = $2, done_rows = 0 \
         WHERE id = (SELECT id FROM import_jobs WHERE status = '{queued}' ORDER BY queued_at \
                     FOR UPDATE SKIP LOCKED LIMIT 1) \
         RETURNING id",
        running = JobStatus::Running.as_str(),
        queued = JobStatus::Queued.as_str(),
    );
    let claimed: Option<Claimed> = diesel::sql_query(sql)
        .bind::<Text, _>(worker)
        .bind::<Timestamptz, _>(now)
        .get_result(conn)
        .optional()?;
    Ok(claimed.map(|c| c.id))
}

/// Marks jobs whose worker has not been heard of for [`STALE_AFTER`] as failed. Their
/// transaction died with the worker, so nothing of them was written.
pub fn fail_stale(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    let stale: Vec<Uuid> = import_jobs::table
        .filter(import_jobs::status.eq(JobStatus::Running.as_str()))
        .filter(import_jobs::heartbeat_at.lt(now - STALE_AFTER))
        .select(import_jobs::id)
        .load(conn)?;
    let mut failed = 0;
    for id in &stale {
        let holder = Holder::SilentSince(now - STALE_AFTER);
        failed += usize::from(mark_failed(
            conn,
            *id,
            FieldError::new("import-err-interrupted"),
            now,
            holder,
        )?);
    }
    Ok(failed)
}

/// Who may still change a running job: its worker, or anyone once the worker has been silent
/// since a time (its heartbeat is older). Every change of a running job checks this in its
/// statement, so a worker that was taken for dead cannot then finish, and the other way round.
#[derive(Debug, Clone, Copy)]
enum Holder<'a> {
    Worker(&'a str),
    SilentSince(DateTime<Utc>),
}

/// Locks the job's row if it is running and `holder` still holds it.
fn hold(conn: &mut PgConnection, job_id: Uuid, holder: Holder<'_>) -> QueryResult<bool> {
    let running = import_jobs::table
        .filter(import_jobs::id.eq(job_id))
        .filter(import_jobs::status.eq(JobStatus::Running.as_str()));
    let found = match holder {
        Holder::Worker(worker) => running
            .filter(import_jobs::worker.eq(worker))
            .select(import_jobs::id)
            .for_update()
            .first::<Uuid>(conn),
        Holder::SilentSince(since) => running
            .filter(import_jobs::heartbeat_at.lt(since))
            .select(import_jobs::id)
            .for_update()
            .first::<Uuid>(conn),
    };
    Ok(found.optional()?.is_some())
}

/// Tells that `worker` still holds its running job; false when it no longer does.
pub fn heartbeat(conn: &mut PgConnection, job_id: Uuid, worker: &str, now: DateTime<Utc>) -> QueryResult<bool> {
    let updated = diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(job_id))
            .filter(import_jobs::status.eq(JobStatus::Running.as_str()))
            .filter(import_jobs::worker.eq(worker)),
    )
    .set(import_jobs::heartbeat_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Puts a job that `worker` runs back in the queue, at its old place, as if never claimed.
pub fn hand_back(conn: &mut PgConnection, job_id: Uuid, worker: &str) -> QueryResult<bool> {
    let updated = diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(job_id))
            .filter(import_jobs::status.eq(JobStatus::Running.as_str()))
            .filter(import_jobs::worker.eq(worker)),
    )
    .set((
        import_jobs::status.eq(JobStatus::Queued.as_str()),
        import_jobs::worker.eq(None::<String>),
        import_jobs::heartbeat_at.eq(None::<DateTime<Utc>>),
        import_jobs::started_at.eq(None::<DateTime<Utc>>),
        import_jobs::done_rows.eq(0),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// A failed import: the job says why, and the activity log has its one entry with the outcome.
/// Nothing happens (false) when `holder` no longer holds the job.
fn mark_failed(
    conn: &mut PgConnection,
    job_id: Uuid,
    error: FieldError,
    now: DateTime<Utc>,
    holder: Holder<'_>,
) -> Result<bool, AppError> {
    conn.transaction(|conn| {
        if !hold(conn, job_id, holder)? {
            return Ok(false);
        }
        let job = find_claimed(conn, job_id)?;
        let partner_id: i64 = customers::table
            .find(job.customer_id)
            .select(customers::partner_id)
            .first(conn)?;
        let reason = error.key;
        let failure = serde_json::to_value(import_job::failure(error)).map_err(AppError::internal)?;
        diesel::update(import_jobs::table.find(job_id))
            .set((
                import_jobs::status.eq(JobStatus::Failed.as_str()),
                import_jobs::failure.eq(Some(failure)),
                import_jobs::finished_at.eq(now),
            ))
            .execute(conn)?;
        audit::record_as(
            conn,
            partner_id,
            Some(job.staff_id),
            Some(job.customer_id),
            "users_imported",
            "failed",
            json!({"file": job.file_name, "count": 0, "rows": job.valid_rows, "reason": reason}),
        )?;
        Ok(true)
    })
}

/// Progress for the job's page (the heartbeat is the worker's own thread's).
fn report(pool: &PgPool, job_id: Uuid, done: usize) {
    if let Ok(mut conn) = pool.get() {
        let _ = diesel::update(import_jobs::table.find(job_id))
            .set(import_jobs::done_rows.eq(done as i32))
            .execute(&mut conn);
    }
}

fn fail(pool: &PgPool, job_id: Uuid, worker: &str, error: FieldError, now: DateTime<Utc>) {
    match pool.get() {
        Ok(mut conn) => {
            if let Err(e) = mark_failed(&mut conn, job_id, error, now, Holder::Worker(worker)) {
                tracing::error!(error = %e, job = %job_id, "could not mark the import as failed");
            }
        }
        Err(e) => tracing::error!(error = %e, job = %job_id, "could not mark the import as failed"),
    }
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// A run of a claimed job: which job, which worker holds it, and what can stop it.
#[derive(Clone, Copy)]
pub struct RunOf<'a> {
    pub job_id: Uuid,
    pub worker: &'a str,
    pub control: &'a RunControl,
}

/// Runs a claimed job to the end: passwords (on all cores, with progress), then one
/// transaction that creates every user, assigns the licenses, writes the activity entry and
/// seals the credentials. On any problem, the rows not reading back included, the job fails
/// with its reason and nothing is kept. When the server is stopping, the transaction is rolled
/// back wherever it is and the job handed back to the queue.
pub fn run(pool: &PgPool, database_url: &str, of: RunOf<'_>, now: impl Fn() -> DateTime<Utc>) -> Result<Ran, AppError> {
    let RunOf {
        job_id,
        worker,
        control,
    } = of;
    match create_users(pool, database_url, &of, &now) {
        Ok(Outcome::Done(())) => Ok(Ran::Finished),
        Ok(Outcome::Refused(reason)) => {
            fail(pool, job_id, worker, reason, now());
            Ok(Ran::Finished)
        }
        Err(_) if control.is_stopping() => {
            let mut conn = pool.get()?;
            match hand_back(&mut conn, job_id, worker)? {
                true => {
                    tracing::info!(job = %job_id, "server stopping: the import is back in the queue, nothing of it kept")
                }
                false => tracing::warn!(job = %job_id, "server stopping: the import was no longer this server's"),
            }
            Ok(Ran::HandedBack)
        }
        Err(e) => {
            tracing::error!(error = %e, job = %job_id, "import failed");
            fail(pool, job_id, worker, FieldError::new("import-err-failed"), now());
            Err(e)
        }
    }
}

/// A claimed job with what its transaction needs besides the rows.
struct Claim {
    job: Job,
    partner_id: i64,
    lock: SheetLock,
}

/// The job runs on a connection of its own, closed afterwards: libpq keeps a connection's
/// buffers as large as the largest message it carried (tens of MB here), which a pooled
/// connection would hold for the rest of the server's life.
fn create_users(
    pool: &PgPool,
    database_url: &str,
    of: &RunOf<'_>,
    now: &impl Fn() -> DateTime<Utc>,
) -> Result<Outcome<(), FieldError>, AppError> {
    let mut conn = crate::db::connect(database_url).map_err(AppError::internal)?;
    let pid: i32 =
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("pg_backend_pid()")).get_result(&mut conn)?;
    of.control.backend.store(pid, Ordering::SeqCst);
    let created = create_users_on(&mut conn, pool, of, now);
    of.control.backend.store(0, Ordering::SeqCst);
    created
}

fn create_users_on(
    conn: &mut PgConnection,
    pool: &PgPool,
    of: &RunOf<'_>,
    now: &impl Fn() -> DateTime<Utc>,
) -> Result<Outcome<(), FieldError>, AppError> {
    let claim = match load_claim(conn, of.job_id)? {
        Outcome::Done(claim) => claim,
        Outcome::Refused(reason) => return Ok(Outcome::Refused(reason)),
    };
    let rows = load_rows(conn, &claim.job)?;
    let secrets = make_passwords(pool, of, rows.len())?;
    let users = NewUsers::from_rows(rows, claim.job.default_location.as_deref());
    conn.transaction(|conn| write_users(conn, pool, of, &claim, &users, secrets, now))
}

/// The job and the key its credentials are sealed to; without the key (the job was queued by a
/// version that kept none) it cannot run.
fn load_claim(conn: &mut PgConnection, job_id: Uuid) -> Result<Outcome<Claim, FieldError>, AppError> {
    let job = find_claimed(conn, job_id)?;
    let recipient: Option<Vec<u8>> = import_jobs::table
        .find(job_id)
        .select(import_jobs::recipient)
        .first(conn)?;
    let Some(lock) = recipient.as_deref().and_then(SheetLock::from_bytes) else {
        return Ok(Outcome::Refused(FieldError::new("import-err-interrupted")));
    };
    let partner_id: i64 = customers::table
        .find(job.customer_id)
        .select(customers::partner_id)
        .first(conn)?;
    Ok(Outcome::Done(Claim { job, partner_id, lock }))
}

/// Temporary passwords and their hashes, one of each per user, in the users' order.
struct Secrets {
    passwords: Vec<String>,
    hashes: Vec<String>,
}

/// Makes and hashes the passwords chunk by chunk on every core, reporting progress after each.
fn make_passwords(pool: &PgPool, of: &RunOf<'_>, count: usize) -> Result<Secrets, AppError> {
    let mut secrets = Secrets {
        passwords: Vec::with_capacity(count),
        hashes: Vec::with_capacity(count),
    };
    let mut left = count;
    while left > 0 {
        of.control.checkpoint()?;
        let size = left.min(CHUNK);
        let made: anyhow::Result<Vec<(String, String)>> = (0..size)
            .into_par_iter()
            .map(|_| {
                let secret = temp_password::generate();
                password::hash_temporary(&secret).map(|hash| (secret, hash))
            })
            .collect();
        for (secret, hash) in made.map_err(AppError::Internal)? {
            secrets.passwords.push(secret);
            secrets.hashes.push(hash);
        }
        left -= size;
        report(pool, of.job_id, secrets.passwords.len());
    }
    Ok(secrets)
}

/// The one transaction of a run: seats and names checked again under lock, then every user,
/// the licenses, the activity entry, the sealed credentials and the job marked done.
fn write_users(
    conn: &mut PgConnection,
    pool: &PgPool,
    of: &RunOf<'_>,
    claim: &Claim,
    users: &NewUsers,
    secrets: Secrets,
    now: &impl Fn() -> DateTime<Utc>,
) -> Result<Outcome<(), FieldError>, AppError> {
    let (job, count) = (&claim.job, users.len());
    let subs = licenses::lock_for_customer(conn, job.customer_id)?;
    let short = import_job::seat_problems(count as i64, &job.subscription_ids, &offers(&subs));
    if let Some(problem) = short.into_iter().next() {
        return Ok(Outcome::Refused(problem));
    }
    let taken = taken_names(conn, job.customer_id, &users.keys())?;
    if let Some(clash) = import_job::first_taken(&users.user_names, &taken) {
        return Ok(Outcome::Refused(clash));
    }
    let at = now();
    let Secrets { passwords, hashes } = secrets;
    let ids = insert_users(conn, job.customer_id, users, &hashes, at, |done| {
        report(pool, job.id, done);
        of.control.checkpoint()
    })?;
    // The hashes are stored; free them before the credentials are sealed (the peak).
    drop(hashes);
    let mut products = Vec::new();
    for id in &job.subscription_ids {
        licenses::assign(conn, job.customer_id, *id, &ids, &[])?;
        if let Some(sub) = subs.iter().find(|s| s.id == *id) {
            products.push(sub.product_name.clone());
        }
    }
    let actor = Actor {
        partner_id: claim.partner_id,
        staff_id: job.staff_id,
    };
    audit::record(
        conn,
        actor,
        Some(job.customer_id),
        "users_imported",
        json!({"file": job.file_name, "count": ids.len(), "products": products.join(", "), "user_ids": ids}),
    )?;
    let sheet_id = seal(conn, claim, users, &passwords, at)?;
    of.control.checkpoint()?;
    if !hold(conn, job.id, Holder::Worker(of.worker))? {
        return Err(AppError::internal(anyhow::anyhow!(
            "import {} was taken for stopped while it ran; nothing of this run is kept",
            job.id
        )));
    }
    diesel::update(import_jobs::table.find(job.id))
        .set((
            import_jobs::status.eq(JobStatus::Done.as_str()),
            import_jobs::sheet_id.eq(sheet_id),
            import_jobs::done_rows.eq(count as i32),
            import_jobs::finished_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(Outcome::Done(()))
}

/// Inserts the users in chunks, still in the caller's one transaction, so each statement's
/// message stays small; `progress` hears after each chunk. Gives the new ids in row order.
fn insert_users(
    conn: &mut PgConnection,
    customer_id: i64,
    users: &NewUsers,
    hashes: &[String],
    at: DateTime<Utc>,
    progress: impl Fn(usize) -> Result<(), AppError>,
) -> Result<Vec<i64>, AppError> {
    let count = users.len();
    let mut ids: Vec<i64> = Vec::with_capacity(count);
    for start in (0..count).step_by(INSERT_CHUNK) {
        let end = (start + INSERT_CHUNK).min(count);
        let chunk = diesel::sql_query(
            "INSERT INTO customer_users (customer_id, first_name, last_name, display_name, user_name, \
                 usage_location, password_hash, created_at, updated_at) \
             SELECT $1, f, l, d, u, loc, h, $8, $8 \
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) \
                 WITH ORDINALITY AS t(f, l, d, u, loc, h, n) ORDER BY n \
             RETURNING id",
        )
        .bind::<BigInt, _>(customer_id)
        .bind::<Array<Text>, _>(&users.first_names[start..end])
        .bind::<Array<Text>, _>(&users.last_names[start..end])
        .bind::<Array<Text>, _>(&users.display_names[start..end])
        .bind::<Array<Text>, _>(&users.user_names[start..end])
        .bind::<Array<Nullable<Text>>, _>(&users.usage_locations[start..end])
        .bind::<Array<Text>, _>(&hashes[start..end])
        .bind::<Timestamptz, _>(at)
        .load::<Inserted>(conn)?;
        ids.extend(chunk.into_iter().map(|i| i.id));
        progress(count)?;
    }
    progress(count)?;
    Ok(ids)
}

/// The credentials of every new user, sealed to the key of the staff member who started it.
fn seal(
    conn: &mut PgConnection,
    claim: &Claim,
    users: &NewUsers,
    passwords: &[String],
    at: DateTime<Utc>,
) -> QueryResult<Uuid> {
    let entries: Vec<CredentialRef<'_>> = (0..users.len())
        .map(|i| CredentialRef {
            display_name: &users.display_names[i],
            user_name: &users.user_names[i],
            password: &passwords[i],
            status: credentials::STATUS_CREATED,
            first_name: &users.first_names[i],
            last_name: &users.last_names[i],
            usage_location: users.usage_locations[i].as_deref().unwrap_or_default(),
        })
        .collect();
    let job = &claim.job;
    credentials::create_from_refs(conn, &claim.lock, job.staff_id, job.customer_id, "import", &entries, at)
}

/// The template: the header Partner Center users know, and one example row for this customer.
/// The Import users template in the reader's language: headers the importer reads in either
/// language, and a sample row of a person named as people there are.
pub fn template_csv(customer: &Customer, t: &Tr) -> Vec<u8> {
    let header = [
        "col-first-name",
        "col-last-name",
        "col-display-name",
        "col-user-name",
        "col-usage-location",
        "col-status-update",
    ]
    .map(|k| t.get(k));
    let sample = vec![
        t.get("template-sample-first-name"),
        t.get("template-sample-last-name"),
        t.get("template-sample-display-name"),
        format!("{}@{}", t.get("template-sample-alias"), customer.initial_domain()),
        customer.default_usage_location.clone(),
        String::new(),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_safe::write_csv(&header, vec![sample])
}

/// Every problem as a .csv, for fixing the file in Excel.
pub fn problems_csv(problems: &[Problem], header: [&str; 4], message: impl Fn(&Problem) -> String) -> Vec<u8> {
    csv_safe::write_csv(
        &header,
        problems
            .iter()
            .map(|p| vec![p.row.to_string(), p.column.clone(), p.value.clone(), message(p)]),
    )
}

/// What one purge of import rows removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgedRows {
    /// Done or failed jobs whose rows (and the values their problems quoted) went; their
    /// summaries stay.
    pub finished: usize,
    /// Jobs nobody started, removed with their rows.
    pub abandoned: usize,
}

/// Removes the rows of files that are no longer needed, keeping each finished job as a summary
/// (status, counts, file name, who and when, the kinds of problems): a done import's once its
/// credentials page has expired (the rows hold every name of the file), a failed one's after
/// [`import_job::FAILED_ROWS_KEPT`], until when it can run again. Jobs nobody started go whole
/// after [`import_job::ABANDONED_AFTER`]. Jobs are first marked (so "Run again" is refused from
/// then on), then their rows go [`PURGE_CHUNKS_PER_STATEMENT`] chunks per statement, each its
/// own short transaction, so a big file never makes one long transaction.
pub fn purge_rows(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<PurgedRows> {
    let mut purged = PurgedRows::default();
    loop {
        let marked = mark_finished_purged(conn, now)?;
        purged.finished += marked;
        if marked < PURGE_JOBS_PER_TRANSACTION as usize {
            break;
        }
    }
    mark_abandoned_purged(conn, now)?;
    while delete_purged_chunks(conn)? == PURGE_CHUNKS_PER_STATEMENT as usize {}
    purged.abandoned = delete_abandoned(conn)?;
    Ok(purged)
}

/// Marks done and failed jobs past their time as purged, with their problems and failure kept
/// without the values from the file. Jobs another transaction holds (one being started again)
/// are left for the next run.
fn mark_finished_purged(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    use import_jobs::dsl as j;
    conn.transaction(|conn| {
        let due: Vec<(Uuid, serde_json::Value, Option<serde_json::Value>, serde_json::Value)> = j::import_jobs
            .filter(j::rows_purged_at.is_null())
            .filter(
                j::status
                    .eq(JobStatus::Done.as_str())
                    .and(j::finished_at.le(now - CREDENTIALS_LIFETIME))
                    .or(j::status
                        .eq(JobStatus::Failed.as_str())
                        .and(j::finished_at.le(now - import_job::FAILED_ROWS_KEPT))),
            )
            .select((j::id, j::problems, j::failure, j::warnings))
            .limit(PURGE_JOBS_PER_TRANSACTION)
            .for_update()
            .skip_locked()
            .load(conn)?;
        for (id, problems, failure, warnings) in &due {
            diesel::update(j::import_jobs.find(id))
                .set((
                    j::rows_purged_at.eq(now),
                    j::recipient.eq(None::<Vec<u8>>),
                    // The preview holds names too: only the summary stays.
                    j::preview.eq(serde_json::json!([])),
                    j::warnings.eq(without_values(warnings)),
                    j::problems.eq(without_values(problems)),
                    j::failure.eq(failure.as_ref().map(without_values)),
                ))
                .execute(conn)?;
        }
        Ok(due.len())
    })
}

/// A stored problem, or a list of them, without the values from the file; JSON that does not
/// read as problems becomes an empty list rather than being kept as it is.
fn without_values(stored: &serde_json::Value) -> serde_json::Value {
    let redact = |p: Problem| serde_json::to_value(import_job::without_values(p)).unwrap_or_default();
    if let Ok(list) = serde_json::from_value::<Vec<Problem>>(stored.clone()) {
        return serde_json::Value::Array(list.into_iter().map(redact).collect());
    }
    match serde_json::from_value::<Problem>(stored.clone()) {
        Ok(problem) => redact(problem),
        Err(_) => serde_json::Value::Array(Vec::new()),
    }
}

/// Marks jobs nobody started within [`import_job::ABANDONED_AFTER`] as purged.
fn mark_abandoned_purged(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    let sql = format!(
        "UPDATE import_jobs SET rows_purged_at = $1 WHERE id IN (\
             SELECT id FROM import_jobs WHERE rows_purged_at IS NULL AND status IN ('{}', '{}') \
             AND created_at < $2 FOR UPDATE SKIP LOCKED)",
        JobStatus::ABANDONED[0].as_str(),
        JobStatus::ABANDONED[1].as_str(),
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(now - import_job::ABANDONED_AFTER)
        .execute(conn)
}

/// Deletes up to [`PURGE_CHUNKS_PER_STATEMENT`] chunks of rows of jobs marked as purged.
fn delete_purged_chunks(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM import_job_rows WHERE (customer_id, job_id, chunk) IN (\
             SELECT r.customer_id, r.job_id, r.chunk FROM import_job_rows r \
             JOIN import_jobs j ON j.customer_id = r.customer_id AND j.id = r.job_id \
             WHERE j.rows_purged_at IS NOT NULL LIMIT $1)",
    )
    .bind::<BigInt, _>(PURGE_CHUNKS_PER_STATEMENT)
    .execute(conn)
}

/// Deletes the jobs nobody started once their rows are gone.
fn delete_abandoned(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(
        import_jobs::table
            .filter(import_jobs::status.eq_any(JobStatus::ABANDONED.map(JobStatus::as_str)))
            .filter(import_jobs::rows_purged_at.is_not_null()),
    )
    .execute(conn)
}

/// How many jobs there are in each state that is past validation, for `/metrics`: one count
/// over the table (validation-only rows are left out, and deleted within a day).
pub fn count_by_state(conn: &mut PgConnection) -> QueryResult<Vec<(String, i64)>> {
    import_jobs::table
        .filter(import_jobs::status.eq_any(crate::metrics::IMPORT_STATES))
        .group_by(import_jobs::status)
        .select((import_jobs::status, diesel::dsl::count_star()))
        .load(conn)
}
