//! Removes what has outlived its time: users deleted more than 30 days ago, credentials
//! sheets past their hour, sign-in failure counters quiet for a day, staff sessions past their
//! timeouts, and the rows of import files no longer needed (done imports' once their credentials have expired, failed ones'
//! after 7 days, unstarted ones' after a day; see `imports::purge_rows`). Runs inside every
//! server (each step is idempotent and takes short transactions, so several servers on one
//! database do no harm) and as `partnerdesk purge` for cron.

use std::time::Duration;

use crate::clock::Clock;
use crate::db::PgPool;
use crate::services::{credentials, imports, sessions, staff, users};

pub const INTERVAL: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub users: usize,
    pub credential_sheets: usize,
    pub import_rows: imports::PurgedRows,
}

pub fn run_once(conn: &mut diesel::PgConnection, clock: &Clock) -> diesel::QueryResult<Purged> {
    let now = clock.now();
    staff::purge_quiet_failures(conn, now)?;
    sessions::purge_expired(conn, now)?;
    Ok(Purged {
        users: users::purge_expired(conn, now)?,
        credential_sheets: credentials::purge_expired(conn, now)?,
        import_rows: imports::purge_rows(conn, now)?,
    })
}

/// Starts the periodic task on the current runtime.
pub fn spawn(pool: PgPool, clock: Clock) {
    actix_web::rt::spawn(async move {
        let mut ticker = actix_web::rt::time::interval(INTERVAL);
        loop {
            ticker.tick().await;
            let (pool, clock) = (pool.clone(), clock.clone());
            let outcome = actix_web::rt::task::spawn_blocking(move || {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                run_once(&mut conn, &clock).map_err(|e| e.to_string())
            })
            .await;
            match outcome {
                Ok(Ok(purged)) if purged != Purged::default() => tracing::info!(
                    users = purged.users,
                    sheets = purged.credential_sheets,
                    finished_imports = purged.import_rows.finished,
                    abandoned_imports = purged.import_rows.abandoned,
                    "purged"
                ),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "purge failed; will try again"),
                Err(e) => tracing::warn!(error = %e, "purge task panicked"),
            }
        }
    });
}
