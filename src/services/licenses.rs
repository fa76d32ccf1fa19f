//! Seats: the one place that assigns and removes licenses. Every writer first locks the
//! customer's subscription rows (in id order, so two writers never deadlock), checks seats
//! against the locked counts, then changes licenses in set-based statements. The database
//! keeps `subscriptions.assigned` (triggers) and refuses any oversell (CHECK constraint), so
//! the invariant holds even against code that forgets this function.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};

use super::subscriptions::SubscriptionRow;
use crate::db::schema::{licenses, products, subscriptions};

/// Locks every subscription of the customer for the rest of the transaction (the
/// subscriptions' rows only: the products they share with other customers stay unlocked).
pub fn lock_for_customer(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Vec<SubscriptionRow>> {
    subscriptions::table
        .filter(subscriptions::customer_id.eq(customer_id))
        .order(subscriptions::id)
        .select(subscriptions::id)
        .for_update()
        .load::<i64>(conn)?;
    subscriptions::table
        .inner_join(products::table)
        .filter(subscriptions::customer_id.eq(customer_id))
        .order(subscriptions::id)
        .select(SubscriptionRow::as_select())
        .load(conn)
}

/// How many of `user_ids` do not hold the subscription yet (the seats an assignment needs).
pub fn count_lacking(
    conn: &mut PgConnection,
    customer_id: i64,
    subscription_id: i64,
    user_ids: &[i64],
) -> QueryResult<i64> {
    let holding: i64 = licenses::table
        .filter(licenses::customer_id.eq(customer_id))
        .filter(licenses::subscription_id.eq(subscription_id))
        .filter(licenses::user_id.eq_any(user_ids))
        .count()
        .get_result(conn)?;
    Ok(user_ids.len() as i64 - holding)
}

/// Gives the subscription to every listed user who lacks it, in one statement. Call only
/// under [`lock_for_customer`] after checking seats. Returns how many licenses were added.
pub fn assign(
    conn: &mut PgConnection,
    customer_id: i64,
    subscription_id: i64,
    user_ids: &[i64],
    disabled_plans: &[String],
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO licenses (customer_id, user_id, subscription_id, disabled_plans) \
         SELECT $1, u, $2, $3 FROM unnest($4::bigint[]) AS u \
         ON CONFLICT (customer_id, user_id, subscription_id) DO NOTHING",
    )
    .bind::<BigInt, _>(customer_id)
    .bind::<BigInt, _>(subscription_id)
    .bind::<Array<Text>, _>(disabled_plans)
    .bind::<Array<BigInt>, _>(user_ids)
    .execute(conn)
}

/// Sets the plans turned off on existing licenses of these users.
pub fn set_disabled_plans(
    conn: &mut PgConnection,
    customer_id: i64,
    subscription_id: i64,
    user_ids: &[i64],
    disabled_plans: &[String],
) -> QueryResult<usize> {
    diesel::update(
        licenses::table
            .filter(licenses::customer_id.eq(customer_id))
            .filter(licenses::subscription_id.eq(subscription_id))
            .filter(licenses::user_id.eq_any(user_ids)),
    )
    .set(licenses::disabled_plans.eq(disabled_plans))
    .execute(conn)
}

/// Takes the subscription away from the listed users, in one statement.
pub fn remove(conn: &mut PgConnection, customer_id: i64, subscription_id: i64, user_ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(
        licenses::table
            .filter(licenses::customer_id.eq(customer_id))
            .filter(licenses::subscription_id.eq(subscription_id))
            .filter(licenses::user_id.eq_any(user_ids)),
    )
    .execute(conn)
}

/// Product names held by each of these users, for list pages.
pub fn product_names_by_user(
    conn: &mut PgConnection,
    customer_id: i64,
    user_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = licenses::table
        .inner_join(subscriptions::table.inner_join(products::table))
        .filter(licenses::customer_id.eq(customer_id))
        .filter(licenses::user_id.eq_any(user_ids))
        .order(products::name)
        .select((licenses::user_id, products::name))
        .load(conn)?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (user_id, name) in rows {
        map.entry(user_id).or_default().push(name);
    }
    Ok(map)
}
