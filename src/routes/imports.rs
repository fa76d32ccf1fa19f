//! Import users from a .csv file: the upload page with the template, the validation report,
//! the confirmation (usage location, products, seats), the progress page and the result.

use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_multipart::MultipartError;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::{render, render_with, see_other};
use crate::auth::customer_scope::Need;
use crate::auth::{csrf, need, CsrfForm, CustomerScope, Permission, Ui};
use crate::domain::country::UsageLocation;
use crate::domain::import_job::JobStatus;
use crate::domain::import_rows::{self, Problem};
use crate::domain::spreadsheet::EncodingChoice;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::credentials::SheetKey;
use crate::services::customers::Customer;
use crate::services::imports::{self, Job, Validation};
use crate::services::subscriptions::SubscriptionRow;
use crate::services::{Actor, Outcome};
use crate::state::AppState;

/// Uploads stream to a temporary file and stop at the configured size: a bigger file is refused
/// with the 413 page before it has been read whole.
pub fn multipart_config(limit: u64) -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(limit as usize + 64 * 1024)
        .memory_limit(64 * 1024)
        .error_handler(|error: MultipartError, _req: &HttpRequest| {
            let status = match &error {
                MultipartError::Payload(actix_web::error::PayloadError::Overflow) => StatusCode::PAYLOAD_TOO_LARGE,
                MultipartError::Field { source, .. } => source.as_response_error().status_code(),
                other => other.status_code(),
            };
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge.into()
            } else {
                AppError::BadRequest.into()
            }
        })
}

/// Refuses an upload whose declared size is over the limit before reading any of it.
pub async fn refuse_oversized(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.upload_limit + 64 * 1024);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let (Some(limit), Some(declared)) = (limit, declared) {
        if declared > limit {
            // A response, not an error, so the error-page middleware draws the page.
            return Ok(req.into_response(AppError::PayloadTooLarge.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[derive(Template)]
#[template(path = "imports/upload.html")]
struct UploadPage {
    ui: Ui,
    customer: Customer,
    encodings: Vec<(String, String)>,
    encoding: String,
    file_error: String,
    recent: Vec<Job>,
    limit_mb: u64,
}

impl UploadPage {
    /// i18n-key: import-status-invalid import-status-validated import-status-queued import-status-running import-status-done import-status-failed
    fn status_label(&self, status: &JobStatus) -> String {
        self.ui.t.get(&format!("import-status-{}", status.as_str()))
    }
}

async fn upload_page<P: Need>(
    state: &AppState,
    scope: CustomerScope<P>,
    encoding: String,
    file_error: String,
) -> Result<UploadPage, AppError> {
    let CustomerScope { staff, customer, .. } = scope;
    let customer_id = customer.id;
    let recent = crate::db::run(&state.pool, move |conn| imports::recent(conn, customer_id, 10)).await?;
    let encodings = EncodingChoice::ALL
        .iter()
        .map(|e| (e.as_str().to_string(), staff.ui.t.get(e.label_key())))
        .collect();
    Ok(UploadPage {
        ui: staff.ui,
        customer,
        encodings,
        encoding,
        file_error,
        recent,
        limit_mb: state.settings.upload_limit / (1024 * 1024),
    })
}

pub async fn upload_form(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
) -> Result<HttpResponse, AppError> {
    render(&upload_page(&state, scope, "auto".into(), String::new()).await?)
}

pub async fn template(scope: CustomerScope<need::ManageUsers>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"partnerdesk-users-template.csv\"",
        ))
        .body(imports::template_csv(&scope.customer, &scope.staff.ui.t))
}

#[derive(MultipartForm)]
pub struct UploadForm {
    csrf_token: Text<String>,
    encoding: Option<Text<String>>,
    file: TempFile,
}

/// The upload page again, with what is wrong with the file next to it.
async fn upload_refused<P: Need>(
    state: &AppState,
    scope: CustomerScope<P>,
    encoding: &str,
    error: &FieldError,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let message = scope.staff.ui.t.error(error);
    render_with(&upload_page(state, scope, encoding.into(), message).await?, status)
}

/// When an upload refused as busy is worth sending again.
const UPLOAD_RETRY_AFTER_SECONDS: u64 = 10;

pub async fn upload(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    MultipartForm(form): MultipartForm<UploadForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&scope.staff.session, &form.csrf_token)?;
    let encoding_raw = form.encoding.as_ref().map(|e| e.0.clone()).unwrap_or_default();
    let choice = match EncodingChoice::parse(&encoding_raw) {
        Ok(c) => c,
        Err(e) => return upload_refused(&state, scope, "auto", &e, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    if form.file.size as u64 > state.settings.upload_limit {
        let error =
            FieldError::new("import-err-file-too-large").with("size", state.settings.upload_limit / (1024 * 1024));
        return upload_refused(&state, scope, choice.as_str(), &error, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    let file_name = form.file.file_name.clone().unwrap_or_else(|| "upload.csv".into());
    let temp_file = form.file.file;
    let (actor, owned, hint, database_url) = (
        Actor::from(&scope.staff),
        scope.customer.clone(),
        scope.staff.ui.t.lang.code(),
        state.settings.database_url.clone(),
    );
    // Read on a bounded set of workers: each holds its file in memory. Waiting uploads wait as
    // files on disk; beyond the backlog the person is asked to send the file again shortly.
    let work = state.upload_workers.run(move || {
        let bytes = std::fs::read(temp_file.path()).map_err(AppError::internal)?;
        drop(temp_file);
        imports::validate(&database_url, actor, &owned, &file_name, bytes, choice, Some(hint))
    });
    let outcome = match work.await {
        Err(AppError::Busy) => {
            let error = FieldError::new("import-err-busy").with("seconds", UPLOAD_RETRY_AFTER_SECONDS);
            let mut page =
                upload_refused(&state, scope, choice.as_str(), &error, StatusCode::SERVICE_UNAVAILABLE).await?;
            page.headers_mut()
                .insert(header::RETRY_AFTER, UPLOAD_RETRY_AFTER_SECONDS.into());
            return Ok(page);
        }
        other => other??,
    };
    match outcome {
        Validation::Stored(job) => Ok(see_other(&format!("/customers/{}/imports/{job}", scope.customer_id()))),
        Validation::FileError(error) => {
            upload_refused(&state, scope, choice.as_str(), &error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Problems shown on the page; the download has all of them.
const PROBLEMS_SHOWN: usize = 200;

#[derive(Template)]
#[template(path = "imports/job.html")]
struct JobPage {
    ui: Ui,
    customer: Customer,
    job: Job,
    groups: Vec<(String, usize)>,
    shown: Vec<Problem>,
    subscriptions: Vec<SubscriptionRow>,
    countries: Vec<(String, String)>,
    location: String,
    chosen: Vec<i64>,
    start_errors: Vec<String>,
    seconds_left: Option<i64>,
    own: bool,
    percent: i64,
    /// The preview's columns, by key (`first_name`…).
    preview_columns: Vec<&'static str>,
}

impl JobPage {
    /// A column's name in the page's language. i18n-key: import-column-first_name
    fn column_label(&self, key: &str) -> String {
        self.ui.t.get(&format!("import-column-{key}"))
    }

    /// "名字 → First name".
    fn mapped(&self, header: &str, key: &str) -> String {
        self.ui.t.args(
            "import-mapped",
            &[("header", header.to_string()), ("column", self.column_label(key))],
        )
    }

    fn progress_text(&self) -> String {
        progress_text(&self.ui.t, self.job.status, self.job.done_rows, self.job.valid_rows)
    }

    /// Problems of the file not in the table on the page.
    fn more_problems(&self) -> usize {
        (self.job.problem_count.max(0) as usize).saturating_sub(self.shown.len())
    }

    fn problem_text(&self, problem: &Problem) -> String {
        self.ui.t.error(&problem.error())
    }

    /// i18n-key: import-column-first_name import-column-last_name import-column-display_name import-column-user_name import-column-usage_location import-column-status_update
    fn column_name(&self, problem: &Problem) -> String {
        self.ui.t.get(&format!("import-column-{}", problem.column))
    }

    fn group_text(&self, group: &(String, usize)) -> String {
        let example = self
            .job
            .problems
            .iter()
            .find(|p| p.key == group.0)
            .map(|p| self.problem_text(p))
            .unwrap_or_default();
        self.ui.t.args(
            "import-group",
            &[("count", self.ui.t.num(group.1)), ("example", example)],
        )
    }

    fn short_of_seats(&self, sub: &SubscriptionRow) -> bool {
        self.shortfall(sub) > 0
    }

    /// Seats missing for every valid row to get this product ("Add seats" starts there).
    fn shortfall(&self, sub: &SubscriptionRow) -> i64 {
        i64::from(self.job.valid_rows) - sub.available()
    }

    fn product_chosen(&self, sub: &SubscriptionRow) -> bool {
        self.chosen.contains(&sub.id)
    }
}

/// An import job's page; `location` and `chosen` are what the person picked, `start_errors`
/// why "Create users" was refused.
async fn job_page(
    state: &AppState,
    scope: CustomerScope<need::ManageUsers>,
    job: Job,
    location: Option<String>,
    chosen: Vec<i64>,
    start_errors: Vec<String>,
) -> Result<JobPage, AppError> {
    let CustomerScope {
        staff,
        customer,
        subscriptions: subs,
        ..
    } = scope;
    let (groups, percent) = (job.problem_groups.clone(), job.percent_done());
    let shown = job.problems.iter().take(PROBLEMS_SHOWN).cloned().collect();
    let countries = staff.ui.t.countries();
    let seconds_left = job.seconds_left(state.clock.now());
    let own = job.staff_id == staff.id();
    let location = location
        .or_else(|| job.default_location.clone())
        .unwrap_or_else(|| customer.default_usage_location.clone());
    Ok(JobPage {
        ui: staff.ui,
        customer,
        job,
        groups,
        shown,
        subscriptions: subs,
        countries,
        location,
        chosen,
        start_errors,
        seconds_left,
        own,
        percent,
        preview_columns: import_rows::PREVIEW_COLUMNS.map(|c| c.key()).to_vec(),
    })
}

/// The `{job}` of a job's paths.
#[derive(Deserialize)]
pub struct JobPath {
    job: Uuid,
}

async fn find_job(state: &AppState, customer_id: i64, job_id: Uuid) -> Result<Job, AppError> {
    crate::db::run(&state.pool, move |conn| imports::find(conn, customer_id, job_id)).await
}

pub async fn show(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<JobPath>,
) -> Result<HttpResponse, AppError> {
    let job = find_job(&state, scope.customer_id(), path.job).await?;
    let chosen = job.subscription_ids.clone();
    let page = job_page(&state, scope, job, None, chosen, Vec::new()).await?;
    let mut response = render(&page)?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// What the progress card says, on the page and to the script that updates it.
fn progress_text(t: &crate::i18n::Tr, status: JobStatus, done: i32, total: i32) -> String {
    if status == JobStatus::Queued {
        t.get("import-queued")
    } else if done >= total {
        t.arg("import-saving", "total", total)
    } else {
        t.args(
            "import-progress",
            &[("done", done.to_string()), ("total", total.to_string())],
        )
    }
}

/// A running import's progress as JSON, polled by the page's script once a second instead of
/// reloading the page (which stays the way without script, inside `<noscript>`).
pub async fn progress(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<JobPath>,
) -> Result<HttpResponse, AppError> {
    let (customer_id, job_id) = (scope.customer_id(), path.job);
    let p = crate::db::run(&state.pool, move |conn| imports::progress(conn, customer_id, job_id)).await?;
    let t = &scope.staff.ui.t;
    let time_left = p
        .seconds_left(state.clock.now())
        .map(|s| t.arg("import-time-left", "seconds", s));
    let body = serde_json::json!({
        "active": p.status.is_active(),
        "done": p.done_rows,
        "total": p.valid_rows,
        "text": progress_text(t, p.status, p.done_rows, p.valid_rows),
        "time_left": time_left,
    });
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body.to_string()))
}

pub async fn problems(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<JobPath>,
) -> Result<HttpResponse, AppError> {
    let job = find_job(&state, scope.customer_id(), path.job).await?;
    let t = scope.staff.ui.t;
    let header = [
        t.get("import-col-row"),
        t.get("import-col-column"),
        t.get("import-col-value"),
        t.get("import-col-problem"),
    ];
    let bytes = imports::problems_csv(&job.problems, [&header[0], &header[1], &header[2], &header[3]], |p| {
        format!(
            "{}: {}",
            t.get(&format!("import-column-{}", p.column)),
            t.error(&p.error())
        )
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"import-problems.csv\"",
        ))
        .body(bytes))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    location: String,
    #[serde(default)]
    product: Vec<i64>,
}

/// "Create users" (and "Run again" after a failure).
pub async fn start(
    state: web::Data<AppState>,
    scope: CustomerScope<need::ManageUsers>,
    path: web::Path<JobPath>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    let (customer_id, job_id, staff) = (scope.customer_id(), path.job, &scope.staff);
    if !form.product.is_empty() {
        staff.require(Permission::ManageLicenses)?;
    }
    let location = match form.location.trim() {
        "" => None,
        raw => UsageLocation::parse(raw).ok(),
    };
    let lock = SheetKey::of_session(&staff.session)?.lock();
    let (actor, now, owned, products) = (
        Actor::from(staff),
        state.clock.now(),
        scope.customer.clone(),
        form.product.clone(),
    );
    let outcome = crate::db::run(&state.pool, move |conn| {
        imports::start(conn, actor, &owned, job_id, &products, location.as_ref(), &lock, now)
    })
    .await?;
    match outcome {
        Outcome::Done(()) => Ok(see_other(&format!("/customers/{customer_id}/imports/{job_id}"))),
        Outcome::Refused(problems) => {
            let messages = problems.iter().map(|p| scope.staff.ui.t.error(p)).collect();
            let job = find_job(&state, customer_id, job_id).await?;
            let page = job_page(&state, scope, job, Some(form.location), form.product, messages).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
