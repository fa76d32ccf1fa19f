//! A customer's Subscriptions tab: the table, "Add subscription" and changing quantities.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, render_with, see_other};
use crate::auth::customer_scope::Need;
use crate::auth::{flash, need, CsrfForm, CustomerScope, Flash, Ui};
use crate::domain::quantity::{self, Quantity};
use crate::domain::FieldError;
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
    extras: TabExtras,
}

/// A refused Add seats or Change quantity: which row and field, what was typed, and why.
struct SeatsRefused {
    subscription_id: i64,
    adding: bool,
    typed: String,
    error: String,
}

/// What the tab shows beyond the data: a refused change, or the seats a refusal elsewhere
/// asked for ("Add seats" prefilled with the shortfall).
#[derive(Default)]
struct TabExtras {
    refused: Option<SeatsRefused>,
    suggested: Option<(i64, i64)>,
}

impl TabExtras {
    fn refused(refused: SeatsRefused) -> Self {
        TabExtras {
            refused: Some(refused),
            suggested: None,
        }
    }

    fn refused_for(&self, row: &SubscriptionRow, adding: bool) -> Option<&SeatsRefused> {
        self.refused
            .as_ref()
            .filter(|r| r.subscription_id == row.id && r.adding == adding)
    }
}

impl SubscriptionsTab {
    fn seats_value(&self, row: &SubscriptionRow) -> String {
        if let Some(r) = self.extras.refused_for(row, true) {
            return r.typed.clone();
        }
        match self.extras.suggested {
            Some((id, seats)) if id == row.id => seats.to_string(),
            _ => "1".into(),
        }
    }

    fn quantity_value(&self, row: &SubscriptionRow) -> String {
        match self.extras.refused_for(row, false) {
            Some(r) => r.typed.clone(),
            None => row.quantity.to_string(),
        }
    }

    fn seats_error_for(&self, row: &SubscriptionRow) -> String {
        self.extras
            .refused_for(row, true)
            .map(|r| r.error.clone())
            .unwrap_or_default()
    }

    fn quantity_error_for(&self, row: &SubscriptionRow) -> String {
        self.extras
            .refused_for(row, false)
            .map(|r| r.error.clone())
            .unwrap_or_default()
    }
}

/// The tab around the subscriptions the door read (a refused change wrote nothing).
async fn tab_page<P: Need>(
    state: &AppState,
    scope: CustomerScope<P>,
    form: AddForm,
    errors: FormErrors,
    extras: TabExtras,
) -> Result<SubscriptionsTab, AppError> {
    let CustomerScope {
        staff,
        customer,
        subscriptions: rows,
        ..
    } = scope;
    let mut products = crate::db::run(&state.pool, |conn| Ok(catalogue::products(conn)?)).await?;
    // A product the customer already has is bought more of with Add seats, not again.
    products.retain(|p| !rows.iter().any(|r| r.product_id == p.id));
    Ok(SubscriptionsTab {
        ui: staff.ui,
        customer,
        active_tab: "subscriptions",
        rows,
        products,
        form,
        errors,
        extras,
    })
}

/// "Add subscription" as the tab first shows it: no product chosen, one seat.
fn blank_form() -> AddForm {
    AddForm {
        product_id: String::new(),
        quantity: "1".into(),
    }
}

/// `?add=12&seats=5`: a refusal elsewhere (not enough seats) sends the person here with the
/// shortfall, which prefills that row's "Add seats".
#[derive(Deserialize)]
pub struct TabQuery {
    add: Option<i64>,
    seats: Option<i64>,
}

pub async fn tab(
    state: web::Data<AppState>,
    scope: CustomerScope,
    query: web::Query<TabQuery>,
) -> Result<HttpResponse, AppError> {
    let suggested = match (query.add, query.seats) {
        (Some(id), Some(seats)) if (1..=i64::from(Quantity::MAX)).contains(&seats) => Some((id, seats)),
        _ => None,
    };
    let extras = TabExtras {
        suggested,
        ..TabExtras::default()
    };
    render(&tab_page(&state, scope, blank_form(), FormErrors::new(), extras).await?)
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
        Outcome::Done(added) => {
            flash::set(
                &scope.staff.session,
                Flash::new("flash-subscription-added")
                    .with("product", added.product)
                    .with("count", added.quantity),
            );
            Ok(see_other(&format!("/customers/{customer_id}/subscriptions")))
        }
        Outcome::Refused(errors) => {
            let page = tab_page(&state, scope, form, errors, TabExtras::default()).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
pub struct SubscriptionPath {
    sid: i64,
}

/// "Add seats" (a number to add) or "Change quantity" (a new total), as typed; `confirmed`
/// once the person has seen the new total.
#[derive(Deserialize)]
pub struct SeatsForm {
    #[serde(default)]
    seats: String,
    #[serde(default)]
    quantity: String,
    confirmed: Option<String>,
}

/// Which of the two the form was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SeatsAction {
    Add,
    Change,
}

impl SeatsAction {
    fn path(self) -> &'static str {
        match self {
            SeatsAction::Add => "add-seats",
            SeatsAction::Change => "quantity",
        }
    }
}

#[derive(Template)]
#[template(path = "customers/seats_confirm.html")]
struct SeatsConfirmPage {
    ui: Ui,
    customer: Customer,
    row: SubscriptionRow,
    adding: bool,
    /// What was typed (seats to add, or the new total), sent again with the confirmation.
    typed: String,
    /// The number added, or the new total.
    amount: i32,
    total: i32,
    action_path: &'static str,
}

/// The subscription of a path, from the rows the door read.
fn row_of<P: Need>(scope: &CustomerScope<P>, subscription_id: i64) -> Result<SubscriptionRow, AppError> {
    scope
        .subscriptions
        .iter()
        .find(|r| r.id == subscription_id)
        .cloned()
        .ok_or(AppError::NotFound)
}

/// Add seats: the new total to confirm, then the seats added under the row lock.
pub async fn add_seats(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageCustomers>,
    path: web::Path<SubscriptionPath>,
    CsrfForm(form): CsrfForm<SeatsForm>,
) -> Result<HttpResponse, AppError> {
    change_seats(&state, scope, path.sid, form, SeatsAction::Add).await
}

/// Change quantity: the same, with a new total that must still cover the seats in use.
pub async fn change_quantity(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageCustomers>,
    path: web::Path<SubscriptionPath>,
    CsrfForm(form): CsrfForm<SeatsForm>,
) -> Result<HttpResponse, AppError> {
    change_seats(&state, scope, path.sid, form, SeatsAction::Change).await
}

async fn change_seats(
    state: &AppState,
    scope: CustomerScope<need::ManageCustomers>,
    subscription_id: i64,
    form: SeatsForm,
    action: SeatsAction,
) -> Result<HttpResponse, AppError> {
    let row = row_of(&scope, subscription_id)?;
    let typed = match action {
        SeatsAction::Add => form.seats.clone(),
        SeatsAction::Change => form.quantity.clone(),
    };
    // What the change would make of the subscription as the door read it.
    let checked = Quantity::parse(&typed).and_then(|q| match action {
        SeatsAction::Add => quantity::total_after_adding(row.quantity, q).map(|total| (q.get(), total)),
        SeatsAction::Change => quantity::check_new_quantity(row.quantity, row.assigned, q).map(|t| (t, t)),
    });
    let (amount, total) = match checked {
        Ok(figures) => figures,
        Err(error) => return refused(state, scope, subscription_id, action, typed, &error).await,
    };
    if form.confirmed.is_none() {
        let CustomerScope { staff, customer, .. } = scope;
        return render(&SeatsConfirmPage {
            ui: staff.ui,
            customer,
            row,
            adding: action == SeatsAction::Add,
            typed,
            amount,
            total,
            action_path: action.path(),
        });
    }
    let (actor, customer_id, sent) = (Actor::from(&scope.staff), scope.customer_id(), typed.clone());
    let outcome = crate::db::run(&state.pool, move |conn| match action {
        SeatsAction::Add => subscriptions::add_seats(conn, actor, customer_id, subscription_id, &sent),
        SeatsAction::Change => subscriptions::change_quantity(conn, actor, customer_id, subscription_id, &sent),
    })
    .await?;
    match outcome {
        Outcome::Done(change) => {
            let flash = match action {
                SeatsAction::Add => Flash::new("flash-seats-added").with("added", change.to - change.from),
                SeatsAction::Change => Flash::new("flash-quantity-changed").with("from", change.from),
            };
            let flash = flash.with("product", &change.product).with("total", change.to);
            flash::set(&scope.staff.session, flash);
            Ok(see_other(&format!("/customers/{customer_id}/subscriptions")))
        }
        Outcome::Refused(error) => refused(state, scope, subscription_id, action, typed, &error).await,
    }
}

/// The tab again with the typed value and why it cannot be (422); nothing was written.
async fn refused(
    state: &AppState,
    scope: CustomerScope<need::ManageCustomers>,
    subscription_id: i64,
    action: SeatsAction,
    typed: String,
    error: &FieldError,
) -> Result<HttpResponse, AppError> {
    let refused = SeatsRefused {
        subscription_id,
        adding: action == SeatsAction::Add,
        typed,
        error: scope.staff.ui.t.error(error),
    };
    let page = tab_page(
        state,
        scope,
        blank_form(),
        FormErrors::new(),
        TabExtras::refused(refused),
    )
    .await?;
    render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
}
