//! Manage licenses for a selection of users: what the selection holds now, and applying a
//! whole set of per-product choices in one transaction that first checks everything (usage
//! locations, seats for the whole selection, conflicting plans) and changes nothing if any
//! check fails. Seats are counted under the subscription row locks of `licenses`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;
use serde_json::json;

use super::licenses;
use super::subscriptions::SubscriptionRow;
use super::{audit, Actor};
use crate::db::schema::{customer_users, exclusive_plans, licenses as licenses_table, service_plans};
use crate::domain::country::UsageLocation;
use crate::domain::licensing::{self, Choice, ExclusivePlans};
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

/// What the staff member asked for, per subscription.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub choices: BTreeMap<i64, Choice>,
    /// Plans to turn off, for products whose switches were changed on the page.
    pub changed_plans: BTreeMap<i64, Vec<String>>,
    /// Plans off for newly assigned users of products whose switches were not changed.
    pub kept_plans: BTreeMap<i64, Vec<String>>,
    /// Usage location to give users who have none and gain a license.
    pub usage_location: Option<UsageLocation>,
}

/// What changed for one user, for the Licenses updated page.
#[derive(Debug, Clone)]
pub struct UserChange {
    pub display_name: String,
    pub user_name: String,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

pub struct Applied {
    pub changes: Vec<UserChange>,
    pub changed_users: usize,
    pub assigned: usize,
    pub removed: usize,
}

struct SelectedUser {
    id: i64,
    display_name: String,
    user_name: String,
    has_location: bool,
}

/// How many names a refusal lists before "and N more".
const NAMES_IN_PROBLEM: usize = 5;

fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_IN_PROBLEM).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > NAMES_IN_PROBLEM {
        text.push_str(&format!(" (+{})", names.len() - NAMES_IN_PROBLEM));
    }
    text
}

/// Applies the request to the selected users, or changes nothing and says why.
pub fn apply(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    user_ids: &[i64],
    request: &Request,
) -> Result<Result<Applied, Vec<FieldError>>, AppError> {
    conn.transaction::<_, AppError, _>(|conn| {
        let subs: Vec<SubscriptionRow> = licenses::lock_for_customer(conn, customer_id)?;
        let users: Vec<SelectedUser> = customer_users::table
            .filter(customer_users::customer_id.eq(customer_id))
            .filter(customer_users::deleted_at.is_null())
            .filter(customer_users::id.eq_any(user_ids))
            .order((customer_users::display_name, customer_users::id))
            .select((customer_users::id, customer_users::display_name, customer_users::user_name, customer_users::usage_location))
            .load::<(i64, String, String, Option<String>)>(conn)?
            .into_iter()
            .map(|(id, display_name, user_name, location)| SelectedUser { id, display_name, user_name, has_location: location.is_some() })
            .collect();
        let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
        // What each user holds now: subscription -> disabled plans.
        let mut held: HashMap<i64, BTreeMap<i64, Vec<String>>> = HashMap::new();
        let rows: Vec<(i64, i64, Vec<String>)> = licenses_table::table
            .filter(licenses_table::customer_id.eq(customer_id))
            .filter(licenses_table::user_id.eq_any(&ids))
            .select((licenses_table::user_id, licenses_table::subscription_id, licenses_table::disabled_plans))
            .load(conn)?;
        for (user, sub, disabled) in rows {
            held.entry(user).or_default().insert(sub, disabled);
        }
        let sub_by_id: HashMap<i64, &SubscriptionRow> = subs.iter().map(|s| (s.id, s)).collect();
        let mut problems = Vec::new();

        // Seats, for the whole selection at once.
        let mut lacking: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (sub_id, choice) in &request.choices {
            let Some(sub) = sub_by_id.get(sub_id) else { continue };
            if *choice == Choice::AssignToAll {
                let missing: Vec<i64> = ids.iter().copied().filter(|u| !held.get(u).is_some_and(|h| h.contains_key(sub_id))).collect();
                if let Err(e) = licensing::check_seats(&sub.product_name, missing.len() as i64, sub.available()) {
                    problems.push(e);
                }
                lacking.insert(*sub_id, missing);
            }
        }

        // Usage location for everyone who gains a license.
        let gainers: BTreeSet<i64> = lacking.values().flatten().copied().collect();
        let homeless: Vec<String> =
            users.iter().filter(|u| gainers.contains(&u.id) && !u.has_location).map(|u| u.user_name.clone()).collect();
        if !homeless.is_empty() && request.usage_location.is_none() {
            problems.push(
                FieldError::new("err-usage-location-missing").with("count", homeless.len()).with("users", name_list(&homeless)),
            );
        }

        // Conflicting service plans, on the licenses each user would end up with.
        let product_of: HashMap<i64, i64> = subs.iter().map(|s| (s.id, s.product_id)).collect();
        let product_ids: Vec<i64> = subs.iter().map(|s| s.product_id).collect();
        let plan_names: BTreeMap<i64, Vec<String>> = plans_by_product(conn, &product_ids)?
            .into_iter()
            .map(|(p, plans)| (p, plans.into_iter().map(|pl| pl.name).collect()))
            .collect();
        let exclusive = ExclusivePlans::new(exclusive_plans::table.select((exclusive_plans::plan_a, exclusive_plans::plan_b)).load(conn)?);
        let mut finals: HashMap<i64, BTreeMap<i64, Vec<String>>> = HashMap::new();
        let mut conflicted: Vec<String> = Vec::new();
        for user in &users {
            let mut after = held.get(&user.id).cloned().unwrap_or_default();
            for (sub_id, choice) in &request.choices {
                match choice {
                    Choice::RemoveFromAll => {
                        after.remove(sub_id);
                    }
                    Choice::AssignToAll => {
                        let plans = request.changed_plans.get(sub_id).or_else(|| request.kept_plans.get(sub_id)).cloned().unwrap_or_default();
                        match after.get_mut(sub_id) {
                            Some(existing) if request.changed_plans.contains_key(sub_id) => *existing = plans,
                            Some(_) => {}
                            None => {
                                after.insert(*sub_id, plans);
                            }
                        }
                    }
                    Choice::LeaveAsIs => {
                        if let (Some(existing), Some(plans)) = (after.get_mut(sub_id), request.changed_plans.get(sub_id)) {
                            *existing = plans.clone();
                        }
                    }
                }
            }
            let by_product: BTreeMap<i64, Vec<String>> =
                after.iter().filter_map(|(s, d)| product_of.get(s).map(|p| (*p, d.clone()))).collect();
            if after != held.get(&user.id).cloned().unwrap_or_default()
                && exclusive.conflict(&licensing::enabled_plans(&by_product, &plan_names)).is_some()
            {
                conflicted.push(user.user_name.clone());
            }
            finals.insert(user.id, after);
        }
        if !conflicted.is_empty() {
            problems.push(FieldError::new("err-conflicting-plans").with("count", conflicted.len()).with("users", name_list(&conflicted)));
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }

        // Everything checked: apply, set-based per product.
        if let Some(location) = &request.usage_location {
            let homeless_ids: Vec<i64> = users.iter().filter(|u| gainers.contains(&u.id) && !u.has_location).map(|u| u.id).collect();
            diesel::update(
                customer_users::table
                    .filter(customer_users::customer_id.eq(customer_id))
                    .filter(customer_users::id.eq_any(&homeless_ids))
                    .filter(customer_users::usage_location.is_null()),
            )
            .set(customer_users::usage_location.eq(location.code()))
            .execute(conn)?;
        }
        let (mut assigned, mut removed) = (0, 0);
        for (sub_id, choice) in &request.choices {
            match choice {
                Choice::AssignToAll => {
                    let plans = request.changed_plans.get(sub_id).or_else(|| request.kept_plans.get(sub_id)).cloned().unwrap_or_default();
                    assigned += licenses::assign(conn, customer_id, *sub_id, &lacking[sub_id], &plans)?;
                    if let Some(changed) = request.changed_plans.get(sub_id) {
                        licenses::set_disabled_plans(conn, customer_id, *sub_id, &ids, changed)?;
                    }
                }
                Choice::RemoveFromAll => removed += licenses::remove(conn, customer_id, *sub_id, &ids)?,
                Choice::LeaveAsIs => {
                    if let Some(changed) = request.changed_plans.get(sub_id) {
                        licenses::set_disabled_plans(conn, customer_id, *sub_id, &ids, changed)?;
                    }
                }
            }
        }
        let mut changes = Vec::new();
        for user in &users {
            let before = held.get(&user.id).cloned().unwrap_or_default();
            let after = &finals[&user.id];
            let name = |s: &i64| sub_by_id.get(s).map(|x| x.product_name.clone()).unwrap_or_default();
            let gained: Vec<String> = after.keys().filter(|s| !before.contains_key(s)).map(name).collect();
            let lost: Vec<String> = before.keys().filter(|s| !after.contains_key(s)).map(name).collect();
            if !gained.is_empty() || !lost.is_empty() {
                changes.push(UserChange { display_name: user.display_name.clone(), user_name: user.user_name.clone(), gained, lost });
            }
        }
        let summary: Vec<String> = request
            .choices
            .iter()
            .filter(|(_, c)| **c != Choice::LeaveAsIs)
            .filter_map(|(s, c)| sub_by_id.get(s).map(|x| format!("{} {}", c.as_str(), x.product_name)))
            .collect();
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "licenses_changed",
            json!({"count": ids.len(), "assigned": assigned, "removed": removed, "changes": summary.join("; "), "user_ids": ids}),
        )?;
        let changed_users = changes.len();
        Ok(Ok(Applied { changes, changed_users, assigned, removed }))
    })
}

/// "Buy more" from the Manage licenses page: raises the subscription by `more` seats.
pub fn buy_more(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    subscription_id: i64,
    more: &str,
) -> Result<Result<(), FieldError>, AppError> {
    super::subscriptions::add_seats(conn, actor, customer_id, subscription_id, more)
}
