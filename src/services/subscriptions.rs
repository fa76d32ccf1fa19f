//! Subscriptions: buying a product for a customer and changing its seat quantity. The seat
//! counter `assigned` is kept by the database (triggers on licenses) and checked by a
//! constraint, so a quantity can never drop below the seats in use, even under races.

use diesel::prelude::*;
use serde_json::json;

use super::customers::is_unique_violation;
use super::forms::FormErrors;
use super::{audit, Actor, Outcome};
use crate::db::schema::{products, subscriptions};
use crate::domain::licensing;
use crate::domain::quantity::{self, Quantity};
use crate::domain::FieldError;
use crate::error::AppError;

/// A subscription with its product's names, read from `subscriptions` joined to `products`.
#[derive(Debug, Clone, serde::Deserialize, Queryable, Selectable)]
#[diesel(table_name = subscriptions, check_for_backend(diesel::pg::Pg))]
pub struct SubscriptionRow {
    pub id: i64,
    pub product_id: i64,
    #[diesel(select_expression = products::name)]
    pub product_name: String,
    #[diesel(select_expression = products::sku_part_number)]
    pub sku_part_number: String,
    pub quantity: i32,
    pub assigned: i32,
}

impl SubscriptionRow {
    /// Seats still free, as the i64 every seat count is compared in.
    pub fn available(&self) -> i64 {
        i64::from(quantity::available(self.quantity, self.assigned))
    }
}

impl From<&SubscriptionRow> for licensing::Subscription {
    fn from(row: &SubscriptionRow) -> Self {
        licensing::Subscription {
            id: row.id,
            product_id: row.product_id,
            product_name: row.product_name.clone(),
            available: row.available(),
        }
    }
}

pub fn list_for_customer(conn: &mut PgConnection, customer_id: i64) -> QueryResult<Vec<SubscriptionRow>> {
    subscriptions::table
        .inner_join(products::table)
        .filter(subscriptions::customer_id.eq(customer_id))
        .order((products::name, subscriptions::id))
        .select(SubscriptionRow::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AddForm {
    #[serde(default)]
    pub product_id: String,
    #[serde(default)]
    pub quantity: String,
}

/// A subscription just bought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub id: i64,
    pub product: String,
    pub quantity: i32,
}

/// Buys a product for a customer. One subscription per product: buying a product the customer
/// already has is refused with a pointer to changing its quantity.
pub fn add(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    form: &AddForm,
) -> Result<Outcome<Added, FormErrors>, AppError> {
    let mut errors = FormErrors::new();
    let quantity = errors.check("quantity", Quantity::parse(&form.quantity));
    let product: Option<(i64, String)> = match form.product_id.trim().parse::<i64>() {
        Ok(id) => products::table
            .find(id)
            .select((products::id, products::name))
            .first(conn)
            .optional()?,
        Err(_) => None,
    };
    if product.is_none() {
        errors.add("product_id", FieldError::new("err-product-choose"));
    }
    let (Some(quantity), Some((product_id, product_name))) = (quantity, product) else {
        return Ok(Outcome::Refused(errors));
    };
    let already = || {
        let mut errors = FormErrors::new();
        errors.add(
            "product_id",
            FieldError::new("err-product-already").with("product", &product_name),
        );
        Outcome::Refused(errors)
    };
    let result = conn.transaction::<_, AppError, _>(|conn| {
        let existing: i64 = subscriptions::table
            .filter(subscriptions::customer_id.eq(customer_id))
            .filter(subscriptions::product_id.eq(product_id))
            .count()
            .get_result(conn)?;
        if existing > 0 {
            return Ok(already());
        }
        let id = diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::customer_id.eq(customer_id),
                subscriptions::product_id.eq(product_id),
                subscriptions::quantity.eq(quantity.get()),
            ))
            .returning(subscriptions::id)
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "subscription_added",
            json!({"product": product_name, "quantity": quantity.get()}),
        )?;
        Ok(Outcome::Done(Added {
            id,
            product: product_name.clone(),
            quantity: quantity.get(),
        }))
    });
    match result {
        // A submit at the same moment bought it between the check and the insert.
        Err(AppError::Internal(e)) if is_unique_violation(&e) => Ok(already()),
        other => other,
    }
}

/// What a change of seats did: the product and its quantity before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatChange {
    pub product: String,
    pub from: i32,
    pub to: i32,
}

/// Sets a subscription's quantity. The UPDATE only matches while the new quantity still covers
/// the seats in use, and it takes the row lock that license assignments also take, so the
/// check and the write cannot be separated by a concurrent assignment.
pub fn change_quantity(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    subscription_id: i64,
    raw_quantity: &str,
) -> Result<Outcome<SeatChange, FieldError>, AppError> {
    let quantity = match Quantity::parse(raw_quantity) {
        Ok(q) => q,
        Err(e) => return Ok(Outcome::Refused(e)),
    };
    conn.transaction::<_, AppError, _>(|conn| {
        let (old, assigned, product_id): (i32, i32, i64) = subscriptions::table
            .filter(subscriptions::id.eq(subscription_id))
            .filter(subscriptions::customer_id.eq(customer_id))
            .select((
                subscriptions::quantity,
                subscriptions::assigned,
                subscriptions::product_id,
            ))
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let product: String = products::table.find(product_id).select(products::name).first(conn)?;
        if let Err(refused) = quantity::check_new_quantity(old, assigned, quantity) {
            return Ok(Outcome::Refused(refused));
        }
        diesel::update(subscriptions::table.find(subscription_id))
            .set((
                subscriptions::quantity.eq(quantity.get()),
                subscriptions::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "subscription_quantity_changed",
            json!({"product": product, "from": old, "to": quantity.get()}),
        )?;
        Ok(Outcome::Done(SeatChange {
            product,
            from: old,
            to: quantity.get(),
        }))
    })
}

/// Adds seats to a subscription ("Buy more"), under the row lock so concurrent purchases add up.
pub fn add_seats(
    conn: &mut PgConnection,
    actor: Actor,
    customer_id: i64,
    subscription_id: i64,
    raw_more: &str,
) -> Result<Outcome<SeatChange, FieldError>, AppError> {
    let more = match Quantity::parse(raw_more) {
        Ok(q) => q,
        Err(e) => return Ok(Outcome::Refused(e)),
    };
    conn.transaction::<_, AppError, _>(|conn| {
        let (old, product_id): (i32, i64) = subscriptions::table
            .filter(subscriptions::id.eq(subscription_id))
            .filter(subscriptions::customer_id.eq(customer_id))
            .select((subscriptions::quantity, subscriptions::product_id))
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let new = match quantity::total_after_adding(old, more) {
            Ok(total) => total,
            Err(refused) => return Ok(Outcome::Refused(refused)),
        };
        diesel::update(subscriptions::table.find(subscription_id))
            .set((
                subscriptions::quantity.eq(new),
                subscriptions::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let product: String = products::table.find(product_id).select(products::name).first(conn)?;
        audit::record(
            conn,
            actor,
            Some(customer_id),
            "subscription_quantity_changed",
            json!({"product": product, "from": old, "to": new}),
        )?;
        Ok(Outcome::Done(SeatChange {
            product,
            from: old,
            to: new,
        }))
    })
}
