//! The application: the one route table and the middleware around it.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::SessionMiddleware;
use actix_web::cookie::SameSite;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpResponse, HttpServer};

use crate::auth::csrf;
use crate::auth::session_cache::SessionCache;
use crate::auth::session_store::{self, PgSessionStore};
use crate::auth::sign_in_limits::SignInLimits;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::PgPool;
use crate::error::AppError;
use crate::jobs::session_listener::SessionListener;
use crate::routes;
use crate::services::user_directory::DirectoryCache;
use crate::state::AppState;
use crate::workers::Workers;

pub struct Application {
    port: u16,
    server: Server,
    jobs: BackgroundJobs,
}

/// The import worker of this server, if it runs one, taken out once by whoever stops it.
#[derive(Clone)]
struct BackgroundJobs {
    worker: Arc<Mutex<Option<crate::jobs::imports::Worker>>>,
    session_listener: Arc<Mutex<Option<SessionListener>>>,
    pool: PgPool,
}

impl BackgroundJobs {
    fn start(settings: &Settings, pool: &PgPool, clock: &Clock, sessions: &Arc<SessionCache>) -> Self {
        let worker = settings
            .background_jobs
            .then(|| crate::jobs::imports::spawn(pool.clone(), settings.database_url.clone(), clock.clone()));
        // Every server that serves pages keeps sessions, so every one listens.
        let session_listener = (settings.session_cache > 0)
            .then(|| crate::jobs::session_listener::spawn(settings.database_url.clone(), sessions.clone()));
        BackgroundJobs {
            worker: Arc::new(Mutex::new(worker)),
            session_listener: Arc::new(Mutex::new(session_listener)),
            pool: pool.clone(),
        }
    }

    /// Stops the worker, handing a running import back to the queue (off the executor).
    async fn stop(&self) {
        let worker = self.worker.lock().unwrap_or_else(|e| e.into_inner()).take();
        let listener = self.session_listener.lock().unwrap_or_else(|e| e.into_inner()).take();
        let pool = self.pool.clone();
        let _ = actix_web::rt::task::spawn_blocking(move || {
            if let Some(listener) = listener {
                listener.stop();
            }
            if let Some(worker) = worker {
                worker.stop(&pool);
            }
        })
        .await;
    }
}

/// The passkeys' relying party for the address people open: its host is the RP id; on
/// `localhost` any port is accepted. None (and the pages say passkeys are unavailable) when the
/// host is an IP address, which browsers refuse as an RP id.
fn relying_party(public_url: &str) -> Option<webauthn_rs::Webauthn> {
    let origin = url::Url::parse(public_url).ok()?;
    let host = origin.domain()?.to_string();
    let built = webauthn_rs::WebauthnBuilder::new(&host, &origin)
        .ok()?
        .rp_name("PartnerDesk")
        .allow_any_port(host == "localhost")
        .build();
    match built {
        Ok(webauthn) => Some(webauthn),
        Err(error) => {
            tracing::warn!(error = %error, public_url, "passkeys are unavailable for this PARTNERDESK_PUBLIC_URL");
            None
        }
    }
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
        let sessions = Arc::new(SessionCache::new(settings.session_cache));
        let webauthn = relying_party(&settings.public_url).map(Arc::new);
        let jobs = BackgroundJobs::start(&settings, &pool, &clock, &sessions);
        let shutdown_timeout = settings.shutdown_timeout;
        let directories = DirectoryCache::new(settings.list_cache_users);
        let password_workers = Workers::new(settings.password_workers, settings.password_backlog);
        let upload_workers = Workers::new(settings.upload_workers, settings.upload_backlog);
        let sign_in_limits = SignInLimits::new(settings.sign_in_per_address, settings.sign_in_per_account);
        let factor_limits = SignInLimits::new(settings.sign_in_per_address, settings.sign_in_per_account);
        let metrics = crate::metrics::Metrics::new(&pool);
        let state = web::Data::new(AppState {
            metrics,
            pool,
            clock,
            settings,
            directories,
            password_workers,
            upload_workers,
            sign_in_limits,
            factor_limits,
            webauthn,
            sessions,
        });
        let server = HttpServer::new(move || {
            let settings = &state.settings;
            App::new()
                .app_data(state.clone())
                .app_data(csrf::form_limit())
                .app_data(routes::imports::multipart_config(settings.upload_limit))
                .configure(routes::configure)
                .default_service(web::to(|| async { Err::<HttpResponse, _>(AppError::NotFound) }))
                .wrap(actix_web::middleware::from_fn(crate::url::refuse_nul_queries))
                .wrap(actix_web::middleware::from_fn(crate::error::render_error_pages))
                .wrap(
                    SessionMiddleware::builder(
                        PgSessionStore::new(state.pool.clone(), state.sessions.clone()),
                        settings.session_key.clone(),
                    )
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
                .wrap(actix_web::middleware::from_fn(session_store::session_boundary))
                .wrap(
                    DefaultHeaders::new()
                        .add((header::CONTENT_SECURITY_POLICY, CSP))
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::X_FRAME_OPTIONS, "DENY"))
                        .add((header::REFERRER_POLICY, "same-origin")),
                )
                .wrap(actix_web::middleware::from_fn(crate::http::request_id::request_id))
                .wrap(actix_web::middleware::from_fn(crate::http::metrics::record_request))
                .wrap(
                    actix_web::middleware::Logger::new("%r %s %Dms request_id=%{x-request-id}o")
                        .exclude("/health")
                        .exclude("/health/live")
                        .exclude("/health/ready"),
                )
        })
        // Signals are the command line's (see `Stopper::shut_down`): actix's own would stop
        // at once on Ctrl-C and leave the import worker running.
        .disable_signals()
        .shutdown_timeout(shutdown_timeout)
        .listen(listener)?
        .run();
        Ok(Self { port, server, jobs })
    }

    /// Stops the server and its background jobs (tests end their app with this).
    pub fn stopper(&self) -> Stopper {
        Stopper {
            server: self.server.handle(),
            jobs: self.jobs.clone(),
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
    jobs: BackgroundJobs,
}

impl Stopper {
    /// Stops at once: requests in flight are dropped (tests end their app with this).
    pub async fn stop(self) {
        futures_util::join!(self.jobs.stop(), self.server.stop(false));
    }

    /// A graceful stop (SIGTERM, Ctrl-C): no new connections; requests in flight finish, for
    /// up to `PARTNERDESK_SHUTDOWN_TIMEOUT`; meanwhile a running import is rolled back and handed
    /// back to the queue. Returns when both are done.
    pub async fn shut_down(self) {
        futures_util::join!(self.jobs.stop(), self.server.stop(true));
    }
}
