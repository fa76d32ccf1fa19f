//! Staff sign-in lockout, smart as Entra's is: failures are counted per account *and* client
//! address, so ten wrong tries from one address lock out only that address. The first lock lasts a
//! minute, each further lock of the same address doubles it, and no lock lasts over 15 minutes,
//! so nobody can keep someone else out for long.

use chrono::{DateTime, Duration, Utc};

pub const FAILURES_BEFORE_LOCK: i32 = 10;
/// The longest any lock lasts, whatever the number of locks before it.
pub const MAX_LOCK: Duration = Duration::minutes(15);

/// How long an address is locked the `previous_lockouts + 1`-th time.
pub fn lock_duration(previous_lockouts: i32) -> Duration {
    let doublings = previous_lockouts.clamp(0, 8) as u32;
    (Duration::minutes(1) * 2_i32.pow(doublings)).min(MAX_LOCK)
}

/// One account's counters for one client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    pub failures: i32,
    pub lockouts: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub refused_while_locked: i32,
}

/// What an attempt from a locked address does, and what a wrong password does otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Refused unseen while locked: only counted.
    WhileLocked(Counters),
    /// A wrong password that did not (yet) lock.
    Wrong(Counters),
    /// The wrong password that locked this address.
    LockedNow(Counters),
}

impl Failure {
    pub fn counters(&self) -> Counters {
        match *self {
            Failure::WhileLocked(c) | Failure::Wrong(c) | Failure::LockedNow(c) => c,
        }
    }
}

pub fn is_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    locked_until.is_some_and(|until| until > now)
}

/// The counters after a refused attempt. A lock that has ended starts a new round of failures;
/// the attempts refused while locked add up until a success or an unlock clears them.
pub fn after_failure(before: Counters, now: DateTime<Utc>) -> Failure {
    if is_locked(before.locked_until, now) {
        return Failure::WhileLocked(Counters {
            refused_while_locked: before.refused_while_locked + 1,
            ..before
        });
    }
    let failures = before.failures + 1;
    if failures >= FAILURES_BEFORE_LOCK {
        Failure::LockedNow(Counters {
            failures: 0,
            lockouts: before.lockouts + 1,
            locked_until: Some(now + lock_duration(before.lockouts)),
            refused_while_locked: before.refused_while_locked,
        })
    } else {
        Failure::Wrong(Counters { failures, ..before })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lock_is_one_minute_then_doubles_up_to_fifteen() {
        assert_eq!(lock_duration(0), Duration::minutes(1));
        assert_eq!(lock_duration(1), Duration::minutes(2));
        assert_eq!(lock_duration(3), Duration::minutes(8));
        assert_eq!(lock_duration(4), Duration::minutes(15));
        assert_eq!(lock_duration(50), Duration::minutes(15));
    }

    #[test]
    fn ninth_failure_does_not_lock_tenth_does() {
        let now = Utc::now();
        let ninth = after_failure(
            Counters {
                failures: 8,
                ..Counters::default()
            },
            now,
        );
        assert!(matches!(ninth, Failure::Wrong(c) if c.failures == 9 && c.locked_until.is_none()));
        let tenth = after_failure(ninth.counters(), now);
        assert_eq!(
            tenth,
            Failure::LockedNow(Counters {
                failures: 0,
                lockouts: 1,
                locked_until: Some(now + Duration::minutes(1)),
                refused_while_locked: 0,
            })
        );
    }

    #[test]
    fn attempts_while_locked_are_counted_and_do_not_extend_the_lock() {
        let now = Utc::now();
        let locked = Counters {
            lockouts: 1,
            locked_until: Some(now + Duration::minutes(1)),
            ..Counters::default()
        };
        let once = after_failure(locked, now);
        let twice = after_failure(once.counters(), now);
        assert_eq!(
            twice,
            Failure::WhileLocked(Counters {
                refused_while_locked: 2,
                ..locked
            })
        );
    }

    #[test]
    fn after_a_lock_ends_a_new_round_begins_and_the_next_lock_is_longer() {
        let now = Utc::now();
        let ended = Counters {
            lockouts: 1,
            locked_until: Some(now),
            refused_while_locked: 5,
            ..Counters::default()
        };
        let first = after_failure(ended, now);
        assert!(matches!(first, Failure::Wrong(c) if c.failures == 1 && c.refused_while_locked == 5));
        let mut counters = first.counters();
        for _ in 0..8 {
            counters = after_failure(counters, now).counters();
        }
        let locked = after_failure(counters, now);
        assert!(matches!(
            locked,
            Failure::LockedNow(c) if c.locked_until == Some(now + Duration::minutes(2)) && c.refused_while_locked == 5
        ));
    }

    #[test]
    fn lock_ends_at_its_time() {
        let now = Utc::now();
        assert!(is_locked(Some(now + Duration::seconds(1)), now));
        assert!(!is_locked(Some(now), now));
        assert!(!is_locked(None, now));
    }
}
