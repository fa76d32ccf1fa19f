//! Server-side sessions: a copied cookie dies with sign-out, a password change, a role change
//! and "Sign out everywhere"; the table holds neither the cookie's secret nor the sheet key.

use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app, Client, StaffLogin, TestApp};

/// Signs a new member in as a browser would, returning the session cookie it was given.
async fn signed_in_with_cookie(app: &TestApp, role: Role, user_agent: &str) -> (Client, StaffLogin, String) {
    let email = format!("{}@partner.example", uuid::Uuid::new_v4().simple());
    let login = app.create_staff("Test Partner", &email, role, false);
    let (client, cookie) = sign_in_as(app, &login, user_agent).await;
    (client, login, cookie)
}

async fn sign_in_as(app: &TestApp, login: &StaffLogin, user_agent: &str) -> (Client, String) {
    let client = Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent)
            .build()
            .unwrap(),
        address: app.address.clone(),
    };
    let response = client.sign_in(&login.email, &login.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response
        .cookies()
        .find(|c| c.name() == "pd_session")
        .expect("sign-in sets the session cookie")
        .value()
        .to_string();
    (client, cookie)
}

/// What a GET carrying only this copied cookie (another machine, no jar) gets.
async fn status_with_copied_cookie(app: &TestApp, path: &str, cookie: &str) -> StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", app.address))
        .header(reqwest::header::COOKIE, format!("pd_session={cookie}"))
        .send()
        .await
        .unwrap()
        .status()
}

/// A customer with one user added by `client`: the credentials page's path.
async fn credentials_page_of(client: &Client, name: &str) -> String {
    let domain = format!("{}.example", uuid::Uuid::new_v4().simple());
    let customer = client.add_customer(name, &domain).await;
    client.add_user(customer, "Lin Mei", "mei", &domain, &[]).await
}

#[tokio::test]
async fn a_cookie_copied_before_sign_out_is_refused_for_a_page_and_a_credentials_page() {
    let app = spawn_app().await;
    let (client, _, cookie) = signed_in_with_cookie(&app, Role::AdminAgent, "Mozilla/5.0").await;
    let sheet = credentials_page_of(&client, "Contoso").await;
    assert_eq!(
        status_with_copied_cookie(&app, "/dashboard", &cookie).await,
        StatusCode::OK
    );
    assert_eq!(status_with_copied_cookie(&app, &sheet, &cookie).await, StatusCode::OK);

    assert_eq!(client.post("/sign-out", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status_with_copied_cookie(&app, "/dashboard", &cookie).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        status_with_copied_cookie(&app, &sheet, &cookie).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.number("SELECT count(*) FROM staff_sessions"), 0);
}

#[tokio::test]
async fn a_cookie_copied_before_a_password_change_is_refused_and_the_changer_carries_on() {
    let app = spawn_app().await;
    let (client, login, cookie) = signed_in_with_cookie(&app, Role::AdminAgent, "Mozilla/5.0").await;
    let (_other_browser, other_cookie) = sign_in_as(&app, &login, "Other/1.0").await;
    let sheet = credentials_page_of(&client, "Contoso").await;
    let shown = client.page(&sheet).await.credentials();
    assert_eq!(shown.len(), 1);

    let response = client
        .post(
            "/account/password",
            &[
                ("current_password", &login.password),
                ("new_password", "a brand new passphrase"),
                ("confirm_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    for copied in [&cookie, &other_cookie] {
        assert_eq!(
            status_with_copied_cookie(&app, "/dashboard", copied).await,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            status_with_copied_cookie(&app, &sheet, copied).await,
            StatusCode::SEE_OTHER
        );
    }
    // The browser that changed it goes on in a new session, its credentials page still open.
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    assert_eq!(client.page(&sheet).await.credentials(), shown);
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff_sessions WHERE staff_id = {}",
            login.id
        )),
        1
    );
}

#[tokio::test]
async fn a_role_change_ends_the_members_sessions() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let (member, login, _) = signed_in_with_cookie(&app, Role::AdminAgent, "Mozilla/5.0").await;
    assert_eq!(member.get("/dashboard").await.status(), StatusCode::OK);
    let response = admin
        .post(&format!("/staff/{}/role", login.id), &[("role", "helpdesk_agent")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let after = member.get("/dashboard").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(location(&after).starts_with("/sign-in"));
    // The admin who changed it is still signed in.
    assert_eq!(admin.get("/dashboard").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_account_page_lists_sessions_and_signs_out_everywhere() {
    let app = spawn_app().await;
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                  Chrome/131.0.0.0 Safari/537.36";
    let (laptop, login, laptop_cookie) = signed_in_with_cookie(&app, Role::SalesAgent, firefox).await;
    let (desk, desk_cookie) = sign_in_as(&app, &login, chrome).await;

    // The signed-in name in the header leads there.
    let dashboard = laptop.page("/dashboard").await;
    assert_eq!(
        dashboard
            .select("a.who-name")
            .first()
            .and_then(|a| a.value().attr("href")),
        Some("/account")
    );
    let page = laptop.page("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts_of("#sessions tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().any(|r| r.contains("Firefox") && r.contains("This browser")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("Chrome") && !r.contains("This browser")),
        "{rows:?}"
    );
    assert!(page.text.contains("Sign out everywhere"));

    let zh = desk
        .http
        .get(desk.url("/account"))
        .header("accept-language", "zh-TW")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zh.contains("登出所有裝置") && zh.contains("此瀏覽器"), "{zh}");

    let response = desk.post("/account/sign-out-everywhere", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in");
    for cookie in [&laptop_cookie, &desk_cookie] {
        assert_eq!(
            status_with_copied_cookie(&app, "/account", cookie).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(laptop.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE staff_id = {} AND action = 'signed_out_everywhere'
             AND details->>'sessions' = '2'",
            login.id
        )),
        1
    );
}

#[tokio::test]
async fn sign_out_everywhere_needs_the_csrf_token() {
    let app = spawn_app().await;
    let (client, _, cookie) = signed_in_with_cookie(&app, Role::SalesAgent, "Mozilla/5.0").await;
    let response = client.post_raw("/account/sign-out-everywhere", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        status_with_copied_cookie(&app, "/dashboard", &cookie).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_table_holds_no_secret_and_anonymous_visits_write_no_rows() {
    let app = spawn_app().await;
    let visitor = app.client();
    for _ in 0..5 {
        assert_eq!(visitor.get("/sign-in").await.status(), StatusCode::OK);
        visitor.sign_in("nobody@partner.example", "wrong password").await;
    }
    assert_eq!(app.number("SELECT count(*) FROM staff_sessions"), 0);

    let (client, login, _) = signed_in_with_cookie(&app, Role::AdminAgent, "Mozilla/5.0").await;
    credentials_page_of(&client, "Contoso").await;
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff_sessions WHERE staff_id = {} AND sheet_key_masked IS NOT NULL
             AND octet_length(token_hash) = 32 AND NOT state ? 'cred_key' AND NOT state ? 'staff_id'",
            login.id
        )),
        1
    );
}

#[tokio::test]
async fn static_files_and_probes_neither_read_nor_replace_the_session() {
    let app = spawn_app().await;
    let (client, _, cookie) = signed_in_with_cookie(&app, Role::SalesAgent, "Mozilla/5.0").await;
    for path in ["/static/css/app.css", "/static/no-such-file.css", "/health/live"] {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", app.address))
            .header(reqwest::header::COOKIE, format!("pd_session={cookie}"))
            .send()
            .await
            .unwrap();
        assert!(
            response.headers().get(reqwest::header::SET_COOKIE).is_none(),
            "{path} set a cookie"
        );
    }
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn expired_sessions_are_refused_and_purged() {
    let app = spawn_app().await;
    let (_, _, cookie) = signed_in_with_cookie(&app, Role::SalesAgent, "Mozilla/5.0").await;
    let (_, _, idle_cookie) = signed_in_with_cookie(&app, Role::SalesAgent, "Mozilla/5.0").await;
    app.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(
        status_with_copied_cookie(&app, "/dashboard", &cookie).await,
        StatusCode::OK
    );
    app.clock.advance(chrono::Duration::minutes(20));
    // 40 minutes after sign-in: the one used at 20 minutes is alive, the other idle too long.
    assert_eq!(
        status_with_copied_cookie(&app, "/dashboard", &idle_cookie).await,
        StatusCode::SEE_OTHER
    );
    partnerdesk::jobs::purge::run_once(&mut app.conn(), &app.clock).unwrap();
    assert_eq!(app.number("SELECT count(*) FROM staff_sessions"), 1);
    app.clock.advance(chrono::Duration::hours(9));
    partnerdesk::jobs::purge::run_once(&mut app.conn(), &app.clock).unwrap();
    assert_eq!(app.number("SELECT count(*) FROM staff_sessions"), 0);
}

#[tokio::test]
async fn removing_a_staff_member_ends_their_sessions_and_their_sign_ins() {
    let app = spawn_app().await;
    let (admin, admin_login) = app.signed_in(Role::GlobalAdmin).await;
    let (member, login, cookie) = signed_in_with_cookie(&app, Role::AdminAgent, "Mozilla/5.0").await;

    let staff_page = admin.page("/staff").await;
    let link = format!("/staff/{}/remove", login.id);
    assert!(staff_page.has(&format!("a[href='{link}']")));
    assert!(
        !staff_page.has(&format!("a[href='/staff/{}/remove']", admin_login.id)),
        "no Remove beside yourself"
    );
    let confirm = admin.page(&link).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.text_of("h1").contains(&login.email));
    assert!(confirm.text.contains("signed out everywhere"));
    // Cancel leaves it alone; a GET never removes.
    assert_eq!(member.get("/dashboard").await.status(), StatusCode::OK);

    assert_eq!(admin.post(&link, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status_with_copied_cookie(&app, "/dashboard", &cookie).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(member.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
    let again = app.client().sign_in(&login.email, &login.password).await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a removed member cannot sign in"
    );
    assert!(!admin.page("/staff").await.text_of("#staff").contains(&login.email));
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE action = 'staff_removed' AND details->>'email' = '{}'",
            login.email
        )),
        1
    );
    // The address can be given to a new account.
    let page = admin
        .post_page("/staff", &[("email", &login.email), ("role", "sales_agent")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.has("#staff-created"));
}

#[tokio::test]
async fn nobody_removes_themselves_or_another_partners_staff() {
    let app = spawn_app().await;
    let (admin, admin_login) = app.signed_in(Role::GlobalAdmin).await;
    let page = admin.post_page(&format!("/staff/{}/remove", admin_login.id), &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text_of("#remove-error").contains("cannot remove yourself"));
    assert_eq!(admin.get("/dashboard").await.status(), StatusCode::OK);

    let stranger = app.create_staff("Other Partner", "someone@other.example", Role::AdminAgent, false);
    let response = admin.post(&format!("/staff/{}/remove", stranger.id), &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff WHERE id = {} AND removed_at IS NULL",
            stranger.id
        )),
        1
    );
    let (agent, _) = app.signed_in(Role::AdminAgent).await;
    let response = agent.post(&format!("/staff/{}/remove", admin_login.id), &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// A figure of this app's `/metrics` (loopback may read it).
async fn metric(app: &TestApp, name: &str) -> u64 {
    let text = reqwest::get(format!("{}/metrics", app.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// Waits (bounded) until `ready` gives true; the bound only keeps a broken build from hanging.
async fn wait_until<F: std::future::Future<Output = bool>>(what: &str, mut ready: impl FnMut() -> F) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready().await {
        assert!(std::time::Instant::now() < deadline, "gave up waiting: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_session_is_read_once_then_kept_and_a_row_deleted_behind_the_servers_back_is_forgotten() {
    let app = spawn_app().await;
    wait_until("the session listener listens", || async {
        metric(&app, "partnerdesk_session_cache_listening").await == 1
    })
    .await;
    let (client, _, cookie) = signed_in_with_cookie(&app, Role::SalesAgent, "Mozilla/5.0").await;
    let before = metric(&app, "partnerdesk_session_cache_hits_total").await;
    for _ in 0..5 {
        assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    }
    let hits = metric(&app, "partnerdesk_session_cache_hits_total").await - before;
    assert!(hits >= 4, "read once, then from memory: {hits} hits of 5");

    // As another server's sign-out or the purge does: the row goes, and this server hears of it.
    app.execute("DELETE FROM staff_sessions");
    wait_until("the deleted session is refused", || async {
        status_with_copied_cookie(&app, "/dashboard", &cookie).await == StatusCode::SEE_OTHER
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            status_with_copied_cookie(&app, "/dashboard", &cookie).await,
            StatusCode::SEE_OTHER,
            "and stays refused"
        );
    }
}

#[tokio::test]
async fn without_the_cache_every_request_reads_its_session() {
    let app = crate::common::spawn_app_with(|s| s.session_cache = 0).await;
    let (client, _, _) = signed_in_with_cookie(&app, Role::SalesAgent, "Mozilla/5.0").await;
    for _ in 0..3 {
        assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    }
    assert_eq!(metric(&app, "partnerdesk_session_cache_hits_total").await, 0);
    assert_eq!(metric(&app, "partnerdesk_session_cache_listening").await, 0);
}
