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
    assert_eq!(
        failures_logged(&app, login.id, "locked"),
        1,
        "the right password while locked"
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
    assert_eq!(failures_logged(&app, login.id, "locked"), 2);
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
