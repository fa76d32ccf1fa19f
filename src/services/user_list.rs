//! The Users tab's reads: one prepared statement, the frame (who asks, the customer if it is
//! theirs, its subscriptions and version numbers), then the page from the customer's in-memory
//! directory, rebuilt first if the version numbers moved.
//!
//! The page is the one most viewed, and each round trip to PostgreSQL costs about as much as
//! the work it carries (thread switches on both sides): the page used to make eight queries
//! over three pool checkouts, and now makes one.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Jsonb, Nullable, Text, Timestamptz};
use serde::Deserialize;

use super::customers::Customer;
use super::staff::{self, StaffMember};
use super::subscriptions::SubscriptionRow;
use super::user_directory::{DirectoryCache, Stamp};
use crate::auth::Permission;
use crate::db::prepared::Prepared;
use crate::domain::paging::Paging;
use crate::domain::restore_window;
use crate::domain::user_filter::UserFilter;

/// One user as the list shows it.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub display_name: String,
    pub user_name: String,
    pub usage_location: Option<String>,
    pub admin: bool,
    pub sign_in_blocked: bool,
    pub created_at: DateTime<Utc>,
    /// Names of the products the user holds a license of, by name.
    pub licenses: Vec<String>,
}

/// What the Users tab shows around the list.
pub struct Frame {
    /// The staff member of the session; `None` when no longer there.
    pub staff: Option<StaffMember>,
    /// The customer, if it belongs to the staff member's partner.
    pub customer: Option<Customer>,
    /// The customer's version numbers, which the directory must match.
    pub stamp: Stamp,
    /// The customer's subscriptions by product name, for the product filters.
    pub subscriptions: Vec<SubscriptionRow>,
}

const FRAME_SQL: &str = "\
SELECT s.id AS staff_id, s.partner_id, p.name AS partner_name, s.email, s.role, s.must_change_password,
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
WHERE s.id = $1";

#[derive(QueryableByName)]
struct FrameRow {
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
struct FrameSubscription {
    #[serde(flatten)]
    row: SubscriptionRow,
    licenses_version: i64,
}

/// The frame for a staff member asking for a customer's Users tab, in one statement.
pub fn frame(conn: &mut PgConnection, staff_id: i64, customer_id: i64) -> QueryResult<Frame> {
    let row = Prepared(
        diesel::sql_query(FRAME_SQL)
            .bind::<BigInt, _>(staff_id)
            .bind::<BigInt, _>(customer_id),
    )
    .get_result::<FrameRow>(conn)
    .optional()?;
    let Some(row) = row else {
        return Ok(Frame {
            staff: None,
            customer: None,
            stamp: Stamp::default(),
            subscriptions: Vec::new(),
        });
    };
    let subscriptions: Vec<FrameSubscription> = serde_json::from_value(row.subscriptions)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let stamp = Stamp::new(
        row.users_version.unwrap_or(0),
        subscriptions.iter().map(|s| (s.row.id, s.licenses_version)).collect(),
    );
    let staff = staff::to_member((
        row.staff_id,
        row.partner_id,
        row.partner_name,
        row.email,
        row.role,
        row.must_change_password,
    ));
    let customer = match (
        row.customer_id,
        row.company_name,
        row.default_usage_location,
        row.created_at,
    ) {
        (Some(id), Some(company_name), Some(default_usage_location), Some(created_at)) => Some(Customer {
            id,
            partner_id: staff.partner_id,
            company_name,
            default_usage_location,
            created_at,
            domains: row.domains,
        }),
        _ => None,
    };
    Ok(Frame {
        staff: Some(staff),
        customer,
        stamp,
        subscriptions: subscriptions.into_iter().map(|s| s.row).collect(),
    })
}

/// What the Users tab lists.
pub struct Listing {
    pub rows: Vec<UserRow>,
    pub paging: Paging,
    /// The number on the "Deleted users (N)" tab.
    pub deleted_count: i64,
}

/// What a person asked the list for.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub filter: UserFilter,
    pub search: String,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

impl Frame {
    /// Whether this frame's users may be read: its staff member is still there, has no
    /// temporary password to change first, may view customers, and the customer is theirs. The
    /// page makes the same checks again through `SignedIn::verify` and `CurrentStaff::require`,
    /// which also give the refusals; this only keeps users unread when they would fail.
    pub fn may_list(&self) -> bool {
        let staff_may = self
            .staff
            .as_ref()
            .is_some_and(|s| !s.must_change_password && s.role.can(Permission::ViewCustomers));
        staff_may && self.customer.is_some()
    }
}

/// The Users tab on one connection: the frame, then, if it [`Frame::may_list`], the page the
/// request asks for.
pub fn users_tab(
    conn: &mut PgConnection,
    directories: &DirectoryCache,
    staff_id: i64,
    customer_id: i64,
    now: DateTime<Utc>,
    request: &ListRequest,
) -> QueryResult<(Frame, Option<Listing>)> {
    let frame = frame(conn, staff_id, customer_id)?;
    let listing = match frame.may_list() {
        true => Some(page(conn, directories, &frame, customer_id, now, request)?),
        false => None,
    };
    Ok((frame, listing))
}

/// One page of the users the request's filter and search match, from the customer's directory
/// as of the frame's version numbers.
fn page(
    conn: &mut PgConnection,
    directories: &DirectoryCache,
    frame: &Frame,
    customer_id: i64,
    now: DateTime<Utc>,
    request: &ListRequest,
) -> QueryResult<Listing> {
    let directory = directories.get(conn, customer_id, &frame.stamp)?;
    let (users, paging) = directory.page(request.filter, &request.search, request.page, request.size);
    // A customer has a handful of subscriptions: a search of the list beats hashing.
    let product_name = |id: &i64| {
        frame
            .subscriptions
            .iter()
            .find(|s| s.id == *id)
            .map(|s| s.product_name.clone())
    };
    let rows = users
        .into_iter()
        .map(|user| {
            let mut licenses: Vec<String> = user.licenses.iter().filter_map(product_name).collect();
            licenses.sort_unstable();
            UserRow {
                id: user.id,
                display_name: user.display_name.to_string(),
                user_name: user.user_name.to_string(),
                usage_location: user.usage_location.map(str::to_string),
                admin: user.admin,
                sign_in_blocked: user.sign_in_blocked,
                created_at: user.created_at,
                licenses,
            }
        })
        .collect();
    Ok(Listing {
        rows,
        paging,
        deleted_count: directory.deleted_since(restore_window::purge_cutoff(now)),
    })
}

/// Every user the filter and search match, in list order ("select all N users that match").
pub fn matching_ids(
    conn: &mut PgConnection,
    directories: &DirectoryCache,
    customer_id: i64,
    filter: UserFilter,
    search: &str,
) -> QueryResult<Vec<i64>> {
    Ok(directories.current(conn, customer_id)?.all(filter, search))
}
