//! One error type for every handler, mapped to a status and an HTML page in the visitor's
//! language (the page itself is drawn by [`render_error_pages`], a middleware that knows the
//! request). Internal errors log their whole cause chain; the page shows none of it.

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::auth::session::{request_lang, Ui};
use crate::auth::{csrf, Permission, Role};
use crate::i18n::{Lang, Tr};

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
    /// The partner requires a second factor and the member has none yet.
    #[error("second factor enrolment required")]
    MustEnrolSecondFactor,
    #[error("bad request")]
    BadRequest,
    #[error("payload too large")]
    PayloadTooLarge,
    /// Too many sign-in attempts from this address or for this account; retry after the seconds.
    #[error("too many requests")]
    TooManyRequests(u64),
    /// Every password worker is taken and the queue in front of them is full.
    #[error("busy")]
    Busy,
    /// The database refuses connections or closed ours: a 503 the visitor may retry, not a 500.
    #[error("the database is unavailable")]
    DatabaseUnavailable,
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
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => AppError::DatabaseUnavailable,
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
    /// 429 with the seconds to wait.
    TooManyRequests(u64),
    /// 503: the server is too busy right now.
    Busy,
    DatabaseUnavailable,
    Internal,
}

/// How long a busy server asks to be left alone (a few password checks' time, and then some).
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

/// How many seconds a visitor (or a balancer) is told to wait before retrying when the
/// database is unavailable: about what a PostgreSQL restart takes; the pool itself reconnects
/// within a second of the database being back.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// Marks an error answer that is complete as it is (a probe's plain text), so that
/// [`render_error_pages`] leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct OwnBody;

impl ErrorPage {
    pub fn status(&self) -> StatusCode {
        match self {
            ErrorPage::NotFound => StatusCode::NOT_FOUND,
            ErrorPage::Forbidden(_) | ErrorPage::Csrf => StatusCode::FORBIDDEN,
            ErrorPage::BadRequest => StatusCode::BAD_REQUEST,
            ErrorPage::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorPage::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorPage::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ErrorPage::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ErrorPage::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorPage::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page's title, message and, for a refusal, the roles that would be allowed.
    fn texts(&self, t: &Tr) -> (String, String, Vec<String>) {
        match self {
            ErrorPage::NotFound => (t.get("error-404-title"), t.get("error-404-text"), vec![]),
            ErrorPage::Forbidden(p) => (
                t.get("error-403-title"),
                t.get("error-403-text"),
                Role::holding(*p).into_iter().map(|r| t.get(&r.label_key())).collect(),
            ),
            ErrorPage::Csrf => (t.get("error-csrf-title"), t.get("error-csrf-text"), vec![]),
            ErrorPage::BadRequest => (t.get("error-400-title"), t.get("error-400-text"), vec![]),
            ErrorPage::PayloadTooLarge => (t.get("error-413-title"), t.get("error-413-text"), vec![]),
            ErrorPage::Unprocessable => (t.get("error-422-title"), t.get("error-422-text"), vec![]),
            ErrorPage::TooManyRequests(seconds) => (
                t.get("error-429-title"),
                t.args("error-429-text", &[("seconds", seconds.to_string())]),
                vec![],
            ),
            ErrorPage::Busy => (t.get("error-503-busy-title"), t.get("error-503-busy-text"), vec![]),
            ErrorPage::DatabaseUnavailable => (t.get("error-503-db-title"), t.get("error-503-db-text"), vec![]),
            ErrorPage::Internal => (t.get("error-500-title"), t.get("error-500-text"), vec![]),
        }
    }

    /// The seconds for a `Retry-After` header, where the page asks to come back later.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ErrorPage::TooManyRequests(seconds) => Some(*seconds),
            ErrorPage::Busy => Some(BUSY_RETRY_AFTER_SECONDS),
            ErrorPage::DatabaseUnavailable => Some(RETRY_AFTER_SECONDS),
            _ => None,
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
            AppError::SignInRequired(_) | AppError::MustChangePassword | AppError::MustEnrolSecondFactor => {
                StatusCode::SEE_OTHER
            }
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
                    Some(path) => format!("/sign-in?next={}", crate::url::encode_query_value(path)),
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
            AppError::MustEnrolSecondFactor => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/account/security"))
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
            AppError::TooManyRequests(seconds) => ErrorPage::TooManyRequests(*seconds),
            AppError::Busy => ErrorPage::Busy,
            AppError::DatabaseUnavailable => ErrorPage::DatabaseUnavailable,
            AppError::Internal(_) => ErrorPage::Internal,
            AppError::SignInRequired(_) | AppError::MustChangePassword | AppError::MustEnrolSecondFactor => {
                return None
            }
        })
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ui: Ui,
    status: u16,
    title: String,
    message: String,
    roles: Vec<String>,
    signed_in: bool,
}

/// Turns every error response without a page of its own (ours, or actix's for bad paths and
/// bodies) into an HTML page in the visitor's language with a way back.
pub async fn render_error_pages(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    let own_body = res.response().extensions().get::<OwnBody>().is_some();
    if own_body || !(status.is_client_error() || status.is_server_error()) {
        return Ok(res.map_into_boxed_body());
    }
    let page = res.response().extensions().get::<ErrorPage>().cloned();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let page = match page {
        Some(p) => p,
        None if is_html => return Ok(res.map_into_boxed_body()),
        None => match ErrorPage::for_status(status) {
            Some(p) => p,
            None => return Ok(res.map_into_boxed_body()),
        },
    };
    let (req, _) = res.into_parts();
    let session = req.get_session();
    let staff_id = session.get::<i64>("staff_id").ok().flatten();
    let csrf = csrf::token(&session);
    let t = Tr::new(request_lang(&req));
    // A refused or missing page keeps the header, the navigation and the signed-in name, so the
    // way back is where it always is: one read of the member, for 4xx pages only (a 5xx may be
    // the database itself).
    let member = match (staff_id, status.is_client_error()) {
        (Some(id), true) => match req.app_data::<actix_web::web::Data<crate::state::AppState>>() {
            Some(state) => crate::db::run(&state.pool, move |conn| crate::services::staff::find(conn, id))
                .await
                .ok()
                .flatten(),
            None => None,
        },
        _ => None,
    };
    Ok(ServiceResponse::new(
        req,
        draw(t, page, csrf, staff_id.is_some(), member),
    ))
}

/// A request the session store failed (the database is down): the 503 page in the visitor's
/// language, drawn without a session (there is none to read), so its forms carry no token.
#[derive(Debug)]
pub struct SessionStoreDown(pub Lang);

impl std::fmt::Display for SessionStoreDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the session store is unavailable")
    }
}

impl ResponseError for SessionStoreDown {
    fn status_code(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        // Outside the layers that add these to every other answer.
        let mut response = draw(
            Tr::new(self.0),
            ErrorPage::DatabaseUnavailable,
            String::new(),
            false,
            None,
        );
        let headers = response.headers_mut();
        let csp = header::HeaderValue::from_static(crate::startup::CSP);
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            header::HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
        response
    }
}

fn draw(
    t: Tr,
    page: ErrorPage,
    csrf: String,
    signed_in: bool,
    staff: Option<crate::services::staff::StaffMember>,
) -> HttpResponse {
    let (title, message, roles) = page.texts(&t);
    let ui = Ui {
        t,
        csrf,
        path: "/".into(),
        staff,
        flash: None,
    };
    let body = ErrorTemplate {
        ui,
        status: page.status().as_u16(),
        title,
        message,
        roles,
        signed_in,
    }
    .render()
    .unwrap_or_else(|_| "Error".to_string());
    let mut response = HttpResponse::build(page.status());
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(seconds) = page.retry_after() {
        response.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    response.body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_required_redirects_with_the_way_back() {
        let response = AppError::SignInRequired(Some("/customers".into())).error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(header::LOCATION).unwrap(),
            "/sign-in?next=/customers"
        );
    }

    #[test]
    fn a_closed_connection_is_the_database_being_unavailable() {
        use diesel::result::{DatabaseErrorKind, Error};
        let closed = Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection unexpectedly".to_string()),
        );
        let error = AppError::from(closed);
        assert!(matches!(error, AppError::DatabaseUnavailable));
        assert_eq!(error.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        let other = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("syntax error".to_string()));
        assert_eq!(AppError::from(other).status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
