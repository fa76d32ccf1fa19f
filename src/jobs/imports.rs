//! The import worker: a thread per app server that fails imports whose worker stopped, claims
//! queued ones and runs them. Several servers on one database share the queue safely.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::db::PgPool;
use crate::services::imports;

/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(500);

/// Fails stale jobs, then runs queued jobs until none is left. Returns how many ran.
pub fn run_pending(pool: &PgPool, database_url: &str, clock: &Clock, worker: &str) -> usize {
    let mut ran = 0;
    let Ok(mut conn) = pool.get() else { return 0 };
    if let Err(e) = imports::fail_stale(&mut conn, clock.now()) {
        tracing::warn!(error = %e, "checking for stopped imports failed");
    }
    loop {
        let claimed = match imports::claim(&mut conn, worker, clock.now()) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "claiming an import failed");
                return ran;
            }
        };
        let Some(job) = claimed else { return ran };
        let started = std::time::Instant::now();
        let outcome = imports::run(pool, database_url, job, || clock.now());
        tracing::info!(job = %job, ok = outcome.is_ok(), seconds = started.elapsed().as_secs_f64(), "import finished");
        ran += 1;
    }
}

/// Starts the worker thread for this server; it stops when `stop` is set.
pub fn spawn(pool: PgPool, database_url: String, clock: Clock, stop: Arc<AtomicBool>) {
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    std::thread::Builder::new()
        .name("import-worker".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                run_pending(&pool, &database_url, &clock, &worker);
                std::thread::sleep(POLL);
            }
        })
        .expect("the import worker thread starts");
}
