//! Synchronizer CSRF tokens: 32 random bytes kept in the session, sent back in a hidden field
//! and compared in constant time. Every POST handler takes its form through [`CsrfForm`], so a
//! form without a valid token never reaches a handler.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use base64::Engine;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::error::AppError;

const SESSION_KEY: &str = "csrf";
pub const FIELD: &str = "csrf_token";
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The session's token, made on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(SESSION_KEY) {
        return existing;
    }
    let fresh = new_token();
    let _ = session.insert(SESSION_KEY, &fresh);
    fresh
}

/// A new token after sign-in, so a token seen before sign-in is worthless after it.
pub fn rotate(session: &Session) -> String {
    let fresh = new_token();
    let _ = session.insert(SESSION_KEY, &fresh);
    fresh
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks a submitted token against the session's.
pub fn verify(session: &Session, submitted: &str) -> Result<(), AppError> {
    let expected = session
        .get::<String>(SESSION_KEY)
        .ok()
        .flatten()
        .ok_or(AppError::Csrf)?;
    if expected.as_bytes().ct_eq(submitted.as_bytes()).into() {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf_token: String,
}

/// An url-encoded form whose CSRF token has been checked. Repeated fields (`id=1&id=2`) read
/// into `Vec`s. A form carrying a NUL byte is refused (400) here, once for every field of
/// every form, since PostgreSQL cannot store it.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|_| AppError::BadRequest)?;
            let TokenOnly { csrf_token } = serde_html_form::from_bytes(&body).map_err(|_| AppError::Csrf)?;
            verify(&session, &csrf_token)?;
            if crate::url::carries_nul(&body) {
                return Err(AppError::BadRequest);
            }
            let form = serde_html_form::from_bytes::<T>(&body).map_err(|e| {
                tracing::debug!(error = %e, "form did not parse");
                AppError::BadRequest
            })?;
            Ok(CsrfForm(form))
        })
    }
}

/// Body size limit for url-encoded forms (a selection of 10,000 user ids fits).
pub fn form_limit() -> web::PayloadConfig {
    web::PayloadConfig::new(BODY_LIMIT)
}
