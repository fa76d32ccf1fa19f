//! The Users and licenses screen: the Users and Deleted users tabs, Add user, user details
//! and edit, and the actions on a selection (reset password, delete, restore).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::back::Back;
use super::{render, render_with, see_other, Pager};
use crate::auth::customer_scope::Need;
use crate::auth::{need, CsrfForm, CurrentStaff, CustomerScope, Permission, Ui};
use crate::domain::list_place::ListPlace;
use crate::domain::paging::PAGE_SIZES;
use crate::domain::selection::{self, Chosen};
use crate::domain::user_filter::UserFilter;
use crate::domain::user_name::UserName;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::i18n::OneArg;
use crate::services::credentials::SheetKey;
use crate::services::customers::Customer;
use crate::services::forms::FormErrors;
use crate::services::subscriptions::SubscriptionRow;
use crate::services::user_list::{self, ListRequest, Source, UserRow};
use crate::services::users::{self, DeletedRow, UserDetail, UserForm};
use crate::services::{Actor, Outcome};
use crate::state::AppState;
use crate::url::encode_query_value;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    filter: String,
    #[serde(default)]
    q: String,
    page: Option<i64>,
    size: Option<i64>,
    notice: Option<String>,
    count: Option<i64>,
}

/// Messages a redirect may ask the list to show.
/// i18n-key: notice-deleted notice-none-selected notice-updated notice-forgotten
const NOTICES: [&str; 4] = ["deleted", "none-selected", "updated", "forgotten"];

/// The message a redirect asked for, if it is one the list knows, and whether it is an error
/// (nothing was selected) rather than news of a change.
fn list_notice(ui: &Ui, notice: Option<&str>, count: Option<i64>) -> Option<(String, bool)> {
    let key = notice.filter(|n| NOTICES.contains(n))?;
    let text = ui.t.arg(&format!("notice-{key}"), "count", count.unwrap_or(0));
    Some((text, key == "none-selected"))
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct UsersTab {
    ui: Ui,
    customer: Customer,
    active_tab: &'static str,
    deleted_count: i64,
    rows: Vec<UserRow>,
    pager: Pager,
    filter: String,
    q: String,
    subscriptions: Vec<SubscriptionRow>,
    page_sizes: Vec<i64>,
    notice: Option<(String, bool)>,
    /// "Select {name}", the label of each row's checkbox.
    select_label: OneArg,
    /// This page as the place actions and links come back to.
    back: Back,
    /// "No licenses", for the rows of users without any (once, not per row).
    unlicensed: String,
}

impl UsersTab {
    fn is_deleted_tab(&self) -> bool {
        false
    }

    fn filter_is(&self, value: &str) -> bool {
        self.filter == value
    }

    fn has_value(&self, sub: &SubscriptionRow) -> String {
        UserFilter::HasProduct(sub.id).as_param()
    }

    fn lacks_value(&self, sub: &SubscriptionRow) -> String {
        UserFilter::LacksProduct(sub.id).as_param()
    }

    fn location_name(&self, row: &UserRow) -> String {
        row.user
            .usage_location
            .as_deref()
            .map(|c| self.ui.t.country_name(c))
            .unwrap_or_default()
    }
}

/// Where a customer's list comes from: the app's directories, at the version numbers the
/// door read for this request.
fn list_source<'a, P: Need>(state: &'a AppState, scope: &'a CustomerScope<P>) -> Source<'a> {
    Source {
        pool: &state.pool,
        directories: &state.directories,
        customer_id: scope.customer_id(),
        stamp: &scope.stamp,
    }
}

impl ListQuery {
    fn request(&self) -> ListRequest {
        ListRequest {
            filter: UserFilter::parse(&self.filter),
            search: self.q.clone(),
            page: self.page,
            size: self.size,
        }
    }
}

/// The Users tab: the door's one query, then the page from the customer's in-memory directory
/// (see `services::user_list`), which needs no other query while it is current.
pub async fn list(
    state: web::Data<AppState>,
    scope: CustomerScope,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let request = query.request();
    let query = query.into_inner();
    let (source, now) = (list_source(&state, &scope), state.clock.now());
    let listing = user_list::page(source, &scope.subscriptions, now, &request).await?;
    let CustomerScope {
        staff,
        customer,
        subscriptions,
        ..
    } = scope;
    let (filter, size) = (request.filter.as_param(), listing.paging.size);
    let here = ListPlace::users(request.filter, &query.q, listing.paging.page, size);
    let back = Back::new(&staff.ui, customer.id, here.clone(), &subscriptions);
    let customer_id = customer.id;
    let page_url = |page| ListPlace { page, ..here.clone() }.url(customer_id);
    render(&UsersTab {
        back,
        unlicensed: staff.ui.t.get("unlicensed"),
        notice: list_notice(&staff.ui, query.notice.as_deref(), query.count),
        select_label: staff.ui.t.one_arg("select-user", "name"),
        ui: staff.ui,
        customer,
        active_tab: "users",
        deleted_count: listing.deleted_count,
        rows: listing.rows,
        pager: Pager::new(listing.paging, page_url),
        filter,
        q: query.q,
        subscriptions,
        page_sizes: PAGE_SIZES.to_vec(),
    })
}

#[derive(Template)]
#[template(path = "users/deleted.html")]
struct DeletedTab {
    ui: Ui,
    customer: Customer,
    active_tab: &'static str,
    deleted_count: i64,
    rows: Vec<DeletedRow>,
    pager: Pager,
    can_purge: bool,
    /// The row whose "Delete permanently" failed, with the message.
    purge_error: Option<(i64, String)>,
    back: Back,
    notice: Option<(String, bool)>,
}

impl DeletedTab {
    fn is_deleted_tab(&self) -> bool {
        true
    }

    fn purge_error_for(&self, row: &DeletedRow) -> String {
        match &self.purge_error {
            Some((id, message)) if *id == row.id => message.clone(),
            _ => String::new(),
        }
    }
}

async fn deleted_page(
    state: &AppState,
    staff: CurrentStaff,
    customer: Customer,
    page: Option<i64>,
    size: Option<i64>,
    purge_error: Option<(i64, String)>,
) -> Result<DeletedTab, AppError> {
    let (customer_id, now) = (customer.id, state.clock.now());
    let (rows, paging) = crate::db::run(&state.pool, move |conn| {
        Ok(users::list_deleted(conn, customer_id, now, page, size)?)
    })
    .await?;
    let size = paging.size;
    let pager = Pager::new(paging, |n| ListPlace::deleted(n, size).url(customer_id));
    let can_purge = staff.role().can(Permission::PurgeUsers);
    let back = Back::new(&staff.ui, customer_id, ListPlace::deleted(paging.page, size), &[]);
    Ok(DeletedTab {
        back,
        ui: staff.ui,
        customer,
        active_tab: "users",
        deleted_count: paging.total,
        rows,
        pager,
        can_purge,
        purge_error,
        notice: None,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
    size: Option<i64>,
    notice: Option<String>,
    count: Option<i64>,
}

pub async fn deleted(
    state: web::Data<AppState>,
    scope: CustomerScope,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let CustomerScope { staff, customer, .. } = scope;
    let notice = list_notice(&staff.ui, query.notice.as_deref(), query.count);
    let mut page = deleted_page(&state, staff, customer, query.page, query.size, None).await?;
    page.notice = notice;
    render(&page)
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct AddUserPage {
    ui: Ui,
    customer: Customer,
    form: UserForm,
    errors: FormErrors,
    subscriptions: Vec<SubscriptionRow>,
    countries: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    run: String,
    /// How many users this "Add another user" run has added so far.
    added: i64,
}

impl AddUserPage {
    fn product_checked(&self, sub: &SubscriptionRow) -> bool {
        self.form.product.contains(&sub.id)
    }
}

fn role_choices(ui: &Ui) -> Vec<(String, String)> {
    crate::domain::person::OrgRole::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), ui.t.get(&r.label_key())))
        .collect()
}

#[derive(Deserialize)]
pub struct NewQuery {
    run: Option<Uuid>,
    added: Option<i64>,
    domain: Option<String>,
    location: Option<String>,
}

/// Add user, with the products the door read (seats as this request began).
fn add_user_page(
    scope: CustomerScope<need::ManageUsers>,
    form: UserForm,
    errors: FormErrors,
    run: Option<Uuid>,
    added: i64,
) -> AddUserPage {
    let CustomerScope {
        staff,
        customer,
        subscriptions,
        ..
    } = scope;
    let countries = staff.ui.t.countries();
    let roles = role_choices(&staff.ui);
    AddUserPage {
        ui: staff.ui,
        customer,
        form,
        errors,
        subscriptions,
        countries,
        roles,
        run: run.map(|r| r.to_string()).unwrap_or_default(),
        added,
    }
}

pub async fn new_form(
    scope: CustomerScope<need::ManageUsers>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let customer = &scope.customer;
    let form = UserForm {
        domain: query.domain.unwrap_or_else(|| customer.initial_domain().to_string()),
        usage_location: query
            .location
            .unwrap_or_else(|| customer.default_usage_location.clone()),
        org_role: "user".into(),
        ..UserForm::default()
    };
    let added = query.added.unwrap_or(0);
    render(&add_user_page(scope, form, FormErrors::new(), query.run, added))
}

/// "Add another user": the form again, keeping the run's credentials page, domain and location.
fn add_another_url<P: Need>(scope: &CustomerScope<P>, form: &UserForm, sheet: Uuid) -> String {
    format!(
        "/customers/{}/users/new?run={sheet}&added={}&domain={}&location={}",
        scope.customer_id(),
        form.added + 1,
        encode_query_value(&form.domain),
        encode_query_value(&form.usage_location)
    )
}

pub async fn create(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Result<HttpResponse, AppError> {
    let run = Uuid::parse_str(form.run.trim()).ok();
    let outcome = match form.parse(&scope.customer) {
        Ok(new) => {
            let staff = &scope.staff;
            let (actor, key, now) = (
                Actor::from(staff),
                SheetKey::of_session(&staff.session)?,
                state.clock.now(),
            );
            let (owned, products) = (scope.customer.clone(), form.product.clone());
            crate::db::run(&state.pool, move |conn| {
                users::create(conn, actor, &key, &owned, &new, &products, run, now)
            })
            .await?
        }
        Err(errors) => Outcome::Refused(errors),
    };
    match outcome {
        Outcome::Done(created) if form.action == "another" => {
            Ok(see_other(&add_another_url(&scope, &form, created.sheet_id)))
        }
        Outcome::Done(created) => Ok(see_other(&format!("/credentials/{}", created.sheet_id))),
        Outcome::Refused(errors) => {
            let added = form.added;
            render_with(
                &add_user_page(scope, form, errors, run, added),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct UserPage {
    ui: Ui,
    customer: Customer,
    user: UserDetail,
    form: UserForm,
    errors: FormErrors,
    countries: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    can_reset: bool,
    back: Back,
    /// "Saved changes to 陳美玲", after a save.
    saved: Option<String>,
}

/// How a user's page was reached: the list it came from, and whether a save just happened.
#[derive(Deserialize, Default)]
pub struct UserQuery {
    back: Option<String>,
    saved: Option<String>,
}

struct UserView {
    form: Option<UserForm>,
    errors: FormErrors,
    back: Back,
    saved: bool,
}

fn user_page(staff: CurrentStaff, customer: Customer, user: UserDetail, view: UserView) -> UserPage {
    let UserView {
        form,
        errors,
        back,
        saved,
    } = view;
    let form = form.unwrap_or_else(|| UserForm {
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        display_name: user.display_name.clone(),
        alias: user.alias().to_string(),
        domain: user.domain().to_string(),
        usage_location: user.usage_location.clone().unwrap_or_default(),
        org_role: user.org_role.clone(),
        sign_in_blocked: user.sign_in_blocked.then(|| "on".to_string()),
        ..UserForm::default()
    });
    let can_reset = staff.role().can(if user.is_admin() {
        Permission::ResetAdminPasswords
    } else {
        Permission::ResetPasswords
    });
    let countries = staff.ui.t.countries();
    let roles = role_choices(&staff.ui);
    let saved = saved.then(|| staff.ui.t.arg("user-saved", "name", &user.display_name));
    UserPage {
        ui: staff.ui,
        customer,
        user,
        form,
        errors,
        countries,
        roles,
        can_reset,
        back,
        saved,
    }
}

/// The `{uid}` of a user's paths.
#[derive(Deserialize)]
pub struct UserPath {
    uid: i64,
}

async fn find_user(state: &AppState, customer_id: i64, user_id: i64) -> Result<UserDetail, AppError> {
    crate::db::run(&state.pool, move |conn| users::find(conn, customer_id, user_id)).await
}

/// The way back from a user's page, from its `back` parameter or field.
fn back_from<P: Need>(scope: &CustomerScope<P>, back: Option<&str>) -> Back {
    let place = ListPlace::from_back(scope.customer_id(), back);
    Back::new(&scope.staff.ui, scope.customer_id(), place, &scope.subscriptions)
}

pub async fn show(
    state: web::Data<AppState>,
    scope: CustomerScope,
    path: web::Path<UserPath>,
    query: web::Query<UserQuery>,
) -> Result<HttpResponse, AppError> {
    let user = find_user(&state, scope.customer_id(), path.uid).await?;
    let view = UserView {
        form: None,
        errors: FormErrors::new(),
        back: back_from(&scope, query.back.as_deref()),
        saved: query.saved.is_some(),
    };
    render(&user_page(scope.staff, scope.customer, user, view))
}

pub async fn update(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<UserPath>,
    CsrfForm(form): CsrfForm<UserForm>,
) -> Result<HttpResponse, AppError> {
    let back = back_from(&scope, form.back.as_deref());
    let CustomerScope { staff, customer, .. } = scope;
    let (customer_id, user_id) = (customer.id, path.uid);
    let outcome = match form.parse(&customer) {
        Ok(edited) => {
            let (actor, now, blocked, owned) =
                (Actor::from(&staff), state.clock.now(), form.blocked(), customer.clone());
            crate::db::run(&state.pool, move |conn| {
                users::update(conn, actor, &owned, user_id, &edited, blocked, now)
            })
            .await?
        }
        Err(errors) => Outcome::Refused(errors),
    };
    match outcome {
        Outcome::Done(()) => Ok(see_other(
            &back.on(&format!("/customers/{customer_id}/users/{user_id}?saved=1")),
        )),
        Outcome::Refused(errors) => {
            let user = find_user(&state, customer_id, user_id).await?;
            let view = UserView {
                form: Some(form),
                errors,
                back,
                saved: false,
            };
            render_with(
                &user_page(staff, customer, user, view),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// The check boxes of the Users tab (or one user's buttons), and which action was pressed.
#[derive(Deserialize)]
pub struct SelectionForm {
    #[serde(default)]
    user_id: Vec<i64>,
    #[serde(default)]
    page_ids: Vec<i64>,
    page_all: Option<String>,
    all_matching: Option<String>,
    #[serde(default)]
    filter: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    action: String,
    /// The list the selection was made on, to come back to.
    back: Option<String>,
}

/// Resolves a selection to active user ids of this customer by [`selection::chosen`]: "all
/// that match" re-runs the filter; otherwise the ticked rows (the page's rows only when its box
/// arrived without any row).
async fn resolve_selection<P: Need>(
    state: &AppState,
    scope: &CustomerScope<P>,
    form: &SelectionForm,
) -> Result<Vec<i64>, AppError> {
    let chosen = selection::chosen(
        form.all_matching.is_some(),
        form.page_all.is_some(),
        form.user_id.clone(),
        form.page_ids.clone(),
    );
    let ids = match chosen {
        Chosen::AllMatching => {
            let filter = UserFilter::parse(&form.filter);
            return user_list::matching_ids(list_source(state, scope), filter, &form.q).await;
        }
        Chosen::Rows(ids) => ids,
    };
    let customer_id = scope.customer_id();
    crate::db::run(&state.pool, move |conn| Ok(users::active_ids(conn, customer_id, &ids)?)).await
}

#[derive(Template)]
#[template(path = "users/confirm.html")]
struct ConfirmPage {
    ui: Ui,
    customer: Customer,
    action: String,
    ids: String,
    count: usize,
    /// "Select all N users that match" was the choice: the page says so.
    all_matching: bool,
    shown: Vec<(i64, String, String)>,
    back: Back,
}

const CONFIRM_SHOWN: i64 = 50;

pub async fn selection(
    state: web::Data<AppState>,
    scope: CustomerScope,
    CsrfForm(form): CsrfForm<SelectionForm>,
) -> Result<HttpResponse, AppError> {
    let ids = resolve_selection(&state, &scope, &form).await?;
    let back = back_from(&scope, form.back.as_deref());
    let CustomerScope { staff, customer, .. } = scope;
    let customer_id = customer.id;
    if ids.is_empty() {
        return Ok(see_other(&back.place.url_with_notice(customer_id, "none-selected", 0)));
    }
    match form.action.as_str() {
        "delete" => staff.require(Permission::ManageUsers)?,
        "reset" => staff.require(Permission::ResetPasswords)?,
        "licenses" => return super::licenses::for_selection(&state, staff, customer, ids, back).await,
        _ => return Err(AppError::BadRequest),
    }
    let count = ids.len();
    let joined = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let shown = crate::db::run(&state.pool, move |conn| {
        Ok(users::names(conn, customer_id, &ids, CONFIRM_SHOWN)?)
    })
    .await?;
    render(&ConfirmPage {
        ui: staff.ui,
        customer,
        all_matching: form.all_matching.is_some(),
        action: form.action,
        ids: joined,
        count,
        shown,
        back,
    })
}

#[derive(Deserialize)]
pub struct IdsForm {
    #[serde(default)]
    ids: String,
    back: Option<String>,
}

fn parse_ids(raw: &str) -> Vec<i64> {
    crate::domain::selection::parse_list(raw)
}

pub async fn delete(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    CsrfForm(form): CsrfForm<IdsForm>,
) -> Result<HttpResponse, AppError> {
    let place = ListPlace::from_back(scope.customer_id(), form.back.as_deref());
    let (actor, customer_id, ids, now) = (
        Actor::from(&scope.staff),
        scope.customer_id(),
        parse_ids(&form.ids),
        state.clock.now(),
    );
    let count = crate::db::run(&state.pool, move |conn| {
        users::delete(conn, actor, customer_id, &ids, now)
    })
    .await?;
    Ok(see_other(&place.url_with_notice(customer_id, "deleted", count)))
}

pub async fn reset_password(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ResetPasswords>,
    CsrfForm(form): CsrfForm<IdsForm>,
) -> Result<HttpResponse, AppError> {
    let back = back_from(&scope, form.back.as_deref());
    let staff = &scope.staff;
    let (actor, customer_id, ids, now) = (
        Actor::from(staff),
        scope.customer_id(),
        parse_ids(&form.ids),
        state.clock.now(),
    );
    let key = SheetKey::of_session(&staff.session)?;
    let may_reset_admins = staff.role().can(Permission::ResetAdminPasswords);
    let sheet = crate::db::run(&state.pool, move |conn| {
        if !may_reset_admins && users::count_admins(conn, customer_id, &ids)? > 0 {
            return Err(AppError::Forbidden(Permission::ResetAdminPasswords));
        }
        users::reset_passwords(conn, actor, &key, customer_id, &ids, now)
    })
    .await?;
    match sheet {
        Some(id) => Ok(see_other(&back.on(&format!("/credentials/{id}")))),
        None => Ok(see_other(&back.place.url_with_notice(customer_id, "none-selected", 0))),
    }
}

#[derive(Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    user_id: Vec<i64>,
    back: Option<String>,
}

pub async fn restore(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<HttpResponse, AppError> {
    let place = ListPlace::from_back_or(scope.customer_id(), form.back.as_deref(), ListPlace::deleted_tab());
    let back = Back::new(&scope.staff.ui, scope.customer_id(), place, &[]);
    let CustomerScope { staff, customer, .. } = scope;
    let (actor, now, key, owned) = (
        Actor::from(&staff),
        state.clock.now(),
        SheetKey::of_session(&staff.session)?,
        customer.clone(),
    );
    let restored = crate::db::run(&state.pool, move |conn| {
        users::restore(conn, actor, &key, &owned, &form.user_id, None, now)
    })
    .await?;
    match restored.sheet_id {
        Some(id) => Ok(see_other(&back.on(&format!("/credentials/{id}")))),
        None => Ok(see_other(&back.url)),
    }
}

#[derive(Deserialize)]
pub struct RestoreAsForm {
    #[serde(default)]
    alias: String,
    #[serde(default)]
    domain: String,
}

/// Restores one user under a new user name after a clash.
pub async fn restore_as(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<UserPath>,
    CsrfForm(form): CsrfForm<RestoreAsForm>,
) -> Result<HttpResponse, AppError> {
    let CustomerScope { staff, customer, .. } = scope;
    let user_id = path.uid;
    let name = match UserName::from_parts(&form.alias, &form.domain, &customer.domains) {
        Ok(n) => n,
        Err(e) => return restore_as_refused(&state, staff, customer, user_id, &form, e).await,
    };
    let (actor, now, key, owned, renamed) = (
        Actor::from(&staff),
        state.clock.now(),
        SheetKey::of_session(&staff.session)?,
        customer.clone(),
        name.clone(),
    );
    let restored = crate::db::run(&state.pool, move |conn| {
        users::restore(conn, actor, &key, &owned, &[user_id], Some(&renamed), now)
    })
    .await?;
    if restored.restored == 0 {
        let error = FieldError::new("err-user-name-taken").with("value", name.as_string());
        return restore_as_refused(&state, staff, customer, user_id, &form, error).await;
    }
    Ok(see_other(&format!(
        "/credentials/{}",
        restored.sheet_id.unwrap_or_default()
    )))
}

#[derive(Template)]
#[template(path = "users/restore_as.html")]
struct RestoreAsPage {
    ui: Ui,
    customer: Customer,
    user: UserDetail,
    alias: String,
    domain: String,
    error: String,
}

async fn restore_as_refused(
    state: &AppState,
    staff: CurrentStaff,
    customer: Customer,
    user_id: i64,
    form: &RestoreAsForm,
    error: FieldError,
) -> Result<HttpResponse, AppError> {
    let user = find_user(state, customer.id, user_id).await?;
    let error = staff.ui.t.error(&error);
    let page = RestoreAsPage {
        ui: staff.ui,
        customer,
        user,
        alias: form.alias.clone(),
        domain: form.domain.clone(),
        error,
    };
    render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// GET: the form to restore under a new name, linked from the credentials page's clash note.
pub async fn restore_as_form(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<UserPath>,
) -> Result<HttpResponse, AppError> {
    let CustomerScope { staff, customer, .. } = scope;
    let user = find_user(&state, customer.id, path.uid).await?;
    let domain = user.domain().to_string();
    let page = RestoreAsPage {
        ui: staff.ui,
        customer,
        alias: String::new(),
        domain,
        user,
        error: String::new(),
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct PurgeForm {
    #[serde(default)]
    confirm_user_name: String,
    back: Option<String>,
}

pub async fn purge(
    state: web::Data<AppState>,
    scope: CustomerScope<need::PurgeUsers>,
    path: web::Path<UserPath>,
    CsrfForm(form): CsrfForm<PurgeForm>,
) -> Result<HttpResponse, AppError> {
    let place = ListPlace::from_back_or(scope.customer_id(), form.back.as_deref(), ListPlace::deleted_tab());
    let CustomerScope { staff, customer, .. } = scope;
    let (customer_id, user_id) = (customer.id, path.uid);
    let actor = Actor::from(&staff);
    let outcome = crate::db::run(&state.pool, move |conn| {
        users::purge_one(conn, actor, customer_id, user_id, &form.confirm_user_name)
    })
    .await?;
    match outcome {
        Outcome::Done(()) => Ok(see_other(&ListPlace::deleted(place.page, place.size).url(customer_id))),
        Outcome::Refused(error) => {
            let message = staff.ui.t.error(&error);
            let (page, size, failed) = (Some(place.page), Some(place.size), Some((user_id, message)));
            let page = deleted_page(&state, staff, customer, page, size, failed).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
