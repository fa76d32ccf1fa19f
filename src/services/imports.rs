//! Importing users from a .csv file: validate (nothing but the job row is written), start
//! (seats checked for the whole file up front), and the background run that creates every user
//! of the file with its licenses in one transaction, or none. Any app server's worker can claim
//! a queued job (`FOR UPDATE SKIP LOCKED`); a job whose worker stopped shows as failed, with
//! nothing half-made, and can be run again.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz};
use rayon::prelude::*;
use serde_json::json;
use uuid::Uuid;

use super::credentials::{self, CredentialRef, SheetLock};
use super::customers::Customer;
use super::licenses;
use super::{audit, Actor};
use crate::auth::password;
use crate::db::schema::{customers, import_jobs};
use crate::db::PgPool;
use crate::domain::country::UsageLocation;
use crate::domain::import_rows::{self, ImportRow, Problem, MAX_ROWS};
use crate::domain::spreadsheet::{decode, EncodingChoice, Sheet};
use crate::domain::{csv_safe, temp_password, FieldError};
use crate::error::AppError;

/// A worker that has not been heard of for this long is taken to have stopped.
pub const STALE_AFTER: Duration = Duration::minutes(2);
/// Passwords are made and hashed in chunks of this many rows, reporting progress after each.
const CHUNK: usize = 2_000;
/// Users are inserted this many per statement (all in one transaction).
const INSERT_CHUNK: usize = 5_000;

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

/// Reads and checks an uploaded file. Writes no user: only the job row with the rows and problems.
pub fn validate(
    conn: &mut PgConnection,
    actor: Actor,
    customer: &Customer,
    file_name: &str,
    bytes: &[u8],
    choice: EncodingChoice,
    language_hint: Option<&str>,
) -> Result<Validation, AppError> {
    let decoded = match decode(bytes, choice, language_hint) {
        Ok(d) => d,
        Err(e) => return Ok(Validation::FileError(e.message())),
    };
    let sheet = match Sheet::parse(&decoded.text) {
        Ok(s) => s,
        Err(e) => return Ok(Validation::FileError(e.message())),
    };
    drop(decoded.text);
    if sheet.rows.len() > MAX_ROWS {
        return Ok(Validation::FileError(
            FieldError::new("import-err-too-many-rows")
                .with("count", sheet.rows.len())
                .with("max", MAX_ROWS),
        ));
    }
    let (rows, mut problems) = import_rows::check_rows(&sheet, &customer.domains);
    let keys: Vec<String> = rows.iter().map(ImportRow::key).collect();
    let taken = taken_names(conn, customer.id, &keys)?;
    problems.extend(import_rows::clashes(&rows, &taken));
    problems.sort_by_key(|p| p.row);
    let clashing: HashSet<usize> = problems.iter().map(|p| p.row).collect();
    let rows: Vec<ImportRow> = rows.into_iter().filter(|r| !clashing.contains(&r.row)).collect();
    let id = Uuid::new_v4();
    let status = if problems.is_empty() && !rows.is_empty() {
        "validated"
    } else {
        "invalid"
    };
    diesel::insert_into(import_jobs::table)
        .values((
            import_jobs::id.eq(id),
            import_jobs::customer_id.eq(customer.id),
            import_jobs::staff_id.eq(actor.staff_id),
            import_jobs::file_name.eq(file_name),
            import_jobs::encoding.eq(decoded.encoding),
            import_jobs::status.eq(status),
            import_jobs::total_rows.eq(sheet.rows.len() as i32),
            import_jobs::rows.eq(serde_json::to_vec(&rows).map_err(AppError::internal)?),
            import_jobs::valid_rows.eq(rows.len() as i32),
            import_jobs::rows_without_location.eq(rows.iter().filter(|r| r.usage_location.is_none()).count() as i32),
            import_jobs::problems.eq(serde_json::to_value(&problems).map_err(AppError::internal)?),
            import_jobs::unknown_columns.eq(&sheet.unknown_columns),
        ))
        .execute(conn)?;
    Ok(Validation::Stored(id))
}

/// An import as its pages show it (without the rows themselves).
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub customer_id: i64,
    pub staff_id: i64,
    pub file_name: String,
    pub encoding: String,
    pub status: String,
    pub total_rows: i32,
    pub valid_rows: i32,
    pub done_rows: i32,
    pub problems: Vec<Problem>,
    pub unknown_columns: Vec<String>,
    pub subscription_ids: Vec<i64>,
    pub default_location: Option<String>,
    pub sheet_id: Option<Uuid>,
    pub failure: Option<FieldError>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Job {
    pub fn is_active(&self) -> bool {
        self.status == "queued" || self.status == "running"
    }

    /// Seconds left, from the pace so far; `None` before there is a pace.
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        let started = self.started_at?;
        let elapsed = (now - started).num_milliseconds().max(1) as f64 / 1000.0;
        if self.done_rows <= 0 {
            return None;
        }
        let rate = f64::from(self.done_rows) / elapsed;
        Some(
            ((f64::from(self.total_to_create() - self.done_rows)) / rate)
                .ceil()
                .max(0.0) as i64,
        )
    }

    pub fn total_to_create(&self) -> i32 {
        self.valid_rows
    }
}

type JobColumns = (
    (Uuid, i64, i64, String, String, String, i32, i32, i32),
    (
        serde_json::Value,
        Vec<String>,
        Vec<i64>,
        Option<String>,
        Option<Uuid>,
        Option<serde_json::Value>,
    ),
    (DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>),
);

fn to_job(
    (
        (id, customer_id, staff_id, file_name, encoding, status, total_rows, valid_rows, done_rows),
        (problems, unknown_columns, subscription_ids, default_location, sheet_id, failure),
        (created_at, started_at, finished_at),
    ): JobColumns,
) -> Job {
    let failure = failure
        .and_then(|f| serde_json::from_value::<Problem>(f).ok())
        .map(|p| p.error());
    Job {
        id,
        customer_id,
        staff_id,
        file_name,
        encoding,
        status,
        total_rows,
        valid_rows,
        done_rows,
        problems: serde_json::from_value(problems).unwrap_or_default(),
        unknown_columns,
        subscription_ids,
        default_location,
        sheet_id,
        failure,
        created_at,
        started_at,
        finished_at,
    }
}

/// A job of this customer; anything else is `NotFound`.
pub fn find(conn: &mut PgConnection, customer_id: i64, job_id: Uuid) -> Result<Job, AppError> {
    let row: JobColumns = import_jobs::table
        .filter(import_jobs::id.eq(job_id))
        .filter(import_jobs::customer_id.eq(customer_id))
        .select((
            (
                import_jobs::id,
                import_jobs::customer_id,
                import_jobs::staff_id,
                import_jobs::file_name,
                import_jobs::encoding,
                import_jobs::status,
                import_jobs::total_rows,
                import_jobs::valid_rows,
                import_jobs::done_rows,
            ),
            (
                import_jobs::problems,
                import_jobs::unknown_columns,
                import_jobs::subscription_ids,
                import_jobs::default_location,
                import_jobs::sheet_id,
                import_jobs::failure,
            ),
            (
                import_jobs::created_at,
                import_jobs::started_at,
                import_jobs::finished_at,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    Ok(to_job(row))
}

/// id, file name, status, rows done, rows in all, created.
pub type RecentImport = (Uuid, String, String, i32, i32, DateTime<Utc>);

/// The customer's recent imports, newest first (for the Import users page).
pub fn recent(conn: &mut PgConnection, customer_id: i64, count: i64) -> QueryResult<Vec<RecentImport>> {
    import_jobs::table
        .filter(import_jobs::customer_id.eq(customer_id))
        .filter(import_jobs::status.ne("invalid"))
        .order(import_jobs::created_at.desc())
        .limit(count)
        .select((
            import_jobs::id,
            import_jobs::file_name,
            import_jobs::status,
            import_jobs::done_rows,
            import_jobs::valid_rows,
            import_jobs::created_at,
        ))
        .load(conn)
}

/// "Create users": checks seats for the whole file and queues the job for a worker. The
/// results will be sealed to `lock`, the starting staff member's session key.
#[allow(clippy::too_many_arguments)]
pub fn start(
    conn: &mut PgConnection,
    actor: Actor,
    customer: &Customer,
    job_id: Uuid,
    subscription_ids: &[i64],
    default_location: Option<&UsageLocation>,
    lock: &SheetLock,
    now: DateTime<Utc>,
) -> Result<Result<(), Vec<FieldError>>, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        let status: String = import_jobs::table
            .filter(import_jobs::id.eq(job_id))
            .filter(import_jobs::customer_id.eq(customer.id))
            .select(import_jobs::status)
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        if status != "validated" && status != "failed" {
            return Ok(Err(vec![FieldError::new("import-err-not-startable")]));
        }
        let job = find(conn, customer.id, job_id)?;
        let mut problems = Vec::new();
        let homeless: i32 = import_jobs::table
            .find(job_id)
            .select(import_jobs::rows_without_location)
            .first(conn)?;
        if homeless > 0 && default_location.is_none() && !subscription_ids.is_empty() {
            problems.push(FieldError::new("err-usage-location-needed"));
        }
        let subs = licenses::lock_for_customer(conn, customer.id)?;
        for id in subscription_ids {
            match subs.iter().find(|s| s.id == *id) {
                Some(sub) => {
                    if let Err(e) =
                        crate::domain::licensing::check_seats(&sub.product_name, job.valid_rows.into(), sub.available())
                    {
                        problems.push(e);
                    }
                }
                None => problems.push(FieldError::new("err-product-choose")),
            }
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        diesel::update(import_jobs::table.find(job_id))
            .set((
                import_jobs::status.eq("queued"),
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
        Ok(Ok(()))
    })
}

fn load_rows(conn: &mut PgConnection, job_id: Uuid) -> QueryResult<Vec<ImportRow>> {
    let bytes: Vec<u8> = import_jobs::table.find(job_id).select(import_jobs::rows).first(conn)?;
    Ok(serde_json::from_slice(&bytes).unwrap_or_default())
}

/// Takes the oldest queued job, if any, for this worker.
pub fn claim(conn: &mut PgConnection, worker: &str, now: DateTime<Utc>) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let claimed: Option<Claimed> = diesel::sql_query(
        "UPDATE import_jobs SET status = 'running', worker = $1, heartbeat_at = $2, started_at = $2, done_rows = 0 \
         WHERE id = (SELECT id FROM import_jobs WHERE status = 'queued' ORDER BY queued_at \
                     FOR UPDATE SKIP LOCKED LIMIT 1) \
         RETURNING id",
    )
    .bind::<Text, _>(worker)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    Ok(claimed.map(|c| c.id))
}

fn failure_json(error: FieldError) -> serde_json::Value {
    json!({"row": 0, "column": "", "value": "", "key": error.key, "args": error.args.iter().map(|(n, v)| (n.to_string(), v.clone())).collect::<Vec<_>>()})
}

/// Marks jobs whose worker has not been heard of for [`STALE_AFTER`] as failed. Their
/// transaction died with the worker, so nothing of them was written.
pub fn fail_stale(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    let stale: Vec<Uuid> = import_jobs::table
        .filter(import_jobs::status.eq("running"))
        .filter(import_jobs::heartbeat_at.lt(now - STALE_AFTER))
        .select(import_jobs::id)
        .load(conn)?;
    for id in &stale {
        mark_failed(conn, *id, FieldError::new("import-err-interrupted"), now)?;
    }
    Ok(stale.len())
}

/// A failed import: the job says why, and the activity log has its one entry with the outcome.
fn mark_failed(conn: &mut PgConnection, job_id: Uuid, error: FieldError, now: DateTime<Utc>) -> QueryResult<()> {
    conn.transaction(|conn| {
        let (customer_id, staff_id, file_name, rows): (i64, i64, String, i32) = import_jobs::table
            .find(job_id)
            .select((
                import_jobs::customer_id,
                import_jobs::staff_id,
                import_jobs::file_name,
                import_jobs::valid_rows,
            ))
            .first(conn)?;
        let partner_id: i64 = customers::table
            .find(customer_id)
            .select(customers::partner_id)
            .first(conn)?;
        let reason = error.key;
        diesel::update(import_jobs::table.find(job_id))
            .set((
                import_jobs::status.eq("failed"),
                import_jobs::failure.eq(Some(failure_json(error))),
                import_jobs::finished_at.eq(now),
            ))
            .execute(conn)?;
        audit::record_as(
            conn,
            partner_id,
            Some(staff_id),
            Some(customer_id),
            "users_imported",
            "failed",
            json!({"file": file_name, "count": 0, "rows": rows, "reason": reason}),
        )
    })
}

fn report(pool: &PgPool, job_id: Uuid, done: usize, now: DateTime<Utc>) {
    if let Ok(mut conn) = pool.get() {
        let _ = diesel::update(import_jobs::table.find(job_id))
            .set((
                import_jobs::done_rows.eq(done as i32),
                import_jobs::heartbeat_at.eq(now),
            ))
            .execute(&mut conn);
    }
}

fn fail(pool: &PgPool, job_id: Uuid, error: FieldError, now: DateTime<Utc>) {
    match pool.get() {
        Ok(mut conn) => {
            if let Err(e) = mark_failed(&mut conn, job_id, error, now) {
                tracing::error!(error = %e, job = %job_id, "could not mark the import as failed");
            }
        }
        Err(e) => tracing::error!(error = %e, job = %job_id, "could not mark the import as failed"),
    }
}

/// customer, staff member, file name, subscriptions to assign, default location, recipient key.
type JobSettings = (i64, i64, String, Vec<i64>, Option<String>, Option<Vec<u8>>);

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Runs a claimed job to the end: passwords (on all cores, with progress), then one
/// transaction that creates every user, assigns the licenses, writes the activity entry and
/// seals the credentials. On any problem the job fails and nothing is kept.
///
/// The job runs on a connection of its own, closed afterwards: libpq keeps a connection's
/// buffers as large as the largest message it carried (tens of MB here), which a pooled
/// connection would hold for the rest of the server's life.
pub fn run(pool: &PgPool, database_url: &str, job_id: Uuid, now: impl Fn() -> DateTime<Utc>) -> Result<(), AppError> {
    let mut conn = crate::db::connect(database_url).map_err(AppError::internal)?;
    let (customer_id, staff_id, file_name, subscription_ids, default_location, recipient): JobSettings =
        import_jobs::table
            .find(job_id)
            .select((
                import_jobs::customer_id,
                import_jobs::staff_id,
                import_jobs::file_name,
                import_jobs::subscription_ids,
                import_jobs::default_location,
                import_jobs::recipient,
            ))
            .first(&mut conn)?;
    let Some(lock) = recipient.as_deref().and_then(SheetLock::from_bytes) else {
        fail(pool, job_id, FieldError::new("import-err-interrupted"), now());
        return Ok(());
    };
    let partner_id: i64 = customers::table
        .find(customer_id)
        .select(customers::partner_id)
        .first(&mut conn)?;
    let rows = load_rows(&mut conn, job_id)?;

    // Passwords and their hashes, chunk by chunk on every core.
    let mut secrets: Vec<String> = Vec::with_capacity(rows.len());
    let mut hashes: Vec<String> = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let made: anyhow::Result<Vec<(String, String)>> = chunk
            .par_iter()
            .map(|_| {
                let secret = temp_password::generate();
                password::hash_temporary(&secret).map(|hash| (secret, hash))
            })
            .collect();
        for (secret, hash) in made.map_err(AppError::Internal)? {
            secrets.push(secret);
            hashes.push(hash);
        }
        report(pool, job_id, secrets.len(), now());
    }

    // The rows as columns, moved out of the rows (150,000 users are never held twice).
    let count = rows.len();
    let mut first = Vec::with_capacity(count);
    let mut last = Vec::with_capacity(count);
    let mut display = Vec::with_capacity(count);
    let mut names = Vec::with_capacity(count);
    let mut locations: Vec<Option<String>> = Vec::with_capacity(count);
    for row in rows {
        first.push(row.first_name);
        last.push(row.last_name);
        display.push(row.display_name);
        names.push(row.user_name);
        locations.push(row.usage_location.or_else(|| default_location.clone()));
    }

    let outcome = conn.transaction::<_, AppError, _>(|conn| {
        let subs = licenses::lock_for_customer(conn, customer_id)?;
        for id in &subscription_ids {
            let sub = subs.iter().find(|s| s.id == *id).ok_or(AppError::NotFound)?;
            if let Err(e) = crate::domain::licensing::check_seats(&sub.product_name, count as i64, sub.available()) {
                return Ok(Err(e));
            }
        }
        let keys: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        let taken = taken_names(conn, customer_id, &keys)?;
        drop(keys);
        if let Some(clash) = names.iter().find(|n| taken.contains(&n.to_lowercase())) {
            return Ok(Err(FieldError::new("err-user-name-taken").with("value", clash)));
        }
        let at = now();
        // In chunks, still in the one transaction: each statement's message stays small.
        let mut ids: Vec<i64> = Vec::with_capacity(count);
        for start in (0..count).step_by(INSERT_CHUNK) {
            let end = (start + INSERT_CHUNK).min(count);
            let chunk: Vec<i64> = diesel::sql_query(
                "INSERT INTO customer_users (customer_id, first_name, last_name, display_name, user_name, \
                     usage_location, password_hash, created_at, updated_at) \
                 SELECT $1, f, l, d, u, loc, h, $8, $8 \
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) \
                     WITH ORDINALITY AS t(f, l, d, u, loc, h, n) ORDER BY n \
                 RETURNING id",
            )
            .bind::<BigInt, _>(customer_id)
            .bind::<Array<Text>, _>(&first[start..end])
            .bind::<Array<Text>, _>(&last[start..end])
            .bind::<Array<Text>, _>(&display[start..end])
            .bind::<Array<Text>, _>(&names[start..end])
            .bind::<Array<Nullable<Text>>, _>(&locations[start..end])
            .bind::<Array<Text>, _>(&hashes[start..end])
            .bind::<Timestamptz, _>(at)
            .load::<Inserted>(conn)?
            .into_iter()
            .map(|i| i.id)
            .collect();
            ids.extend(chunk);
            report(pool, job_id, count, now());
        }
        report(pool, job_id, count, now());
        // The hashes are stored; free them before the credentials are sealed (the peak).
        drop(std::mem::take(&mut hashes));
        let mut products = Vec::new();
        for id in &subscription_ids {
            licenses::assign(conn, customer_id, *id, &ids, &[])?;
            if let Some(sub) = subs.iter().find(|s| s.id == *id) {
                products.push(sub.product_name.clone());
            }
        }
        let entries: Vec<CredentialRef<'_>> = (0..count)
            .map(|i| CredentialRef {
                display_name: &display[i],
                user_name: &names[i],
                password: &secrets[i],
                status: "Created",
                first_name: &first[i],
                last_name: &last[i],
                usage_location: locations[i].as_deref().unwrap_or_default(),
            })
            .collect();
        let actor = Actor { partner_id, staff_id };
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "users_imported",
            json!({"file": file_name, "count": ids.len(), "products": products.join(", "), "user_ids": ids}),
        )?;
        let sheet_id = credentials::create_from_refs(conn, &lock, staff_id, customer_id, "import", &entries, at)?;
        diesel::update(import_jobs::table.find(job_id))
            .set((
                import_jobs::status.eq("done"),
                import_jobs::sheet_id.eq(sheet_id),
                import_jobs::done_rows.eq(count as i32),
                import_jobs::finished_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(Ok(()))
    });
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(reason)) => {
            fail(pool, job_id, reason, now());
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, job = %job_id, "import failed");
            fail(pool, job_id, FieldError::new("import-err-failed"), now());
            Err(e)
        }
    }
}

/// The template: the header Partner Center users know, and one example row for this customer.
pub fn template_csv(customer: &Customer) -> Vec<u8> {
    csv_safe::write_csv(
        &[
            "First name",
            "Last name",
            "Display name",
            "User name",
            "Usage location",
            "Status update",
        ],
        vec![vec![
            "Anna".into(),
            "Lee".into(),
            "Anna Lee".into(),
            format!("anna.lee@{}", customer.initial_domain()),
            customer.default_usage_location.clone(),
            String::new(),
        ]],
    )
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

/// Removes validation rows nobody started, after a day: they hold names, not passwords.
pub fn purge_abandoned(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        import_jobs::table
            .filter(import_jobs::status.eq_any(["invalid", "validated"]))
            .filter(import_jobs::created_at.lt(now - Duration::days(1))),
    )
    .execute(conn)
}
