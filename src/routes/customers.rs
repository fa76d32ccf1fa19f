//! The Customers list, "Add customer", and a customer's Domains tab.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{render, render_with, see_other, Pager};
use crate::auth::{flash, need, CsrfForm, CurrentStaff, CustomerScope, Flash, Permission, Ui};
use crate::error::AppError;
use crate::services::customers::{self, Customer, CustomerForm, ListRow};
use crate::services::forms::FormErrors;
use crate::services::{Actor, Outcome};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<i64>,
    size: Option<i64>,
}

#[derive(Template)]
#[template(path = "customers/list.html")]
struct ListPage {
    ui: Ui,
    q: String,
    rows: Vec<ListRow>,
    pager: Pager,
}

pub async fn list(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ViewCustomers)?;
    let partner_id = staff.partner_id();
    let ListQuery { q, page, size } = query.into_inner();
    let search = q.clone();
    let (rows, paging) = crate::db::run(&state.pool, move |conn| {
        Ok(customers::list(conn, partner_id, &search, page, size)?)
    })
    .await?;
    let search = crate::url::encode_query_value(&q);
    let pager = Pager::new(paging, |n| {
        format!("/customers?q={search}&page={n}&size={}", paging.size)
    });
    render(&ListPage {
        ui: staff.ui,
        q,
        rows,
        pager,
    })
}

#[derive(Template)]
#[template(path = "customers/new.html")]
struct NewPage {
    ui: Ui,
    form: CustomerForm,
    errors: FormErrors,
    countries: Vec<(String, String)>,
}

pub async fn new_form(staff: CurrentStaff) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageCustomers)?;
    let countries = staff.ui.t.countries();
    let form = CustomerForm {
        default_usage_location: "TW".into(),
        ..CustomerForm::default()
    };
    render(&NewPage {
        ui: staff.ui,
        form,
        errors: FormErrors::new(),
        countries,
    })
}

pub async fn create(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<CustomerForm>,
) -> Result<HttpResponse, AppError> {
    staff.require(Permission::ManageCustomers)?;
    let actor = Actor::from(&staff);
    let outcome = match form.parse() {
        Ok(new) => {
            let name = new.company_name.as_str().to_string();
            crate::db::run(&state.pool, move |conn| customers::create(conn, actor, &new))
                .await?
                .map(|id| (id, name))
        }
        Err(errors) => Outcome::Refused(errors),
    };
    match outcome {
        Outcome::Done((id, name)) => {
            flash::set(&staff.session, Flash::new("flash-customer-added").with("name", name));
            Ok(see_other(&format!("/customers/{id}/subscriptions")))
        }
        Outcome::Refused(errors) => {
            let countries = staff.ui.t.countries();
            render_with(
                &NewPage {
                    ui: staff.ui,
                    form,
                    errors,
                    countries,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

pub async fn show(scope: CustomerScope) -> HttpResponse {
    see_other(&format!("/customers/{}/users", scope.customer_id()))
}

#[derive(Template)]
#[template(path = "customers/domains.html")]
struct DomainsTab {
    ui: Ui,
    customer: Customer,
    active_tab: &'static str,
    domain: String,
    errors: FormErrors,
}

pub async fn domains_tab(scope: CustomerScope) -> Result<HttpResponse, AppError> {
    let CustomerScope { staff, customer, .. } = scope;
    render(&DomainsTab {
        ui: staff.ui,
        customer,
        active_tab: "domains",
        domain: String::new(),
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
}

pub async fn add_domain(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageCustomers>,
    CsrfForm(form): CsrfForm<DomainForm>,
) -> Result<HttpResponse, AppError> {
    let CustomerScope { staff, customer, .. } = scope;
    let (actor, customer_id, raw) = (Actor::from(&staff), customer.id, form.domain.clone());
    let outcome = crate::db::run(&state.pool, move |conn| {
        customers::add_domain(conn, actor, customer_id, &raw)
    })
    .await?;
    match outcome {
        Outcome::Done(domain) => {
            flash::set(&staff.session, Flash::new("flash-domain-added").with("domain", domain));
            Ok(see_other(&format!("/customers/{customer_id}/domains")))
        }
        Outcome::Refused(error) => {
            let mut errors = FormErrors::new();
            errors.add("domain", error);
            let page = DomainsTab {
                ui: staff.ui,
                customer,
                active_tab: "domains",
                domain: form.domain,
                errors,
            };
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
