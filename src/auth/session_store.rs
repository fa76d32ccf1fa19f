//! actix-session's store: anonymous sessions in the (encrypted) cookie, signed-in ones in
//! PostgreSQL, so that they can be revoked.
//!
//! - An anonymous session (a CSRF token before sign-in) is `a.` + its state, inside the cookie
//!   that actix-session encrypts and authenticates with the server's key: a flood of sign-in
//!   pages and refused attempts never writes a row.
//! - A signed-in session is `s.` + 32 random bytes. Its row in `staff_sessions` is found by the
//!   SHA-256 of those bytes, so the table alone signs no one in, and a deleted row ends the
//!   session on every server at its next request.
//! - The credentials pages' key (see `services::credentials::SheetKey`) is stored masked with a
//!   pad derived from the cookie's secret, so neither a dump nor a backup of the table opens a
//!   sealed credentials sheet. A renewed session re-masks it under its new secret.
//!
//! A store that cannot reach the database fails the request; [`session_boundary`] turns that
//! into the 503 page (the error pages inside the session layer never see it).

use std::collections::HashMap;
use std::sync::Arc;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::session_cache::{SessionCache, TokenHash};
use crate::db::PgPool;
use crate::error::AppError;
use crate::services::sessions::{self, SessionRow, SessionWrite};

/// actix-session's state: each value is a JSON document.
type State = HashMap<String, String>;

/// The session keys the store keeps in columns rather than in `state`.
pub const STAFF_ID: &str = "staff_id";
pub const SIGNED_IN_AT: &str = "signed_in_at";
pub const LAST_SEEN: &str = "last_seen";
pub const BROWSER: &str = "browser";
/// The credentials pages' key: masked in the row, never written in plain.
pub const SHEET_SECRET: &str = "cred_key";
/// The row's id, given to the request (for "this browser" on the Account page), never saved.
pub const SESSION_ID: &str = "session_id";

const ANONYMOUS: &str = "a.";
const SIGNED_IN: &str = "s.";
/// Longer anonymous state is refused: actix-session's cookie holds about 4 KB.
const MAX_ANONYMOUS_STATE: usize = 2048;
/// How much of a User-Agent the Account page shows.
pub const MAX_BROWSER_CHARS: usize = 200;

#[derive(Clone)]
pub struct PgSessionStore {
    pool: PgPool,
    /// Rows read lately, shared by the server's workers (see `auth::session_cache`).
    cache: Arc<SessionCache>,
}

impl PgSessionStore {
    pub fn new(pool: PgPool, cache: Arc<SessionCache>) -> Self {
        Self { pool, cache }
    }

    /// The row of a signed-in session: from the cache, else one primary-key read (kept).
    async fn find(&self, hash: TokenHash) -> Result<Option<SessionRow>, AppError> {
        if let Some(row) = self.cache.get(&hash) {
            return Ok(Some(row));
        }
        let generation = self.cache.generation();
        let row = crate::db::run(&self.pool, move |conn| Ok(sessions::find(conn, &hash)?)).await?;
        if let Some(row) = &row {
            self.cache.put(hash, row.clone(), generation);
        }
        Ok(row)
    }
}

/// What a cookie's session key says.
#[derive(Debug, PartialEq)]
enum Key {
    Anonymous(State),
    SignedIn([u8; 32]),
    /// Not one of ours (an old cookie-store session, or garbage): a fresh session.
    Unknown,
}

fn parse_key(key: &str) -> Key {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    if let Some(state) = key.strip_prefix(ANONYMOUS) {
        let decoded = engine
            .decode(state)
            .ok()
            .and_then(|b| serde_json::from_slice::<State>(&b).ok());
        return match decoded {
            // Only the database says who is signed in.
            Some(mut state) => {
                state.remove(STAFF_ID);
                Key::Anonymous(state)
            }
            None => Key::Unknown,
        };
    }
    if let Some(secret) = key.strip_prefix(SIGNED_IN) {
        if let Some(secret) = engine.decode(secret).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) {
            return Key::SignedIn(secret);
        }
    }
    Key::Unknown
}

fn anonymous_key(state: &State) -> Result<SessionKey, anyhow::Error> {
    let json = serde_json::to_vec(state)?;
    anyhow::ensure!(json.len() <= MAX_ANONYMOUS_STATE, "anonymous session state too large");
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    Ok(SessionKey::try_from(format!("{ANONYMOUS}{encoded}"))?)
}

fn signed_in_key(secret: &[u8; 32]) -> Result<SessionKey, anyhow::Error> {
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    Ok(SessionKey::try_from(format!("{SIGNED_IN}{encoded}"))?)
}

/// The row's key: what the table holds instead of the cookie's secret.
fn token_hash(secret: &[u8; 32]) -> TokenHash {
    Sha256::digest(secret).into()
}

/// The pad that masks the sheet key: derived from the cookie's secret, so the row alone is not
/// enough. Another context string than [`token_hash`]'s, so the table's key is not the pad.
fn sheet_pad(secret: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"partnerdesk credentials sheet key pad v1\0");
    hasher.update(secret);
    hasher.finalize().into()
}

fn xor(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    std::array::from_fn(|i| a[i] ^ b[i])
}

fn new_secret() -> [u8; 32] {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    secret
}

/// Reads one of actix-session's JSON values.
fn value<T: serde::de::DeserializeOwned>(state: &State, key: &str) -> Option<T> {
    state.get(key).and_then(|v| serde_json::from_str(v).ok())
}

fn put(state: &mut State, key: &str, value: impl serde::Serialize) {
    state.insert(key.to_string(), serde_json::to_string(&value).unwrap_or_default());
}

fn timestamp(seconds: Option<i64>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(seconds?, 0)
}

/// Splits a signed-in session's state into its row; `None` for a session without a staff
/// member (anonymous) or without the timestamps `auth::session::start` writes.
fn to_row(state: &State, secret: &[u8; 32]) -> Option<SessionWrite> {
    let staff_id = value::<i64>(state, STAFF_ID)?;
    let signed_in_at = timestamp(value(state, SIGNED_IN_AT))?;
    let last_seen_at = timestamp(value(state, LAST_SEEN))?;
    let engine = base64::engine::general_purpose::STANDARD;
    let sheet_key_masked = value::<String>(state, SHEET_SECRET)
        .and_then(|encoded| engine.decode(encoded).ok())
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(|key| xor(&key, &sheet_pad(secret)).to_vec());
    let rest: serde_json::Map<String, serde_json::Value> = state
        .iter()
        .filter(|(k, _)| ![STAFF_ID, SIGNED_IN_AT, LAST_SEEN, BROWSER, SHEET_SECRET, SESSION_ID].contains(&k.as_str()))
        .filter_map(|(k, v)| Some((k.clone(), serde_json::from_str(v).ok()?)))
        .collect();
    Some(SessionWrite {
        staff_id,
        signed_in_at,
        last_seen_at,
        browser: value::<String>(state, BROWSER).unwrap_or_default(),
        sheet_key_masked,
        state: serde_json::Value::Object(rest),
    })
}

/// The state a request sees for a row: its own keys, and the sheet key unmasked.
fn from_row(row: SessionRow, secret: &[u8; 32]) -> State {
    let mut state: State = match row.state {
        serde_json::Value::Object(map) => map.into_iter().map(|(k, v)| (k, v.to_string())).collect(),
        _ => State::new(),
    };
    put(&mut state, STAFF_ID, row.staff_id);
    put(&mut state, SIGNED_IN_AT, row.signed_in_at.timestamp());
    put(&mut state, LAST_SEEN, row.last_seen_at.timestamp());
    put(&mut state, BROWSER, row.browser);
    put(&mut state, SESSION_ID, row.id);
    let sheet_key = row
        .sheet_key_masked
        .and_then(|masked| <[u8; 32]>::try_from(masked).ok())
        .map(|masked| xor(&masked, &sheet_pad(secret)));
    if let Some(key) = sheet_key {
        put(
            &mut state,
            SHEET_SECRET,
            base64::engine::general_purpose::STANDARD.encode(key),
        );
    }
    state
}

fn unavailable(error: AppError) -> anyhow::Error {
    tracing::warn!(error = %error, "session store: the database did not answer");
    anyhow::anyhow!("session store: {error}")
}

impl PgSessionStore {
    async fn insert(&self, state: State) -> Result<SessionKey, anyhow::Error> {
        let secret = new_secret();
        let Some(row) = to_row(&state, &secret) else {
            return anonymous_key(&state);
        };
        let hash = token_hash(&secret);
        crate::db::run(&self.pool, move |conn| Ok(sessions::insert(conn, &hash, &row)?))
            .await
            .map_err(unavailable)?;
        signed_in_key(&secret)
    }

    async fn delete_row(&self, secret: &[u8; 32]) -> Result<(), anyhow::Error> {
        let hash = token_hash(secret);
        let deleted = crate::db::run(&self.pool, move |conn| Ok(sessions::delete(conn, &hash)?)).await;
        self.cache.forget(&hash);
        deleted.map_err(unavailable)
    }
}

impl SessionStore for PgSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        match parse_key(session_key.as_ref()) {
            Key::Anonymous(state) => Ok(Some(state)),
            Key::Unknown => Ok(None),
            Key::SignedIn(secret) => {
                let row = self
                    .find(token_hash(&secret))
                    .await
                    .map_err(|e| LoadError::Other(unavailable(e)))?;
                Ok(row.map(|row| from_row(row, &secret)))
            }
        }
    }

    async fn save(&self, state: State, _ttl: &Duration) -> Result<SessionKey, SaveError> {
        self.insert(state).await.map_err(SaveError::Other)
    }

    async fn update(&self, session_key: SessionKey, state: State, _ttl: &Duration) -> Result<SessionKey, UpdateError> {
        let Key::SignedIn(secret) = parse_key(session_key.as_ref()) else {
            // Anonymous until now: signing in renews the session, so this is more anonymous
            // state, or (defensively) a new row.
            return self.insert(state).await.map_err(UpdateError::Other);
        };
        let Some(row) = to_row(&state, &secret) else {
            // No longer signed in: the row goes, the rest stays in the cookie.
            self.delete_row(&secret).await.map_err(UpdateError::Other)?;
            return anonymous_key(&state).map_err(UpdateError::Other);
        };
        let hash = token_hash(&secret);
        let kept = crate::db::run(&self.pool, move |conn| Ok(sessions::update(conn, &hash, &row)?)).await;
        self.cache.forget(&hash);
        let kept = kept.map_err(|e| UpdateError::Other(unavailable(e)))?;
        if kept {
            Ok(session_key)
        } else {
            // Revoked while this request ran: it stays revoked.
            anonymous_key(&State::new()).map_err(UpdateError::Other)
        }
    }

    async fn update_ttl(&self, _session_key: &SessionKey, _ttl: &Duration) -> Result<(), anyhow::Error> {
        // Expiry is the absolute and idle timeouts of `auth::session`, not a TTL.
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        match parse_key(session_key.as_ref()) {
            Key::SignedIn(secret) => self.delete_row(&secret).await,
            Key::Anonymous(_) | Key::Unknown => Ok(()),
        }
    }
}

/// Paths that never need a session: probes and static files. Their requests reach the session
/// layer without the cookie, so they cost no database read and a probe of a live process does
/// not fail because the database is down.
fn sessionless(path: &str) -> bool {
    path.starts_with("/static/") || path.starts_with("/health") || path == "/favicon.ico" || path == "/metrics"
}

/// Around the session layer: keeps [`sessionless`] requests out of the session (no cookie in,
/// none out), and gives a request
/// the session store failed (the database is down) the 503 page in the visitor's language
/// instead of actix-session's empty 500.
pub async fn session_boundary(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let without_session = sessionless(req.path());
    if without_session {
        req.headers_mut().remove(actix_web::http::header::COOKIE);
    }
    // Read now: the request is gone by the time the session layer fails.
    let lang = crate::auth::session::request_lang(req.request());
    match next.call(req).await {
        Ok(mut res) => {
            if without_session {
                // An error page drawn for such a path made a session of its own (for its
                // forms' token): its cookie must not replace the visitor's real one.
                res.headers_mut().remove(actix_web::http::header::SET_COOKIE);
            }
            Ok(res.map_into_boxed_body())
        }
        // Only the session layer fails a request (handlers' errors are answers by now).
        Err(_) => Err(crate::error::SessionStoreDown(lang).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pairs: &[(&str, &str)]) -> State {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn signed_in_state() -> State {
        state(&[
            (STAFF_ID, "7"),
            (SIGNED_IN_AT, "1764806400"),
            (LAST_SEEN, "1764806460"),
            (BROWSER, "\"Firefox\""),
            ("csrf", "\"token\""),
            (SHEET_SECRET, "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\""),
        ])
    }

    #[test]
    fn anonymous_state_travels_in_the_key_but_never_a_staff_id() {
        let key = anonymous_key(&state(&[("csrf", "\"abc\""), (STAFF_ID, "7")])).unwrap();
        let Key::Anonymous(back) = parse_key(key.as_ref()) else {
            panic!("not anonymous")
        };
        assert_eq!(back, state(&[("csrf", "\"abc\"")]));
    }

    #[test]
    fn anonymous_state_is_bounded() {
        let big = "x".repeat(MAX_ANONYMOUS_STATE);
        assert!(anonymous_key(&state(&[("csrf", &format!("\"{big}\""))])).is_err());
    }

    #[test]
    fn a_signed_in_key_is_its_secret_and_foreign_keys_are_unknown() {
        let secret = new_secret();
        let key = signed_in_key(&secret).unwrap();
        assert_eq!(parse_key(key.as_ref()), Key::SignedIn(secret));
        assert_eq!(parse_key("s.short"), Key::Unknown);
        assert_eq!(parse_key("{\"staff_id\":\"1\"}"), Key::Unknown);
        assert_eq!(parse_key("a.!!"), Key::Unknown);
    }

    #[test]
    fn the_table_holds_a_hash_and_a_masked_sheet_key_never_the_secrets() {
        let secret = new_secret();
        let row = to_row(&signed_in_state(), &secret).unwrap();
        let plain: Vec<u8> = (0u8..32).collect();
        let masked = row.sheet_key_masked.clone().unwrap();
        assert_ne!(masked, plain);
        assert_ne!(token_hash(&secret), secret);
        assert_ne!(token_hash(&secret), sheet_pad(&secret));
        // Only what is not a column stays in `state`.
        assert_eq!(row.state, serde_json::json!({"csrf": "token"}));
        assert_eq!(row.staff_id, 7);
        assert_eq!(row.browser, "Firefox");
    }

    #[test]
    fn a_row_read_back_with_its_secret_is_the_state_that_was_saved() {
        let secret = new_secret();
        let saved = signed_in_state();
        let write = to_row(&saved, &secret).unwrap();
        let row = SessionRow {
            id: 42,
            staff_id: write.staff_id,
            signed_in_at: write.signed_in_at,
            last_seen_at: write.last_seen_at,
            browser: write.browser,
            sheet_key_masked: write.sheet_key_masked,
            state: write.state,
        };
        let mut loaded = from_row(row.clone(), &secret);
        assert_eq!(loaded.remove(SESSION_ID).as_deref(), Some("42"));
        assert_eq!(loaded, saved);
        // With another secret (a forged cookie cannot find the row, but a dump's reader could
        // try): the sheet key does not come out.
        let other = from_row(row, &new_secret());
        assert_ne!(other.get(SHEET_SECRET), saved.get(SHEET_SECRET));
    }

    #[test]
    fn a_state_without_a_staff_member_is_not_a_row() {
        assert!(to_row(&state(&[("csrf", "\"abc\"")]), &new_secret()).is_none());
    }
}
