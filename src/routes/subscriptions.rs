//! A customer's Subscriptions tab: the table, "Add subscription" and changing quantities.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, render_with, see_other};
use crate::auth::customer_scope::Need;
use crate::auth::{need, CsrfForm, CustomerScope, Ui};
use crate::error::AppError;
use crate::services::catalogue::{self, Product};
use crate::services::customers::Customer;
use crate::services::forms::FormErrors;
use crate::services::subscriptions::{self, AddForm, SubscriptionRow};
use crate::services::{Actor, Outcome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "customers/subscriptions.html")]
struct SubscriptionsTab {
    ui: Ui,
    customer: Customer,
    active_tab: &'static str,
    rows: Vec<SubscriptionRow>,
    products: Vec<Product>,
    form: AddForm,
    errors: FormErrors,
    /// The subscription whose quantity change failed, with its typed value and error.
    quantity_error: Option<(i64, String, String)>,
}

impl SubscriptionsTab {
    fn quantity_value(&self, row: &SubscriptionRow) -> String {
        match &self.quantity_error {
            Some((id, typed, _)) if *id == row.id => typed.clone(),
            _ => row.quantity.to_string(),
        }
    }

    fn quantity_error_for(&self, row: &SubscriptionRow) -> String {
        match &self.quantity_error {
            Some((id, _, error)) if *id == row.id => error.clone(),
            _ => String::new(),
        }
    }
}

/// The tab around the subscriptions the door read (a refused change wrote nothing).
async fn tab_page<P: Need>(
    state: &AppState,
    scope: CustomerScope<P>,
    form: AddForm,
    errors: FormErrors,
    quantity_error: Option<(i64, String, String)>,
) -> Result<SubscriptionsTab, AppError> {
    let CustomerScope {
        staff,
        customer,
        subscriptions: rows,
        ..
    } = scope;
    let mut products = crate::db::run(&state.pool, |conn| Ok(catalogue::products(conn)?)).await?;
    // A product the customer already has is bought more of with its quantity, not again.
    products.retain(|p| !rows.iter().any(|r| r.product_id == p.id));
    Ok(SubscriptionsTab {
        ui: staff.ui,
        customer,
        active_tab: "subscriptions",
        rows,
        products,
        form,
        errors,
        quantity_error,
    })
}

/// "Add subscription" as the tab first shows it: no product chosen, one seat.
fn blank_form() -> AddForm {
    AddForm {
        product_id: String::new(),
        quantity: "1".into(),
    }
}

pub async fn tab(state: web::Data<AppState>, scope: CustomerScope) -> Result<HttpResponse, AppError> {
    render(&tab_page(&state, scope, blank_form(), FormErrors::new(), None).await?)
}

pub async fn add(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageCustomers>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let (actor, customer_id, submitted) = (Actor::from(&scope.staff), scope.customer_id(), form.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        subscriptions::add(conn, actor, customer_id, &submitted)
    })
    .await?;
    match outcome {
        Outcome::Done(_) => Ok(see_other(&format!("/customers/{customer_id}/subscriptions"))),
        Outcome::Refused(errors) => {
            let page = tab_page(&state, scope, form, errors, None).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
pub struct SubscriptionPath {
    sid: i64,
}

#[derive(Deserialize)]
pub struct QuantityForm {
    #[serde(default)]
    quantity: String,
}

pub async fn change_quantity(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageCustomers>,
    path: web::Path<SubscriptionPath>,
    CsrfForm(form): CsrfForm<QuantityForm>,
) -> Result<HttpResponse, AppError> {
    let (customer_id, subscription_id) = (scope.customer_id(), path.sid);
    let (actor, typed) = (Actor::from(&scope.staff), form.quantity.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        subscriptions::change_quantity(conn, actor, customer_id, subscription_id, &typed)
    })
    .await?;
    match outcome {
        Outcome::Done(()) => Ok(see_other(&format!("/customers/{customer_id}/subscriptions"))),
        Outcome::Refused(error) => {
            let refused = Some((subscription_id, form.quantity, scope.staff.ui.t.error(&error)));
            let page = tab_page(&state, scope, blank_form(), FormErrors::new(), refused).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
