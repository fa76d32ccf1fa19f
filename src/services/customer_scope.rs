//! The one read every customer page starts with (`auth::CustomerScope`): who the session's staff
//! member is, the customer if it belongs to their partner, its domains and subscriptions, and the
//! version numbers of its Users list, in one prepared statement.
//!
//! The Users tab is the page most viewed, and a round trip to PostgreSQL costs about as much as
//! the work it carries: with the version numbers in this read, a view whose in-memory directory
//! is current makes no other (see `services::user_directory`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Jsonb, Nullable, Text, Timestamptz};
use serde::Deserialize;

use super::customers::Customer;
use super::staff::{self, StaffMember};
use super::subscriptions::SubscriptionRow;
use super::user_directory::Stamp;
use crate::db::prepared::Prepared;

/// What the door found for a session's staff member and a customer id.
pub struct Entry {
    pub staff: StaffMember,
    /// The customer with what a customer page shows around its content; `None` when there is no
    /// such customer or it belongs to another partner.
    pub customer: Option<CustomerFrame>,
}

/// A customer as every customer page sees it.
pub struct CustomerFrame {
    pub customer: Customer,
    /// Its subscriptions by product name (what the seats were as this request began).
    pub subscriptions: Vec<SubscriptionRow>,
    /// The Users list's version numbers as this request began.
    pub stamp: Stamp,
}

const ENTRY_SQL: &str = "\
SELECT s.id AS staff_id, s.partner_id, p.name AS partner_name, s.email, s.role, s.must_change_password,
       p.second_factor_required, EXISTS (SELECT 1 FROM staff_factors f WHERE f.staff_id = s.id) AS has_second_factor,
       p.time_zone AS partner_time_zone, s.time_zone,
       c.id AS customer_id, c.company_name, c.default_usage_location, c.created_at, c.users_version,
       ARRAY(SELECT d.name FROM customer_domains d WHERE d.customer_id = c.id ORDER BY d.position) AS domains,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', su.id, 'product_id', su.product_id, 'product_name', pr.name,
                   'sku_part_number', pr.sku_part_number, 'quantity', su.quantity,
                   'assigned', su.assigned, 'licenses_version', su.licenses_version)
                   ORDER BY pr.name, su.id), '[]'::jsonb)
        FROM subscriptions su JOIN products pr ON pr.id = su.product_id
        WHERE su.customer_id = c.id) AS subscriptions
FROM staff s
JOIN partners p ON p.id = s.partner_id
LEFT JOIN customers c ON c.id = $2 AND c.partner_id = s.partner_id
WHERE s.id = $1 AND s.removed_at IS NULL";

#[derive(QueryableByName)]
struct EntryRow {
    #[diesel(sql_type = BigInt)]
    staff_id: i64,
    #[diesel(sql_type = BigInt)]
    partner_id: i64,
    #[diesel(sql_type = Text)]
    partner_name: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    role: String,
    #[diesel(sql_type = Bool)]
    must_change_password: bool,
    #[diesel(sql_type = Bool)]
    second_factor_required: bool,
    #[diesel(sql_type = Bool)]
    has_second_factor: bool,
    #[diesel(sql_type = Text)]
    partner_time_zone: String,
    #[diesel(sql_type = Nullable<Text>)]
    time_zone: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    customer_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    company_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    default_usage_location: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    created_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<BigInt>)]
    users_version: Option<i64>,
    #[diesel(sql_type = Array<Text>)]
    domains: Vec<String>,
    #[diesel(sql_type = Jsonb)]
    subscriptions: serde_json::Value,
}

#[derive(Deserialize)]
struct EntrySubscription {
    #[serde(flatten)]
    row: SubscriptionRow,
    licenses_version: i64,
}

/// The staff member and (if theirs) the customer, or `None` when the staff member is gone.
pub fn enter(conn: &mut PgConnection, staff_id: i64, customer_id: i64) -> QueryResult<Option<Entry>> {
    let row = Prepared(
        diesel::sql_query(ENTRY_SQL)
            .bind::<BigInt, _>(staff_id)
            .bind::<BigInt, _>(customer_id),
    )
    .get_result::<EntryRow>(conn)
    .optional()?;
    row.map(EntryRow::into_entry).transpose()
}

impl EntryRow {
    fn into_entry(self) -> QueryResult<Entry> {
        let staff = staff::to_member(staff::MemberRow {
            id: self.staff_id,
            partner_id: self.partner_id,
            partner_name: self.partner_name,
            email: self.email,
            role: self.role,
            must_change_password: self.must_change_password,
            second_factor_required: self.second_factor_required,
            has_second_factor: self.has_second_factor,
            partner_time_zone: self.partner_time_zone,
            time_zone: self.time_zone,
        });
        let customer = match (
            self.customer_id,
            self.company_name,
            self.default_usage_location,
            self.created_at,
        ) {
            (Some(id), Some(company_name), Some(default_usage_location), Some(created_at)) => {
                let subscriptions: Vec<EntrySubscription> = serde_json::from_value(self.subscriptions)
                    .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
                let stamp = Stamp::new(
                    self.users_version.unwrap_or(0),
                    subscriptions.iter().map(|s| (s.row.id, s.licenses_version)).collect(),
                );
                let customer = Customer {
                    id,
                    partner_id: staff.partner_id,
                    company_name,
                    default_usage_location,
                    created_at,
                    domains: self.domains,
                };
                Some(CustomerFrame {
                    customer,
                    subscriptions: subscriptions.into_iter().map(|s| s.row).collect(),
                    stamp,
                })
            }
            _ => None,
        };
        Ok(Entry { staff, customer })
    }
}
