//! Two `partnerdesk serve` processes on one database, as behind a load balancer: sessions made
//! on one work on the other and end on both, and license saves through both never oversell.

use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::server_process::{partnerdesk_command, ServerProcess};
use crate::common::{insert_users, location, spawn_app, subscription_id, user_id, Client, TestApp};

/// `partnerdesk serve` on the test's database and data folder (so both servers share the
/// session key file).
async fn serve(app: &TestApp) -> ServerProcess {
    let mut command = partnerdesk_command(Some(&app.db_url), app.data_dir.path());
    command.env("RUST_LOG", "warn").arg("serve");
    ServerProcess::start(command).await
}

/// One browser (one cookie jar) talking to each server in turn.
fn browser_for(servers: &[&ServerProcess]) -> Vec<Client> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    servers
        .iter()
        .map(|s| Client {
            http: http.clone(),
            address: s.address.clone(),
        })
        .collect()
}

#[tokio::test]
async fn a_session_made_on_one_server_works_on_the_other_and_sign_out_ends_it_on_both() {
    let app = spawn_app().await;
    let (a, b) = (serve(&app).await, serve(&app).await);
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let clients = browser_for(&[&a, &b]);
    let response = clients[0].sign_in(&login.email, &login.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response
        .cookies()
        .find(|c| c.name() == "pd_session")
        .unwrap()
        .value()
        .to_string();
    // Both servers now keep the session in memory.
    for client in &clients {
        assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
        assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    }

    assert_eq!(clients[1].post("/sign-out", &[]).await.status(), StatusCode::SEE_OTHER);
    let copied = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let with_copied_cookie = |server: &ServerProcess| {
        copied
            .get(format!("{}/dashboard", server.address))
            .header(reqwest::header::COOKIE, format!("pd_session={cookie}"))
            .send()
    };
    // The server that signed out forgot the session before it answered.
    let same = with_copied_cookie(&b).await.unwrap();
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
    assert!(location(&same).starts_with("/sign-in"));
    // The other forgets it when PostgreSQL delivers the change (milliseconds): from then on,
    // every request with the copied cookie is refused.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let other = with_copied_cookie(&a).await.unwrap();
        if other.status() == StatusCode::SEE_OTHER {
            assert!(location(&other).starts_with("/sign-in"));
            break;
        }
        assert_eq!(other.status(), StatusCode::OK);
        assert!(
            std::time::Instant::now() < deadline,
            "the other server never heard of the sign-out"
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    for server in [&a, &b, &a] {
        let again = with_copied_cookie(server).await.unwrap();
        assert_eq!(again.status(), StatusCode::SEE_OTHER, "{}", server.address);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn license_saves_through_both_servers_never_oversell() {
    let app = spawn_app().await;
    let (a, b) = (serve(&app).await, serve(&app).await);
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let customer = admin.add_customer("Contoso", "contoso.com").await;
    admin.buy(customer, "ENTERPRISEPACK", 5).await;
    let e3 = subscription_id(&app, customer, "ENTERPRISEPACK");
    insert_users(&app, customer, "contoso.com", 30);

    let login = app.create_staff("Test Partner", "sales@partner.example", Role::SalesAgent, false);
    let mut sessions = Vec::new();
    for server in [&a, &b] {
        let client = browser_for(&[server]).remove(0);
        assert_eq!(
            client.sign_in(&login.email, &login.password).await.status(),
            StatusCode::SEE_OTHER
        );
        let token = client.csrf().await;
        sessions.push((client, token));
    }
    let choice = format!("choice-{e3}");
    let saves = (1..=30).map(|i| {
        let (client, token) = &sessions[i % 2];
        let (choice, id) = (
            choice.clone(),
            user_id(&app, &format!("bulk{i}@contoso.com")).to_string(),
        );
        async move {
            client
                .post_raw(
                    &format!("/customers/{customer}/licenses"),
                    &[("csrf_token", token), ("ids", &id), (&choice, "assign"), ("op", "save")],
                )
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(saves).await;
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((won, refused), (5, 25), "{statuses:?}");
    assert_eq!(
        app.number(&format!("SELECT count(*) FROM licenses WHERE subscription_id = {e3}")),
        5
    );
    assert_eq!(
        app.number(&format!("SELECT assigned::bigint FROM subscriptions WHERE id = {e3}")),
        5
    );
}
