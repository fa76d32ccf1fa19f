//! Signing in and out, the Account page with its sessions, the forced password change, and the
//! language switcher.

use actix_session::Session;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, render_with, safe_next, see_other};
use crate::auth::session::{self, CurrentStaff, StaffWithTemporaryPassword};
use crate::auth::{flash, ClientAddress, CsrfForm, Ui};
use crate::domain::time_zone::{self, TimeZone};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::forms::FormErrors;
use crate::services::sessions;
use crate::services::staff::{self, Attempt, SignIn};
use crate::services::{Actor, Outcome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account/sign_in.html")]
struct SignInPage {
    ui: Ui,
    email: String,
    next: String,
    refused: bool,
    /// Started with `serve --demo`: the page says the demo partner needs no second factor.
    demo: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_page(
    state: web::Data<AppState>,
    ui: Ui,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref()).to_string();
    render(&SignInPage {
        ui,
        email: String::new(),
        next,
        refused: false,
        demo: state.settings.demo,
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    ui: Ui,
    session: Session,
    ClientAddress(address): ClientAddress,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let attempt = Attempt {
        email: form.email.clone(),
        password: form.password,
        address,
    };
    match staff::sign_in(&state, attempt).await? {
        SignIn::Accepted(member) if member.has_second_factor => {
            // Not signed in yet: the code comes next.
            session::await_second_factor(&session, member.id, state.clock.now())?;
            let next = safe_next(form.next.as_deref());
            Ok(see_other(&format!(
                "/sign-in/verify?next={}",
                crate::url::encode_query_value(next)
            )))
        }
        SignIn::Accepted(member) => {
            session::start(&req, &session, member.id, state.clock.now())?;
            session::record_methods(&session, &["pwd"])?;
            if member.must_change_password {
                return Ok(see_other("/account/password"));
            }
            Ok(see_other(safe_next(form.next.as_deref())))
        }
        SignIn::Refused => {
            let next = safe_next(form.next.as_deref()).to_string();
            render_with(
                &SignInPage {
                    ui,
                    email: form.email,
                    next,
                    refused: true,
                    demo: state.settings.demo,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

pub async fn sign_out(
    state: web::Data<AppState>,
    staff: StaffWithTemporaryPassword,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&staff.0);
    crate::db::run(&state.pool, move |conn| staff::record_sign_out(conn, actor)).await?;
    session::end(&staff.0.session);
    Ok(see_other("/sign-in"))
}

#[derive(Template)]
#[template(path = "account/change_password.html")]
struct ChangePasswordPage {
    ui: Ui,
    forced: bool,
    errors: FormErrors,
}

pub async fn change_password_page(staff: StaffWithTemporaryPassword) -> Result<HttpResponse, AppError> {
    let forced = staff.0.member.must_change_password;
    render(&ChangePasswordPage {
        ui: staff.0.ui,
        forced,
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    state: web::Data<AppState>,
    staff: StaffWithTemporaryPassword,
    CsrfForm(form): CsrfForm<ChangePasswordForm>,
) -> Result<HttpResponse, AppError> {
    let staff = staff.0;
    let actor = Actor::from(&staff);
    let (current, new, confirm) = (form.current_password, form.new_password, form.confirm_password);
    let outcome = staff::change_password(&state, actor, current, new, confirm).await?;
    match outcome {
        Outcome::Done(()) => {
            // Every session of the member ended with the change; this browser goes on in a new one.
            session::continue_in_new_session(&staff.session);
            Ok(see_other("/dashboard"))
        }
        Outcome::Refused((field, error)) => {
            let mut errors = FormErrors::new();
            errors.add(field, error);
            let forced = staff.member.must_change_password;
            render_with(
                &ChangePasswordPage {
                    ui: staff.ui,
                    forced,
                    errors,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// A session as the Account page lists it.
struct SessionLine {
    browser: String,
    signed_in: String,
    last_seen: String,
    this_browser: bool,
}

#[derive(Template)]
#[template(path = "account/overview.html")]
struct AccountPage {
    ui: Ui,
    sessions: Vec<SessionLine>,
    zones: &'static [&'static str],
    zone_error: String,
}

impl AccountPage {
    /// The member's own zone; none means the partner's.
    fn is_own_zone(&self, zone: &str) -> bool {
        self.ui
            .staff
            .as_ref()
            .is_some_and(|s| s.time_zone.as_deref() == Some(zone))
    }

    fn follows_partner(&self) -> bool {
        self.ui.staff.as_ref().is_some_and(|s| s.time_zone.is_none())
    }

    fn partner_zone(&self) -> String {
        self.ui
            .staff
            .as_ref()
            .map(|s| s.partner_time_zone.clone())
            .unwrap_or_default()
    }
}

/// The Account page: who you are and where you are signed in, with "Sign out everywhere".
pub async fn overview(state: web::Data<AppState>, staff: CurrentStaff) -> Result<HttpResponse, AppError> {
    account_page(&state, staff, String::new(), StatusCode::OK).await
}

async fn account_page(
    state: &AppState,
    staff: CurrentStaff,
    zone_error: String,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (staff_id, now) = (staff.id(), state.clock.now());
    let rows = crate::db::run(&state.pool, move |conn| Ok(sessions::list_of(conn, staff_id, now)?)).await?;
    let this = session::id(&staff.session);
    let t = &staff.ui.t;
    let sessions = rows
        .into_iter()
        .map(|row| SessionLine {
            browser: describe_browser(&row.browser).unwrap_or_else(|| t.get("account-unknown-browser")),
            signed_in: t.datetime(&row.signed_in_at),
            last_seen: t.datetime(&row.last_seen_at),
            this_browser: Some(row.id) == this,
        })
        .collect();
    let page = AccountPage {
        ui: staff.ui,
        sessions,
        zones: time_zone::choices(),
        zone_error,
    };
    render_with(&page, status)
}

#[derive(Deserialize)]
pub struct OwnZoneForm {
    #[serde(default)]
    time_zone: String,
}

/// The member's own time zone ("" follows the partner's).
pub async fn set_time_zone(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<OwnZoneForm>,
) -> Result<HttpResponse, AppError> {
    let zone = match form.time_zone.trim() {
        "" => None,
        raw => match TimeZone::parse(raw) {
            Ok(zone) => Some(zone),
            Err(error) => {
                let message = staff.ui.t.error(&error);
                return account_page(&state, staff, message, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let actor = Actor::from(&staff);
    crate::db::run(&state.pool, move |conn| staff::set_own_time_zone(conn, actor, zone)).await?;
    let shown = zone.unwrap_or_else(|| TimeZone::from_stored(&staff.member.partner_time_zone));
    flash::set(&staff.session, super::staff::zone_flash(shown, state.clock.now()));
    Ok(see_other("/account"))
}

/// "Chrome · Linux" from a User-Agent; `None` when it names nothing known.
fn describe_browser(user_agent: &str) -> Option<String> {
    let found = woothee::parser::Parser::new().parse(user_agent)?;
    if found.name == woothee::woothee::VALUE_UNKNOWN {
        return None;
    }
    Some(match found.os {
        os if os == woothee::woothee::VALUE_UNKNOWN => found.name.to_string(),
        os => format!("{} · {}", found.name, os),
    })
}

/// Ends every session of the signed-in member, this one too.
pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    staff: StaffWithTemporaryPassword,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&staff.0);
    crate::db::run(&state.pool, move |conn| sessions::sign_out_everywhere(conn, actor)).await?;
    state.sessions.forget_staff(actor.staff_id);
    session::end(&staff.0.session);
    Ok(see_other("/sign-in"))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// The language switcher: remembered in a cookie for a year, also across sign-out.
pub async fn set_language(
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::from_code(&form.lang).ok_or(AppError::BadRequest)?;
    let cookie = Cookie::build(Lang::COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    let mut response = see_other(safe_next(form.next.as_deref()));
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}
