//! Staff sign-in lockout: after ten failures in a row the account is locked for a minute,
//! and each further lockout doubles the wait.

use chrono::{DateTime, Duration, Utc};

pub const FAILURES_BEFORE_LOCK: i32 = 10;
/// The doubling stops here (a minute times 2^10, about 17 hours) so the wait stays finite.
const MAX_DOUBLINGS: i32 = 10;

/// How long the account is locked the `previous_lockouts + 1`-th time.
pub fn lock_duration(previous_lockouts: i32) -> Duration {
    let doublings = previous_lockouts.clamp(0, MAX_DOUBLINGS) as u32;
    Duration::minutes(1) * 2_i32.pow(doublings)
}

/// What a failed attempt does to the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    pub failed_attempts: i32,
    pub lockouts: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

pub fn after_failure(failed_attempts: i32, lockouts: i32, now: DateTime<Utc>) -> AfterFailure {
    let failed = failed_attempts + 1;
    if failed >= FAILURES_BEFORE_LOCK {
        AfterFailure {
            failed_attempts: 0,
            lockouts: lockouts + 1,
            locked_until: Some(now + lock_duration(lockouts)),
        }
    } else {
        AfterFailure {
            failed_attempts: failed,
            lockouts,
            locked_until: None,
        }
    }
}

pub fn is_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    locked_until.is_some_and(|until| until > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lock_is_one_minute_then_doubles() {
        assert_eq!(lock_duration(0), Duration::minutes(1));
        assert_eq!(lock_duration(1), Duration::minutes(2));
        assert_eq!(lock_duration(3), Duration::minutes(8));
        assert_eq!(lock_duration(50), Duration::minutes(1024));
    }

    #[test]
    fn ninth_failure_does_not_lock_tenth_does() {
        let now = Utc::now();
        let ninth = after_failure(8, 0, now);
        assert_eq!(ninth.failed_attempts, 9);
        assert_eq!(ninth.locked_until, None);
        let tenth = after_failure(9, 0, now);
        assert_eq!(tenth.failed_attempts, 0);
        assert_eq!(tenth.lockouts, 1);
        assert_eq!(tenth.locked_until, Some(now + Duration::minutes(1)));
        let next_round = after_failure(9, 1, now);
        assert_eq!(next_round.locked_until, Some(now + Duration::minutes(2)));
    }

    #[test]
    fn lock_ends_at_its_time() {
        let now = Utc::now();
        assert!(is_locked(Some(now + Duration::seconds(1)), now));
        assert!(!is_locked(Some(now), now));
        assert!(!is_locked(None, now));
    }
}
