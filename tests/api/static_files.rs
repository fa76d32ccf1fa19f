//! The stylesheets and scripts: embedded in the binary, linked with their fingerprint, cached by
//! browsers and revalidated with an ETag.

use std::process::Command;

use reqwest::StatusCode;

use crate::common::server_process::{partnerdesk_command, ServerProcess};
use crate::common::{spawn_app, Page};

const SOURCE_CSS: &str = include_str!("../../static/css/app.css");

fn stylesheet(page: &Page) -> String {
    page.select("link[rel=stylesheet]:not([media=print])")
        .first()
        .and_then(|l| l.value().attr("href"))
        .expect("the page links its stylesheet")
        .to_string()
}

#[tokio::test]
async fn a_fingerprinted_stylesheet_is_kept_a_year_and_revalidates_to_304() {
    let app = spawn_app().await;
    let client = app.client();
    let href = stylesheet(&client.page("/sign-in").await);
    assert!(href.starts_with("/static/css/app.css?v="), "{href}");

    let response = client.get(&href).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(header(&response, "content-type"), "text/css; charset=utf-8");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let etag = header(&response, "etag");
    assert!(etag.starts_with('"') && etag.len() == 34, "a strong ETag: {etag}");
    assert_eq!(response.text().await.unwrap(), SOURCE_CSS);

    let again = client
        .http
        .get(client.url(&href))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    assert!(again.bytes().await.unwrap().is_empty());

    let stale = client
        .http
        .get(client.url("/static/css/app.css"))
        .header("if-none-match", "\"0000000000000000000000000000000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK, "another ETag gets the file");
    assert_eq!(
        header(&stale, "cache-control"),
        "no-cache",
        "an unversioned URL is revalidated"
    );
    assert_eq!(header(&stale, "etag"), etag, "the same content, the same ETag");
    let old_version = client.get("/static/css/app.css?v=000000000000").await;
    assert_eq!(header(&old_version, "cache-control"), "no-cache");
}

#[tokio::test]
async fn an_unknown_static_file_is_the_404_page() {
    let app = spawn_app().await;
    let client = app.client();
    for path in [
        "/static/css/missing.css",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/",
    ] {
        let page = client.page(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.has(".error-page h1"), "{path} is the error page: {}", page.text);
    }
}

/// The binary runs from another folder while the source's static/ is hidden from it (a bind
/// mount of an empty folder in a mount namespace of its own, which `unshare` makes as root).
#[tokio::test]
async fn the_binary_serves_its_stylesheet_without_the_source_folder() {
    let app = spawn_app().await;
    let elsewhere = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let source_static = concat!(env!("CARGO_MANIFEST_DIR"), "/static");
    let binary = partnerdesk_command(Some(&app.db_url), elsewhere.path());
    let mut command = Command::new("unshare");
    command
        .args([
            "--mount",
            "--",
            "sh",
            "-c",
            "mount --bind \"$1\" \"$2\" && exec \"$3\" serve",
        ])
        .arg("sh")
        .arg(empty.path())
        .arg(source_static)
        .arg(binary.get_program())
        .current_dir(elsewhere.path())
        .envs(binary.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
    let server = ServerProcess::start(command).await;

    let http = reqwest::Client::new();
    let sign_in = http.get(format!("{}/sign-in", server.address)).send().await.unwrap();
    let page = Page::from_text(sign_in.status(), sign_in.text().await.unwrap());
    let css = http
        .get(format!("{}{}", server.address, stylesheet(&page)))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK, "{}", server.log());
    assert_eq!(css.text().await.unwrap(), SOURCE_CSS);
}
