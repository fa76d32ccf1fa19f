//! Passkeys in Chromium, with the WebAuthn virtual authenticator of WebDriver standing in for a
//! security key: added on the Two-step verification page, then used at sign-in, in English and
//! in Traditional Chinese. Passkeys need a host name, so the browser opens `localhost`.

use partnerdesk::auth::Role;

use crate::common::{self, TestApp};
use crate::harness::{Browser, Page};
use crate::sign_in;

fn passkeys_of(app: &TestApp, staff_id: i64) -> i64 {
    app.number(&format!(
        "SELECT count(*) FROM staff_factors WHERE staff_id = {staff_id} AND kind = 'passkey'"
    ))
}

async fn sign_in_with_passkey(page: &Page, email: &str, password: &str, button: &str) {
    page.goto("/sign-in").await;
    page.wait_for("#email").await;
    page.find("#email").await.send_keys(email).await.unwrap();
    page.find("#password").await.send_keys(password).await.unwrap();
    page.click("form[action='/sign-in'] button[type='submit']").await;
    page.wait_for("#passkey-form button:not([disabled])").await;
    assert!(page.path().await.starts_with("/sign-in/verify"));
    page.click_button(button).await;
    page.wait_for("nav.main-nav").await;
}

#[tokio::test]
async fn a_passkey_is_added_and_signs_in_in_both_languages() {
    let app = common::spawn_app().await;
    let member = app.create_staff("Test Partner", "lin@test-partner.example", Role::AdminAgent, false);
    let (app, member) = (&app, &member);
    let browser = Browser::start(&app.address.replace("127.0.0.1", "localhost")).await;
    browser
        .run(|page| async move {
            page.add_virtual_authenticator().await;
            sign_in(&page, &member.email, &member.password).await;
            page.goto("/account").await;
            page.click("#security-link").await;
            page.wait_for("#add-passkey").await;
            page.click("#add-passkey").await;
            page.wait_for("#passkey-form button:not([disabled])").await;
            assert_eq!(page.text("main h1").await, "Add a passkey or security key");
            page.click_button("Add a passkey or security key").await;
            page.wait_for("#recovery-codes, .passkey-problem:not([hidden])").await;
            assert!(
                page.texts(".passkey-problem:not([hidden])").await.is_empty(),
                "the browser refused: {:?}",
                page.attr(".passkey-problem", "data-reason").await
            );
            assert_eq!(page.texts("#recovery-codes li").await.len(), 10, "the first factor's codes");
            assert_eq!(passkeys_of(app, member.id), 1);
            page.click_link("I have kept them").await;
            page.wait_for("#apps").await;
            assert_eq!(page.text("#apps tbody td").await, "Passkey or security key");

            // Signing in again: the password, then the passkey.
            page.click("form[action='/sign-out'] button").await;
            page.wait_for("#email").await;
            sign_in_with_passkey(&page, &member.email, &member.password, "Use a passkey").await;
            assert_eq!(page.path().await, "/dashboard");
            assert_eq!(
                app.number(&format!(
                    "SELECT count(*) FROM staff_sessions WHERE staff_id = {} AND state->'amr' = '[\"pwd\",\"hwk\"]'::jsonb",
                    member.id
                )),
                1
            );

            // The same in Traditional Chinese.
            page.click_button("繁體中文").await;
            page.wait_for("html[lang='zh-TW']").await;
            page.click("form[action='/sign-out'] button").await;
            page.wait_for("#email").await;
            sign_in_with_passkey(&page, &member.email, &member.password, "使用通行金鑰").await;
            assert_eq!(page.path().await, "/dashboard");
            assert_eq!(page.attr("html", "lang").await.as_deref(), Some("zh-TW"));
        })
        .await;
}

#[tokio::test]
async fn an_authenticator_app_is_added_and_asked_for_on_a_phone_sized_window() {
    let app = common::spawn_app().await;
    let member = app.create_staff("Test Partner", "wu@test-partner.example", Role::SalesAgent, false);
    app.execute(&format!(
        "UPDATE partners SET second_factor_required = true WHERE id = {}",
        member.partner_id
    ));
    let (app, member) = (&app, &member);
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            page.resize(390, 844).await;
            page.goto("/sign-in").await;
            page.fill("Email", &member.email).await;
            page.fill("Password", &member.password).await;
            page.click_button("Sign in").await;
            page.wait_for("#enrol-required").await;
            assert_eq!(page.path().await, "/account/security", "enrolment first");
            assert!(
                !page.overflows_sideways().await,
                "the Two-step verification page fits 390 px"
            );
            page.click_link("Add an authenticator app").await;
            page.wait_for("#qr svg").await;
            assert!(!page.overflows_sideways().await, "the QR code page fits 390 px");
            let shown = page.text("#secret").await.replace(' ', "");
            let secret = totp_rs::Secret::Encoded(shown).to_bytes().unwrap();
            let step = app.clock.now().timestamp() as u64 / partnerdesk::domain::second_factor::STEP_SECONDS;
            let code = partnerdesk::domain::second_factor::code_at(&secret, step);
            page.fill("Code", &code).await;
            page.click_button("Add").await;
            page.wait_for("#recovery-codes").await;
            assert_eq!(page.texts("#recovery-codes li").await.len(), 10);
            page.click_link("I have kept them").await;
            page.wait_for("#apps").await;

            // On a phone, Sign out is in the header's menu.
            page.click(".phone-menu summary").await;
            page.click(".phone-menu form[action='/sign-out'] button").await;
            page.wait_for("#email").await;
            page.fill("Email", &member.email).await;
            page.fill("Password", &member.password).await;
            page.click_button("Sign in").await;
            page.wait_for("#code").await;
            assert!(!page.overflows_sideways().await, "the code step fits 390 px");
            page.fill("Code", &partnerdesk::domain::second_factor::code_at(&secret, step + 1))
                .await;
            page.click_button("Verify").await;
            page.wait_for("nav.main-nav").await;
            assert_eq!(page.path().await, "/dashboard");
        })
        .await;
}
