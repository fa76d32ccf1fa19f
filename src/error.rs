//! One error type for every handler, mapped to a status and an HTML page in the visitor's
//! language (the page itself is rendered by `startup::render_error_pages`, which knows the
//! request). Internal errors log their whole cause chain; the page shows none of it.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::auth::Permission;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: needs {0:?}")]
    Forbidden(Permission),
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("sign-in required")]
    SignInRequired(Option<String>),
    #[error("password change required")]
    MustChangePassword,
    #[error("bad request")]
    BadRequest,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

impl AppError {
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::internal(other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::internal(error)
    }
}

/// What kind of error page to draw; travels in the response's extensions.
#[derive(Debug, Clone)]
pub enum ErrorPage {
    NotFound,
    Forbidden(Permission),
    Csrf,
    BadRequest,
    PayloadTooLarge,
    Unprocessable,
    Internal,
}

impl ErrorPage {
    pub fn status(&self) -> StatusCode {
        match self {
            ErrorPage::NotFound => StatusCode::NOT_FOUND,
            ErrorPage::Forbidden(_) | ErrorPage::Csrf => StatusCode::FORBIDDEN,
            ErrorPage::BadRequest => StatusCode::BAD_REQUEST,
            ErrorPage::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorPage::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorPage::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Picks the page for a status produced outside our handlers (actix extractors, routing).
    pub fn for_status(status: StatusCode) -> Option<ErrorPage> {
        match status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => Some(ErrorPage::NotFound),
            StatusCode::BAD_REQUEST => Some(ErrorPage::BadRequest),
            StatusCode::PAYLOAD_TOO_LARGE => Some(ErrorPage::PayloadTooLarge),
            StatusCode::FORBIDDEN => Some(ErrorPage::Csrf),
            StatusCode::UNPROCESSABLE_ENTITY => Some(ErrorPage::Unprocessable),
            s if s.is_server_error() => Some(ErrorPage::Internal),
            _ => None,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::SignInRequired(_) | AppError::MustChangePassword => StatusCode::SEE_OTHER,
            other => other
                .page()
                .map(|p| p.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::SignInRequired(next) => {
                let location = match next {
                    Some(path) => format!("/sign-in?next={}", encode_query_value(path)),
                    None => "/sign-in".to_string(),
                };
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, location))
                    .finish();
            }
            AppError::MustChangePassword => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/account/password"))
                    .finish();
            }
            AppError::Internal(cause) => tracing::error!(error = format!("{cause:#}"), "request failed"),
            _ => {}
        }
        let page = self.page().unwrap_or(ErrorPage::Internal);
        let mut response = HttpResponse::build(page.status()).finish();
        response.extensions_mut().insert(page);
        response
    }
}

impl AppError {
    fn page(&self) -> Option<ErrorPage> {
        Some(match self {
            AppError::NotFound => ErrorPage::NotFound,
            AppError::Forbidden(p) => ErrorPage::Forbidden(*p),
            AppError::Csrf => ErrorPage::Csrf,
            AppError::BadRequest => ErrorPage::BadRequest,
            AppError::PayloadTooLarge => ErrorPage::PayloadTooLarge,
            AppError::Internal(_) => ErrorPage::Internal,
            AppError::SignInRequired(_) | AppError::MustChangePassword => return None,
        })
    }
}

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(
            encode_query_value("/customers?q=a b&page=2"),
            "/customers%3Fq%3Da%20b%26page%3D2"
        );
    }

    #[test]
    fn sign_in_required_redirects_with_the_way_back() {
        let response = AppError::SignInRequired(Some("/customers".into())).error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(header::LOCATION).unwrap(),
            "/sign-in?next=/customers"
        );
    }
}
