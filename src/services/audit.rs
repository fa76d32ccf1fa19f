//! The activity log: one function that records an entry inside the caller's transaction, and
//! the paged, filtered list. Entries never hold a password; details are plain facts
//! (names, counts, ids) that the page turns into a sentence in the reader's language.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};

use super::Actor;
use crate::auth::Role;
use crate::db::schema::{activity_log, customers, staff};
use crate::domain::licensing::ProductChange;
use crate::domain::paging::Paging;
use crate::i18n::Tr;

/// Records one entry. Call it inside the transaction that makes the change.
pub fn record(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: Option<i64>,
    action: &str,
    details: Value,
) -> QueryResult<()> {
    record_as(
        conn,
        actor.partner_id,
        Some(actor.staff_id),
        customer_id,
        action,
        "success",
        details,
    )
}

pub fn record_as(
    conn: &mut PgConnection,
    partner_id: i64,
    staff_id: Option<i64>,
    customer_id: Option<i64>,
    action: &str,
    outcome: &str,
    details: Value,
) -> QueryResult<()> {
    diesel::insert_into(activity_log::table)
        .values((
            activity_log::partner_id.eq(partner_id),
            activity_log::staff_id.eq(staff_id),
            activity_log::customer_id.eq(customer_id),
            activity_log::action.eq(action),
            activity_log::outcome.eq(outcome),
            activity_log::details.eq(details),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a success whose outcome is only settled after the commit (a mail goes out once the
/// entry that says it went is written), and gives the entry's id for [`mark_failed`].
pub fn record_pending(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: Option<i64>,
    action: &str,
    details: Value,
) -> QueryResult<i64> {
    diesel::insert_into(activity_log::table)
        .values((
            activity_log::partner_id.eq(actor.partner_id),
            activity_log::staff_id.eq(Some(actor.staff_id)),
            activity_log::customer_id.eq(customer_id),
            activity_log::action.eq(action),
            activity_log::outcome.eq("success"),
            activity_log::details.eq(details),
        ))
        .returning(activity_log::id)
        .get_result(conn)
}

/// Turns an entry of [`record_pending`] into a failure: what it recorded did not happen.
pub fn mark_failed(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::update(activity_log::table.find(id))
        .set(activity_log::outcome.eq("failed"))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub customer_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff_email: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub action: String,
    pub outcome: String,
    pub details: Value,
}

/// Every action the log knows, for the filter. i18n-key: activity-sign_in activity-sign_in_failed activity-sign_out activity-password_changed activity-customer_created activity-subscription_added activity-subscription_quantity_changed activity-staff_created activity-domain_added activity-user_created activity-user_updated activity-users_deleted activity-users_restored activity-user_purged activity-users_purged activity-passwords_reset activity-credentials_emailed activity-licenses_changed activity-users_imported activity-staff_role_changed activity-staff_unlocked activity-signed_out_everywhere activity-staff_removed activity-second_factor_added activity-second_factor_removed activity-second_factor_failed activity-recovery_codes_made activity-recovery_code_used activity-second_factors_reset activity-second_factor_requirement_changed
/// i18n-key: activity-partner_time_zone_changed activity-time_zone_changed action-partner_time_zone_changed action-time_zone_changed
/// i18n-key: action-sign_in action-sign_in_failed action-sign_out action-password_changed action-customer_created action-subscription_added action-subscription_quantity_changed action-staff_created action-domain_added action-user_created action-user_updated action-users_deleted action-users_restored action-user_purged action-users_purged action-passwords_reset action-credentials_emailed action-licenses_changed action-users_imported action-staff_role_changed action-staff_unlocked action-signed_out_everywhere action-staff_removed action-second_factor_added action-second_factor_removed action-second_factor_failed action-recovery_codes_made action-recovery_code_used action-second_factors_reset action-second_factor_requirement_changed
pub const ACTIONS: [&str; 32] = [
    "users_imported",
    "staff_role_changed",
    "staff_unlocked",
    "staff_removed",
    "licenses_changed",
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "signed_out_everywhere",
    "password_changed",
    "customer_created",
    "domain_added",
    "subscription_added",
    "subscription_quantity_changed",
    "staff_created",
    "user_created",
    "user_updated",
    "users_deleted",
    "users_restored",
    "user_purged",
    "users_purged",
    "passwords_reset",
    "credentials_emailed",
    "second_factor_added",
    "second_factor_removed",
    "second_factor_failed",
    "recovery_codes_made",
    "recovery_code_used",
    "second_factors_reset",
    "second_factor_requirement_changed",
    "partner_time_zone_changed",
    "time_zone_changed",
];

impl Row {
    /// The entry as a sentence, e.g. "Bought 25 × Office 365 E3", every word in the reader's
    /// language: details that are codes (a role, a kind of factor, assign or remove) are
    /// translated, never printed as stored.
    pub fn summary(&self, t: &Tr) -> String {
        let args: Vec<(&str, String)> = match &self.details {
            Value::Object(map) => map.iter().map(|(k, v)| (k.as_str(), detail_text(t, k, v))).collect(),
            _ => Vec::new(),
        };
        t.args(&format!("activity-{}", self.action), &args)
    }

    pub fn action_label(&self, t: &Tr) -> String {
        t.get(&format!("action-{}", self.action))
    }

    pub fn failed(&self) -> bool {
        self.outcome != "success"
    }
}

/// One detail of an entry as the summary shows it.
/// i18n-key: activity-change-assign activity-change-remove list-separator
fn detail_text(t: &Tr, key: &str, value: &Value) -> String {
    match (key, value) {
        ("role", Value::String(role)) => match Role::parse(role) {
            Some(role) => t.get(&role.label_key()),
            None => role.clone(),
        },
        ("changes", Value::Array(changes)) => {
            let words: Vec<String> = changes
                .iter()
                .filter_map(|c| serde_json::from_value::<ProductChange>(c.clone()).ok())
                .map(|c| t.arg(&format!("activity-change-{}", c.choice), "product", c.product))
                .collect();
            words.join(&t.get("list-separator"))
        }
        // Entries written before the changes were stored as data: "assign X; remove Y".
        ("changes", Value::String(legacy)) => {
            let words: Vec<String> = legacy
                .split("; ")
                .map(|part| match part.split_once(' ') {
                    Some((choice @ ("assign" | "remove"), product)) => {
                        t.arg(&format!("activity-change-{choice}"), "product", product)
                    }
                    _ => part.to_string(),
                })
                .collect();
            words.join(&t.get("list-separator"))
        }
        (_, Value::String(text)) => text.clone(),
        (_, other) => other.to_string(),
    }
}

/// What the activity log page shows: a page of entries and the choices of its filters.
pub struct LogView {
    pub rows: Vec<Row>,
    pub paging: Paging,
    pub customers: Vec<(i64, String)>,
    /// The partner's staff, for the staff filter; empty for those who see only their own.
    pub staff: Vec<(i64, String)>,
}

/// The partner's log as `viewer` may see it: whoever may not see all activity sees their own
/// entries only, whatever the filter asked.
pub fn view(
    conn: &mut PgConnection,
    viewer: Actor,
    sees_all: bool,
    mut filter: Filter,
    page: Option<i64>,
    size: Option<i64>,
) -> QueryResult<LogView> {
    if !sees_all {
        filter.staff_id = Some(viewer.staff_id);
    }
    let (rows, paging) = list(conn, viewer.partner_id, &filter, page, size)?;
    let (customers, _) = super::customers::list(conn, viewer.partner_id, "", Some(1), Some(200))?;
    let staff = match sees_all {
        true => super::staff::list_for_partner(conn, viewer.partner_id)?,
        false => Vec::new(),
    };
    Ok(LogView {
        rows,
        paging,
        customers: customers.into_iter().map(|c| (c.id, c.company_name)).collect(),
        staff,
    })
}

/// A page of the partner's log, newest first. `only_staff` limits it to one member's actions.
pub fn list(
    conn: &mut PgConnection,
    partner_id: i64,
    filter: &Filter,
    page: Option<i64>,
    size: Option<i64>,
) -> QueryResult<(Vec<Row>, Paging)> {
    let build = || {
        let mut query = activity_log::table
            .left_join(staff::table)
            .left_join(customers::table)
            .filter(activity_log::partner_id.eq(partner_id))
            .into_boxed();
        if let Some(c) = filter.customer_id {
            query = query.filter(activity_log::customer_id.eq(c));
        }
        if let Some(s) = filter.staff_id {
            query = query.filter(activity_log::staff_id.eq(s));
        }
        if let Some(a) = &filter.action {
            query = query.filter(activity_log::action.eq(a.clone()));
        }
        if let Some(from) = filter.from {
            query = query.filter(activity_log::created_at.ge(from));
        }
        if let Some(until) = filter.until {
            query = query.filter(activity_log::created_at.lt(until));
        }
        query
    };
    let total: i64 = build().count().get_result(conn)?;
    let paging = Paging::new(page, size, total);
    let rows = build()
        .order((activity_log::created_at.desc(), activity_log::id.desc()))
        .limit(paging.size)
        .offset(paging.offset())
        .select((
            activity_log::id,
            activity_log::created_at,
            staff::email.nullable(),
            activity_log::customer_id,
            customers::company_name.nullable(),
            activity_log::action,
            activity_log::outcome,
            activity_log::details,
        ))
        .load::<(
            i64,
            DateTime<Utc>,
            Option<String>,
            Option<i64>,
            Option<String>,
            String,
            String,
            Value,
        )>(conn)?
        .into_iter()
        .map(
            |(id, at, staff_email, customer_id, customer_name, action, outcome, details)| Row {
                id,
                at,
                staff_email,
                customer_id,
                customer_name,
                action,
                outcome,
                details,
            },
        )
        .collect();
    Ok((rows, paging))
}

/// Recent entries for the dashboard.
pub fn recent(conn: &mut PgConnection, partner_id: i64, only_staff: Option<i64>, count: i64) -> QueryResult<Vec<Row>> {
    let filter = Filter {
        staff_id: only_staff,
        ..Filter::default()
    };
    let (rows, _) = list(conn, partner_id, &filter, Some(1), Some(25))?;
    Ok(rows.into_iter().take(count as usize).collect())
}

pub fn details(pairs: &[(&str, Value)]) -> Value {
    let mut map = serde_json::Map::new();
    for (k, v) in pairs {
        map.insert((*k).to_string(), v.clone());
    }
    json!(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn row(action: &str, details: Value) -> Row {
        Row {
            id: 1,
            at: Utc::now(),
            staff_email: None,
            customer_id: None,
            customer_name: None,
            action: action.into(),
            outcome: "success".into(),
            details,
        }
    }

    #[test]
    fn codes_in_details_are_words_in_the_readers_language() {
        let (en, zh) = (Tr::new(Lang::En), Tr::new(Lang::ZhTw));
        let role = row(
            "staff_role_changed",
            json!({"email": "a@p.example", "role": "admin_agent"}),
        );
        assert_eq!(role.summary(&en), "Changed the role of a@p.example to Admin agent");
        assert!(!role.summary(&zh).contains("admin_agent"), "{}", role.summary(&zh));
        let licenses = row(
            "licenses_changed",
            json!({"count": 1, "changes": [
                {"product": "Office 365 E3", "choice": "assign"},
                {"product": "Visio Plan 2", "choice": "remove"}
            ]}),
        );
        assert_eq!(
            licenses.summary(&en),
            "Changed licenses of 1 user: assigned Office 365 E3; removed Visio Plan 2"
        );
        assert_eq!(
            licenses.summary(&zh),
            "變更 1 位使用者的授權：指派 Office 365 E3；移除 Visio Plan 2"
        );
        // Entries from before the changes were data read the same.
        let legacy = row(
            "licenses_changed",
            json!({"count": 1200, "changes": "assign Office 365 E3; remove Visio Plan 2"}),
        );
        assert_eq!(
            legacy.summary(&en),
            "Changed licenses of 1,200 users: assigned Office 365 E3; removed Visio Plan 2"
        );
        let passkey = row("second_factor_added", json!({"kind": "passkey"}));
        assert_eq!(passkey.summary(&en), "Added a passkey or security key");
    }
}
