//! The partner-wide figures on the Dashboard.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::schema::{customer_users, customers, subscriptions};

#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub customers: i64,
    pub active_users: i64,
    pub licenses_assigned: i64,
    pub licenses_total: i64,
    pub deleted_last_30_days: i64,
}

pub fn figures(conn: &mut PgConnection, partner_id: i64, now: DateTime<Utc>) -> QueryResult<Figures> {
    let partner_customers = customers::table
        .filter(customers::partner_id.eq(partner_id))
        .select(customers::id);
    let customers: i64 = customers::table
        .filter(customers::partner_id.eq(partner_id))
        .count()
        .get_result(conn)?;
    let active_users: i64 = customer_users::table
        .filter(customer_users::customer_id.eq_any(partner_customers))
        .filter(customer_users::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let deleted_last_30_days: i64 = customer_users::table
        .filter(customer_users::customer_id.eq_any(partner_customers))
        .filter(customer_users::deleted_at.gt(now - Duration::days(30)))
        .count()
        .get_result(conn)?;
    let (assigned, total): (Option<i64>, Option<i64>) = subscriptions::table
        .filter(subscriptions::customer_id.eq_any(partner_customers))
        .select((
            diesel::dsl::sum(subscriptions::assigned),
            diesel::dsl::sum(subscriptions::quantity),
        ))
        .first(conn)?;
    Ok(Figures {
        customers,
        active_users,
        licenses_assigned: assigned.unwrap_or(0),
        licenses_total: total.unwrap_or(0),
        deleted_last_30_days,
    })
}
