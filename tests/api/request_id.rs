//! Every answer carries an `X-Request-Id`: the proxy's own when it is well formed, else a new one.

use reqwest::StatusCode;

use crate::common::{spawn_app, Client};

async fn request_id(client: &Client, path: &str, given: Option<&str>) -> (StatusCode, String) {
    let mut request = client.http.get(client.url(path));
    if let Some(id) = given {
        request = request.header("x-request-id", id.as_bytes());
    }
    let response = request.send().await.unwrap();
    let id = response
        .headers()
        .get("x-request-id")
        .unwrap_or_else(|| panic!("{path} answers without X-Request-Id"))
        .to_str()
        .unwrap()
        .to_string();
    (response.status(), id)
}

fn well_formed(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[tokio::test]
async fn every_answer_gets_a_fresh_request_id() {
    let app = spawn_app().await;
    let client = app.client();
    let mut seen = std::collections::HashSet::new();
    for path in ["/sign-in", "/sign-in", "/dashboard", "/no-such-page", "/health"] {
        let (_, id) = request_id(&client, path, None).await;
        assert!(well_formed(&id), "{path}: {id:?}");
        assert!(seen.insert(id), "{path} reused an id");
    }
    let (status, _) = request_id(&client, "/no-such-page", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "error pages carry one too");
}

#[tokio::test]
async fn a_well_formed_incoming_request_id_is_kept() {
    let app = spawn_app().await;
    let client = app.client();
    let given = "3f2b9c1e-7a44-4e0b-9d0c-2b8f1a6e5c3d";
    assert_eq!(request_id(&client, "/sign-in", Some(given)).await.1, given);
    let longest = "A".repeat(64);
    assert_eq!(request_id(&client, "/dashboard", Some(&longest)).await.1, longest);
}

#[tokio::test]
async fn a_malformed_incoming_request_id_is_replaced() {
    let app = spawn_app().await;
    let client = app.client();
    let too_long = "a".repeat(65);
    for given in [too_long.as_str(), "has space", "under_score", "quote\"d", "", "ünïcode"] {
        let (_, id) = request_id(&client, "/sign-in", Some(given)).await;
        assert_ne!(id, given);
        assert!(well_formed(&id), "{given:?} became {id:?}");
    }
}
