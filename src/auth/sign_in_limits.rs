//! Rate limits on sign-in attempts, per client address and per account, so that nobody can try
//! passwords faster than a person types them. Refused attempts get 429 with Retry-After before
//! any password is checked.

use std::hash::Hash;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// Above this many remembered keys, keys that are back to a full allowance are forgotten, so a
/// flood from many addresses or emails cannot grow the maps without end.
const KEYS_BEFORE_CLEANUP: usize = 10_000;

pub struct SignInLimits {
    per_address: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
}

impl SignInLimits {
    /// Each limit allows a burst of that many attempts, then one every minute / limit.
    pub fn new(per_address_per_minute: u32, per_account_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"));
        Self {
            per_address: RateLimiter::keyed(quota(per_address_per_minute)),
            per_account: RateLimiter::keyed(quota(per_account_per_minute)),
        }
    }

    /// Takes one attempt from both allowances, or says how many seconds to wait.
    pub fn check(&self, address: &str, email: &str) -> Result<(), AppError> {
        let account = email.trim().to_lowercase();
        take(&self.per_address, address.to_string())?;
        take(&self.per_account, account)
    }
}

fn take<K: Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>, key: K) -> Result<(), AppError> {
    if limiter.len() > KEYS_BEFORE_CLEANUP {
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }
    limiter.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::TooManyRequests(wait.as_secs() + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_and_each_account_has_its_own_allowance() {
        let limits = SignInLimits::new(2, 3);
        assert!(limits.check("192.0.2.1", "a@x.example").is_ok());
        assert!(limits.check("192.0.2.1", "b@x.example").is_ok());
        assert!(matches!(
            limits.check("192.0.2.1", "c@x.example"),
            Err(AppError::TooManyRequests(s)) if (1..=31).contains(&s)
        ));
        assert!(limits.check("192.0.2.2", "A@x.example").is_ok());
        assert!(limits.check("192.0.2.3", "a@x.example").is_ok());
        assert!(
            matches!(
                limits.check("192.0.2.4", " a@X.example"),
                Err(AppError::TooManyRequests(_))
            ),
            "the account's third attempt, from any address"
        );
    }
}
