use actix_web::{web, HttpResponse};
use diesel::prelude::*;

use crate::error::AppError;
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
