//! The credentials confirmation page: the list of temporary passwords of one action, with
//! Print, Email and Download .csv. Only its maker can open it, for an hour; every response
//! that carries a password is `Cache-Control: no-store`.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::back::Back;
use super::{render_with, see_other};
use crate::auth::{CsrfForm, CurrentStaff, Ui};
use crate::domain::email;
use crate::domain::list_place::ListPlace;
use crate::domain::paging::Paging;
use crate::domain::user_filter::UserFilter;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::services::credentials::{self, Credential, Emailed, Mailing, Note, Opened, Sheet, SheetKey};
use crate::services::{customers, subscriptions, Actor};
use crate::state::AppState;

/// Rows shown on screen at once; a large import pages through them.
const ROWS_PER_PAGE: i64 = 200;

#[derive(Template)]
#[template(path = "credentials/show.html")]
struct CredentialsPage {
    ui: Ui,
    sheet_id: Uuid,
    customer_id: i64,
    customer_name: String,
    entries: Vec<Credential>,
    total: usize,
    paging: Paging,
    notes: Vec<Note>,
    expires_at: chrono::DateTime<chrono::Utc>,
    recipients: String,
    email_error: String,
    sent: Option<i64>,
    mail_failed: bool,
    action_title: String,
    back: Back,
    minutes_left: i64,
    /// A Copy button beside each password (on screen; the print view has none).
    copy_buttons: bool,
}

impl CredentialsPage {
    fn note_text(&self, note: &Note) -> String {
        self.ui.t.args(
            &note.key,
            &[("user", note.user_name.clone()), ("product", note.detail.clone())],
        )
    }

    fn is_clash(&self, note: &Note) -> bool {
        note.key == "note-name-clash"
    }
}

#[derive(Template)]
#[template(path = "credentials/gone.html")]
struct GonePage {
    ui: Ui,
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(header::PRAGMA, header::HeaderValue::from_static("no-cache"));
    response
}

/// An open sheet, its customer's name and the way back to that customer's list as `back`
/// named it.
struct Opening {
    sheet: Sheet,
    customer_name: String,
    back: Back,
    /// Whole minutes until the sheet is gone, for "expires in 58 minutes".
    minutes_left: i64,
}

async fn open_sheet(
    state: &AppState,
    staff: &CurrentStaff,
    sheet_id: Uuid,
    back: Option<&str>,
) -> Result<Option<Opening>, AppError> {
    let key = SheetKey::of_session(&staff.session)?;
    let (staff_id, partner_id, now) = (staff.id(), staff.partner_id(), state.clock.now());
    let back = back.map(str::to_string);
    let opened = crate::db::run(&state.pool, move |conn| {
        Ok(match credentials::open(conn, &key, sheet_id, staff_id, now)? {
            Opened::Sheet(sheet) => {
                let customer = customers::find_for_partner(conn, partner_id, sheet.customer_id)?;
                let place = ListPlace::from_back(customer.id, back.as_deref());
                // Only a product filter needs the products' names.
                let products = match place.filter {
                    UserFilter::HasProduct(_) | UserFilter::LacksProduct(_) => {
                        subscriptions::list_for_customer(conn, customer.id)?
                    }
                    _ => Vec::new(),
                };
                Some((sheet, customer.company_name, place, products))
            }
            Opened::Gone => None,
        })
    })
    .await?;
    Ok(opened.map(|(sheet, customer_name, place, products)| Opening {
        back: Back::new(&staff.ui, sheet.customer_id, place, &products),
        minutes_left: credentials::minutes_left(sheet.expires_at, now),
        sheet,
        customer_name,
    }))
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    page: Option<i64>,
    sent: Option<i64>,
    mail: Option<String>,
    back: Option<String>,
}

fn gone(ui: Ui) -> Result<HttpResponse, AppError> {
    Ok(no_store(render_with(&GonePage { ui }, StatusCode::GONE)?))
}

/// The sheet's heading ("New temporary passwords", "Imported users"…), by its action.
/// i18n-key: credentials-title-add credentials-title-reset credentials-title-restore credentials-title-import
fn action_title(t: &Tr, action: &str) -> String {
    t.get(&format!("credentials-title-{action}"))
}

fn page_for(
    staff: CurrentStaff,
    Opening {
        sheet,
        customer_name,
        back,
        minutes_left,
    }: Opening,
    query: ShowQuery,
    recipients: String,
    email_error: String,
) -> CredentialsPage {
    let total = sheet.entries.len();
    let paging = Paging::new(query.page, Some(ROWS_PER_PAGE), total as i64);
    let entries = sheet
        .entries
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.size as usize)
        .collect();
    let action_title = action_title(&staff.ui.t, &sheet.action);
    CredentialsPage {
        ui: staff.ui,
        sheet_id: sheet.id,
        customer_id: sheet.customer_id,
        customer_name,
        entries,
        total,
        paging,
        notes: sheet.notes,
        expires_at: sheet.expires_at,
        recipients,
        email_error,
        sent: query.sent,
        mail_failed: query.mail.as_deref() == Some("failed"),
        action_title,
        back,
        minutes_left,
        copy_buttons: true,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<Uuid>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    match open_sheet(&state, &staff, path.into_inner(), query.back.as_deref()).await? {
        Some(opening) => {
            let page = page_for(staff, opening, query.into_inner(), String::new(), String::new());
            Ok(no_store(render_with(&page, StatusCode::OK)?))
        }
        None => gone(staff.ui),
    }
}

#[derive(Template)]
#[template(path = "credentials/print.html")]
struct PrintPage {
    ui: Ui,
    sheet_id: Uuid,
    customer_name: String,
    action_title: String,
    entries: Vec<Credential>,
    made_at: chrono::DateTime<chrono::Utc>,
    slips: bool,
    autoprint: bool,
    copy_buttons: bool,
}

impl PrintPage {
    /// "K8+a pKt@ og&7 CQY@": easier to copy from paper.
    fn grouped(&self, password: &str) -> String {
        credentials::in_groups_of_four(password)
    }
}

#[derive(Deserialize)]
pub struct PrintQuery {
    layout: Option<String>,
    print: Option<String>,
}

/// Every user of the sheet on one page for paper, as a list or as one slip per user to cut
/// and hand out (the screen page shows 200 at a time).
pub async fn print(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<Uuid>,
    query: web::Query<PrintQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(Opening {
        sheet, customer_name, ..
    }) = open_sheet(&state, &staff, path.into_inner(), None).await?
    else {
        return gone(staff.ui);
    };
    let action_title = action_title(&staff.ui.t, &sheet.action);
    let page = PrintPage {
        ui: staff.ui,
        sheet_id: sheet.id,
        customer_name,
        action_title,
        made_at: sheet.expires_at - credentials::LIFETIME,
        entries: sheet.entries,
        slips: query.layout.as_deref() == Some("slips"),
        autoprint: query.print.as_deref() == Some("now"),
        copy_buttons: false,
    };
    Ok(no_store(render_with(&page, StatusCode::OK)?))
}

/// The sheet as a .csv with headers in the reader's language; an import's keeps the import's
/// columns, so the file can be kept beside the one that was imported.
fn sheet_csv(sheet: &Sheet, t: &Tr) -> Vec<u8> {
    if sheet.action == "import" {
        let h = [
            "col-first-name",
            "col-last-name",
            "col-display-name",
            "col-user-name",
            "col-usage-location",
            "col-temporary-password",
            "col-status-update",
        ]
        .map(|k| t.get(k));
        credentials::to_import_csv(sheet, [&h[0], &h[1], &h[2], &h[3], &h[4], &h[5], &h[6]], t)
    } else {
        let h = [
            "col-display-name",
            "col-user-name",
            "col-temporary-password",
            "col-status-update",
        ]
        .map(|k| t.get(k));
        credentials::to_csv(sheet, [&h[0], &h[1], &h[2], &h[3]], t)
    }
}

pub async fn download(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let Some(opening) = open_sheet(&state, &staff, path.into_inner(), None).await? else {
        return gone(staff.ui);
    };
    let bytes = sheet_csv(&opening.sheet, &staff.ui.t);
    Ok(no_store(
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"temporary-passwords.csv\"",
            ))
            .body(bytes),
    ))
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    recipients: String,
    back: Option<String>,
}

/// The `back` of the page that sent a form.
#[derive(Deserialize)]
pub struct BackForm {
    back: Option<String>,
}

/// Sends the list as plain text through [`credentials::email`]; a list of addresses that does
/// not parse shows the page again with the typed text and the reason.
pub async fn email(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<Uuid>,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<HttpResponse, AppError> {
    let sheet_id = path.into_inner();
    let Some(opening) = open_sheet(&state, &staff, sheet_id, form.back.as_deref()).await? else {
        return gone(staff.ui);
    };
    let recipients = match email::parse_recipients(&form.recipients) {
        Ok(list) => list,
        Err(error) => {
            let message = staff.ui.t.error(&error);
            let (query, typed) = (ShowQuery::default(), form.recipients);
            let page = page_for(staff, opening, query, typed, message);
            return Ok(no_store(render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)?));
        }
    };
    let mailing = Mailing {
        sheet: &opening.sheet,
        customer_name: &opening.customer_name,
        recipients,
    };
    let (actor, t) = (Actor::from(&staff), staff.ui.t);
    let back = &opening.back;
    Ok(
        match credentials::email(&state.pool, &state.settings, actor, t, mailing).await? {
            Emailed::Sent(count) => see_other(&back.on(&format!("/credentials/{sheet_id}?sent={count}"))),
            Emailed::Failed => see_other(&back.on(&format!("/credentials/{sheet_id}?mail=failed"))),
        },
    )
}

pub async fn dismiss(
    state: web::Data<AppState>,
    staff: CurrentStaff,
    path: web::Path<Uuid>,
    CsrfForm(form): CsrfForm<BackForm>,
) -> Result<HttpResponse, AppError> {
    let (sheet_id, staff_id) = (path.into_inner(), staff.id());
    let partner_id = staff.partner_id();
    let key = SheetKey::of_session(&staff.session)?;
    let now = state.clock.now();
    let customer_id = crate::db::run(&state.pool, move |conn| {
        let customer = match credentials::open(conn, &key, sheet_id, staff_id, now)? {
            Opened::Sheet(sheet) => Some(sheet.customer_id),
            Opened::Gone => None,
        };
        credentials::dismiss(conn, sheet_id, staff_id)?;
        Ok(customer.and_then(|c| customers::find_for_partner(conn, partner_id, c).ok().map(|c| c.id)))
    })
    .await?;
    Ok(see_other(
        &customer_id
            .map(|c| ListPlace::from_back(c, form.back.as_deref()).url_with_notice(c, "forgotten", 0))
            .unwrap_or_else(|| "/customers".into()),
    ))
}
