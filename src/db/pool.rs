//! The connection pool, and what it knows of the database's health: a pool that is only busy
//! makes a request wait for a connection, as long as it takes a slow page to finish; a database
//! that refuses connections (stopped, restarting, out of connections) makes every request
//! answer 503 at once, until a connection works again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, ManageConnection, NopErrorHandler, Pool, PooledConnection};
use prometheus::{Counter, IntCounter};

use super::{redact_url, StartupError};
use crate::error::AppError;

pub type PgPooled = PooledConnection<Manager>;

/// How long a request waits for a connection while every connection is in use (r2d2's own
/// timeout before the database could be told from the pool).
pub const BUSY_WAIT: Duration = Duration::from_secs(10);

/// While waiting for a connection, how often a request looks whether the database went down.
const POLL: Duration = Duration::from_millis(50);

/// r2d2 retries a failed connect in the background, waiting up to half its connection timeout
/// between tries: 2 s makes that 1 s, so a database that is back is used within a second.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether the last attempt to open a connection failed. Only the pool's own connects set it,
/// and r2d2 keeps retrying a failed connect in the background until one succeeds, which clears
/// it: a busy pool that opens no connection never looks down.
#[derive(Debug, Default)]
pub struct Health {
    down: AtomicBool,
}

impl Health {
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
    }

    fn connected(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("the database accepts connections again");
        }
    }

    /// One log line when the database goes down, not one per retry.
    fn refused(&self, error: &diesel::r2d2::Error) {
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                error = %error.to_string().trim(),
                "the database refuses connections: pages answer 503 until it is back"
            );
        }
    }
}

/// diesel's connection manager, telling [`Health`] how each connect went.
pub struct Manager {
    inner: ConnectionManager<PgConnection>,
    health: Arc<Health>,
}

impl ManageConnection for Manager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, Self::Error> {
        let connection = self.inner.connect();
        match &connection {
            Ok(_) => self.health.connected(),
            Err(error) => self.health.refused(error),
        }
        connection
    }

    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), Self::Error> {
        self.inner.is_valid(conn)
    }

    /// diesel marks a connection whose server went away as broken after its first failed
    /// query, so the pool drops it instead of lending it again.
    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        self.inner.has_broken(conn)
    }
}

/// How often requests had to wait for a connection, for how long in all, and how often they
/// gave up (shown on `/metrics`).
#[derive(Clone)]
struct Waits {
    count: IntCounter,
    seconds: Counter,
    timeouts: IntCounter,
}

impl Waits {
    fn new() -> Self {
        let count = IntCounter::new(
            "partnerdesk_db_pool_waits_total",
            "Connection checkouts that found no idle connection and waited",
        );
        let seconds = Counter::new(
            "partnerdesk_db_pool_wait_seconds_total",
            "Time spent waiting for a database connection",
        );
        let timeouts = IntCounter::new(
            "partnerdesk_db_pool_timeouts_total",
            "Waits for a database connection that gave up",
        );
        Waits {
            count: count.expect("valid metric"),
            seconds: seconds.expect("valid metric"),
            timeouts: timeouts.expect("valid metric"),
        }
    }
}

/// The pool of one database and its health; clones share both.
#[derive(Clone)]
pub struct PgPool {
    pool: Pool<Manager>,
    health: Arc<Health>,
    waits: Waits,
}

impl PgPool {
    /// A connection: waits up to [`BUSY_WAIT`] while all are in use, and answers
    /// [`AppError::DatabaseUnavailable`] at once while the database refuses connections (an idle
    /// connection is still lent then: it may work, and one that does not fails just as fast).
    pub fn get(&self) -> Result<PgPooled, AppError> {
        if let Some(conn) = self.pool.try_get() {
            return Ok(conn);
        }
        if self.health.is_down() {
            return Err(AppError::DatabaseUnavailable);
        }
        let started = Instant::now();
        self.waits.count.inc();
        let conn = self.wait_for_connection(started + BUSY_WAIT);
        self.waits.seconds.inc_by(started.elapsed().as_secs_f64());
        if matches!(conn, Err(AppError::Internal(_))) {
            self.waits.timeouts.inc();
        }
        conn
    }

    fn wait_for_connection(&self, deadline: Instant) -> Result<PgPooled, AppError> {
        loop {
            if self.health.is_down() {
                return self.pool.try_get().ok_or(AppError::DatabaseUnavailable);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.pool.get_timeout(left.min(POLL)) {
                Ok(conn) => return Ok(conn),
                Err(e) if left <= POLL => return Err(AppError::internal(anyhow::anyhow!(e))),
                Err(_) => {}
            }
        }
    }

    /// The counters of waits for a connection, their seconds and timeouts, for a registry.
    pub fn wait_counters(&self) -> (IntCounter, Counter, IntCounter) {
        (
            self.waits.count.clone(),
            self.waits.seconds.clone(),
            self.waits.timeouts.clone(),
        )
    }

    /// An idle connection if there is one now, never waiting (for what must not queue behind
    /// the pages, such as a metrics scrape).
    pub fn try_get(&self) -> Option<PgPooled> {
        self.pool.try_get()
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// Whether the last connect failed (see [`Health`]).
    pub fn is_down(&self) -> bool {
        self.health.is_down()
    }

    /// Connections open and idle, for metrics and benchmarks.
    pub fn state(&self) -> diesel::r2d2::State {
        self.pool.state()
    }
}

pub fn pool(url: &str, size: u32) -> Result<PgPool, StartupError> {
    let health = Arc::new(Health::default());
    let manager = Manager {
        inner: ConnectionManager::new(url),
        health: health.clone(),
    };
    let pool = Pool::builder()
        .max_size(size)
        // Open connections as they are needed, not all at start-up; skip the `SELECT 1` r2d2
        // sends before every checkout (a broken connection fails its query and is dropped).
        .min_idle(Some(1))
        .idle_timeout(Some(Duration::from_secs(60)))
        .test_on_check_out(false)
        .connection_timeout(CONNECT_TIMEOUT)
        // Health logs the outage once; r2d2 would log every retry.
        .error_handler(Box::new(NopErrorHandler))
        .build(manager)
        .map_err(|e| StartupError::Unreachable {
            url: redact_url(url),
            reason: e.to_string(),
        })?;
    Ok(PgPool {
        pool,
        health,
        waits: Waits::new(),
    })
}
