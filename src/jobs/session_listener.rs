//! Hears every change of a staff session, on any server, and makes this server's
//! [`SessionCache`] forget it: one connection of its own that LISTENs to `staff_sessions`
//! (announced by the table's trigger) and reads what arrives every few milliseconds. While it
//! has no connection the cache is not used (see `auth::session_cache`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::PgConnection;

use crate::auth::session_cache::{SessionCache, TokenHash};

/// How often arrived notifications are read: the longest a change made on another server can
/// go unheard here, on top of PostgreSQL's own delivery.
const POLL: Duration = Duration::from_millis(5);
/// A connection that has gone quiet is tested this often, so a dead one is noticed.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// Between attempts to connect while the database is away.
const RECONNECT: Duration = Duration::from_millis(500);

pub struct SessionListener {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Starts listening on a thread of its own.
pub fn spawn(database_url: String, cache: Arc<SessionCache>) -> SessionListener {
    let stop = Arc::new(AtomicBool::new(false));
    let thread = std::thread::Builder::new()
        .name("session-listener".into())
        .spawn({
            let stop = stop.clone();
            move || run(&database_url, &cache, &stop)
        })
        .expect("a thread for the session listener");
    SessionListener {
        stop,
        thread: Some(thread),
    }
}

impl SessionListener {
    /// Stops listening and closes the connection; blocks until done (within a few ms).
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(database_url: &str, cache: &SessionCache, stop: &AtomicBool) {
    let mut warned = false;
    while !stop.load(Ordering::Acquire) {
        match connect(database_url) {
            Ok(mut conn) => {
                if warned {
                    tracing::info!("session listener: connected again; sessions are kept in memory again");
                    warned = false;
                }
                cache.start_listening();
                listen(&mut conn, cache, stop);
                cache.stop_listening();
            }
            Err(error) if !warned => {
                tracing::warn!(error = %error, "session listener: cannot listen; every request reads its session until it can");
                warned = true;
            }
            Err(_) => {}
        }
        let until = Instant::now() + RECONNECT;
        while Instant::now() < until && !stop.load(Ordering::Acquire) {
            std::thread::sleep(POLL * 10);
        }
    }
}

fn connect(database_url: &str) -> anyhow::Result<PgConnection> {
    let mut conn = crate::db::connect_own(database_url)?;
    conn.batch_execute("LISTEN staff_sessions")?;
    Ok(conn)
}

/// Forgets what is announced until the connection fails or the server stops.
fn listen(conn: &mut PgConnection, cache: &SessionCache, stop: &AtomicBool) {
    let mut checked = Instant::now();
    while !stop.load(Ordering::Acquire) {
        for notification in conn.notifications_iter() {
            match notification {
                Ok(notice) => match from_hex(&notice.payload) {
                    Some(hash) => cache.forget(&hash),
                    // Not a hash we made: which session changed is unknown, so all are.
                    None => cache.forget_all(),
                },
                Err(error) => {
                    tracing::warn!(error = %error, "session listener: the connection failed");
                    return;
                }
            }
        }
        if checked.elapsed() >= HEARTBEAT {
            if let Err(error) = conn.batch_execute("SELECT 1") {
                tracing::warn!(error = %error, "session listener: the connection failed");
                return;
            }
            checked = Instant::now();
        }
        std::thread::sleep(POLL);
    }
}

/// The 32-byte hash of a notification's payload (64 hex digits).
fn from_hex(payload: &str) -> Option<TokenHash> {
    let bytes = payload.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut hash = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        hash[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_hash_postgresql_encodes() {
        let mut expected = [0u8; 32];
        expected[0] = 0xab;
        expected[31] = 0x09;
        let payload = format!("ab{}09", "00".repeat(30));
        assert_eq!(from_hex(&payload), Some(expected));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex(&"zz".repeat(32)), None);
    }
}
