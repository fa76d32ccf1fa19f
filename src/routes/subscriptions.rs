//! A customer's Subscriptions tab: the table, "Add subscription" and changing quantities.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::customers::{customer_for, load_customer};
use super::{render, render_with, see_other};
use crate::auth::{CsrfForm, CurrentStaff, Permission, Ui};
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

async fn tab_page(
    state: &AppState,
    staff: CurrentStaff,
    customer: Customer,
    form: AddForm,
    errors: FormErrors,
    quantity_error: Option<(i64, String, String)>,
) -> Result<SubscriptionsTab, AppError> {
    let customer_id = customer.id;
    let (rows, mut products) = crate::db::run(&state.pool, move |conn| {
        Ok((
            subscriptions::list_for_customer(conn, customer_id)?,
            catalogue::products(conn)?,
        ))
    })
    .await?;
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

pub async fn tab(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let customer = load_customer(&state, &staff, path.into_inner()).await?;
    let form = AddForm {
        product_id: String::new(),
        quantity: "1".into(),
    };
    render(&tab_page(&state, staff, customer, form, FormErrors::new(), None).await?)
}

pub async fn add(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let customer = customer_for(&state, &staff, path.into_inner(), Permission::ManageCustomers).await?;
    let (actor, customer_id, submitted) = (Actor::from(&staff), customer.id, form.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        subscriptions::add(conn, actor, customer_id, &submitted)
    })
    .await?;
    match outcome {
        Outcome::Done(_) => Ok(see_other(&format!("/customers/{customer_id}/subscriptions"))),
        Outcome::Refused(errors) => {
            let page = tab_page(&state, staff, customer, form, errors, None).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
pub struct QuantityForm {
    #[serde(default)]
    quantity: String,
}

pub async fn change_quantity(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<QuantityForm>,
) -> Result<HttpResponse, AppError> {
    let (customer_id, subscription_id) = path.into_inner();
    let customer = customer_for(&state, &staff, customer_id, Permission::ManageCustomers).await?;
    let (actor, typed) = (Actor::from(&staff), form.quantity.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        subscriptions::change_quantity(conn, actor, customer_id, subscription_id, &typed)
    })
    .await?;
    match outcome {
        Outcome::Done(()) => Ok(see_other(&format!("/customers/{customer_id}/subscriptions"))),
        Outcome::Refused(error) => {
            let message = staff.ui.t.error(&error);
            let blank = AddForm {
                product_id: String::new(),
                quantity: "1".into(),
            };
            let page = tab_page(
                &state,
                staff,
                customer,
                blank,
                FormErrors::new(),
                Some((subscription_id, form.quantity, message)),
            )
            .await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
