//! The activity log: paged, filtered by customer, staff member, action and date. Global admins
//! and Admin agents see every entry of their partner; other roles see their own.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{render, Pager};
use crate::auth::{CurrentStaff, Permission, Ui};
use crate::domain::time_zone;
use crate::error::AppError;
use crate::services::audit::{self, Filter, Row};
use crate::services::Actor;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct ActivityQuery {
    customer: Option<String>,
    staff: Option<String>,
    action: Option<String>,
    from: Option<String>,
    until: Option<String>,
    page: Option<i64>,
    size: Option<i64>,
}

#[derive(Template)]
#[template(path = "activity/list.html")]
struct ActivityPage {
    ui: Ui,
    rows: Vec<Row>,
    pager: Pager,
    customers: Vec<(i64, String)>,
    staff: Vec<(i64, String)>,
    sees_all: bool,
    customer: String,
    staff_filter: String,
    action: String,
    from: String,
    until: String,
    actions: Vec<&'static str>,
}

impl ActivityPage {
    fn is_action(&self, action: &&str) -> bool {
        *action == self.action
    }

    fn action_name(&self, action: &&str) -> String {
        self.ui.t.get(&format!("action-{action}"))
    }
}

/// A day of the date filter: a day where the staff member is, as its start and end in UTC.
fn parse_day(value: &Option<String>, zone: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let day = NaiveDate::parse_from_str(value.as_deref()?.trim(), "%Y-%m-%d").ok()?;
    Some(time_zone::local_day(zone, day))
}

fn parse_id(value: &Option<String>) -> Option<i64> {
    value.as_deref().and_then(|v| v.trim().parse().ok())
}

impl ActivityQuery {
    /// From the start of the first local day to the end of the last, in `zone`.
    fn filter(&self, zone: Tz) -> Filter {
        Filter {
            customer_id: parse_id(&self.customer),
            staff_id: parse_id(&self.staff),
            action: self.action.clone().filter(|a| audit::ACTIONS.contains(&a.as_str())),
            from: parse_day(&self.from, zone).map(|(start, _)| start),
            until: parse_day(&self.until, zone).map(|(_, end)| end),
        }
    }

    /// This filter's URL without its page number, for the pager.
    fn base_url(&self, size: i64) -> String {
        let q = |value: &Option<String>| crate::url::encode_query_value(value.as_deref().unwrap_or(""));
        format!(
            "/activity?customer={}&staff={}&action={}&from={}&until={}&size={size}",
            q(&self.customer),
            q(&self.staff),
            q(&self.action),
            q(&self.from),
            q(&self.until),
        )
    }
}

pub async fn list(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    query: web::Query<ActivityQuery>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ViewCustomers)?;
    let query = query.into_inner();
    let sees_all = staff.role().can(Permission::ViewAllActivity);
    let (viewer, filter, page, size) = (
        Actor::from(&staff),
        query.filter(staff.member.zone().tz()),
        query.page,
        query.size,
    );
    let view = crate::db::run(&state.pool, move |conn| {
        Ok(audit::view(conn, viewer, sees_all, filter, page, size)?)
    })
    .await?;
    let base = query.base_url(view.paging.size);
    render(&ActivityPage {
        ui: staff.ui,
        rows: view.rows,
        pager: Pager::new(view.paging, |n| format!("{base}&page={n}")),
        customers: view.customers,
        staff: view.staff,
        sees_all,
        customer: query.customer.unwrap_or_default(),
        staff_filter: query.staff.unwrap_or_default(),
        action: query.action.unwrap_or_default(),
        from: query.from.unwrap_or_default(),
        until: query.until.unwrap_or_default(),
        actions: audit::ACTIONS.to_vec(),
    })
}
