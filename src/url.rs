//! This site's URLs: query values encoded, "come back here" targets kept on this site, and
//! query strings that no page can take refused.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::AppError;

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only paths on this site may be a "next" target, never `//elsewhere` or `https://…`.
/// Browsers drop tab, CR and LF from a URL (`/\t/host` is followed to `//host`), and a
/// `Location` header holds only visible ASCII, so a target with anything else is refused too.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.bytes().all(|b| (b' '..=b'~').contains(&b)) =>
        {
            path
        }
        _ => "/dashboard",
    }
}

/// Does this url-encoded text (a query string or a form body) carry a NUL byte, raw or as
/// `%00`? PostgreSQL refuses NUL in text, so such input is answered 400 before it reaches a
/// query (a `%` always starts an escape, so `%00` cannot be anything else).
pub fn carries_nul(encoded: &[u8]) -> bool {
    memchr::memchr(0, encoded).is_some() || memchr::memmem::find(encoded, b"%00").is_some()
}

/// Answers 400 for a query string that carries a NUL byte, for every page at once.
pub async fn refuse_nul_queries(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if carries_nul(req.query_string().as_bytes()) {
        return Ok(req.error_response(AppError::BadRequest));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(
            encode_query_value("/customers?q=a b&page=2"),
            "/customers%3Fq%3Da%20b%26page%3D2"
        );
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/customers?page=2")), "/customers?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("/\\evil.example")), "/dashboard");
        assert_eq!(safe_next(None), "/dashboard");
    }

    #[test]
    fn next_with_a_control_character_stays_home() {
        for next in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\0",
            "/a\x7f",
            "/ü",
        ] {
            assert_eq!(safe_next(Some(next)), "/dashboard", "{next:?}");
        }
        assert_eq!(safe_next(Some("/customers?q=a b")), "/customers?q=a b");
    }

    #[test]
    fn finds_nul_raw_or_escaped() {
        assert!(carries_nul(b"q=a%00b"));
        assert!(carries_nul(b"q=a\0b"));
        assert!(carries_nul(b"q=%%00"));
        assert!(!carries_nul(b"q=%2500&next=/%09/x"));
        assert!(!carries_nul(b""));
    }
}
