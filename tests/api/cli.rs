//! The command line, run as a real process against the test's database.

use std::io::Write;
use std::process::{Command, Stdio};

use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app, spawn_app_with};

fn partnerdesk(db_url: &str, data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    command
        .env("DATABASE_URL", db_url)
        .env("PARTNERDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    command
}

#[tokio::test]
async fn create_staff_prints_a_temporary_password_that_must_be_changed() {
    let app = spawn_app().await;
    let output = partnerdesk(&app.db_url, app.data_dir.path())
        .args([
            "create-staff",
            "--partner",
            "Fabrikam IT",
            "--email",
            "lin@fabrikam.example",
            "--role",
            "admin-agent",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let password = stdout
        .lines()
        .find_map(|l| l.split_once("first sign-in): ").map(|(_, p)| p.trim().to_string()))
        .unwrap();
    assert_eq!(password.len(), 16);
    let client = app.client();
    let response = client.sign_in("lin@fabrikam.example", &password).await;
    assert_eq!(location(&response), "/account/password");
    let page = client.page("/account/password").await;
    assert!(page.text.contains("temporary password"));

    let again = partnerdesk(&app.db_url, app.data_dir.path())
        .args([
            "create-staff",
            "--partner",
            "Fabrikam IT",
            "--email",
            "LIN@fabrikam.example",
            "--role",
            "sales-agent",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn create_staff_sets_the_partners_time_zone_and_refuses_one_that_is_not() {
    let app = spawn_app().await;
    let run = |email: &str, zone: &str| {
        partnerdesk(&app.db_url, app.data_dir.path())
            .args([
                "create-staff",
                "--partner",
                "Contoso Taiwan",
                "--email",
                email,
                "--role",
                "global-admin",
            ])
            .args(["--time-zone", zone])
            .output()
            .unwrap()
    };
    let output = run("ops@contoso.example", "Asia/Taipei");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("shows times in Asia/Taipei"));
    assert_eq!(
        app.number("SELECT count(*) FROM partners WHERE name = 'Contoso Taiwan' AND time_zone = 'Asia/Taipei'"),
        1
    );
    let refused = run("two@contoso.example", "Taipei");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("IANA time zone"));
    assert_eq!(
        app.number("SELECT count(*) FROM staff WHERE email = 'two@contoso.example'"),
        0
    );
}

#[tokio::test]
async fn create_staff_reads_a_chosen_password_from_stdin() {
    let app = spawn_app().await;
    let mut child = partnerdesk(&app.db_url, app.data_dir.path())
        .args([
            "create-staff",
            "--partner",
            "Fabrikam IT",
            "--email",
            "boss@fabrikam.example",
            "--role",
            "global-admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a chosen password of mine\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("a chosen password"),
        "never printed"
    );
    let client = app.client();
    assert_eq!(
        location(
            &client
                .sign_in("boss@fabrikam.example", "a chosen password of mine")
                .await
        ),
        "/dashboard"
    );
}

#[tokio::test]
async fn demo_data_loads_once_and_signs_in() {
    let app = spawn_app().await;
    for _ in 0..2 {
        let output = partnerdesk(&app.db_url, app.data_dir.path())
            .arg("demo-data")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stdout).contains("admin@northwind.example"));
    }
    let client = app.client();
    assert_eq!(
        client
            .sign_in("admin@northwind.example", "Demo-Password-2026")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let page = client.page("/customers").await;
    let names = page.texts_of("#customers tbody td:first-child");
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.iter().any(|n| n == "青山數位設計有限公司") && names.iter().any(|n| n == "Müller & Söhne GmbH"));
    // Each customer has a few users with licenses, added once.
    let qingshan: i64 = app.number("SELECT id FROM customers WHERE company_name = '青山數位設計有限公司'");
    let users = client.page(&format!("/customers/{qingshan}/users")).await;
    assert_eq!(users.text_of(".pager-range"), "1–4 of 4");
    let listed = users.texts_of("#users td.display-name a");
    assert!(listed.contains(&"陳志明".to_string()), "{listed:?}");
    assert_eq!(
        users
            .texts_of("#users td.licenses")
            .iter()
            .filter(|l| *l != "No licenses")
            .count(),
        3
    );
    for (email, role) in [
        ("sales@northwind.example", "Sales agent"),
        ("helpdesk@northwind.example", "Helpdesk agent"),
    ] {
        let c = app.client();
        c.sign_in(email, "Demo-Password-2026").await;
        assert!(c.page("/dashboard").await.text_of(".who-role").starts_with(role));
    }
}

#[tokio::test]
async fn an_unreachable_database_gives_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = partnerdesk("postgres://postgres@127.0.0.1:1/partnerdesk", dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/postgres"),
        "{stderr}"
    );
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn serve_creates_a_missing_database_and_migrates_it() {
    let app = spawn_app().await;
    let fresh = app.db_url.replace("pdtest_", "pdfresh_");
    let dir = tempfile::tempdir().unwrap();
    let output = partnerdesk(&fresh, dir.path()).arg("migrate").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("migration(s) applied"));
}

#[tokio::test]
async fn purge_removes_users_deleted_31_days_ago_and_expired_credentials_pages() {
    // No background purge in the server: only the process under test removes anything.
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    let expired = client.add_user(id, "Old", "old", "contoso.com", &[]).await;
    let current = client.add_user(id, "Recent", "recent", "contoso.com", &[]).await;
    client.add_user(id, "Active", "active", "contoso.com", &[]).await;
    app.execute(
        "UPDATE customer_users SET deleted_at = now() - interval '31 days' WHERE user_name = 'old@contoso.com'",
    );
    app.execute(
        "UPDATE customer_users SET deleted_at = now() - interval '29 days' WHERE user_name = 'recent@contoso.com'",
    );
    let sheet_id = |url: &str| url.trim_start_matches("/credentials/").to_string();
    app.execute(&format!(
        "UPDATE credential_sheets SET expires_at = now() - interval '1 minute' WHERE id = '{}'",
        sheet_id(&expired)
    ));

    let output = partnerdesk(&app.db_url, app.data_dir.path())
        .arg("purge")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "Purged 1 deleted user(s) and 1 expired credentials page(s)."
    );
    let users = |name: &str| {
        app.number(&format!(
            "SELECT count(*) FROM customer_users WHERE user_name = '{name}'"
        ))
    };
    assert_eq!(users("old@contoso.com"), 0, "deleted 31 days ago: gone for good");
    assert_eq!(users("recent@contoso.com"), 1, "deleted 29 days ago: still restorable");
    assert_eq!(users("active@contoso.com"), 1);
    let sheets = |id: String| app.number(&format!("SELECT count(*) FROM credential_sheets WHERE id = '{id}'"));
    assert_eq!(sheets(sheet_id(&expired)), 0, "the expired page is deleted");
    assert_eq!(sheets(sheet_id(&current)), 1, "a page within its hour stays");
    let log = client.page("/activity?action=users_purged").await;
    assert_eq!(log.select("#activity tbody tr").len(), 1, "one entry for the customer");
    assert_eq!(log.text_of("#activity tbody td:nth-child(3)"), "Contoso");
}

#[tokio::test]
async fn json_log_format_writes_one_object_per_line() {
    let app = spawn_app().await;
    let output = partnerdesk(&app.db_url, app.data_dir.path())
        .env("RUST_LOG", "info")
        .env("PARTNERDESK_LOG_FORMAT", "json")
        .arg("purge")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let loaded = events
        .iter()
        .find(|e| e["fields"]["message"] == "product catalogue loaded")
        .unwrap_or_else(|| panic!("no JSON line for the catalogue in {stdout}"));
    assert_eq!(loaded["level"], "INFO");
    assert!(loaded["fields"]["products"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn an_unknown_log_format_is_refused_at_start() {
    let app = spawn_app().await;
    let output = partnerdesk(&app.db_url, app.data_dir.path())
        .env("PARTNERDESK_LOG_FORMAT", "yaml")
        .arg("purge")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("PARTNERDESK_LOG_FORMAT must be text or json"),
        "{stderr}"
    );
}
