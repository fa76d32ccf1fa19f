//! A request id on every request: in the `X-Request-Id` response header and on every log line
//! written while the request is served, so a visitor's report or a balancer's log leads to the
//! server's lines. A proxy's own id is kept when it is well formed; anything else (too long,
//! other characters, which could forge log lines) is replaced by a random one.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_LEN: usize = 64;

/// At most 64 characters of letters, digits and hyphens (a UUID fits, with or without them).
pub fn is_well_formed(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn id_for(req: &ServiceRequest) -> String {
    req.headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| is_well_formed(id))
        .map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_owned)
}

/// Serves the request inside a `request` span carrying its id, and answers with the id.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = id_for(&req);
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let mut res = next.call(req).instrument(span).await?.map_into_boxed_body();
    let value = HeaderValue::from_str(&id).expect("a well-formed id is a valid header value");
    res.headers_mut().insert(HEADER, value);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use actix_web::test as actix_test;
    use actix_web::{web, App, HttpResponse};

    use super::*;

    #[test]
    fn ids_are_short_plain_tokens() {
        assert!(is_well_formed("3f2b9c1e-7a44-4e0b-9d0c-2b8f1a6e5c3d"));
        assert!(is_well_formed(&"a".repeat(64)));
        assert!(!is_well_formed(&"a".repeat(65)));
        assert!(!is_well_formed(""));
        assert!(!is_well_formed("abc def"));
        assert!(!is_well_formed("abc\ninjected"));
        assert!(!is_well_formed("abc_def"));
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[actix_web::test]
    async fn log_lines_of_a_request_carry_its_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = actix_test::init_service(App::new().wrap(actix_web::middleware::from_fn(request_id)).route(
            "/",
            web::get().to(|| async {
                tracing::info!("inside the handler");
                HttpResponse::Ok().finish()
            }),
        ))
        .await;
        let request = actix_test::TestRequest::get()
            .uri("/")
            .insert_header(("X-Request-Id", "proxy-given-42"))
            .to_request();
        let response = actix_test::call_service(&app, request).await;
        assert_eq!(response.headers().get("x-request-id").unwrap(), "proxy-given-42");
        let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let line = logs.lines().find(|l| l.contains("inside the handler")).unwrap();
        assert!(line.contains("request_id=proxy-given-42"), "{line}");
    }
}
