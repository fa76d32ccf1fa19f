//! Counts every answered request and its time for `/metrics`, labelled by the route pattern it
//! matched (never the raw path: ids must not become labels), its method and its status class.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::metrics::{method_label, UNMATCHED};
use crate::state::AppState;

pub async fn record_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = method_label(req.method());
    let answer = next.call(req).await;
    if let Some(state) = state {
        let (status, route) = match &answer {
            Ok(res) => (res.status(), res.request().match_pattern()),
            Err(error) => (error.as_response_error().status_code(), None),
        };
        let route = route.unwrap_or_else(|| UNMATCHED.to_string());
        let seconds = started.elapsed().as_secs_f64();
        state.metrics.request(method, &route, status.as_u16(), seconds);
    }
    answer
}
