//! The files of `static/`, embedded in the binary so that a copied or installed binary serves
//! the same pages as the one built here. Pages link them through [`url`], which adds the
//! content's fingerprint (`?v=…`): such a URL never changes meaning, so browsers keep it for a
//! year; any other URL of a file is revalidated with its strong ETag and answered 304 when
//! unchanged.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::AppError;

#[derive(rust_embed::Embed)]
#[folder = "static/"]
struct Static;

/// Cache-Control of a fingerprinted URL: the content behind it cannot change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control of any other URL: keep it, but ask every time (a 304 when unchanged).
pub const REVALIDATE: &str = "no-cache";

/// Each file's strong ETag, the hex of the first 16 bytes of its SHA-256 (computed at build
/// time), quoted as the header wants it.
static ETAGS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    Static::iter()
        .filter_map(|name| {
            let file = Static::get(&name)?;
            let hex = file.metadata.sha256_hash()[..16]
                .iter()
                .fold(String::new(), |mut s, b| {
                    let _ = write!(s, "{b:02x}");
                    s
                });
            Some((name.into_owned(), format!("\"{hex}\"")))
        })
        .collect()
});

/// The fingerprint that [`url`] puts in the query: the ETag's first 12 hex digits.
fn fingerprint(etag: &str) -> &str {
    &etag[1..13]
}

/// The URL pages use for a file of `static/`, e.g. `url("css/app.css")`. A name that is not
/// embedded (a typo) gets its plain URL, which then answers 404.
pub fn url(name: &str) -> String {
    match ETAGS.get(name) {
        Some(etag) => format!("/static/{name}?v={}", fingerprint(etag)),
        None => format!("/static/{name}"),
    }
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for this
/// header; `*` matches any current file).
pub fn none_match(header_value: &str, etag: &str) -> bool {
    header_value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// GET (and HEAD) /static/{name}: the embedded file, 304 when the browser has it, 404 page when
/// there is no such file.
pub async fn serve(req: HttpRequest, name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = name.into_inner();
    let (Some(file), Some(etag)) = (Static::get(&name), ETAGS.get(&name)) else {
        return Err(AppError::NotFound);
    };
    let pinned = format!("v={}", fingerprint(etag));
    let cache = match req.query_string().split('&').any(|pair| pair == pinned) {
        true => IMMUTABLE,
        false => REVALIDATE,
    };
    let known = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| none_match(v, etag));
    let mut response = match known {
        true => HttpResponse::NotModified(),
        false => HttpResponse::Ok(),
    };
    response
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, cache));
    Ok(match known {
        true => response.finish(),
        false => response.content_type(content_type(&name)).body(file.data.into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_fingerprinted_url() {
        let link = url("css/app.css");
        let (path, version) = link.split_once("?v=").unwrap();
        assert_eq!(path, "/static/css/app.css");
        assert_eq!(version.len(), 12);
        assert!(version.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(url("css/missing.css"), "/static/css/missing.css");
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let etag = "\"0123\"";
        assert!(none_match("\"0123\"", etag));
        assert!(none_match("W/\"0123\"", etag));
        assert!(none_match("\"ffff\", \"0123\"", etag));
        assert!(none_match("*", etag));
        assert!(!none_match("\"ffff\"", etag));
        assert!(!none_match("0123", etag));
    }
}
