use actix_web::{web, HttpResponse};
use askama::Template;

use super::render;
use crate::auth::{CurrentStaff, Permission, Ui};
use crate::error::AppError;
use crate::services::audit::{self, Row};
use crate::services::dashboard::{self, Figures};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ui: Ui,
    figures: Figures,
    recent: Vec<Row>,
}

pub async fn show(state: web::Data<AppState>, staff: CurrentStaff) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ViewCustomers)?;
    let partner_id = staff.partner_id();
    let only_own = (!staff.role().can(Permission::ViewAllActivity)).then_some(staff.id());
    let now = state.clock.now();
    let (figures, recent) = crate::db::run(&state.pool, move |conn| {
        Ok((
            dashboard::figures(conn, partner_id, now)?,
            audit::recent(conn, partner_id, only_own, 10)?,
        ))
    })
    .await?;
    render(&DashboardPage {
        ui: staff.ui,
        figures,
        recent,
    })
}
