//! The application: shared state, the one route table and the middleware around it.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::{SessionExt, SessionMiddleware};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::SameSite;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpResponse, HttpServer};
use askama::Template;

use crate::auth::session::{request_lang, Ui};
use crate::auth::{csrf, Role};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::PgPool;
use crate::error::{AppError, ErrorPage};
use crate::i18n::Tr;
use crate::routes;
use crate::services::user_directory::DirectoryCache;

/// What every handler can reach.
pub struct AppState {
    pub pool: PgPool,
    pub clock: Clock,
    pub settings: Settings,
    /// The Users list's in-memory directories of recently listed customers.
    pub directories: DirectoryCache,
}

pub struct Application {
    port: u16,
    server: Server,
    stop_jobs: Arc<AtomicBool>,
}

/// Content-Security-Policy: no inline script, nothing from elsewhere, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

impl Application {
    /// Binds the listener (port 0 picks a free port, as tests do) and builds the server.
    pub fn build(settings: Settings, pool: PgPool, clock: Clock) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let stop_jobs = Arc::new(AtomicBool::new(false));
        if settings.background_jobs {
            crate::jobs::imports::spawn(
                pool.clone(),
                settings.database_url.clone(),
                clock.clone(),
                stop_jobs.clone(),
            );
        }
        let directories = DirectoryCache::new(settings.list_cache_users);
        let state = web::Data::new(AppState {
            pool,
            clock,
            settings,
            directories,
        });
        let server = HttpServer::new(move || {
            let settings = &state.settings;
            App::new()
                .app_data(state.clone())
                .app_data(csrf::form_limit())
                .app_data(routes::imports::multipart_config(settings.upload_limit))
                .configure(routes::configure)
                .default_service(web::to(|| async { Err::<HttpResponse, _>(AppError::NotFound) }))
                .wrap(actix_web::middleware::from_fn(render_error_pages))
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), settings.session_key.clone())
                        .cookie_name("pd_session".into())
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_secure(settings.secure_cookies)
                        .cookie_content_security(CookieContentSecurity::Private)
                        .session_lifecycle(
                            PersistentSession::default().session_ttl(actix_web::cookie::time::Duration::hours(8)),
                        )
                        .build(),
                )
                .wrap(
                    DefaultHeaders::new()
                        .add((header::CONTENT_SECURITY_POLICY, CSP))
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::X_FRAME_OPTIONS, "DENY"))
                        .add((header::REFERRER_POLICY, "same-origin")),
                )
                .wrap(actix_web::middleware::Logger::new("%r %s %Dms").exclude("/health"))
        })
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            stop_jobs,
        })
    }

    /// Stops the server and its background jobs (tests end their app with this).
    pub fn stopper(&self) -> Stopper {
        Stopper {
            server: self.server.handle(),
            jobs: self.stop_jobs.clone(),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Stops a running application from elsewhere.
pub struct Stopper {
    server: actix_web::dev::ServerHandle,
    jobs: Arc<AtomicBool>,
}

impl Stopper {
    pub async fn stop(self) {
        self.jobs.store(true, Ordering::Relaxed);
        self.server.stop(false).await;
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
async fn render_error_pages(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
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
    let t = Tr::new(request_lang(&req));
    let session = req.get_session();
    let signed_in = session.get::<i64>("staff_id").ok().flatten().is_some();
    let (title, message, roles) = match &page {
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
        ErrorPage::Internal => (t.get("error-500-title"), t.get("error-500-text"), vec![]),
    };
    let ui = Ui {
        t,
        csrf: csrf::token(&session),
        path: "/".into(),
        staff: None,
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
    let response = HttpResponse::build(page.status())
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body);
    Ok(ServiceResponse::new(req, response))
}
