//! What every handler can reach: the pool, the clock, the settings, and the Users list's
//! in-memory directories.

use crate::auth::sign_in_limits::SignInLimits;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::PgPool;
use crate::metrics::Metrics;
use crate::services::user_directory::DirectoryCache;
use crate::workers::Workers;

/// What every handler can reach.
pub struct AppState {
    pub pool: PgPool,
    pub clock: Clock,
    pub settings: Settings,
    /// The Users list's in-memory directories of recently listed customers.
    pub directories: DirectoryCache,
    /// The bounded workers every staff password check and hash runs on.
    pub password_workers: Workers,
    /// The bounded workers that read and check uploaded files (each holds a file in memory).
    pub upload_workers: Workers,
    pub sign_in_limits: SignInLimits,
    /// The same limits for the second step of a sign-in (the code), counted apart.
    pub factor_limits: SignInLimits,
    /// Passkeys' relying party, for the public URL; None when its host cannot carry passkeys.
    pub webauthn: Option<std::sync::Arc<webauthn_rs::Webauthn>>,
    /// The signed-in sessions read lately; forget a member's after ending their sessions.
    pub sessions: std::sync::Arc<crate::auth::session_cache::SessionCache>,
    /// What `/metrics` reports.
    pub metrics: Metrics,
}
