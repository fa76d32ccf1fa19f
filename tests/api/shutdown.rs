//! Stopping a server, as a process: SIGTERM hands a running import back to the queue for
//! another server; SIGKILL leaves it to be marked failed by another server, and Run again works.
//!
//! The import is held mid-way on purpose: the test's own transaction has inserted (and not
//! committed) a user with a name from the file, so the import's insert waits on the unique
//! index for as long as the test wants, with its passwords made and its transaction open.

use diesel::prelude::*;
use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::server_process::{eventually, partnerdesk_command, ServerProcess};
use crate::common::{location, spawn_app_with, subscription_id, Client, TestApp};

const ROWS: usize = 20;

fn client_of(server: &ServerProcess) -> Client {
    Client::at(&server.address)
}

fn job_state(app: &TestApp) -> (String, Option<String>) {
    diesel::dsl::sql::<(
        diesel::sql_types::Text,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
    )>("SELECT status, worker FROM import_jobs")
    .get_result(&mut app.conn())
    .unwrap()
}

fn users(app: &TestApp, customer: i64) -> i64 {
    app.number(&format!(
        "SELECT count(*) FROM customer_users WHERE customer_id = {customer}"
    ))
}

/// A server process with an import of [`ROWS`] users started through it and held waiting on a
/// name the test holds in `holder`'s open transaction.
struct HeldImport {
    app: TestApp,
    server: ServerProcess,
    client: Client,
    customer: i64,
    e3: i64,
    job: String,
    holder: PgConnection,
    data: tempfile::TempDir,
}

async fn held_import() -> HeldImport {
    // The harness's own server runs no worker: only the processes take jobs.
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let login = app.create_staff("Test Partner", "admin@partner.example", Role::AdminAgent, false);
    let data = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(partnerdesk_command(Some(&app.db_url), data.path())).await;
    let client = client_of(&server);
    assert_eq!(
        client.sign_in(&login.email, &login.password).await.status(),
        StatusCode::SEE_OTHER
    );
    let customer = client.add_customer("Contoso", "contoso.com").await;
    client.buy(customer, "ENTERPRISEPACK", 100).await;
    let e3 = subscription_id(&app, customer, "ENTERPRISEPACK");
    let mut csv = String::from("Display name,User name\r\n");
    for i in 0..ROWS {
        csv.push_str(&format!("U{i},u{i}@contoso.com\r\n"));
    }
    let uploaded = client.upload(customer, "users.csv", csv.into_bytes(), "auto").await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let job = location(&uploaded);

    let mut holder = app.conn();
    diesel::sql_query("BEGIN").execute(&mut holder).unwrap();
    diesel::sql_query(format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash) \
         VALUES ({customer}, 'Held', 'u{}@contoso.com', 'TW', 'x')",
        ROWS - 1
    ))
    .execute(&mut holder)
    .unwrap();
    let e3_text = e3.to_string();
    let started = client
        .post(&format!("{job}/start"), &[("location", "TW"), ("product", &e3_text)])
        .await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    eventually("the import running and waiting on the held name", || {
        let waiting = app.number(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        (waiting == 1 && job_state(&app).0 == "running").then_some(())
    })
    .await;
    HeldImport {
        app,
        server,
        client,
        customer,
        e3,
        job,
        holder,
        data,
    }
}

#[tokio::test]
async fn sigterm_hands_a_running_import_back_and_another_server_finishes_it() {
    let mut held = held_import().await;
    let app = &held.app;

    held.server.signal(libc::SIGTERM);
    let (status, log) = held.server.wait().await;
    assert!(status.success(), "a graceful stop exits 0: {status}\n{log}");
    assert!(log.contains("SIGTERM"), "{log}");
    assert!(log.contains("back in the queue"), "{log}");
    assert_eq!(job_state(app), ("queued".to_string(), None), "{log}");
    assert_eq!(users(app, held.customer), 0, "nothing of the run was kept");

    diesel::sql_query("ROLLBACK").execute(&mut held.holder).unwrap();
    let second = ServerProcess::start(partnerdesk_command(Some(&app.db_url), held.data.path())).await;
    eventually("the second server finishing the import", || {
        (job_state(app).0 == "done").then_some(())
    })
    .await;
    assert_eq!(users(app, held.customer), ROWS as i64);
    let assigned = app.number(&format!(
        "SELECT assigned::bigint FROM subscriptions WHERE id = {}",
        held.e3
    ));
    assert_eq!(assigned, ROWS as i64, "each user licensed once");
    let client = Client {
        http: held.client.http.clone(),
        address: second.address.clone(),
    };
    assert!(
        client.page(&held.job).await.has("#done"),
        "the same session reads the result"
    );
}

#[tokio::test]
async fn after_sigkill_another_server_marks_the_import_failed_and_run_again_works() {
    let mut held = held_import().await;
    let app = &held.app;

    held.server.signal(libc::SIGKILL);
    held.server.wait().await;
    diesel::sql_query("ROLLBACK").execute(&mut held.holder).unwrap();
    let (status, worker) = job_state(app);
    assert_eq!(status, "running", "nobody could say otherwise");
    assert!(worker.is_some());
    // The dead server's heartbeat ages past the lease (rather than the test waiting a minute).
    app.execute("UPDATE import_jobs SET heartbeat_at = heartbeat_at - interval '10 minutes'");

    let second = ServerProcess::start(partnerdesk_command(Some(&app.db_url), held.data.path())).await;
    eventually("the second server marking the import failed", || {
        (job_state(app).0 == "failed").then_some(())
    })
    .await;
    assert_eq!(users(app, held.customer), 0, "nothing half-made");
    let client = Client {
        http: held.client.http.clone(),
        address: second.address.clone(),
    };
    let failed = client.page(&held.job).await;
    assert!(
        failed
            .text_of("#failure")
            .contains("The server stopped during the import"),
        "{}",
        failed.text_of("main")
    );
    assert_eq!(failed.text_of("#confirm-form button"), "Run again");

    let e3 = held.e3.to_string();
    let again = client
        .post(&format!("{}/start", held.job), &[("location", "TW"), ("product", &e3)])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    eventually("the import run again to its end", || {
        (job_state(app).0 == "done").then_some(())
    })
    .await;
    assert_eq!(users(app, held.customer), ROWS as i64);
}
