//! Manage licenses: the page for a selection of users, "Buy more" without losing the
//! selection, and Save, which ends on the Licenses updated page.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::back::Back;
use super::render_with;
use crate::auth::{need, CsrfForm, CurrentStaff, CustomerScope, Permission, Ui};
use crate::domain::country::UsageLocation;
use crate::domain::licensing::Choice;
use crate::domain::list_place::ListPlace;
use crate::domain::selection;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::customers::Customer;
use crate::services::license_changes::{self, Applied, Overview, ProductState, Request};
use crate::services::subscriptions::SeatChange;
use crate::services::{users, Actor, Outcome};
use crate::state::AppState;

/// Names shown under "Selected users"; the rest are counted.
const SELECTED_SHOWN: i64 = 100;

#[derive(Template)]
#[template(path = "licenses/manage.html")]
struct ManagePage {
    ui: Ui,
    customer: Customer,
    ids: String,
    overview: Overview,
    selected_names: Vec<(i64, String, String)>,
    countries: Vec<(String, String)>,
    /// The form as submitted, when the page comes back after a refused save or a purchase.
    submitted: Option<ManageForm>,
    problems: Vec<String>,
    buy_error: Option<(i64, String)>,
    bought: Option<SeatChange>,
    back: Back,
}

impl ManagePage {
    fn choice_is(&self, product: &ProductState, value: &str) -> bool {
        let choice = self
            .submitted
            .as_ref()
            .and_then(|f| f.choices.get(&product.subscription_id).copied())
            .unwrap_or(product.default_choice);
        choice.as_str() == value
    }

    fn plan_on(&self, product: &ProductState, plan: &str) -> bool {
        match self
            .submitted
            .as_ref()
            .and_then(|f| f.plans_checked.get(&product.subscription_id))
        {
            Some(checked) => checked.iter().any(|p| p == plan),
            None => !product.disabled.iter().any(|d| d == plan),
        }
    }

    fn initial_disabled(&self, product: &ProductState) -> String {
        match self
            .submitted
            .as_ref()
            .and_then(|f| f.plans_initial.get(&product.subscription_id))
        {
            Some(initial) => initial.join(","),
            None => product.disabled.join(","),
        }
    }

    fn location_value(&self) -> String {
        self.submitted.as_ref().map(|f| f.location.clone()).unwrap_or_default()
    }

    fn buy_error_for(&self, product: &ProductState) -> String {
        match &self.buy_error {
            Some((id, message)) if *id == product.subscription_id => message.clone(),
            _ => String::new(),
        }
    }

    /// "Add seats" starts at the seats missing for every selected user to hold the product.
    fn shortfall(&self, product: &ProductState) -> i64 {
        let wanted = self.overview.selected as i64 - product.holders;
        (wanted - product.available).max(1)
    }

    fn holders_text(&self, product: &ProductState) -> String {
        self.ui.t.args(
            "licenses-holders",
            &[
                ("holders", self.ui.t.num(product.holders)),
                ("selected", self.ui.t.num(self.overview.selected)),
            ],
        )
    }
}

/// The Manage licenses form: fixed fields plus per-subscription ones (`choice-12`, `plans-12`,
/// `plans_initial-12`, `buy_qty-12`), read from the raw pairs.
#[derive(Debug, Clone, Default)]
pub struct ManageForm {
    pub ids: Vec<i64>,
    pub location: String,
    pub choices: BTreeMap<i64, Choice>,
    pub plans_checked: BTreeMap<i64, Vec<String>>,
    pub plans_initial: BTreeMap<i64, Vec<String>>,
    pub buy_quantity: BTreeMap<i64, String>,
    /// "save" or "buy-12".
    pub op: String,
    /// The users list the selection was made on.
    pub back: Option<String>,
}

impl ManageForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = ManageForm::default();
        let split = |key: &str, prefix: &str| key.strip_prefix(prefix).and_then(|id| id.parse::<i64>().ok());
        for (key, value) in pairs {
            match key.as_str() {
                "ids" => form.ids = selection::parse_list(value),
                "location" => form.location = value.clone(),
                "op" => form.op = value.clone(),
                "back" => form.back = Some(value.clone()),
                _ => {
                    if let Some(id) = split(key, "choice-") {
                        form.choices.insert(id, Choice::parse(value));
                    } else if let Some(id) = split(key, "plans_initial-") {
                        let list = value.split(',').filter(|v| !v.is_empty()).map(str::to_string).collect();
                        form.plans_initial.insert(id, list);
                    } else if let Some(id) = split(key, "plans-") {
                        form.plans_checked.entry(id).or_default().push(value.clone());
                    } else if let Some(id) = split(key, "buy_qty-") {
                        form.buy_quantity.insert(id, value.clone());
                    }
                }
            }
        }
        // A product whose switches were all turned off sends no `plans-` field at all.
        for id in form.plans_initial.keys() {
            form.plans_checked.entry(*id).or_default();
        }
        form
    }

    /// Turns the page's switches into plans to turn off, telling changed from untouched.
    /// The usage location for users who have none: optional, but a country when given.
    fn usage_location(&self) -> Result<Option<UsageLocation>, FieldError> {
        match self.location.trim() {
            "" => Ok(None),
            raw => UsageLocation::parse(raw).map(Some),
        }
    }

    fn request(&self, overview: &Overview, usage_location: Option<UsageLocation>) -> Request {
        let mut request = Request {
            choices: self.choices.clone(),
            usage_location,
            ..Request::default()
        };
        for product in &overview.products {
            let id = product.subscription_id;
            let (Some(checked), Some(initial)) = (self.plans_checked.get(&id), self.plans_initial.get(&id)) else {
                continue;
            };
            let disabled: Vec<String> = product
                .plans
                .iter()
                .filter(|p| !checked.contains(&p.name))
                .map(|p| p.name.clone())
                .collect();
            let before: BTreeSet<&String> = initial.iter().collect();
            if disabled.iter().collect::<BTreeSet<_>>() == before {
                request.kept_plans.insert(id, disabled);
            } else {
                request.changed_plans.insert(id, disabled);
            }
        }
        request
    }
}

/// How the page comes back after a submit: the form as sent and what happened to it.
#[derive(Default)]
struct Returned {
    submitted: Option<ManageForm>,
    problems: Vec<String>,
    buy_error: Option<(i64, String)>,
    bought: Option<SeatChange>,
}

async fn manage_page(
    state: &AppState,
    staff: CurrentStaff,
    customer: Customer,
    ids: Vec<i64>,
    outcome: Returned,
    back: Back,
) -> Result<ManagePage, AppError> {
    let Returned {
        submitted,
        problems,
        buy_error,
        bought,
    } = outcome;
    let customer_id = customer.id;
    let joined = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let (overview, selected_names) = crate::db::run(&state.pool, move |conn| {
        Ok((
            license_changes::overview(conn, customer_id, &ids)?,
            users::names(conn, customer_id, &ids, SELECTED_SHOWN)?,
        ))
    })
    .await?;
    let countries = staff.ui.t.countries();
    Ok(ManagePage {
        ui: staff.ui,
        customer,
        ids: joined,
        overview,
        selected_names,
        countries,
        submitted,
        problems,
        buy_error,
        bought,
        back,
    })
}

/// Shown in answer to "Manage licenses" on the Users tab, for the resolved selection.
pub async fn for_selection(
    state: &AppState,
    staff: CurrentStaff,
    customer: Customer,
    ids: Vec<i64>,
    back: Back,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageLicenses)?;
    let page = manage_page(state, staff, customer, ids, Returned::default(), back).await?;
    render_with(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "licenses/updated.html")]
struct UpdatedPage {
    ui: Ui,
    customer: Customer,
    applied: Applied,
    shown: Vec<license_changes::UserChange>,
    back: Back,
}

const CHANGES_SHOWN: usize = 500;

pub async fn save(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageLicenses>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = ManageForm::from_pairs(&pairs);
    let place = ListPlace::from_back(scope.customer_id(), form.back.as_deref());
    let back = Back::new(&scope.staff.ui, scope.customer_id(), place, &scope.subscriptions);
    let CustomerScope { staff, customer, .. } = scope;
    let (customer_id, wanted) = (customer.id, form.ids.clone());
    let ids = crate::db::run(&state.pool, move |conn| {
        Ok(users::active_ids(conn, customer_id, &wanted)?)
    })
    .await?;
    if let Some(sub_id) = form.op.strip_prefix("buy-").and_then(|s| s.parse::<i64>().ok()) {
        return buy_more(&state, (staff, customer, back), ids, form, sub_id).await;
    }
    let location = match form.usage_location() {
        Ok(l) => l,
        Err(e) => return refused(&state, (staff, customer, back), ids, form, &[e]).await,
    };
    let (actor, selection, asked) = (Actor::from(&staff), ids.clone(), form.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        let overview = license_changes::overview(conn, customer_id, &selection)?;
        let request = asked.request(&overview, location);
        license_changes::apply(conn, actor, customer_id, &selection, &request)
    })
    .await?;
    match outcome {
        Outcome::Done(applied) => {
            let shown = applied.changes.iter().take(CHANGES_SHOWN).cloned().collect();
            let page = UpdatedPage {
                ui: staff.ui,
                customer,
                applied,
                shown,
                back,
            };
            render_with(&page, StatusCode::OK)
        }
        Outcome::Refused(problems) => refused(&state, (staff, customer, back), ids, form, &problems).await,
    }
}

/// "Buy more" on the page: more seats of one subscription, and the page again with the
/// selection and the choices as they were.
/// Who is looking, at which customer, and the way back to the list: what every answer needs.
type Viewer = (CurrentStaff, Customer, Back);

async fn buy_more(
    state: &AppState,
    (staff, customer, back): Viewer,
    ids: Vec<i64>,
    form: ManageForm,
    sub_id: i64,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageCustomers)?;
    let (actor, customer_id) = (Actor::from(&staff), customer.id);
    let more = form.buy_quantity.get(&sub_id).cloned().unwrap_or_default();
    let outcome = crate::db::run(&state.pool, move |conn| {
        license_changes::buy_more(conn, actor, customer_id, sub_id, &more)
    })
    .await?;
    let (buy_error, bought, status) = match outcome {
        Outcome::Done(change) => (None, Some(change), StatusCode::OK),
        Outcome::Refused(e) => (
            Some((sub_id, staff.ui.t.error(&e))),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let outcome = Returned {
        submitted: Some(form),
        buy_error,
        bought,
        ..Returned::default()
    };
    let page = manage_page(state, staff, customer, ids, outcome, back).await?;
    render_with(&page, status)
}

/// The page again, unchanged data and the form as sent, with what stopped the save (422).
async fn refused(
    state: &AppState,
    (staff, customer, back): Viewer,
    ids: Vec<i64>,
    form: ManageForm,
    problems: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let problems = problems.iter().map(|p| staff.ui.t.error(p)).collect();
    let outcome = Returned {
        submitted: Some(form),
        problems,
        ..Returned::default()
    };
    let page = manage_page(state, staff, customer, ids, outcome, back).await?;
    render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn reads_per_product_fields() {
        let form = ManageForm::from_pairs(&pairs(&[
            ("ids", "3,4, 5,4,3"),
            ("choice-12", "assign"),
            ("choice-13", "remove"),
            ("plans-12", "EXCHANGE_S_ENTERPRISE"),
            ("plans-12", "TEAMS1"),
            ("plans_initial-12", ""),
            ("plans_initial-13", "TEAMS1"),
            ("buy_qty-12", "5"),
            ("op", "buy-12"),
        ]));
        assert_eq!(form.ids, [3, 4, 5]);
        assert_eq!(form.choices[&12], Choice::AssignToAll);
        assert_eq!(form.choices[&13], Choice::RemoveFromAll);
        assert_eq!(form.plans_checked[&12], ["EXCHANGE_S_ENTERPRISE", "TEAMS1"]);
        assert!(form.plans_checked[&13].is_empty(), "all switches off");
        assert_eq!(form.plans_initial[&13], ["TEAMS1"]);
        assert_eq!(form.buy_quantity[&12], "5");
        assert_eq!(form.op, "buy-12");
    }
}
