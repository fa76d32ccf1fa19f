//! The signed-in sessions a server has read lately, so that a request's session costs no
//! database round trip (it was half the Users list's queries). A cache may only say what the
//! table says:
//!
//! - Every change or deletion of a row, on any server, is announced by the table's trigger
//!   (`NOTIFY staff_sessions`, migration 000012); [`crate::jobs::session_listener`] forgets the
//!   entry as soon as PostgreSQL delivers it (milliseconds). This server's own changes are
//!   forgotten before the request that made them answers.
//! - The cache is used only while the listener is connected and listening: when its connection
//!   fails, every entry is dropped and each request reads its row again until it is back.
//! - An entry is stored only if nothing was forgotten between the read of its row and the
//!   store ([`SessionCache::generation`]): a deletion announced meanwhile cannot be undone by a
//!   slow read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use crate::services::sessions::SessionRow;

/// The token hash a row is found by.
pub type TokenHash = [u8; 32];

pub struct SessionCache {
    entries: Mutex<HashMap<TokenHash, SessionRow>>,
    /// Counts every forgetting; see [`SessionCache::put`].
    generation: AtomicU64,
    /// Whether changes are being heard, and so whether entries may be used.
    listening: AtomicBool,
    capacity: usize,
    hits: AtomicU64,
}

impl SessionCache {
    /// A cache of at most `capacity` sessions (0: none is ever kept).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            capacity,
            hits: AtomicU64::new(0),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<TokenHash, SessionRow>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The session of `hash`, if kept and changes are being heard.
    pub fn get(&self, hash: &TokenHash) -> Option<SessionRow> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let row = self.entries().get(hash).cloned();
        if row.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        row
    }

    /// Take before reading a row, give to [`SessionCache::put`] after.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a row read from the table, unless anything was forgotten since `generation` was
    /// taken (its change may have been this row's). A full cache starts again empty: simple,
    /// and each session is read once more.
    pub fn put(&self, hash: TokenHash, row: SessionRow, generation: u64) {
        if self.capacity == 0 || !self.listening.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries();
        // Checked under the lock: `forget` bumps the generation under it too.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(hash, row);
    }

    /// Forgets one session (its row changed or went).
    pub fn forget(&self, hash: &TokenHash) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.remove(hash);
    }

    /// Forgets every session of a staff member (all of them ended at once).
    pub fn forget_staff(&self, staff_id: i64) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, row| row.staff_id != staff_id);
    }

    /// Forgets every session (a change announced without saying which).
    pub fn forget_all(&self) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// The listener lost its connection: nothing kept can be trusted until it is back.
    pub fn stop_listening(&self) {
        self.listening.store(false, Ordering::Release);
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// The listener is listening (LISTEN succeeded): entries may be kept and used.
    pub fn start_listening(&self) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
        self.listening.store(true, Ordering::Release);
    }

    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// Requests whose session came from the cache, for `/metrics`.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, staff_id: i64) -> SessionRow {
        SessionRow {
            id,
            staff_id,
            signed_in_at: chrono::Utc::now(),
            last_seen_at: chrono::Utc::now(),
            browser: String::new(),
            sheet_key_masked: None,
            state: serde_json::json!({}),
        }
    }

    #[test]
    fn nothing_is_kept_or_used_while_changes_are_not_heard() {
        let cache = SessionCache::new(10);
        cache.put([1; 32], row(1, 7), cache.generation());
        assert_eq!(cache.get(&[1; 32]), None, "not listening: not kept");
        cache.start_listening();
        cache.put([1; 32], row(1, 7), cache.generation());
        assert_eq!(cache.get(&[1; 32]).map(|r| r.id), Some(1));
        cache.stop_listening();
        assert_eq!(cache.get(&[1; 32]), None, "dropped when the listener goes");
        cache.start_listening();
        assert_eq!(cache.get(&[1; 32]), None, "and not back when it returns");
        assert_eq!(cache.hits(), 1);
    }

    #[test]
    fn a_row_read_before_a_change_was_heard_is_not_kept() {
        let cache = SessionCache::new(10);
        cache.start_listening();
        let before_read = cache.generation();
        cache.forget(&[2; 32]); // announced while the row was being read
        cache.put([2; 32], row(2, 7), before_read);
        assert_eq!(cache.get(&[2; 32]), None);
    }

    #[test]
    fn forgets_one_session_or_all_of_a_member_and_stays_bounded() {
        let cache = SessionCache::new(3);
        cache.start_listening();
        for (n, staff) in [(1u8, 7), (2, 7), (3, 8)] {
            cache.put([n; 32], row(n.into(), staff), cache.generation());
        }
        cache.forget(&[3; 32]);
        assert_eq!(cache.get(&[3; 32]), None);
        cache.forget_staff(7);
        assert_eq!((cache.get(&[1; 32]), cache.get(&[2; 32])), (None, None));
        for n in 10..20u8 {
            cache.put([n; 32], row(n.into(), 9), cache.generation());
        }
        assert!(cache.entries().len() <= 3);
        assert!(SessionCache::new(0).entries().is_empty());
    }
}
