//! Two-step verification: the member's page of second factors (authenticator apps, recovery
//! codes), the sign-in step that asks for a code after the password, and a Global admin's reset
//! of another member's factors. Works without JavaScript.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use base64::Engine;
use serde::Deserialize;

use super::staff::{act_on_member, confirm_page, MemberAction};
use super::{render, render_with, safe_next, see_other};
use crate::auth::session::{self, CurrentStaff, StaffEnrolling};
use crate::auth::{ClientAddress, CsrfForm, Ui};
use crate::domain::second_factor;
use crate::error::AppError;
use crate::services::factors::{self, Overview, Proof};
use crate::services::forms::FormErrors;
use crate::services::staff;
use crate::services::{Actor, Outcome};
use crate::state::AppState;

/// The secret of an authenticator app being added, kept in the session until its first code.
const PENDING_SECRET: &str = "pending_totp";

#[derive(Template)]
#[template(path = "account/security.html")]
struct SecurityPage {
    ui: Ui,
    overview: Overview,
    required: bool,
    must_enrol: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// i18n-key: security-notice-added security-notice-removed
const NOTICES: [&str; 2] = ["added", "removed"];

async fn security_page(
    state: &AppState,
    staff: CurrentStaff,
    notice: Option<String>,
    error: Option<String>,
) -> Result<SecurityPage, AppError> {
    let id = staff.id();
    let overview = crate::db::run(&state.pool, move |conn| Ok(factors::overview(conn, id)?)).await?;
    let notice = notice
        .filter(|n| NOTICES.contains(&n.as_str()))
        .map(|n| staff.ui.t.get(&format!("security-notice-{n}")));
    Ok(SecurityPage {
        required: staff.member.second_factor_required,
        must_enrol: staff.member.must_enrol_second_factor(),
        ui: staff.ui,
        overview,
        notice,
        error,
    })
}

pub async fn overview(
    state: web::Data<AppState>,
    staff: StaffEnrolling,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    render(&security_page(&state, staff.0, query.into_inner().notice, None).await?)
}

#[derive(Template)]
#[template(path = "account/add_app.html")]
struct AddAppPage {
    ui: Ui,
    qr_svg: String,
    secret_text: String,
    errors: FormErrors,
}

/// The secret being added: the one already shown in this session (a reload shows the same QR
/// code), else a new one.
fn pending_secret(session: &Session) -> Result<Vec<u8>, AppError> {
    let kept = session
        .get::<String>(PENDING_SECRET)
        .ok()
        .flatten()
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
        .filter(|s| s.len() == second_factor::SECRET_BYTES);
    if let Some(secret) = kept {
        return Ok(secret);
    }
    let secret = second_factor::new_secret();
    session
        .insert(
            PENDING_SECRET,
            base64::engine::general_purpose::STANDARD.encode(&secret),
        )
        .map_err(AppError::internal)?;
    Ok(secret)
}

fn add_app_page(staff: CurrentStaff, secret: &[u8], errors: FormErrors) -> Result<AddAppPage, AppError> {
    let url = second_factor::otpauth_url(secret, &staff.member.email)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no otpauth URL for this account")))?;
    let qr_svg = second_factor::qr_svg(&url).ok_or_else(|| AppError::internal(anyhow::anyhow!("no QR code")))?;
    Ok(AddAppPage {
        ui: staff.ui,
        qr_svg,
        secret_text: second_factor::secret_text(secret),
        errors,
    })
}

pub async fn add_app_form(staff: StaffEnrolling) -> Result<HttpResponse, AppError> {
    let secret = pending_secret(&staff.0.session)?;
    let mut response = render(&add_app_page(staff.0, &secret, FormErrors::new())?)?;
    no_store(&mut response);
    Ok(response)
}

fn no_store(response: &mut HttpResponse) {
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryCodesPage {
    ui: Ui,
    codes: Vec<String>,
}

fn recovery_codes_page(ui: Ui, codes: Vec<String>) -> Result<HttpResponse, AppError> {
    let mut response = render(&RecoveryCodesPage { ui, codes })?;
    no_store(&mut response);
    Ok(response)
}

/// After a change of the member's factors, which ended all their sessions in its transaction:
/// this server forgets them, and this browser, which made the change, carries on in a new
/// session (signed in with `methods` when the change proved a new factor).
fn carry_on_after_change(state: &AppState, staff: &CurrentStaff, methods: Option<&[&str]>) -> Result<(), AppError> {
    state.sessions.forget_staff(staff.id());
    session::continue_in_new_session(&staff.session);
    if let Some(methods) = methods {
        session::record_methods(&staff.session, methods)?;
    }
    Ok(())
}

/// The answer to a factor added: its recovery codes, shown once, when it was the first; else
/// the page of factors, saying it was added.
fn after_adding(ui: Ui, codes: Option<Vec<String>>) -> Result<HttpResponse, AppError> {
    match codes {
        Some(codes) => recovery_codes_page(ui, codes),
        None => Ok(see_other("/account/security?notice=added")),
    }
}

/// The page of factors again, with why a change was refused.
async fn refused_on_security_page(
    state: &AppState,
    staff: CurrentStaff,
    error: &crate::domain::FieldError,
) -> Result<HttpResponse, AppError> {
    let message = staff.ui.t.error(error);
    let page = security_page(state, staff, None, Some(message)).await?;
    render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

pub async fn add_app(
    state: web::Data<AppState>,
    staff: StaffEnrolling,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let staff = staff.0;
    let secret = pending_secret(&staff.session)?;
    let (actor, now, kept) = (Actor::from(&staff), state.clock.now(), secret.clone());
    let code = form.code;
    let outcome = crate::db::run(&state.pool, move |conn| {
        factors::enrol_app(conn, actor, &kept, &code, now)
    })
    .await?;
    match outcome {
        Outcome::Done(codes) => {
            carry_on_after_change(&state, &staff, Some(&["pwd", "otp"]))?;
            let _ = staff.session.remove(PENDING_SECRET);
            after_adding(staff.ui, codes)
        }
        Outcome::Refused(error) => {
            let mut errors = FormErrors::new();
            errors.add("code", error);
            let page = add_app_page(staff, &secret, errors)?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Template)]
#[template(path = "account/add_passkey.html")]
struct AddPasskeyPage {
    ui: Ui,
    ceremony: uuid::Uuid,
    options_json: String,
    error: Option<String>,
}

/// "Add a passkey or security key": a registration ceremony for the browser to answer.
/// i18n-key: err-passkeys-unavailable
async fn add_passkey_page(
    state: &AppState,
    staff: CurrentStaff,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let Some(webauthn) = state.webauthn.clone() else {
        let message = staff.ui.t.get("err-passkeys-unavailable");
        let page = security_page(state, staff, None, Some(message)).await?;
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (id, email, now) = (staff.id(), staff.member.email.clone(), state.clock.now());
    let (ceremony, options) = crate::db::run(&state.pool, move |conn| {
        factors::start_passkey_registration(conn, &webauthn, id, &email, now)
    })
    .await?;
    let page = AddPasskeyPage {
        ui: staff.ui,
        ceremony,
        options_json: serde_json::to_string(&options).map_err(AppError::internal)?,
        error,
    };
    let status = if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = render_with(&page, status)?;
    no_store(&mut response);
    Ok(response)
}

pub async fn add_passkey_form(state: web::Data<AppState>, staff: StaffEnrolling) -> Result<HttpResponse, AppError> {
    add_passkey_page(&state, staff.0, None).await
}

pub async fn add_passkey(
    state: web::Data<AppState>,
    staff: StaffEnrolling,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<HttpResponse, AppError> {
    let staff = staff.0;
    let Some(webauthn) = state.webauthn.clone() else {
        return add_passkey_page(&state, staff, None).await;
    };
    let ceremony = uuid::Uuid::parse_str(&form.ceremony).map_err(|_| AppError::BadRequest)?;
    let (actor, now, credential) = (Actor::from(&staff), state.clock.now(), form.credential);
    let outcome = crate::db::run(&state.pool, move |conn| {
        factors::finish_passkey_registration(conn, &webauthn, actor, ceremony, &credential, now)
    })
    .await?;
    match outcome {
        Outcome::Done(codes) => {
            carry_on_after_change(&state, &staff, Some(&["pwd", "hwk"]))?;
            after_adding(staff.ui, codes)
        }
        Outcome::Refused(error) => {
            let message = staff.ui.t.error(&error);
            add_passkey_page(&state, staff, Some(message)).await
        }
    }
}

pub async fn remove_app(
    state: web::Data<AppState>,
    staff: StaffEnrolling,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    let staff = staff.0;
    let (actor, factor_id) = (Actor::from(&staff), path.into_inner());
    let outcome = crate::db::run(&state.pool, move |conn| factors::remove_app(conn, actor, factor_id)).await?;
    match outcome {
        Outcome::Done(()) => {
            carry_on_after_change(&state, &staff, None)?;
            Ok(see_other("/account/security?notice=removed"))
        }
        Outcome::Refused(error) => refused_on_security_page(&state, staff, &error).await,
    }
}

pub async fn new_recovery_codes(
    state: web::Data<AppState>,
    staff: StaffEnrolling,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    let staff = staff.0;
    let actor = Actor::from(&staff);
    let outcome = crate::db::run(&state.pool, move |conn| factors::new_recovery_codes(conn, actor)).await?;
    match outcome {
        Outcome::Done(codes) => {
            carry_on_after_change(&state, &staff, None)?;
            recovery_codes_page(staff.ui, codes)
        }
        Outcome::Refused(error) => refused_on_security_page(&state, staff, &error).await,
    }
}

#[derive(Template)]
#[template(path = "account/verify.html")]
struct VerifyPage {
    ui: Ui,
    next: String,
    errors: FormErrors,
    /// The passkey ceremony (its id and the browser's options) when the member has a passkey.
    passkey: Option<(uuid::Uuid, String)>,
    passkey_refused: bool,
}

/// The code step's page, with a passkey ceremony started when the member has a passkey.
async fn verify_page(
    state: &AppState,
    ui: Ui,
    staff_id: i64,
    next: String,
    errors: FormErrors,
    passkey_refused: bool,
) -> Result<VerifyPage, AppError> {
    let passkey = match state.webauthn.clone() {
        Some(webauthn) => {
            let now = state.clock.now();
            let started = crate::db::run(&state.pool, move |conn| {
                factors::start_passkey_sign_in(conn, &webauthn, staff_id, now)
            })
            .await?;
            started
                .map(|(id, options)| {
                    Ok::<_, AppError>((id, serde_json::to_string(&options).map_err(AppError::internal)?))
                })
                .transpose()?
        }
        None => None,
    };
    Ok(VerifyPage {
        ui,
        next,
        errors,
        passkey,
        passkey_refused,
    })
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in's second step; without a password checked lately, back to the first.
pub async fn verify_form(
    state: web::Data<AppState>,
    ui: Ui,
    session: Session,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(staff_id) = session::pending_second_factor(&session, state.clock.now()) else {
        return Ok(see_other("/sign-in"));
    };
    let next = safe_next(query.next.as_deref()).to_string();
    render(&verify_page(&state, ui, staff_id, next, FormErrors::new(), false).await?)
}

pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    ui: Ui,
    session: Session,
    ClientAddress(address): ClientAddress,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(staff_id) = session::pending_second_factor(&session, state.clock.now()) else {
        return Ok(see_other("/sign-in"));
    };
    let answer = staff::SecondFactorAnswer::Code(form.code);
    let next = safe_next(form.next.as_deref()).to_string();
    finish_sign_in(&req, &state, ui, &session, staff_id, &address, answer, next).await
}

#[derive(Deserialize)]
pub struct PasskeyForm {
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: String,
    next: Option<String>,
}

/// The sign-in's second step answered with a passkey.
pub async fn verify_passkey(
    req: HttpRequest,
    state: web::Data<AppState>,
    ui: Ui,
    session: Session,
    ClientAddress(address): ClientAddress,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<HttpResponse, AppError> {
    let Some(staff_id) = session::pending_second_factor(&session, state.clock.now()) else {
        return Ok(see_other("/sign-in"));
    };
    let ceremony = uuid::Uuid::parse_str(&form.ceremony).map_err(|_| AppError::BadRequest)?;
    let answer = staff::SecondFactorAnswer::Passkey {
        ceremony,
        credential: form.credential,
    };
    let next = safe_next(form.next.as_deref()).to_string();
    finish_sign_in(&req, &state, ui, &session, staff_id, &address, answer, next).await
}

/// Signs in once the second step is right, else shows the step again with why.
#[allow(clippy::too_many_arguments)]
async fn finish_sign_in(
    req: &HttpRequest,
    state: &AppState,
    ui: Ui,
    session: &Session,
    staff_id: i64,
    address: &str,
    answer: staff::SecondFactorAnswer,
    next: String,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let by_passkey = matches!(answer, staff::SecondFactorAnswer::Passkey { .. });
    match staff::check_second_factor(state, staff_id, address, answer).await? {
        Some((member, proof)) => {
            session::start(req, session, member.id, now)?;
            session::record_methods(session, &["pwd", proof.method()])?;
            if proof == Proof::RecoveryCode {
                // A code was used up: the page of factors says how many are left.
                return Ok(see_other("/account/security"));
            }
            if member.must_change_password {
                return Ok(see_other("/account/password"));
            }
            Ok(see_other(&next))
        }
        None => {
            let mut errors = FormErrors::new();
            if !by_passkey {
                errors.add("code", crate::domain::FieldError::new("err-code-wrong"));
            }
            let page = verify_page(state, ui, staff_id, next, errors, by_passkey).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// i18n-key: staff-reset-factors-of staff-reset-factors-explained staff-reset-factors
const RESET: MemberAction = MemberAction {
    path: "reset-factors",
    id: "reset",
    title_key: "staff-reset-factors-of",
    explained_key: "staff-reset-factors-explained",
    button_key: "staff-reset-factors",
    done_key: "flash-factors-reset",
};

/// Asks before resetting another member's second factors.
pub async fn reset_page(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    confirm_page(&state, staff, path.into_inner(), &RESET).await
}

/// A Global admin resets another member's second factors (they enrol again).
pub async fn reset(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    let staff_id = path.into_inner();
    act_on_member(&state, staff, staff_id, &RESET, move |conn, actor| {
        factors::reset(conn, actor, staff_id)
    })
    .await
}

#[derive(Deserialize)]
pub struct RequirementForm {
    required: Option<String>,
}

/// The partner's setting on the Staff page: every member must have a second factor.
pub async fn set_requirement(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<RequirementForm>,
) -> Result<HttpResponse, AppError> {
    staff.require(crate::auth::Permission::ManageStaff)?;
    let (actor, required) = (Actor::from(&staff), form.required.is_some());
    crate::db::run(&state.pool, move |conn| factors::set_required(conn, actor, required)).await?;
    Ok(see_other("/staff"))
}
