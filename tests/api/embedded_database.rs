//! `partnerdesk serve` on a machine where PostgreSQL is installed but nothing answers at the
//! default address: it starts a private cluster under its data folder, uses it, and stops it
//! when it stops. Run as a real process, the default address pointed at a port nobody uses.

use std::os::unix::fs::MetadataExt;

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::common::server_process::{free_port, partnerdesk_command, ServerProcess};
use crate::common::{location, Client};

async fn serve_demo(data_dir: &std::path::Path, nothing_there: &str) -> ServerProcess {
    let mut command = partnerdesk_command(None, data_dir);
    command
        .env("PARTNERDESK_DEFAULT_DATABASE_URL", nothing_there)
        .args(["serve", "--demo"]);
    ServerProcess::start(command).await
}

fn browser(server: &ServerProcess) -> Client {
    Client::at(&server.address)
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    setting: String,
}

fn show(conn: &mut PgConnection, name: &str) -> String {
    diesel::sql_query(format!("SELECT current_setting('{name}') AS setting"))
        .get_result::<Setting>(conn)
        .unwrap()
        .setting
}

#[tokio::test]
async fn with_nothing_at_the_default_address_it_runs_a_private_postgresql_and_stops_it_at_exit() {
    let data_dir = tempfile::tempdir().unwrap();
    let nothing_there = format!("postgres://postgres@127.0.0.1:{}/partnerdesk", free_port());
    let cluster = data_dir.path().join("postgres");

    let server = serve_demo(data_dir.path(), &nothing_there).await;
    let log = server.log();
    assert_eq!(
        log.matches("using a private PostgreSQL in the data folder").count(),
        1,
        "one log line says so:\n{log}"
    );
    let ready = reqwest::get(format!("{}/health/ready", server.address)).await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK, "migrated and reachable");
    let client = browser(&server);
    let sign_in_page = client.page("/sign-in").await;
    assert!(
        sign_in_page.text_of("#demo-note").contains("password alone"),
        "serve --demo says its partner needs no second factor"
    );
    let signed_in = client
        .sign_in("admin@northwind.example", partnerdesk::services::demo::PASSWORD)
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "the demo data is there");
    assert_eq!(location(&signed_in), "/dashboard", "without a second factor");

    assert!(
        cluster.join("data/postmaster.pid").is_file(),
        "running in the data folder"
    );
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let owner = std::fs::metadata(&cluster).unwrap().uid();
        assert_ne!(owner, 0, "as root, the cluster belongs to the user postgres");
    }
    let socket_url = format!(
        "postgres://postgres@localhost/partnerdesk?host={}",
        cluster.display().to_string().replace('/', "%2F")
    );
    let mut conn = PgConnection::establish(&socket_url).unwrap();
    assert_eq!(show(&mut conn, "fsync"), "on", "a partner's data, not a test's");
    assert_eq!(show(&mut conn, "listen_addresses"), "", "no TCP port: its folder only");
    drop(conn);

    server.signal(libc::SIGTERM);
    let (status, log) = server.wait().await;
    assert!(status.success(), "{log}");
    assert!(log.contains("stopped the private PostgreSQL"), "{log}");
    assert!(!cluster.join("data/postmaster.pid").exists(), "stopped at exit");

    // The next start finds the cluster and its data again.
    let again = serve_demo(data_dir.path(), &nothing_there).await;
    assert!(!again.log().contains("created the database"), "{}", again.log());
    let client = browser(&again);
    let signed_in = client
        .sign_in("admin@northwind.example", partnerdesk::services::demo::PASSWORD)
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    again.signal(libc::SIGTERM);
    let (status, log) = again.wait().await;
    assert!(status.success(), "{log}");
    assert!(!cluster.join("data/postmaster.pid").exists());
}

#[tokio::test]
async fn with_database_url_set_nothing_is_started_and_the_error_names_the_address() {
    let data_dir = tempfile::tempdir().unwrap();
    let nothing_there = format!("postgres://postgres@127.0.0.1:{}/partnerdesk", free_port());
    let output = partnerdesk_command(Some(&nothing_there), data_dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot connect to PostgreSQL at"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(
        !data_dir.path().join("postgres").exists(),
        "an address given is never replaced"
    );
}
