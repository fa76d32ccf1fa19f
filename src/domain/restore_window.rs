//! The 30-day restore window for deleted users, used by the Deleted users tab (days left),
//! by restore (still allowed?) and by purge (gone for good), so all three agree.

use chrono::{DateTime, Duration, Utc};

pub const RESTORE_DAYS: i64 = 30;

/// When a user deleted at `deleted_at` is purged.
pub fn purge_at(deleted_at: DateTime<Utc>) -> DateTime<Utc> {
    deleted_at + Duration::days(RESTORE_DAYS)
}

/// Restorable while the 30 days have not fully passed.
pub fn is_restorable(deleted_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < purge_at(deleted_at)
}

/// Users deleted before this moment are due for purging.
pub fn purge_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(RESTORE_DAYS)
}

/// Whole days left to restore, rounded up: 30 right after deletion, 1 on the last day, 0 when due.
pub fn days_left(deleted_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let left = purge_at(deleted_at) - now;
    if left <= Duration::zero() {
        return 0;
    }
    let seconds = left.num_seconds();
    (seconds + 86_399) / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_right_after_deleting() {
        let t = Utc::now();
        assert_eq!(days_left(t, t), 30);
        assert_eq!(days_left(t, t + Duration::seconds(1)), 30);
        assert_eq!(days_left(t, t + Duration::days(1)), 29);
    }

    #[test]
    fn edges_of_the_window() {
        let t = Utc::now();
        let last_second = t + Duration::days(30) - Duration::seconds(1);
        assert!(is_restorable(t, last_second));
        assert_eq!(days_left(t, last_second), 1);
        let end = t + Duration::days(30);
        assert!(!is_restorable(t, end));
        assert_eq!(days_left(t, end), 0);
        assert!(
            purge_cutoff(end) >= t,
            "due for purge exactly when no longer restorable"
        );
        assert!(purge_cutoff(last_second) < t);
    }
}
