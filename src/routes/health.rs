//! What load balancers and orchestrators ask: `/health` (one query, the benchmarks' baseline),
//! `/health/live` (the process answers) and `/health/ready` (the database answers and has every
//! migration this server needs).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;

use crate::error::{AppError, OwnBody, RETRY_AFTER_SECONDS};
use crate::state::AppState;

/// One query against the database: what a load balancer asks, and the benchmarks' baseline.
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    crate::db::run(&state.pool, |conn| {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
            .get_result::<i32>(conn)
            .map_err(AppError::from)
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("text/plain").body("ok"))
}

/// The process is up and serving; no database involved, so an outage does not get it restarted.
pub async fn live() -> HttpResponse {
    probe(StatusCode::OK, "ok".into())
}

/// Whether this server should get traffic: 503 while the database is unreachable or lacks
/// migrations (a server started before `partnerdesk migrate` ran on a new release).
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match crate::db::run(&state.pool, |conn| Ok(crate::db::pending_migrations(conn)?)).await {
        Ok(pending) if pending.is_empty() => probe(StatusCode::OK, "ok".into()),
        Ok(pending) => probe(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("migrations pending: {}", pending.join(", ")),
        ),
        Err(AppError::DatabaseUnavailable) => probe(StatusCode::SERVICE_UNAVAILABLE, "database unavailable".into()),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            probe(StatusCode::SERVICE_UNAVAILABLE, "database not ready".into())
        }
    }
}

/// A plain-text answer that the error-page middleware leaves as it is.
fn probe(status: StatusCode, body: String) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/plain; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.insert_header((actix_web::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS));
    }
    let mut response = response.body(body);
    response.extensions_mut().insert(OwnBody);
    response
}
