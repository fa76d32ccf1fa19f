//! /metrics: what Prometheus reads (checked by Prometheus' own `promtool`), and who may read it.

use std::io::Write;
use std::process::{Command, Stdio};

use diesel::prelude::*;
use partnerdesk::auth::Role;
use partnerdesk::config::AddressRange;
use reqwest::StatusCode;

use crate::common::server_process::eventually;
use crate::common::{spawn_app, spawn_app_with, subscription_id, Client, TestApp};

/// The scrape as Prometheus gets it; panics unless it is 200 in the text format.
async fn scrape(client: &Client) -> String {
    let response = client.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.text().await.unwrap()
}

/// The value of the sample written exactly as `series` (name and labels), if there is one.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// `promtool check metrics`: Prometheus' own parser and linter, from Debian's `prometheus`.
fn promtool_check(text: &str) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool is installed (scripts/test installs Debian's prometheus)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
        "promtool: {}{}\n{text}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_and_status_class_and_promtool_accepts_them() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::AdminAgent).await;
    let id = admin.add_customer("Contoso", "contoso.com").await;
    for _ in 0..2 {
        assert_eq!(
            admin.get(&format!("/customers/{id}/users")).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(admin.get("/wp-login.php").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        admin.get("/customers/999999/users").await.status(),
        StatusCode::NOT_FOUND
    );

    let text = scrape(&admin).await;
    promtool_check(&text);
    let users = r#"partnerdesk_http_requests_total{method="GET",route="/customers/{id}/users",status="2xx"}"#;
    assert_eq!(sample(&text, users), Some(2.0), "{text}");
    let missing = r#"partnerdesk_http_requests_total{method="GET",route="/customers/{id}/users",status="4xx"}"#;
    assert_eq!(sample(&text, missing), Some(1.0), "{text}");
    let unmatched = r#"partnerdesk_http_requests_total{method="GET",route="unmatched",status="4xx"}"#;
    assert_eq!(sample(&text, unmatched), Some(1.0), "{text}");
    let created = r#"partnerdesk_http_requests_total{method="POST",route="/customers",status="3xx"}"#;
    assert_eq!(sample(&text, created), Some(1.0), "{text}");
    let latency =
        r#"partnerdesk_http_request_duration_seconds_count{method="GET",route="/customers/{id}/users",status="2xx"}"#;
    assert_eq!(sample(&text, latency), Some(2.0), "{text}");
    assert!(!text.contains(&format!("/customers/{id}/")), "no id in a label");
    assert!(
        !text.contains("/999999") && !text.contains("wp-login"),
        "no raw path in a label"
    );
    let in_use = sample(&text, r#"partnerdesk_db_pool_connections{state="in_use"}"#);
    assert!(in_use.is_some_and(|n| n >= 0.0), "{text}");
    assert_eq!(sample(&text, "partnerdesk_db_pool_max_connections"), Some(4.0));
    assert_eq!(sample(&text, "partnerdesk_database_up"), Some(1.0));
}

fn import_job(app: &TestApp, customer_id: i64, staff_id: i64, status: &str) {
    app.execute(&format!(
        "INSERT INTO import_jobs (id, customer_id, staff_id, file_name, encoding, status, total_rows) \
         VALUES (gen_random_uuid(), {customer_id}, {staff_id}, 'users.csv', 'UTF-8', '{status}', 1)"
    ));
}

#[tokio::test]
async fn import_jobs_are_counted_by_state_from_the_database() {
    // No worker here, which would take the queued job.
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (admin, login) = app.signed_in(Role::AdminAgent).await;
    let id = admin.add_customer("Contoso", "contoso.com").await;
    for status in ["queued", "running", "failed", "failed", "done", "validated"] {
        import_job(&app, id, login.id, status);
    }

    let text = scrape(&admin).await;
    let jobs = |state: &str| sample(&text, &format!("partnerdesk_import_jobs{{state=\"{state}\"}}"));
    assert_eq!(
        (jobs("queued"), jobs("running"), jobs("done"), jobs("failed")),
        (Some(1.0), Some(1.0), Some(1.0), Some(2.0)),
        "{text}"
    );
    assert!(!text.contains("validated"));
}

#[tokio::test]
async fn sign_in_refusals_are_counted_by_reason() {
    let app = spawn_app_with(|s| s.sign_in_per_account = 11).await;
    let login = app.create_staff("Test Partner", "lin@partner.example", Role::AdminAgent, false);
    let client = app.client();
    client.sign_in("nobody@partner.example", "whatever it is").await;
    for _ in 0..10 {
        client.sign_in(&login.email, "not the password").await;
    }
    let locked = client.sign_in(&login.email, &login.password).await;
    assert_eq!(locked.status(), StatusCode::UNPROCESSABLE_ENTITY, "locked out");
    let limited = client.sign_in(&login.email, &login.password).await;
    assert_eq!(
        limited.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the account's 12th attempt"
    );

    let text = scrape(&client).await;
    promtool_check(&text);
    let refusals = |reason: &str| {
        sample(
            &text,
            &format!("partnerdesk_sign_in_refusals_total{{reason=\"{reason}\"}}"),
        )
    };
    assert_eq!(refusals("wrong_password"), Some(11.0), "{text}");
    assert_eq!(refusals("locked"), Some(1.0), "{text}");
    assert_eq!(refusals("rate_limited"), Some(1.0), "{text}");
    assert_eq!(refusals("busy"), Some(0.0), "{text}");
}

/// Every pooled connection (4 in tests) held by a save waiting on a row lock the test holds:
/// the next request waits for a connection, and a scrape, which never waits, shows it.
#[tokio::test]
async fn a_request_waiting_for_a_connection_shows_in_the_pool_metrics() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::AdminAgent).await;
    let id = admin.add_customer("Contoso", "contoso.com").await;
    admin.buy(id, "ENTERPRISEPACK", 5).await;
    let sid = subscription_id(&app, id, "ENTERPRISEPACK");
    let mut holder = app.conn();
    diesel::sql_query("BEGIN").execute(&mut holder).unwrap();
    diesel::sql_query(format!("SELECT id FROM subscriptions WHERE id = {sid} FOR UPDATE"))
        .execute(&mut holder)
        .unwrap();
    let token = admin.csrf().await;
    let admin = std::sync::Arc::new(admin);
    let saves: Vec<_> = (0..4)
        .map(|n| {
            let (admin, token) = (admin.clone(), token.clone());
            let quantity = (6 + n).to_string();
            let path = format!("/customers/{id}/subscriptions/{sid}/quantity");
            tokio::spawn(async move {
                admin
                    .post_raw(
                        &path,
                        &[("csrf_token", &token), ("quantity", &quantity), ("confirmed", "yes")],
                    )
                    .await
                    .status()
            })
        })
        .collect();
    eventually("four saves waiting on the row lock", || {
        let waiting = app.number(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        (waiting == 4).then_some(())
    })
    .await;
    let waits = |text: &str| sample(text, "partnerdesk_db_pool_waits_total").unwrap();
    let before = waits(&scrape(&admin).await);
    let health = {
        let admin = admin.clone();
        tokio::spawn(async move { admin.get("/health").await.status() })
    };
    let mut text = String::new();
    for _ in 0..2400 {
        text = scrape(&admin).await;
        if waits(&text) > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // At least the health check waited; a session reloaded after a change notice (a status
    // banner is a session write) may wait beside it.
    assert!(waits(&text) >= before + 1.0, "{text}");
    assert_eq!(
        sample(&text, r#"partnerdesk_db_pool_connections{state="in_use"}"#),
        Some(4.0)
    );
    assert_eq!(
        sample(&text, r#"partnerdesk_db_pool_connections{state="idle"}"#),
        Some(0.0)
    );
    assert!(
        !text.contains("partnerdesk_import_jobs{"),
        "no connection to count them: left out"
    );

    diesel::sql_query("ROLLBACK").execute(&mut holder).unwrap();
    for save in saves {
        assert_eq!(save.await.unwrap(), StatusCode::SEE_OTHER);
    }
    assert_eq!(health.await.unwrap(), StatusCode::OK);
    let after = scrape(&admin).await;
    assert_eq!(sample(&after, "partnerdesk_db_pool_timeouts_total"), Some(0.0));
    assert!(sample(&after, "partnerdesk_db_pool_wait_seconds_total").is_some_and(|s| s > 0.0));
}

#[tokio::test]
async fn metrics_are_a_404_page_for_addresses_not_allowed() {
    let app = spawn_app_with(|s| s.metrics_allow = vec![AddressRange::parse("192.0.2.0/24").unwrap()]).await;
    let page = app.client().page("/metrics").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.has(".error-page h1"), "the ordinary 404 page");
    assert!(!page.text.contains("partnerdesk_"));
}

/// Behind a reverse proxy on the same machine every request comes from loopback: the client the
/// proxy names is the one that must be allowed.
#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_must_be_allowed() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let outsider = app.client_from("203.0.113.9").page("/metrics").await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.client_from("127.0.0.1").get("/metrics").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.client().get("/metrics").await.status(), StatusCode::OK);

    let direct = spawn_app().await;
    let forged = direct.client_from("127.0.0.1").get("/metrics").await;
    assert_eq!(
        forged.status(),
        StatusCode::OK,
        "an untrusted header changes nothing either way"
    );
    let forged_outside = direct.client_from("203.0.113.9").get("/metrics").await;
    assert_eq!(forged_outside.status(), StatusCode::OK, "the peer is loopback");
}
