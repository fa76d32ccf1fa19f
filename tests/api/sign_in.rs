use chrono::Duration;
use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app};

#[tokio::test]
async fn sign_in_form_has_labelled_email_and_password_fields() {
    let app = spawn_app().await;
    let page = app.client().page("/sign-in").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text_of("label[for=email]"), "Email");
    assert_eq!(page.text_of("label[for=password]"), "Password");
    assert!(page.has("input#email[name=email]"));
    assert!(page.has("input#password[type=password]"));
    assert_eq!(page.text_of("form[action='/sign-in'] button[type=submit]"), "Sign in");
}

#[tokio::test]
async fn pages_need_a_signed_in_staff_member() {
    let app = spawn_app().await;
    let response = app.client().get("/customers").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?next=/customers");
}

/// The status of /dashboard for a request that carries only this session cookie (no jar).
async fn dashboard_with_cookie(client: &crate::common::Client, session: &str) -> StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(client.url("/dashboard"))
        .header(reqwest::header::COOKIE, format!("pd_session={session}"))
        .send()
        .await
        .unwrap()
        .status()
}

/// How many sign-in failures of this staff member the activity log holds for `reason`.
fn failures_logged(app: &crate::common::TestApp, staff_id: i64, reason: &str) -> i64 {
    app.number(&format!(
        "SELECT count(*) FROM activity_log WHERE staff_id = {staff_id} AND action = 'sign_in_failed'
         AND outcome = 'refused' AND details->>'reason' = '{reason}'"
    ))
}

#[tokio::test]
async fn right_password_signs_in_with_a_new_session_id_and_goes_back() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client();
    let before = client.get("/sign-in").await;
    let cookie_before = before
        .cookies()
        .find(|c| c.name() == "pd_session")
        .map(|c| c.value().to_string());
    let token = crate::common::Page {
        status: before.status(),
        html: scraper::Html::parse_document(&before.text().await.unwrap()),
        text: String::new(),
    }
    .csrf();
    let response = client
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &token),
                ("email", "ANNA@partner.example"),
                ("password", &login.password),
                ("next", "/customers"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/customers");
    let cookie_after = response
        .cookies()
        .find(|c| c.name() == "pd_session")
        .map(|c| c.value().to_string())
        .expect("sign-in sets a new session cookie");
    // The session the visitor had before is not the one signed in: a request carrying only the
    // cookie from before sign-in (as one planted by someone else would be) is not signed in.
    let cookie_before = cookie_before.expect("the sign-in form starts a session");
    assert_eq!(
        dashboard_with_cookie(&client, &cookie_before).await,
        StatusCode::SEE_OTHER,
        "the pre-sign-in session is not signed in"
    );
    assert_eq!(
        dashboard_with_cookie(&client, &cookie_after).await,
        StatusCode::OK,
        "the cookie set at sign-in alone carries the sign-in"
    );
    // The token seen before sign-in no longer works afterwards.
    let stale = client
        .post_raw("/customers", &[("csrf_token", &token), ("company_name", "X")])
        .await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    let page = client.page("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text_of(".who").contains("anna@partner.example"));
}

#[tokio::test]
async fn wrong_password_and_unknown_email_say_only_wrong_email_or_password() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client();
    for (email, password) in [
        (login.email.as_str(), "wrong password"),
        ("nobody@partner.example", "whatever"),
    ] {
        let response = client
            .post("/sign-in", &[("email", email), ("password", password)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = response.text().await.unwrap();
        assert!(body.contains("Wrong email or password."), "{body}");
        assert!(!body.contains(password), "the password is not echoed back");
    }
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn ten_failures_lock_the_account_for_a_minute_then_two() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client();
    let fail_ten_times = || async {
        for _ in 0..10 {
            let r = client
                .post("/sign-in", &[("email", &login.email), ("password", "nope")])
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    fail_ten_times().await;
    let locked = client.sign_in(&login.email, &login.password).await;
    assert_eq!(
        locked.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked even with the right password"
    );
    app.clock.advance(Duration::seconds(61));
    let open = client.sign_in(&login.email, &login.password).await;
    assert_eq!(open.status(), StatusCode::SEE_OTHER, "the first lock lasts one minute");

    assert_eq!(failures_logged(&app, login.id, "wrong_password"), 9);
    assert_eq!(failures_logged(&app, login.id, "locked_now"), 1);
    // Issue 10: attempts refused while locked are counted, not logged one row each; the count
    // comes with the next sign-in from that address.
    assert_eq!(
        failures_logged(&app, login.id, "locked"),
        0,
        "the right password while locked"
    );
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE staff_id = {} AND action = 'sign_in'
             AND details->>'refused_while_locked' = '1'",
            login.id
        )),
        1
    );

    // The counters reset on success; a second lock right after ten more failures is a minute again.
    let other = app.client();
    for attempt in 1..=10 {
        let r = other
            .post("/sign-in", &[("email", &login.email), ("password", "nope")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "failure {attempt}");
    }
    assert_eq!(
        other.sign_in(&login.email, &login.password).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked again after ten more failures, even with the right password"
    );
    assert_eq!(failures_logged(&app, login.id, "wrong_password"), 18);
    assert_eq!(failures_logged(&app, login.id, "locked_now"), 2);
    assert_eq!(failures_logged(&app, login.id, "locked"), 0);
    app.clock.advance(Duration::seconds(61));
    assert_eq!(
        other.sign_in(&login.email, &login.password).await.status(),
        StatusCode::SEE_OTHER,
        "a minute, not two: the success in between reset the lockouts"
    );
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE staff_id = {} AND action = 'sign_in'",
            login.id
        )),
        2
    );
}

#[tokio::test]
async fn repeated_lockouts_double_the_wait() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client();
    for round in 1..=2 {
        for attempt in 1..=10 {
            let r = client
                .post("/sign-in", &[("email", &login.email), ("password", "nope")])
                .await;
            assert_eq!(
                r.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "round {round}, failure {attempt}"
            );
        }
        assert_eq!(
            failures_logged(&app, login.id, "locked_now"),
            round,
            "round {round} locks"
        );
        app.clock.advance(Duration::seconds(61));
    }
    assert_eq!(
        client.sign_in(&login.email, &login.password).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the second lock lasts two minutes"
    );
    app.clock.advance(Duration::seconds(60));
    assert_eq!(
        client.sign_in(&login.email, &login.password).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sign_out_drops_the_session() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    let response = client.post("/sign-out", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in");
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_after_eight_hours() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        client.get("/dashboard").await.status(),
        StatusCode::OK,
        "29 idle minutes are fine"
    );
    app.clock.advance(Duration::minutes(31));
    assert_eq!(
        client.get("/dashboard").await.status(),
        StatusCode::SEE_OTHER,
        "31 idle minutes end it"
    );

    let (busy, _) = app.signed_in(Role::SalesAgent).await;
    for _ in 0..17 {
        app.clock.advance(Duration::minutes(28));
        assert_eq!(busy.get("/dashboard").await.status(), StatusCode::OK);
    }
    app.clock.advance(Duration::minutes(28));
    assert_eq!(
        busy.get("/dashboard").await.status(),
        StatusCode::SEE_OTHER,
        "8 hours end any session"
    );
}

#[tokio::test]
async fn a_temporary_password_must_be_changed_first() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "new@partner.example", Role::HelpdeskAgent, true);
    let client = app.client();
    let response = client.sign_in(&login.email, &login.password).await;
    assert_eq!(location(&response), "/account/password");
    let blocked = client.get("/customers").await;
    assert_eq!(blocked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&blocked), "/account/password");

    let page = client.page("/account/password").await;
    for field in ["current_password", "new_password", "confirm_password"] {
        assert!(page.has(&format!("label[for={field}]")), "{field} has a label");
    }
    let short = client
        .post_page(
            "/account/password",
            &[
                ("current_password", &login.password),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text_of("#new_password-error").contains("at least 12"));

    let new = "a brand new long password";
    let done = client
        .post(
            "/account/password",
            &[
                ("current_password", &login.password),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(location(&done), "/dashboard");
    assert_eq!(client.get("/customers").await.status(), StatusCode::OK);
    let again = app.client();
    assert_eq!(again.sign_in(&login.email, new).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_response_carries_security_headers_and_http_only_cookies() {
    let app = spawn_app().await;
    let response = app.client().get("/sign-in").await;
    let headers = response.headers();
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(headers.get("x-frame-options").unwrap(), "DENY");
    assert!(headers.get("referrer-policy").is_some());
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP by default");
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = crate::common::spawn_app_with(|s| s.secure_cookies = true).await;
    let response = app.client().get("/sign-in").await;
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    let switched = app.client().post("/language", &[("lang", "zh-TW")]).await;
    let lang = switched
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("pd_lang="))
        .unwrap();
    assert!(lang.contains("Secure") && lang.contains("HttpOnly"), "{lang}");
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let fields = [
        ("company_name", "Forged Ltd"),
        ("domains", "forged.example"),
        ("default_usage_location", "TW"),
    ];
    let missing = client.post_raw("/customers", &fields).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let body = missing.text().await.unwrap();
    assert!(body.contains("This form has expired"), "{body}");
    let mut wrong = vec![("csrf_token", "not-the-token")];
    wrong.extend_from_slice(&fields);
    assert_eq!(
        client.post_raw("/customers", &wrong).await.status(),
        StatusCode::FORBIDDEN
    );
    // And from a client with no session at all.
    assert_eq!(
        app.client().post_raw("/sign-in", &[("email", "a@b.c")]).await.status(),
        StatusCode::FORBIDDEN
    );
    let page = client.page("/customers?q=Forged").await;
    assert!(!page.text.contains("Forged Ltd"));
}

#[tokio::test]
async fn language_follows_accept_language_and_the_remembered_switcher() {
    let app = spawn_app().await;
    let client = app.client();
    let zh = client
        .http
        .get(client.url("/sign-in"))
        .header("accept-language", "zh-TW,zh;q=0.9")
        .send()
        .await
        .unwrap();
    let text = zh.text().await.unwrap();
    assert!(text.contains("lang=\"zh-TW\"") && text.contains("電子郵件") && text.contains("登入"));

    let switched = client
        .post("/language", &[("lang", "zh-TW"), ("next", "/sign-in")])
        .await;
    assert_eq!(location(&switched), "/sign-in");
    let page = client.page("/sign-in").await;
    assert_eq!(page.text_of("label[for=password]"), "密碼");
    let back = client
        .post("/language", &[("lang", "en"), ("next", "//evil.example")])
        .await;
    assert_eq!(
        location(&back),
        "/dashboard",
        "the switcher only goes back to this site"
    );
    assert_eq!(client.page("/sign-in").await.text_of("label[for=password]"), "Password");
}

#[tokio::test]
async fn unknown_pages_get_an_html_404_with_a_way_back() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    let page = client.page("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.text_of("h1"), "Page not found");
    assert!(page.has("a[href='/dashboard']"));
}

#[tokio::test]
async fn health_answers_with_one_query() {
    let app = spawn_app().await;
    let response = app.client().get("/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

/// Settings where 127.0.0.1 (every test client) is a trusted proxy, so that `client_from`
/// clients count as coming from the addresses they name, and rate limits out of the way.
fn behind_a_proxy(s: &mut partnerdesk::config::Settings) {
    s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    s.sign_in_per_address = 1000;
    s.sign_in_per_account = 1000;
}

async fn fail_times(client: &crate::common::Client, email: &str, times: usize) {
    for attempt in 1..=times {
        let r = client.post("/sign-in", &[("email", email), ("password", "nope")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "failure {attempt}");
    }
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_out_another() {
    let app = crate::common::spawn_app_with(behind_a_proxy).await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let attacker = app.client_from("198.51.100.7");
    fail_times(&attacker, &login.email, 10).await;
    assert_eq!(
        attacker.sign_in(&login.email, &login.password).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the address that failed is locked, even with the right password"
    );
    let anna = app.client_from("203.0.113.5");
    assert_eq!(
        anna.sign_in(&login.email, &login.password).await.status(),
        StatusCode::SEE_OTHER,
        "another address signs in"
    );
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE staff_id = {} AND details->>'reason' = 'locked_now'
             AND details->>'address' = '198.51.100.7'",
            login.id
        )),
        1,
        "the lock names the address it stops"
    );
}

#[tokio::test]
async fn forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    fail_times(&app.client_from("198.51.100.7"), &login.email, 10).await;
    assert_eq!(
        app.client_from("203.0.113.5")
            .sign_in(&login.email, &login.password)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "without a trusted proxy both clients are the peer 127.0.0.1, which is locked"
    );
}

#[tokio::test]
async fn a_lock_lasts_at_most_fifteen_minutes() {
    let app = crate::common::spawn_app_with(behind_a_proxy).await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client_from("198.51.100.7");
    // Locks of 1, 2, 4 and 8 minutes; the fifth would be 16 doubling on.
    for minutes in [1, 2, 4, 8] {
        fail_times(&client, &login.email, 10).await;
        app.clock.advance(Duration::minutes(minutes) + Duration::seconds(1));
    }
    fail_times(&client, &login.email, 10).await;
    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        client.sign_in(&login.email, &login.password).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "still locked after 14 minutes"
    );
    app.clock.advance(Duration::minutes(1) + Duration::seconds(1));
    assert_eq!(
        client.sign_in(&login.email, &login.password).await.status(),
        StatusCode::SEE_OTHER,
        "open after 15"
    );
}

#[tokio::test]
async fn a_global_admin_unlocks_a_staff_member_from_the_staff_page() {
    let app = crate::common::spawn_app_with(behind_a_proxy).await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let anna = app.client_from("203.0.113.5");
    fail_times(&anna, &login.email, 10).await;
    assert_eq!(
        anna.sign_in(&login.email, &login.password).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let action = format!("/staff/{}/unlock", login.id);

    let (agent, _) = app.signed_in(Role::AdminAgent).await;
    assert_eq!(agent.post(&action, &[]).await.status(), StatusCode::FORBIDDEN);
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    assert_eq!(
        admin.post_raw(&action, &[]).await.status(),
        StatusCode::FORBIDDEN,
        "needs CSRF"
    );
    let page = admin.page("/staff").await;
    let button = format!("tr[data-staff-id='{}'] form[action='{action}'] button", login.id);
    assert_eq!(page.text_of(&button), "Unlock");
    admin.post("/language", &[("lang", "zh-TW")]).await;
    assert_eq!(admin.page("/staff").await.text_of(&button), "解除鎖定");

    let done = admin.post(&action, &[]).await;
    assert_eq!(location(&done), "/staff");
    assert!(!admin.page("/staff").await.has(&button), "no longer locked");
    assert_eq!(
        anna.sign_in(&login.email, &login.password).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.number(
            "SELECT count(*) FROM activity_log WHERE action = 'staff_unlocked'
             AND details->>'email' = 'anna@partner.example' AND details->>'refused' = '1'"
        ),
        1,
        "the unlock is logged with the attempts the lock refused"
    );
}

#[tokio::test]
async fn refused_attempts_on_a_locked_address_are_counted_in_one_row_per_lock() {
    let app = crate::common::spawn_app_with(behind_a_proxy).await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client_from("198.51.100.7");
    fail_times(&client, &login.email, 10).await;
    fail_times(&client, &login.email, 25).await;
    let logged = |action: &str| {
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE staff_id = {} AND action = '{action}'",
            login.id
        ))
    };
    assert_eq!(logged("sign_in_failed"), 10, "nine wrong passwords and one lock");
    assert_eq!(failures_logged(&app, login.id, "locked_now"), 1);
    assert_eq!(
        app.number(&format!(
            "SELECT refused_while_locked::bigint FROM staff_sign_in_failures WHERE staff_id = {}",
            login.id
        )),
        25
    );
}

#[tokio::test]
async fn too_many_attempts_answer_429_with_retry_after_in_both_languages() {
    let app = crate::common::spawn_app_with(|s| {
        behind_a_proxy(s);
        s.sign_in_per_address = 3;
        s.sign_in_per_account = 5;
    })
    .await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let client = app.client_from("198.51.100.7");
    fail_times(&client, "someone@partner.example", 3).await;
    let refused = client.sign_in(&login.email, &login.password).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "per address");
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&wait), "{wait}");
    assert!(refused.text().await.unwrap().contains("Too many sign-in attempts"));
    client.post("/language", &[("lang", "zh-TW")]).await;
    let zh = client.sign_in(&login.email, &login.password).await;
    assert_eq!(zh.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(zh.text().await.unwrap().contains("登入嘗試次數過多"));

    for n in 1..=5 {
        fail_times(&app.client_from(&format!("203.0.113.{n}")), &login.email, 1).await;
    }
    let per_account = app
        .client_from("203.0.113.99")
        .sign_in(&login.email, &login.password)
        .await;
    assert_eq!(per_account.status(), StatusCode::TOO_MANY_REQUESTS, "per account");
    assert!(per_account.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_flood_beyond_the_backlog_gets_503_or_429_and_never_500() {
    let app = crate::common::spawn_app_with(|s| {
        behind_a_proxy(s);
        s.password_workers = 1;
        s.password_backlog = 1;
    })
    .await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::AdminAgent, false);
    let mut clients = Vec::new();
    for n in 0..40 {
        let client = app.client_from(&format!("198.51.100.{n}"));
        let token = client.csrf().await;
        clients.push((client, token));
    }
    let email = login.email.as_str();
    let attempts = clients.iter().map(|(client, token)| async move {
        client
            .post_raw(
                "/sign-in",
                &[("csrf_token", token.as_str()), ("email", email), ("password", "nope")],
            )
            .await
    });
    let responses = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| [422, 429, 503].contains(s)), "{statuses:?}");
    let busy = responses
        .into_iter()
        .find(|r| r.status() == StatusCode::SERVICE_UNAVAILABLE)
        .unwrap_or_else(|| panic!("one worker and a backlog of one refuse some of 40 at once: {statuses:?}"));
    assert!(busy.headers().contains_key("retry-after"));
    assert!(busy.text().await.unwrap().contains("Busy right now"));
    assert_eq!(
        app.client_from("203.0.113.5")
            .sign_in(&login.email, &login.password)
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "signs in once the flood is over"
    );
}
