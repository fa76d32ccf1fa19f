//! Manage licenses for a selection of users: what the selection holds now, and applying a
//! whole set of per-product choices in one transaction that first checks everything (usage
//! locations, seats for the whole selection, conflicting plans) and changes nothing if any
//! check fails. Seats are counted under the subscription row locks of `licenses`.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde_json::json;

use super::licenses;
use super::subscriptions::SubscriptionRow;
use super::{audit, Actor, Outcome};
use crate::db::schema::{customer_users, exclusive_plans, licenses as licenses_table, service_plans};
use crate::domain::country::UsageLocation;
use crate::domain::licensing::{self, Choice, ExclusivePlans, Holdings, Selected, Step, Stock};
use crate::domain::FieldError;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    pub friendly_name: String,
}

/// One product of the customer as the Manage licenses page shows it.
#[derive(Debug, Clone)]
pub struct ProductState {
    pub subscription_id: i64,
    pub product_name: String,
    pub available: i64,
    pub holders: i64,
    pub holder_names: Vec<String>,
    pub plans: Vec<Plan>,
    pub default_choice: Choice,
    /// Plans off for every selected holder alike (empty when they differ).
    pub disabled: Vec<String>,
}

pub struct Overview {
    pub products: Vec<ProductState>,
    pub selected: usize,
    /// Selected users who have no usage location yet.
    pub without_location: i64,
}

fn plans_by_product(conn: &mut PgConnection, product_ids: &[i64]) -> QueryResult<BTreeMap<i64, Vec<Plan>>> {
    let rows: Vec<(i64, String, String)> = service_plans::table
        .filter(service_plans::product_id.eq_any(product_ids))
        .order((service_plans::product_id, service_plans::position))
        .select((
            service_plans::product_id,
            service_plans::name,
            service_plans::friendly_name,
        ))
        .load(conn)?;
    let mut map: BTreeMap<i64, Vec<Plan>> = BTreeMap::new();
    for (product, name, friendly_name) in rows {
        map.entry(product).or_default().push(Plan { name, friendly_name });
    }
    Ok(map)
}

const HOLDERS_SHOWN: i64 = 50;

pub fn overview(conn: &mut PgConnection, customer_id: i64, user_ids: &[i64]) -> QueryResult<Overview> {
    let subs = super::subscriptions::list_for_customer(conn, customer_id)?;
    let product_ids: Vec<i64> = subs.iter().map(|s| s.product_id).collect();
    let mut plans = plans_by_product(conn, &product_ids)?;
    let held: Vec<(i64, Vec<String>, i64)> = licenses_table::table
        .filter(licenses_table::customer_id.eq(customer_id))
        .filter(licenses_table::user_id.eq_any(user_ids))
        .group_by((licenses_table::subscription_id, licenses_table::disabled_plans))
        .select((
            licenses_table::subscription_id,
            licenses_table::disabled_plans,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let without_location: i64 = customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::id.eq_any(user_ids))
        .filter(customer_users::usage_location.is_null())
        .count()
        .get_result(conn)?;
    let mut products = Vec::new();
    for sub in subs {
        let groups: Vec<&(i64, Vec<String>, i64)> = held.iter().filter(|h| h.0 == sub.id).collect();
        let holders: i64 = groups.iter().map(|g| g.2).sum();
        let holder_names: Vec<String> = if holders > 0 {
            licenses_table::table
                .inner_join(customer_users::table.on(customer_users::id.eq(licenses_table::user_id)))
                .filter(licenses_table::customer_id.eq(customer_id))
                .filter(licenses_table::subscription_id.eq(sub.id))
                .filter(licenses_table::user_id.eq_any(user_ids))
                .order(customer_users::display_name)
                .limit(HOLDERS_SHOWN)
                .select(customer_users::display_name)
                .load(conn)?
        } else {
            Vec::new()
        };
        let disabled = match groups.as_slice() {
            [only] => only.1.clone(),
            _ => Vec::new(),
        };
        products.push(ProductState {
            subscription_id: sub.id,
            available: sub.available(),
            product_name: sub.product_name,
            holders,
            holder_names,
            plans: plans.remove(&sub.product_id).unwrap_or_default(),
            default_choice: Choice::default_for(holders as usize, user_ids.len()),
            disabled,
        });
    }
    Ok(Overview {
        products,
        selected: user_ids.len(),
        without_location,
    })
}

pub use crate::domain::licensing::{Request, UserChange};

pub struct Applied {
    pub changes: Vec<UserChange>,
    pub changed_users: usize,
    pub assigned: usize,
    pub removed: usize,
}

/// Applies the request to the selected users, or changes nothing and says why
/// ([`licensing::plan`] decides which).
pub fn apply(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    user_ids: &[i64],
    request: &Request,
) -> Result<Outcome<Applied, Vec<FieldError>>, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        let stock = locked_stock(conn, customer_id)?;
        let users = selected(conn, customer_id, user_ids)?;
        let accepted = match licensing::plan(request, &users, &stock) {
            Ok(accepted) => accepted,
            Err(problems) => return Ok(Outcome::Refused(problems)),
        };
        let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
        if let Some(location) = &request.usage_location {
            give_location(conn, customer_id, &accepted.to_locate, location)?;
        }
        let (assigned, removed) = write_steps(conn, customer_id, &ids, &accepted.steps)?;
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "licenses_changed",
            json!({
                "count": ids.len(),
                "assigned": assigned,
                "removed": removed,
                "changes": accepted.summary,
                "user_ids": ids,
            }),
        )?;
        Ok(Outcome::Done(Applied {
            changed_users: accepted.changes.len(),
            changes: accepted.changes,
            assigned,
            removed,
        }))
    })
}

/// The customer's subscriptions under their row locks (so seats cannot change until the
/// transaction ends), with their service plans and the plans that exclude each other.
fn locked_stock(conn: &mut PgConnection, customer_id: i64) -> Result<Stock, AppError> {
    let subs: Vec<SubscriptionRow> = licenses::lock_for_customer(conn, customer_id)?;
    let product_ids: Vec<i64> = subs.iter().map(|s| s.product_id).collect();
    let plans_of_product = plans_by_product(conn, &product_ids)?
        .into_iter()
        .map(|(product, plans)| (product, plans.into_iter().map(|plan| plan.name).collect()))
        .collect();
    let exclusive = exclusive_plans::table
        .select((exclusive_plans::plan_a, exclusive_plans::plan_b))
        .load(conn)?;
    Ok(Stock {
        subscriptions: subs.iter().map(licensing::Subscription::from).collect(),
        plans_of_product,
        exclusive: ExclusivePlans::new(exclusive),
    })
}

/// The selected users still active, in list order, with what each holds now.
fn selected(conn: &mut PgConnection, customer_id: i64, user_ids: &[i64]) -> Result<Vec<Selected>, AppError> {
    let mut users: Vec<Selected> = customer_users::table
        .filter(customer_users::customer_id.eq(customer_id))
        .filter(customer_users::deleted_at.is_null())
        .filter(customer_users::id.eq_any(user_ids))
        .order((customer_users::display_name, customer_users::id))
        .select((
            customer_users::id,
            customer_users::display_name,
            customer_users::user_name,
            customer_users::usage_location,
        ))
        .load::<(i64, String, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, display_name, user_name, location)| Selected {
            id,
            display_name,
            user_name,
            has_location: location.is_some(),
            held: Holdings::new(),
        })
        .collect();
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let rows: Vec<(i64, i64, Vec<String>)> = licenses_table::table
        .filter(licenses_table::customer_id.eq(customer_id))
        .filter(licenses_table::user_id.eq_any(&ids))
        .select((
            licenses_table::user_id,
            licenses_table::subscription_id,
            licenses_table::disabled_plans,
        ))
        .load(conn)?;
    let mut held: HashMap<i64, Holdings> = HashMap::new();
    for (user, sub, disabled) in rows {
        held.entry(user).or_default().insert(sub, disabled);
    }
    for user in &mut users {
        user.held = held.remove(&user.id).unwrap_or_default();
    }
    Ok(users)
}

/// Gives the usage location to users who still have none.
fn give_location(
    conn: &mut PgConnection,
    customer_id: i64,
    user_ids: &[i64],
    location: &UsageLocation,
) -> QueryResult<usize> {
    diesel::update(
        customer_users::table
            .filter(customer_users::customer_id.eq(customer_id))
            .filter(customer_users::id.eq_any(user_ids))
            .filter(customer_users::usage_location.is_null()),
    )
    .set(customer_users::usage_location.eq(location.code()))
    .execute(conn)
}

/// Makes the writes of an accepted request, one statement per step. Returns how many licenses
/// were assigned and removed.
fn write_steps(conn: &mut PgConnection, customer_id: i64, ids: &[i64], steps: &[Step]) -> QueryResult<(usize, usize)> {
    let (mut assigned, mut removed) = (0, 0);
    for step in steps {
        match step {
            Step::Assign {
                subscription,
                users,
                disabled_plans,
            } => assigned += licenses::assign(conn, customer_id, *subscription, users, disabled_plans)?,
            Step::SetDisabledPlans {
                subscription,
                disabled_plans,
            } => {
                licenses::set_disabled_plans(conn, customer_id, *subscription, ids, disabled_plans)?;
            }
            Step::Remove { subscription } => removed += licenses::remove(conn, customer_id, *subscription, ids)?,
        }
    }
    Ok((assigned, removed))
}

/// "Buy more" from the Manage licenses page: raises the subscription by `more` seats.
pub fn buy_more(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    subscription_id: i64,
    more: &str,
) -> Result<Outcome<super::subscriptions::SeatChange, FieldError>, AppError> {
    super::subscriptions::add_seats(conn, actor, customer_id, subscription_id, more)
}
