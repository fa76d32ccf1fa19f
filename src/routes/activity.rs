//! The activity log: paged, filtered by customer, staff member, action and date. Global admins
//! and Admin agents see every entry of their partner; other roles see their own.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::{render, Pager};
use crate::auth::{CurrentStaff, Permission, Ui};
use crate::error::AppError;
use crate::services::audit::{self, Filter, Row};
use crate::services::{customers, staff as staff_service};
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

fn parse_day(value: &Option<String>) -> Option<chrono::DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(value.as_deref()?.trim(), "%Y-%m-%d").ok()?;
    Some(Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0)?))
}

fn parse_id(value: &Option<String>) -> Option<i64> {
    value.as_deref().and_then(|v| v.trim().parse().ok())
}

pub async fn list(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    query: web::Query<ActivityQuery>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ViewCustomers)?;
    let query = query.into_inner();
    let sees_all = staff.role().can(Permission::ViewAllActivity);
    let filter = Filter {
        customer_id: parse_id(&query.customer),
        staff_id: if sees_all {
            parse_id(&query.staff)
        } else {
            Some(staff.id())
        },
        action: query.action.clone().filter(|a| audit::ACTIONS.contains(&a.as_str())),
        from: parse_day(&query.from),
        until: parse_day(&query.until).map(|d| d + chrono::Duration::days(1)),
    };
    let partner_id = staff.partner_id();
    let (page, size) = (query.page, query.size);
    let (rows, paging, customers, staff_list) = crate::db::run(&state.pool, move |conn| {
        let (rows, paging) = audit::list(conn, partner_id, &filter, page, size)?;
        let (customers, _) = customers::list(conn, partner_id, "", Some(1), Some(200))?;
        let customers = customers.into_iter().map(|c| (c.id, c.company_name)).collect();
        let staff_list = if sees_all {
            staff_service::list_for_partner(conn, partner_id)?
        } else {
            Vec::new()
        };
        Ok((rows, paging, customers, staff_list))
    })
    .await?;
    let q = crate::url::encode_query_value;
    let base = format!(
        "/activity?customer={}&staff={}&action={}&from={}&until={}&size={}",
        q(query.customer.as_deref().unwrap_or("")),
        q(query.staff.as_deref().unwrap_or("")),
        q(query.action.as_deref().unwrap_or("")),
        q(query.from.as_deref().unwrap_or("")),
        q(query.until.as_deref().unwrap_or("")),
        paging.size
    );
    let pager = Pager::new(paging, |n| format!("{base}&page={n}"));
    render(&ActivityPage {
        ui: staff.ui,
        rows,
        pager,
        customers,
        staff: staff_list,
        sees_all,
        customer: query.customer.unwrap_or_default(),
        staff_filter: query.staff.unwrap_or_default(),
        action: query.action.unwrap_or_default(),
        from: query.from.unwrap_or_default(),
        until: query.until.unwrap_or_default(),
        actions: audit::ACTIONS.to_vec(),
    })
}
