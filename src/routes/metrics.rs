//! GET /metrics: the Prometheus text format, for the client addresses listed in
//! `PARTNERDESK_METRICS_ALLOW` (loopback by default); anyone else gets the 404 page, as if there
//! were no such page. The client address is the one rate limits use, so behind a trusted proxy
//! a visitor from outside is refused even though the proxy itself may be on loopback.
//! A scrape never waits for a database connection: while every one is in use (or the database
//! is down) it leaves the import jobs out, and the pool's figures say why.

use std::net::IpAddr;

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::auth::ClientAddress;
use crate::error::AppError;
use crate::services::imports;
use crate::state::AppState;

/// Prometheus' text exposition format, version 0.0.4.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub async fn show(state: web::Data<AppState>, ClientAddress(client): ClientAddress) -> Result<HttpResponse, AppError> {
    let allowed = client
        .parse::<IpAddr>()
        .is_ok_and(|ip| state.settings.metrics_allow.iter().any(|range| range.contains(ip)));
    if !allowed {
        return Err(AppError::NotFound);
    }
    let pool = state.pool.clone();
    let jobs = web::block(move || imports::count_by_state(&mut *pool.try_get()?).ok())
        .await
        .map_err(AppError::internal)?;
    let body = state.metrics.render(&state.pool, &state.sessions, jobs.as_deref());
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
