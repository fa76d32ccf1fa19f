//! The partner's own staff accounts, for Global admins: who has which role, adding a staff
//! member (with a temporary password shown once), changing roles, ending sign-in locks and
//! removing a member.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render_with, see_other};
use crate::auth::{flash, password, CsrfForm, CurrentStaff, Flash, Permission, Role, Ui};
use crate::domain::time_zone::{self, TimeZone};
use crate::domain::{temp_password, FieldError};
use crate::error::AppError;
use crate::services::staff::{self, StaffRow};
use crate::services::{Actor, Outcome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff/list.html")]
struct StaffPage {
    ui: Ui,
    rows: Vec<StaffRow>,
    roles: Vec<(String, String)>,
    email: String,
    role: String,
    error: String,
    /// The new member's email and temporary password, shown once right after adding.
    created: Option<(String, String)>,
    role_error: Option<(i64, String)>,
    /// The partner's time zone and the zones to choose from, with why a choice was refused.
    zones: &'static [&'static str],
    zone_error: String,
}

impl StaffPage {
    fn is_partner_zone(&self, zone: &str) -> bool {
        self.ui.staff.as_ref().is_some_and(|s| s.partner_time_zone == zone)
    }

    /// The signed-in member's own row, which offers no Remove.
    fn is_own(&self, row: &StaffRow) -> bool {
        self.ui.staff.as_ref().is_some_and(|s| s.id == row.id)
    }

    fn role_error_for(&self, row: &StaffRow) -> String {
        match &self.role_error {
            Some((id, message)) if *id == row.id => message.clone(),
            _ => String::new(),
        }
    }
}

/// How the page comes back after a submit: the form as sent and what happened to it.
#[derive(Default)]
struct Returned {
    email: String,
    role: String,
    error: String,
    created: Option<(String, String)>,
    role_error: Option<(i64, String)>,
    zone_error: String,
}

async fn page(
    state: &AppState,
    staff: CurrentStaff,
    returned: Returned,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (partner_id, now) = (staff.partner_id(), state.clock.now());
    let rows = crate::db::run(&state.pool, move |conn| {
        Ok(staff::rows_for_partner(conn, partner_id, now)?)
    })
    .await?;
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), staff.ui.t.get(&r.label_key())))
        .collect();
    let has_secret = returned.created.is_some();
    let page = StaffPage {
        ui: staff.ui,
        rows,
        roles,
        email: returned.email,
        role: returned.role,
        error: returned.error,
        created: returned.created,
        role_error: returned.role_error,
        zones: time_zone::choices(),
        zone_error: returned.zone_error,
    };
    let mut response = render_with(&page, status)?;
    if has_secret {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

pub async fn list(state: web::Data<AppState>, staff: CurrentStaff) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let returned = Returned {
        role: "helpdesk_agent".into(),
        ..Returned::default()
    };
    page(&state, staff, returned, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}

/// The partner's time zone, which members without their own see every time in (Global admins).
pub async fn set_time_zone(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<TimeZoneForm>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let zone = match TimeZone::parse(&form.time_zone) {
        Ok(zone) => zone,
        Err(error) => {
            let returned = Returned {
                role: "helpdesk_agent".into(),
                zone_error: staff.ui.t.error(&error),
                ..Returned::default()
            };
            return page(&state, staff, returned, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let actor = Actor::from(&staff);
    crate::db::run(&state.pool, move |conn| staff::set_partner_time_zone(conn, actor, zone)).await?;
    flash::set(&staff.session, zone_flash(zone, state.clock.now()));
    Ok(see_other("/staff"))
}

/// "Dates and times are now shown in Asia/Taipei (UTC+8)."
pub fn zone_flash(zone: TimeZone, now: chrono::DateTime<chrono::Utc>) -> Flash {
    Flash::new("flash-time-zone")
        .with("zone", zone.name())
        .with("offset", time_zone::offset_label(zone.tz(), now))
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn add(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let role = Role::parse(&form.role).ok_or(AppError::BadRequest)?;
    let secret = temp_password::generate();
    let hash = password::hash_temporary(&secret).map_err(AppError::Internal)?;
    let (actor, email) = (Actor::from(&staff), form.email.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        staff::add_to_partner(conn, actor, &email, role, &hash)
    })
    .await?;
    let (returned, status) = match outcome {
        Outcome::Done(_) => {
            let created = Some((form.email.trim().to_string(), secret));
            let returned = Returned {
                role: form.role,
                created,
                ..Returned::default()
            };
            (returned, StatusCode::OK)
        }
        Outcome::Refused(error) => {
            let returned = Returned {
                error: staff.ui.t.error(&error),
                email: form.email,
                role: form.role,
                ..Returned::default()
            };
            (returned, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    page(&state, staff, returned, status).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let role = Role::parse(&form.role).ok_or(AppError::BadRequest)?;
    let (actor, staff_id) = (Actor::from(&staff), path.into_inner());
    let (email, outcome) = crate::db::run(&state.pool, move |conn| {
        let email = staff::email_of_member(conn, actor, staff_id)?;
        Ok((email, staff::change_role(conn, actor, staff_id, role)?))
    })
    .await?;
    // Their sessions ended in the change: this server forgets them before answering (the
    // others as their listeners hear of it).
    state.sessions.forget_staff(staff_id);
    match outcome {
        Outcome::Done(()) => {
            let role = staff.ui.t.get(&role.label_key());
            flash::set(
                &staff.session,
                Flash::new("flash-role-changed").with("email", email).with("role", role),
            );
            Ok(see_other("/staff"))
        }
        Outcome::Refused(error) => {
            let message = staff.ui.t.error(&error);
            let returned = Returned {
                role: "helpdesk_agent".into(),
                role_error: Some((staff_id, message)),
                ..Returned::default()
            };
            page(&state, staff, returned, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Ends the sign-in locks of one of the partner's staff members (Global admins only).
pub async fn unlock(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let (actor, staff_id) = (Actor::from(&staff), path.into_inner());
    let email = crate::db::run(&state.pool, move |conn| {
        let email = staff::email_of_member(conn, actor, staff_id)?;
        staff::unlock(conn, actor, staff_id)?;
        Ok(email)
    })
    .await?;
    flash::set(&staff.session, Flash::new("flash-staff-unlocked").with("email", email));
    Ok(see_other("/staff"))
}

/// An action a Global admin takes on another member, asked about on a page of its own first
/// (so it works without script): its path under `/staff/{id}/` and its words.
pub struct MemberAction {
    pub path: &'static str,
    /// The prefix of the page's element ids (`remove-explained`, `remove-error`).
    pub id: &'static str,
    pub title_key: &'static str,
    pub explained_key: &'static str,
    pub button_key: &'static str,
    /// The status banner once it is done, with the member's `email`.
    pub done_key: &'static str,
}

/// i18n-key: staff-remove-of staff-remove-explained staff-remove
pub const REMOVE: MemberAction = MemberAction {
    path: "remove",
    id: "remove",
    title_key: "staff-remove-of",
    explained_key: "staff-remove-explained",
    button_key: "staff-remove",
    done_key: "flash-staff-removed",
};

#[derive(Template)]
#[template(path = "staff/confirm.html")]
struct ConfirmPage {
    ui: Ui,
    staff_id: i64,
    email: String,
    error: String,
    action: &'static MemberAction,
}

/// The page that asks before `action` on a member of the signed-in admin's partner.
pub async fn confirm_page(
    state: &AppState,
    staff: CurrentStaff,
    staff_id: i64,
    action: &'static MemberAction,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let actor = Actor::from(&staff);
    let email = crate::db::run(&state.pool, move |conn| staff::email_of_member(conn, actor, staff_id)).await?;
    let page = ConfirmPage {
        ui: staff.ui,
        staff_id,
        email,
        error: String::new(),
        action,
    };
    render_with(&page, StatusCode::OK)
}

/// Takes a confirmed `action` (`work`, one transaction) on a member: done, back to the Staff
/// page; refused, the confirmation page again with why. The member's sessions this server
/// keeps are forgotten either way (the work may have ended them).
pub async fn act_on_member<F>(
    state: &AppState,
    staff: CurrentStaff,
    staff_id: i64,
    action: &'static MemberAction,
    work: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut diesel::PgConnection, Actor) -> Result<Outcome<(), FieldError>, AppError> + Send + 'static,
{
    staff.require(Permission::ManageStaff)?;
    let actor = Actor::from(&staff);
    let outcome = crate::db::run(&state.pool, move |conn| {
        let email = staff::email_of_member(conn, actor, staff_id)?;
        Ok((email, work(conn, actor)?))
    })
    .await?;
    state.sessions.forget_staff(staff_id);
    match outcome {
        (email, Outcome::Done(())) => {
            flash::set(&staff.session, Flash::new(action.done_key).with("email", email));
            Ok(see_other("/staff"))
        }
        (email, Outcome::Refused(error)) => {
            let error = staff.ui.t.error(&error);
            let page = ConfirmPage {
                ui: staff.ui,
                staff_id,
                email,
                error,
                action,
            };
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Asks before removing a staff member.
pub async fn remove_page(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    confirm_page(&state, staff, path.into_inner(), &REMOVE).await
}

/// Removes a staff member: signed out everywhere at once, and no more sign-ins.
pub async fn remove(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    let (staff_id, now) = (path.into_inner(), state.clock.now());
    act_on_member(&state, staff, staff_id, &REMOVE, move |conn, actor| {
        staff::remove(conn, actor, staff_id, now)
    })
    .await
}
