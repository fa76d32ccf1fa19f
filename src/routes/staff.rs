//! The partner's own staff accounts, for Global admins: who has which role, adding a staff
//! member (with a temporary password shown once), changing roles, ending sign-in locks and
//! removing a member.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render_with, see_other};
use crate::auth::{password, CsrfForm, CurrentStaff, Permission, Role, Ui};
use crate::domain::temp_password;
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
}

impl StaffPage {
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
    let outcome = crate::db::run(&state.pool, move |conn| staff::change_role(conn, actor, staff_id, role)).await?;
    // Their sessions ended in the change: this server forgets them before answering (the
    // others as their listeners hear of it).
    state.sessions.forget_staff(staff_id);
    match outcome {
        Outcome::Done(()) => Ok(see_other("/staff")),
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
    crate::db::run(&state.pool, move |conn| staff::unlock(conn, actor, staff_id)).await?;
    Ok(see_other("/staff"))
}

#[derive(Template)]
#[template(path = "staff/remove.html")]
struct RemovePage {
    ui: Ui,
    staff_id: i64,
    email: String,
    error: String,
}

/// Asks before removing a staff member (a page, so it works without script).
pub async fn remove_page(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let (actor, staff_id) = (Actor::from(&staff), path.into_inner());
    let email = crate::db::run(&state.pool, move |conn| staff::email_of_member(conn, actor, staff_id)).await?;
    let page = RemovePage {
        ui: staff.ui,
        staff_id,
        email,
        error: String::new(),
    };
    render_with(&page, StatusCode::OK)
}

/// Removes a staff member: signed out everywhere at once, and no more sign-ins.
pub async fn remove(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageStaff)?;
    let (actor, staff_id, now) = (Actor::from(&staff), path.into_inner(), state.clock.now());
    let outcome = crate::db::run(&state.pool, move |conn| {
        let email = staff::email_of_member(conn, actor, staff_id)?;
        Ok((email, staff::remove(conn, actor, staff_id, now)?))
    })
    .await?;
    state.sessions.forget_staff(staff_id);
    match outcome {
        (_, Outcome::Done(())) => Ok(see_other("/staff")),
        (email, Outcome::Refused(error)) => {
            let error = staff.ui.t.error(&error);
            let page = RemovePage {
                ui: staff.ui,
                staff_id,
                email,
                error,
            };
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
