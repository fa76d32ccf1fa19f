//! Issue 11: a second factor at every staff sign-in. Authenticator-app codes are computed here
//! from the secret the page shows, as an app would.

use partnerdesk::auth::Role;
use partnerdesk::domain::second_factor::{code_at, STEP_SECONDS};
use reqwest::StatusCode;

use crate::common::{location, spawn_app, Client, StaffLogin, TestApp};

/// A member of a partner that requires a second factor.
fn member(app: &TestApp, role: Role) -> StaffLogin {
    let email = format!("{}@partner.example", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let login = app.create_staff("Secure Partner", &email, role, false);
    app.execute(&format!(
        "UPDATE partners SET second_factor_required = true WHERE id = {}",
        login.partner_id
    ));
    login
}

fn step_now(app: &TestApp) -> u64 {
    app.clock.now().timestamp() as u64 / STEP_SECONDS
}

/// Adds an authenticator app through the pages: the secret as the page shows it, and the
/// recovery codes shown once.
async fn enrol(app: &TestApp, client: &Client) -> (Vec<u8>, Vec<String>) {
    let page = client.page("/account/security/app").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text_of("#secret-label"), "Secret key");
    assert!(page.has("#qr svg"), "the QR code is drawn on the page");
    assert_eq!(page.text_of("label[for=code]"), "Code");
    let shown = page.text_of("#secret").replace(' ', "");
    let secret = totp_rs::Secret::Encoded(shown).to_bytes().unwrap();
    let code = code_at(&secret, step_now(app));
    let done = client.post_page("/account/security/app", &[("code", &code)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text_of("main"));
    let codes = done.texts_of("#recovery-codes li");
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    (secret, codes)
}

async fn sign_in_to_code_step(client: &Client, login: &StaffLogin) {
    let response = client.sign_in(&login.email, &login.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&response).starts_with("/sign-in/verify"),
        "{}",
        location(&response)
    );
    assert_eq!(
        client.get("/dashboard").await.status(),
        StatusCode::SEE_OTHER,
        "not signed in before the code"
    );
}

async fn give_code(client: &Client, code: &str) -> reqwest::Response {
    client
        .post("/sign-in/verify", &[("code", code), ("next", "/customers")])
        .await
}

#[tokio::test]
async fn a_member_without_a_factor_enrols_first_then_signs_in_with_a_code_each_used_once() {
    let app = spawn_app().await;
    let login = member(&app, Role::AdminAgent);
    let client = app.client();
    let response = client.sign_in(&login.email, &login.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let dashboard = client.get("/dashboard").await;
    assert_eq!(
        location(&dashboard),
        "/account/security",
        "enrolment before anything else"
    );
    let security = client.page("/account/security").await;
    assert!(security.has("#enrol-required"));

    // A wrong code while adding the app is refused next to the field.
    let wrong = client.post_page("/account/security/app", &[("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text_of("#code-error").contains("not right"));

    let (secret, _) = enrol(&app, &client).await;
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE action = 'second_factor_added' AND staff_id = {}",
            login.id
        )),
        1
    );

    // Next sign-in: the password, then a code.
    client.post("/sign-out", &[]).await;
    sign_in_to_code_step(&client, &login).await;
    let step = step_now(&app);
    let reused = give_code(&client, &code_at(&secret, step)).await;
    assert_eq!(
        reused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the enrolment's code works once"
    );
    let next = give_code(&client, &code_at(&secret, step + 1)).await;
    assert_eq!(next.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&next), "/customers");
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    let methods = app.number(&format!(
        "SELECT count(*) FROM staff_sessions WHERE staff_id = {} AND state->'amr' = '[\"pwd\",\"otp\"]'::jsonb",
        login.id
    ));
    assert_eq!(methods, 1, "the session records how it was signed in");
}

#[tokio::test]
async fn wrong_codes_lock_the_code_step_for_that_address_and_recovery_codes_work_once() {
    let app = spawn_app().await;
    let login = member(&app, Role::SalesAgent);
    let client = app.client();
    client.sign_in(&login.email, &login.password).await;
    let (secret, codes) = enrol(&app, &client).await;
    client.post("/sign-out", &[]).await;

    sign_in_to_code_step(&client, &login).await;
    for _ in 0..10 {
        assert_eq!(
            give_code(&client, "123456").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let right = code_at(&secret, step_now(&app) + 1);
    assert_eq!(
        give_code(&client, &right).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked after ten wrong codes"
    );
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff_sign_in_failures WHERE staff_id = {} AND address LIKE 'factor:%' AND locked_until IS NOT NULL",
            login.id
        )),
        1
    );
    assert!(app.number("SELECT count(*) FROM activity_log WHERE action = 'second_factor_failed'") >= 10);

    // The lock lasts at most 15 minutes; then a recovery code signs in, once.
    app.clock.advance(chrono::Duration::minutes(16));
    let other = app.client();
    sign_in_to_code_step(&other, &login).await;
    let typed = codes[0].to_uppercase();
    let used = give_code(&other, &typed).await;
    assert_eq!(used.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&used), "/account/security", "shown how many are left");
    let page = other.page("/account/security").await;
    assert_eq!(page.text_of("#codes-left"), "9 unused recovery codes left.");
    other.post("/sign-out", &[]).await;
    sign_in_to_code_step(&other, &login).await;
    assert_eq!(
        give_code(&other, &codes[0]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "each recovery code works once"
    );
    assert_eq!(give_code(&other, &codes[1]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.number("SELECT count(*) FROM activity_log WHERE action = 'recovery_code_used'"),
        2
    );
    let logged = app.number(&format!(
        "SELECT count(*) FROM activity_log WHERE details::text LIKE '%{}%'",
        codes[1].replace('-', "")
    ));
    assert_eq!(logged, 0, "no code in the activity log");
}

#[tokio::test]
async fn a_global_admin_resets_another_members_factors_but_not_their_own() {
    let app = spawn_app().await;
    let admin = member(&app, Role::GlobalAdmin);
    let target = app.create_staff("Secure Partner", "mei@partner.example", Role::HelpdeskAgent, false);
    app.execute(&format!(
        "UPDATE partners SET second_factor_required = true WHERE id = {}",
        admin.partner_id
    ));
    let theirs = app.client();
    theirs.sign_in(&target.email, &target.password).await;
    enrol(&app, &theirs).await;
    assert_eq!(theirs.get("/dashboard").await.status(), StatusCode::OK);

    let client = app.client();
    client.sign_in(&admin.email, &admin.password).await;
    enrol(&app, &client).await;
    let own = client.post(&format!("/staff/{}/reset-factors", admin.id), &[]).await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let confirm = client.page(&format!("/staff/{}/reset-factors", target.id)).await;
    assert_eq!(
        confirm.text_of("main h1"),
        "Reset the two-step verification of mei@partner.example"
    );
    let reset = client.post(&format!("/staff/{}/reset-factors", target.id), &[]).await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff_factors WHERE staff_id = {}",
            target.id
        )),
        0
    );
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff_recovery_codes WHERE staff_id = {}",
            target.id
        )),
        0
    );
    assert_eq!(
        location(&theirs.get("/dashboard").await).split('?').next(),
        Some("/sign-in"),
        "signed out everywhere"
    );
    assert_eq!(
        app.number("SELECT count(*) FROM activity_log WHERE action = 'second_factors_reset'"),
        1
    );
    // Their next sign-in asks for a new app, not a code.
    let response = theirs.sign_in(&target.email, &target.password).await;
    assert_eq!(location(&response), "/dashboard");
    assert_eq!(location(&theirs.get("/dashboard").await), "/account/security");
}

#[tokio::test]
async fn the_demo_partner_and_partners_that_do_not_require_it_sign_in_with_the_password() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    assert_eq!(client.get("/dashboard").await.status(), StatusCode::OK);
    let page = client.page("/account/security").await;
    assert!(page.has("#no-apps"));
    assert!(!page.has("#enrol-required"));
    let zh = {
        client.post("/language", &[("lang", "zh-TW")]).await;
        client.page("/account/security").await
    };
    assert_eq!(zh.text_of("main h1"), "兩步驟驗證");
}

#[tokio::test]
async fn the_last_factor_stays_while_the_partner_requires_one_and_passkeys_need_a_host_name() {
    let app = spawn_app().await;
    let login = member(&app, Role::AdminAgent);
    let client = app.client();
    client.sign_in(&login.email, &login.password).await;
    enrol(&app, &client).await;
    let factor = app.number(&format!("SELECT id FROM staff_factors WHERE staff_id = {}", login.id));
    let refused = client
        .post_page(&format!("/account/security/app/{factor}/remove"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text_of("#security-error")
        .contains("add another authenticator app"));
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM staff_factors WHERE staff_id = {}",
            login.id
        )),
        1
    );
    // Another member's factor is not theirs to remove.
    let other = app.create_staff("Other Partner", "x@other.example", Role::AdminAgent, false);
    app.execute(&format!(
        "INSERT INTO staff_factors (staff_id, kind, secret) VALUES ({}, 'totp', '\\x00')",
        other.id
    ));
    let theirs = app.number(&format!("SELECT id FROM staff_factors WHERE staff_id = {}", other.id));
    app.execute(&format!(
        "UPDATE partners SET second_factor_required = false WHERE id = {}",
        login.partner_id
    ));
    let foreign = client
        .post(&format!("/account/security/app/{theirs}/remove"), &[])
        .await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);

    let on_an_ip = crate::common::spawn_app_with(|s| s.public_url = "http://127.0.0.1:8080".into()).await;
    let (client, _) = on_an_ip.signed_in(Role::AdminAgent).await;
    let page = client.page("/account/security/passkey").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text_of("#security-error").contains("not an IP address"));
}

#[tokio::test]
async fn a_global_admin_turns_the_partners_requirement_on_and_members_without_a_factor_enrol() {
    let app = spawn_app().await;
    let (admin, login) = app.signed_in(Role::GlobalAdmin).await;
    let (agent, _) = app.signed_in(Role::AdminAgent).await;
    assert_eq!(
        agent.get("/customers").await.status(),
        StatusCode::OK,
        "off: the password is enough"
    );
    let page = admin.page("/staff").await;
    assert_eq!(
        page.text_of("label[for=second_factor_required]"),
        "Every staff member signs in with a second factor"
    );
    assert!(!page.has("#second_factor_required[checked]"));
    let forbidden = agent.post("/staff/second-factor", &[("required", "on")]).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN, "only a Global admin");

    let saved = admin.post("/staff/second-factor", &[("required", "on")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&agent.get("/customers").await),
        "/account/security",
        "members without a factor add one at their next request"
    );
    assert_eq!(location(&admin.get("/staff").await), "/account/security");
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE action = 'second_factor_requirement_changed' AND staff_id = {}",
            login.id
        )),
        1
    );
    enrol(&app, &admin).await;
    assert!(admin.page("/staff").await.has("#second_factor_required[checked]"));
    let off = admin.post("/staff/second-factor", &[]).await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(agent.get("/customers").await.status(), StatusCode::OK);
    let log = admin.page("/activity").await;
    assert!(
        log.text.contains("Made two-step verification optional"),
        "the log says which way"
    );
}

#[tokio::test]
async fn a_temporary_password_is_changed_first_then_the_factor_is_added() {
    let app = spawn_app().await;
    let login = app.create_staff("Secure Partner", "new@partner.example", Role::SalesAgent, true);
    app.execute(&format!(
        "UPDATE partners SET second_factor_required = true WHERE id = {}",
        login.partner_id
    ));
    let client = app.client();
    let response = client.sign_in(&login.email, &login.password).await;
    assert_eq!(location(&response), "/account/password");
    assert_eq!(
        location(&client.get("/account/security/app").await),
        "/account/password",
        "the password first"
    );
    let own = "a quiet harbour at dawn";
    let changed = client
        .post(
            "/account/password",
            &[
                ("current_password", &login.password),
                ("new_password", own),
                ("confirm_password", own),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&client.get("/dashboard").await),
        "/account/security",
        "then the factor"
    );
    assert_eq!(client.get("/account/security/app").await.status(), StatusCode::OK);
}
