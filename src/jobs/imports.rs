//! The import worker: a thread per app server that fails imports whose worker died, claims
//! queued ones and runs them, telling the database every [`imports::HEARTBEAT`] that it still
//! holds its job. Several servers on one database share the queue safely. When the server stops,
//! a running import is rolled back and handed back to the queue for another server.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::clock::Clock;
use crate::db::PgPool;
use crate::services::imports::{self, Ran, RunControl, RunOf};

/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(500);

/// Fails stale jobs, then runs queued jobs until none is left or the server stops. Returns how
/// many ran to their end.
pub fn run_pending(pool: &PgPool, database_url: &str, clock: &Clock, worker: &str, control: &RunControl) -> usize {
    let mut ran = 0;
    let Ok(mut conn) = pool.get() else { return 0 };
    if let Err(e) = imports::fail_stale(&mut conn, clock.now()) {
        tracing::warn!(error = %e, "checking for stopped imports failed");
    }
    while !control.is_stopping() {
        let claimed = match imports::claim(&mut conn, worker, clock.now()) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "claiming an import failed");
                return ran;
            }
        };
        let Some(job_id) = claimed else { return ran };
        let started = std::time::Instant::now();
        let of = RunOf {
            job_id,
            worker,
            control,
        };
        let outcome = with_heartbeat(pool, clock, of, || imports::run(pool, database_url, of, || clock.now()));
        let seconds = started.elapsed().as_secs_f64();
        match outcome {
            Ok(Ran::HandedBack) => return ran,
            outcome => tracing::info!(job = %job_id, ok = outcome.is_ok(), seconds, "import finished"),
        }
        ran += 1;
    }
    ran
}

/// Runs `work` while another thread renews the job's heartbeat, whatever `work` is waiting for.
fn with_heartbeat<T>(pool: &PgPool, clock: &Clock, of: RunOf<'_>, work: impl FnOnce() -> T) -> T {
    let (done, wait) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(imports::HEARTBEAT) {
                let beat = pool
                    .get()
                    .map_err(anyhow::Error::from)
                    .and_then(|mut c| Ok(imports::heartbeat(&mut c, of.job_id, of.worker, clock.now())?));
                match beat {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(job = %of.job_id, "the import is no longer this server's"),
                    Err(e) => tracing::warn!(error = %e, job = %of.job_id, "import heartbeat failed"),
                }
            }
        });
        let result = work();
        drop(done);
        result
    })
}

/// The worker thread of a server, and what stops it.
pub struct Worker {
    control: RunControl,
    thread: JoinHandle<()>,
}

impl Worker {
    /// Tells the worker to stop, and until it has, cancels the statement its run executes (a
    /// run may wait on a lock), so the run rolls back and hands its job back. Blocking.
    pub fn stop(self, pool: &PgPool) {
        self.control.stop();
        while !self.thread.is_finished() {
            let cancelled = pool
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| Ok(self.control.cancel_statement(&mut conn)?));
            if let Err(e) = cancelled {
                tracing::warn!(error = %e, "could not interrupt the running import");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.thread.join();
    }
}

/// Starts the worker thread for this server.
pub fn spawn(pool: PgPool, database_url: String, clock: Clock) -> Worker {
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let control = RunControl::default();
    let running = control.clone();
    let thread = std::thread::Builder::new()
        .name("import-worker".into())
        .spawn(move || {
            while !running.is_stopping() {
                run_pending(&pool, &database_url, &clock, &worker, &running);
                std::thread::sleep(POLL);
            }
        })
        .expect("the import worker thread starts");
    Worker { control, thread }
}
