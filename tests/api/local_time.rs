//! Issue 12, item 9: every date and time is shown in the partner's time zone, or the staff
//! member's own, with its offset; the activity log's date filter means local days; and the
//! zone is set with create-staff, on the Staff page (Global admins) and on the Account page.

use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app, user_id, Client, TestApp};

/// A Global admin of "Test Partner" with Contoso and one user created at 18:21 UTC on
/// December 3, which is 02:21 on December 4 in Taipei.
async fn across_the_date_line(app: &TestApp) -> (Client, i64, i64) {
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    app.execute(&format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash, created_at, updated_at)
         VALUES ({id}, '陳美玲', 'meiling@contoso.com', 'TW', 'x', '2026-12-03 18:21:00+00', '2026-12-03 18:21:00+00')"
    ));
    (client, id, user_id(app, "meiling@contoso.com"))
}

fn set_partner_zone(app: &TestApp, zone: &str) {
    app.execute(&format!(
        "UPDATE partners SET time_zone = '{zone}' WHERE name = 'Test Partner'"
    ));
}

#[tokio::test]
async fn times_are_shown_in_the_partners_zone_with_its_offset_across_a_date_line() {
    let app = spawn_app().await;
    let (client, id, user) = across_the_date_line(&app).await;
    let page = format!("/customers/{id}/users/{user}");
    // Until a zone is chosen: UTC, said as such.
    assert!(client.page(&page).await.text.contains("Dec 3, 2026 18:21 UTC"));

    set_partner_zone(&app, "Asia/Taipei");
    let shown = client.page(&page).await;
    assert!(
        shown.text.contains("Dec 4, 2026 02:21 UTC+8"),
        "{}",
        shown.text_of(".facts")
    );
    let list = client.page(&format!("/customers/{id}/users")).await;
    assert_eq!(list.text_of("#users tbody tr td:last-child"), "Dec 4, 2026");
    client
        .post("/language", &[("lang", "zh-TW"), ("next", "/dashboard")])
        .await;
    assert!(client.page(&page).await.text.contains("2026年12月4日 02:21 UTC+8"));
}

#[tokio::test]
async fn a_members_own_zone_wins_and_can_go_back_to_the_partners() {
    let app = spawn_app().await;
    let (client, id, user) = across_the_date_line(&app).await;
    set_partner_zone(&app, "Asia/Taipei");
    let account = client.page("/account").await;
    assert_eq!(account.text_of("label[for=time_zone]"), "Time zone");
    assert_eq!(
        account.text_of("#time_zone option[selected]"),
        "Your partner's time zone (Asia/Taipei)"
    );

    let chosen = client
        .post("/account/time-zone", &[("time_zone", "America/Sao_Paulo")])
        .await;
    assert_eq!(location(&chosen), "/account");
    let account = client.page("/account").await;
    assert_eq!(
        account.text_of("#flash"),
        "Dates and times are now shown in America/Sao_Paulo (UTC-3)."
    );
    assert_eq!(account.text_of("#time_zone option[selected]"), "America/Sao_Paulo");
    let page = format!("/customers/{id}/users/{user}");
    assert!(client.page(&page).await.text.contains("Dec 3, 2026 15:21 UTC-3"));

    client.post("/account/time-zone", &[("time_zone", "")]).await;
    assert!(client.page(&page).await.text.contains("Dec 4, 2026 02:21 UTC+8"));

    let refused = client
        .post_page("/account/time-zone", &[("time_zone", "Mars/Olympus")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("#time_zone[aria-invalid=true]"));
    assert_eq!(
        refused.text_of("#time_zone-error"),
        "\"Mars/Olympus\" is not a time zone in the list. Choose one, such as Asia/Taipei."
    );
    let stored: i64 = app.number("SELECT count(*) FROM staff WHERE time_zone IS NOT NULL");
    assert_eq!(stored, 0, "nothing written for a refused zone");
}

#[tokio::test]
async fn global_admins_set_the_partners_zone_on_the_staff_page() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let set = admin.post("/staff/time-zone", &[("time_zone", "Asia/Taipei")]).await;
    assert_eq!(location(&set), "/staff");
    let staff = admin.page("/staff").await;
    assert_eq!(
        staff.text_of("#flash"),
        "Dates and times are now shown in Asia/Taipei (UTC+8)."
    );
    assert_eq!(staff.text_of("#partner_time_zone option[selected]"), "Asia/Taipei");
    assert_eq!(
        app.number("SELECT count(*) FROM partners WHERE name = 'Test Partner' AND time_zone = 'Asia/Taipei'"),
        1
    );
    let log = admin.page("/activity").await;
    assert!(log
        .text_of("main")
        .contains("Set the partner's time zone to Asia/Taipei"));

    let refused = admin
        .post_page("/staff/time-zone", &[("time_zone", "US/Eastern")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("#partner_time_zone-error"));

    let (agent, _) = app.signed_in(Role::AdminAgent).await;
    let forbidden = agent.post("/staff/time-zone", &[("time_zone", "Europe/London")]).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_activity_dates_are_local_days() {
    let app = spawn_app().await;
    let (client, _, _) = across_the_date_line(&app).await;
    set_partner_zone(&app, "Asia/Taipei");
    let partner: i64 = app.number("SELECT id FROM partners WHERE name = 'Test Partner'");
    // 23:00 on December 3 and 01:00 on December 4, Taipei time.
    for (at, domain) in [
        ("2026-12-03 15:00:00+00", "late.example"),
        ("2026-12-03 17:00:00+00", "early.example"),
    ] {
        app.execute(&format!(
            "INSERT INTO activity_log (partner_id, action, outcome, details, created_at)
             VALUES ({partner}, 'domain_added', 'success', '{{\"domain\": \"{domain}\"}}', '{at}')"
        ));
    }
    let day = client
        .page("/activity?action=domain_added&from=2026-12-04&until=2026-12-04")
        .await;
    assert!(day.text.contains("Added domain early.example"), "{}", day.text);
    assert!(!day.text.contains("late.example"));
    assert!(day.text.contains("Dec 4, 2026 01:00 UTC+8"));
    let before = client
        .page("/activity?action=domain_added&from=2026-12-03&until=2026-12-03")
        .await;
    assert!(before.text.contains("late.example") && !before.text.contains("early.example"));
}

#[tokio::test]
async fn the_credentials_page_says_how_long_is_left() {
    let app = spawn_app().await;
    let (client, id, user) = across_the_date_line(&app).await;
    let response = client
        .post(
            &format!("/customers/{id}/users/reset-password"),
            &[("ids", &user.to_string())],
        )
        .await;
    let page = client.page(&location(&response)).await;
    let hint = page.text_of("#credentials .hint");
    assert!(hint.contains("(expires in 60 minutes)"), "{hint}");
}
