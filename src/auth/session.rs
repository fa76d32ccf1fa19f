//! The signed-in staff member as an extractor, session expiry, and the per-request page
//! context (language, CSRF token, who is signed in) every template receives.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::{DateTime, Duration, Utc};

use super::session_store::{BROWSER, LAST_SEEN, MAX_BROWSER_CHARS, SESSION_ID, SIGNED_IN_AT, STAFF_ID};
use super::{csrf, Permission, Role};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::services::staff::{self as staff_service, StaffMember};
use crate::state::AppState;

/// Sessions end 8 hours after sign-in, or after 30 minutes without a request.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(8);
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
const LAST_SEEN_STEP_SECONDS: i64 = 60;

/// Starts a signed-in session: a new session id (a new row in `staff_sessions`), a new CSRF
/// token, the timestamps and the browser's name for the Account page.
pub fn start(req: &HttpRequest, session: &Session, staff_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    session.renew();
    let browser: String = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(MAX_BROWSER_CHARS)
        .collect();
    session.insert(BROWSER, browser).map_err(AppError::internal)?;
    session.insert(STAFF_ID, staff_id).map_err(AppError::internal)?;
    session
        .insert(SIGNED_IN_AT, now.timestamp())
        .map_err(AppError::internal)?;
    session.insert(LAST_SEEN, now.timestamp()).map_err(AppError::internal)?;
    csrf::rotate(session);
    Ok(())
}

pub fn end(session: &Session) {
    session.purge();
}

/// After a password change has ended every session of the member (in its transaction): this
/// browser carries on in a new session, so a cookie copied before the change is worthless.
pub fn continue_in_new_session(session: &Session) {
    session.renew();
    csrf::rotate(session);
}

/// The row id of this session, to mark "this browser" on the Account page.
pub fn id(session: &Session) -> Option<i64> {
    session.get::<i64>(SESSION_ID).ok().flatten()
}

/// The staff id of a live session; an expired one is cleared.
fn live_staff_id(session: &Session, now: DateTime<Utc>) -> Option<i64> {
    let id = session.get::<i64>(STAFF_ID).ok().flatten()?;
    let signed_in = session.get::<i64>(SIGNED_IN_AT).ok().flatten()?;
    let last_seen = session.get::<i64>(LAST_SEEN).ok().flatten()?;
    let expired = now.timestamp() - signed_in > ABSOLUTE_TIMEOUT.num_seconds()
        || now.timestamp() - last_seen > IDLE_TIMEOUT.num_seconds();
    if expired {
        session.purge();
        return None;
    }
    // Noted once a minute, not on every request: an unchanged session is not re-encrypted
    // into a new cookie on every answer.
    if now.timestamp() - last_seen >= LAST_SEEN_STEP_SECONDS {
        let _ = session.insert(LAST_SEEN, now.timestamp());
    }
    Some(id)
}

/// The language of a request: the switcher's cookie, else Accept-Language.
pub fn request_lang(req: &HttpRequest) -> Lang {
    req.cookie(Lang::COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::negotiate)
        })
        .unwrap_or(Lang::En)
}

/// What every page template needs: the translator, the CSRF token for its forms, the path
/// (for the language switcher to come back to) and who is signed in, if anyone.
#[derive(Clone)]
pub struct Ui {
    pub t: Tr,
    pub csrf: String,
    pub path: String,
    pub staff: Option<StaffMember>,
    /// What the change before this page did ("Saved changes to …"), once.
    pub flash: Option<String>,
}

impl Ui {
    pub fn lang_code(&self) -> &'static str {
        self.t.lang.code()
    }

    /// Whether this page belongs to the section at `prefix` (`/customers` holds every customer's
    /// pages), for the navigation's `aria-current`.
    pub fn in_section(&self, prefix: &str) -> bool {
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
    }

    /// Whether a value is in Chinese (a name, a company), for `lang="zh-Hant"` on it.
    pub fn is_chinese(&self, value: &str) -> bool {
        crate::domain::text::has_han(value)
    }

    pub fn langs(&self) -> [Lang; 2] {
        Lang::ALL
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.staff.as_ref().is_some_and(|s| s.role.can(permission))
    }

    pub fn can_manage_customers(&self) -> bool {
        self.can(Permission::ManageCustomers)
    }

    pub fn can_manage_users(&self) -> bool {
        self.can(Permission::ManageUsers)
    }

    pub fn can_manage_staff(&self) -> bool {
        self.can(Permission::ManageStaff)
    }

    pub fn can_reset_passwords(&self) -> bool {
        self.can(Permission::ResetPasswords)
    }

    pub fn can_manage_licenses(&self) -> bool {
        self.can(Permission::ManageLicenses)
    }

    fn build(req: &HttpRequest, session: &Session, staff: Option<StaffMember>) -> Self {
        let zone = staff.as_ref().map_or(chrono_tz::Tz::UTC, |s| s.zone().tz());
        let t = Tr::new(request_lang(req)).in_zone(zone);
        // Only a page view shows it: a form posted meanwhile leaves it for the page after.
        let flash = (req.method() == actix_web::http::Method::GET)
            .then(|| super::flash::take(session))
            .flatten()
            .map(|f| f.text(&t));
        Ui {
            flash,
            t,
            csrf: csrf::token(session),
            path: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            staff,
        }
    }
}

impl FromRequest for Ui {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Ui::build(req, &req.get_session(), None)))
    }
}

/// A signed-in staff member whose password is not temporary. Pages that accept a temporary
/// password (changing it, signing out) take [`StaffWithTemporaryPassword`] instead; customer
/// pages take [`super::CustomerScope`], which reads the staff member in the same query as the
/// customer.
pub struct CurrentStaff {
    pub member: StaffMember,
    pub ui: Ui,
    pub session: Session,
}

impl CurrentStaff {
    /// Refuses with a 403 naming the roles that may do this.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.member.role.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden(permission))
        }
    }

    pub fn id(&self) -> i64 {
        self.member.id
    }

    pub fn partner_id(&self) -> i64 {
        self.member.partner_id
    }

    pub fn role(&self) -> Role {
        self.member.role
    }
}

pub struct StaffWithTemporaryPassword(pub CurrentStaff);

/// The session key of a sign-in whose password was right and whose second factor is awaited:
/// the member's id and when, kept in the (encrypted) anonymous session until the code.
const PENDING_STAFF: &str = "pending_staff";
const PENDING_AT: &str = "pending_at";
/// How long the code may take after the password.
pub const PENDING_TIMEOUT: Duration = Duration::minutes(5);

/// The password was right; the second factor is still to come. Not signed in yet.
pub fn await_second_factor(session: &Session, staff_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    session.renew();
    session.insert(PENDING_STAFF, staff_id).map_err(AppError::internal)?;
    session
        .insert(PENDING_AT, now.timestamp())
        .map_err(AppError::internal)?;
    csrf::rotate(session);
    Ok(())
}

/// The member whose second factor is awaited, if the password was right lately.
pub fn pending_second_factor(session: &Session, now: DateTime<Utc>) -> Option<i64> {
    let id = session.get::<i64>(PENDING_STAFF).ok().flatten()?;
    let at = session.get::<i64>(PENDING_AT).ok().flatten()?;
    (now.timestamp() - at <= PENDING_TIMEOUT.num_seconds()).then_some(id)
}

/// How the session was signed in, as OpenID's `amr` names it (`pwd`, `otp`...).
pub const METHODS: &str = "amr";

/// Records the methods of a sign-in in its session.
pub fn record_methods(session: &Session, methods: &[&str]) -> Result<(), AppError> {
    session.insert(METHODS, methods).map_err(AppError::internal)?;
    let _ = session.remove(PENDING_STAFF);
    let _ = session.remove(PENDING_AT);
    Ok(())
}

/// The staff id of the request's live session, or the sign-in redirect (back to this page).
pub(super) fn signed_in_staff_id(req: &HttpRequest, session: &Session) -> Result<i64, AppError> {
    let now = app_state(req)?.clock.now();
    live_staff_id(session, now).ok_or_else(|| AppError::SignInRequired(sign_in_return(req)))
}

/// Which pages a member who still has a step to take may reach: a temporary password is changed
/// first, then a second factor added where the partner requires one; nothing else opens before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    /// Every other page.
    Everything,
    /// Changing the password, signing out (and out everywhere): open with a temporary password.
    PasswordChange,
    /// Adding a second factor: open once the password is the member's own.
    Enrolment,
}

/// The staff member the database found for a live session, checked: gone means signed out.
pub(super) fn admit(
    req: &HttpRequest,
    session: Session,
    member: Option<StaffMember>,
    gate: Gate,
) -> Result<CurrentStaff, AppError> {
    let Some(member) = member else {
        session.purge();
        return Err(AppError::SignInRequired(None));
    };
    if member.must_change_password && gate != Gate::PasswordChange {
        return Err(AppError::MustChangePassword);
    }
    if member.must_enrol_second_factor() && gate == Gate::Everything {
        return Err(AppError::MustEnrolSecondFactor);
    }
    let ui = Ui::build(req, &session, Some(member.clone()));
    Ok(CurrentStaff { member, ui, session })
}

pub(super) fn app_state(req: &HttpRequest) -> Result<&web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))
}

/// Reads the session's staff member (one query) and checks them.
async fn current_staff(req: HttpRequest, gate: Gate) -> Result<CurrentStaff, AppError> {
    let session = req.get_session();
    let id = signed_in_staff_id(&req, &session)?;
    let member = crate::db::run(&app_state(&req)?.pool, move |conn| staff_service::find(conn, id)).await?;
    admit(&req, session, member, gate)
}

/// Where to come back to after signing in: only this site's GET pages.
fn sign_in_return(req: &HttpRequest) -> Option<String> {
    (req.method() == actix_web::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_string()))
        .flatten()
}

impl FromRequest for CurrentStaff {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(current_staff(req.clone(), Gate::Everything))
    }
}

impl FromRequest for StaffWithTemporaryPassword {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            current_staff(req, Gate::PasswordChange)
                .await
                .map(StaffWithTemporaryPassword)
        })
    }
}

/// A signed-in member on the pages that add a second factor: reachable before one is added
/// (where the partner requires it), not with a temporary password.
pub struct StaffEnrolling(pub CurrentStaff);

impl FromRequest for StaffEnrolling {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { current_staff(req, Gate::Enrolment).await.map(StaffEnrolling) })
    }
}
