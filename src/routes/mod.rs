//! One module per screen. Handlers extract, parse, call one service function, then render or
//! redirect (303 after a successful POST).

pub mod account;
pub mod activity;
pub mod assets;
pub mod back;
pub mod credentials;
pub mod customers;
pub mod dashboard;
pub mod health;
pub mod imports;
pub mod licenses;
pub mod metrics;
pub mod security;
pub mod staff;
pub mod subscriptions;
pub mod users;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::paging::Paging;
use crate::error::AppError;
pub use crate::url::safe_next;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(|| async { see_other("/dashboard") }))
        .route("/health", web::get().to(health::health))
        .route("/health/live", web::get().to(health::live))
        .route("/health/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(metrics::show))
        .route(
            "/favicon.ico",
            web::get().to(|| async { see_other(&assets::url("favicon.svg")) }),
        )
        .route("/sign-in", web::get().to(account::sign_in_page))
        .route("/sign-in", web::post().to(account::sign_in))
        .route("/sign-out", web::post().to(account::sign_out))
        .route("/account", web::get().to(account::overview))
        .route(
            "/account/sign-out-everywhere",
            web::post().to(account::sign_out_everywhere),
        )
        .route("/sign-in/verify", web::get().to(security::verify_form))
        .route("/sign-in/verify", web::post().to(security::verify))
        .route("/account/security", web::get().to(security::overview))
        .route("/account/security/app", web::get().to(security::add_app_form))
        .route("/account/security/app", web::post().to(security::add_app))
        .route("/account/security/passkey", web::get().to(security::add_passkey_form))
        .route("/account/security/passkey", web::post().to(security::add_passkey))
        .route("/sign-in/verify/passkey", web::post().to(security::verify_passkey))
        .route(
            "/account/security/app/{id}/remove",
            web::post().to(security::remove_app),
        )
        .route(
            "/account/security/recovery-codes",
            web::post().to(security::new_recovery_codes),
        )
        .route("/staff/{id}/reset-factors", web::get().to(security::reset_page))
        .route("/staff/{id}/reset-factors", web::post().to(security::reset))
        .route("/account/time-zone", web::post().to(account::set_time_zone))
        .route("/account/password", web::get().to(account::change_password_page))
        .route("/account/password", web::post().to(account::change_password))
        .route("/language", web::post().to(account::set_language))
        .route("/dashboard", web::get().to(dashboard::show))
        .route("/customers", web::get().to(customers::list))
        .route("/customers", web::post().to(customers::create))
        .route("/customers/new", web::get().to(customers::new_form))
        .route("/credentials/{sheet}", web::get().to(credentials::show))
        .route("/credentials/{sheet}/csv", web::get().to(credentials::download))
        .route("/credentials/{sheet}/print", web::get().to(credentials::print))
        .route("/credentials/{sheet}/email", web::post().to(credentials::email))
        .route("/credentials/{sheet}/dismiss", web::post().to(credentials::dismiss))
        .route("/activity", web::get().to(activity::list))
        .route("/staff", web::get().to(staff::list))
        .route("/staff", web::post().to(staff::add))
        .route("/staff/second-factor", web::post().to(security::set_requirement))
        .route("/staff/time-zone", web::post().to(staff::set_time_zone))
        .route("/staff/{id}/role", web::post().to(staff::change_role))
        .route("/staff/{id}/unlock", web::post().to(staff::unlock))
        .route("/staff/{id}/remove", web::get().to(staff::remove_page))
        .route("/staff/{id}/remove", web::post().to(staff::remove))
        .route(
            "/static/{name:.*}",
            web::route()
                .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
                .to(assets::serve),
        )
        // After every fixed "/customers/…" path ("/customers/new"): a scope that matches takes
        // the request whether or not one of its routes does.
        .service(web::scope("/customers/{id}").configure(customer_pages));
}

/// The pages of one customer. Each handler takes `auth::CustomerScope`, which checks the
/// session, the partner and the permission before the handler runs.
fn customer_pages(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(customers::show))
        .route("/users", web::get().to(users::list))
        .route("/users", web::post().to(users::create))
        // Fixed paths before "/users/{uid}", which would otherwise take "new" as an id.
        .route("/users/new", web::get().to(users::new_form))
        .route("/users/deleted", web::get().to(users::deleted))
        .route("/users/selection", web::post().to(users::selection))
        .route("/users/delete", web::post().to(users::delete))
        .route("/users/reset-password", web::post().to(users::reset_password))
        .route("/users/restore", web::post().to(users::restore))
        .route("/users/{uid}", web::get().to(users::show))
        .route("/users/{uid}", web::post().to(users::update))
        .route("/users/{uid}/restore-as", web::get().to(users::restore_as_form))
        .route("/users/{uid}/restore-as", web::post().to(users::restore_as))
        .route("/users/{uid}/purge", web::post().to(users::purge))
        .route("/licenses", web::post().to(licenses::save))
        .route("/import", web::get().to(imports::upload_form))
        .route(
            "/import",
            web::post()
                .to(imports::upload)
                .wrap(actix_web::middleware::from_fn(imports::refuse_oversized)),
        )
        .route("/import/template", web::get().to(imports::template))
        .route("/imports/{job}", web::get().to(imports::show))
        .route("/imports/{job}/problems", web::get().to(imports::problems))
        .route("/imports/{job}/progress", web::get().to(imports::progress))
        .route("/imports/{job}/start", web::post().to(imports::start))
        .route("/domains", web::get().to(customers::domains_tab))
        .route("/domains", web::post().to(customers::add_domain))
        .route("/subscriptions", web::get().to(subscriptions::tab))
        .route("/subscriptions", web::post().to(subscriptions::add))
        .route(
            "/subscriptions/{sid}/add-seats",
            web::post().to(subscriptions::add_seats),
        )
        .route(
            "/subscriptions/{sid}/quantity",
            web::post().to(subscriptions::change_quantity),
        );
}

/// The links of a paged list, made in Rust so templates only print them.
pub struct Pager {
    pub paging: Paging,
    pub first: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub last: String,
}

impl Pager {
    pub fn new(paging: Paging, url: impl Fn(i64) -> String) -> Self {
        Pager {
            first: url(1),
            previous: paging.has_previous().then(|| url(paging.page - 1)),
            next: paging.has_next().then(|| url(paging.page + 1)),
            last: url(paging.last_page()),
            paging,
        }
    }

    pub fn range_first(&self) -> i64 {
        self.paging.shown_range().0
    }

    pub fn range_last(&self) -> i64 {
        self.paging.shown_range().1
    }
}

/// 303 See Other: where a successful POST sends the browser.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Renders a page with status 200.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    render_with(page, StatusCode::OK)
}

/// Renders a page with another status, e.g. 422 for a form that failed validation.
pub fn render_with(page: &impl Template, status: StatusCode) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}
