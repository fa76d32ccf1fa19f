//! Issue 12 in the browser: the selection is what is ticked even without JavaScript, and the
//! list is where you left it after every action and back link, named in both languages, and
//! changes of seats are confirmed with the new total and announced when done.

use crate::common::{self, insert_users, user_id};
use crate::harness::Browser;
use crate::sign_in;
use crate::users::{contoso, global_admin_and_helper};

#[tokio::test]
async fn without_script_the_ticked_rows_win_and_all_that_match_is_explicit() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    insert_users(&app, customer, "contoso.com", 30);
    let browser = Browser::start_without_script(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users")).await;
            page.wait_for("#users").await;
            // No script: the buttons cannot wait for a selection, and the bar stays hidden.
            assert!(page.attr("button[value=reset]", "disabled").await.is_none());
            assert!(!page.is_displayed("#all-selected").await);

            // Nothing ticked: an error, shown as one.
            page.click_button("Reset password").await;
            page.wait_for("#notice").await;
            assert_eq!(page.attr("#notice", "role").await.as_deref(), Some("alert"));
            assert_eq!(page.text("#notice").await, "Select at least one user first.");

            // The page's box and two rows arrive together: the two rows are the selection.
            page.tick("#page_all").await;
            page.tick("#users tbody tr:nth-child(2) input[name=user_id]").await;
            page.tick("#users tbody tr:nth-child(3) input[name=user_id]").await;
            page.click_button("Reset password").await;
            page.wait_for("#confirm-list").await;
            assert_eq!(page.texts("#confirm-list li").await.len(), 2);
            assert!(page.text("main").await.contains("these 2 users"));

            // The page's box alone: the page's 25 rows.
            page.click("#cancel").await;
            page.wait_for("#users").await;
            page.tick("#page_all").await;
            page.click_button("Reset password").await;
            page.wait_for("#confirm-list").await;
            assert!(page.text("main").await.contains("these 25 users"));

            // "Select all 30 users that match" wins over both, and the confirmation says so.
            page.click("#cancel").await;
            page.wait_for("#users").await;
            page.tick("#users tbody tr:nth-child(1) input[name=user_id]").await;
            page.tick("#all_matching").await;
            page.click_button("Delete user account").await;
            page.wait_for("#all-matching").await;
            assert_eq!(page.texts("#confirm-list li").await.len(), 30);
            assert!(page.text("#all-matching").await.contains("all 30 users that match"));
        })
        .await;
}

#[tokio::test]
async fn the_list_is_where_you_left_it_after_a_user_a_cancel_and_a_delete() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    insert_users(&app, customer, "contoso.com", 60);
    let bulk = user_id(&app, "bulk30@contoso.com");
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users")).await;
            page.fill("Search users", "Bulk").await;
            page.click_button("Apply filter").await;
            page.wait_for_text(".pager-range", "1–25 of 60").await;
            page.click_link("Next").await;
            page.wait_for_text(".pager-range", "26–50 of 60").await;
            let place = page.path().await;

            // A user's page, and its named way back.
            page.click(&format!("tr[data-user-id='{bulk}'] td.display-name a"))
                .await;
            page.wait_for("h1").await;
            assert_eq!(page.text(".back-link").await, "Back to users (Bulk · page 2)");
            page.click(".back-link").await;
            page.wait_for_text(".pager-range", "26–50 of 60").await;
            assert_eq!(page.path().await, place);
            assert_eq!(page.value("#q").await, "Bulk");

            // Delete, then Cancel: the same page.
            page.tick(&format!("#user-{bulk}")).await;
            page.click_button("Delete user account").await;
            page.wait_for("#confirm-list").await;
            page.click_link("Cancel").await;
            page.wait_for_text(".pager-range", "26–50 of 60").await;
            assert_eq!(page.path().await, place);

            // Delete for real: back on page 2 of the search, with the news.
            page.tick(&format!("#user-{bulk}")).await;
            page.click_button("Delete user account").await;
            page.wait_for("#confirm-list").await;
            page.click("form.actions button.danger").await;
            page.wait_for("#notice").await;
            assert_eq!(page.text(".pager-range").await, "26–50 of 59");
            assert!(page.text("#notice").await.starts_with("1 user deleted."));
            assert_eq!(page.attr("#notice", "role").await.as_deref(), Some("status"));

            // In Chinese, the way back is named with full-width brackets.
            page.click("#users tbody tr:nth-child(1) td.display-name a").await;
            page.wait_for(".back-link").await;
            page.click_button("繁體中文").await;
            page.wait_for_text(".back-link", "回到使用者（Bulk · 第 2 頁）").await;
        })
        .await;
}

#[tokio::test]
async fn add_seats_and_change_quantity_confirm_the_new_total_and_say_what_happened() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    helper.buy(customer, "ENTERPRISEPACK", 20).await;
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/subscriptions")).await;
            page.fill("Seats to add · Office 365 E3", "5").await;
            page.click_button("Add seats").await;
            page.wait_for("#seats-confirm").await;
            assert_eq!(page.text("#seats-total").await, "25");
            page.click_button("Add 5 seats").await;
            page.wait_for("#flash").await;
            assert_eq!(page.text("#flash").await, "Seats added: 5 × Office 365 E3 (now 25).");
            assert_eq!(page.attr("#flash", "role").await.as_deref(), Some("status"));
            assert_eq!(page.text("tr[data-sku=ENTERPRISEPACK] td.quantity").await, "25");

            // Lowering asks too; Cancel leaves what the customer pays for alone.
            page.fill("New total · Office 365 E3", "22").await;
            page.click_button("Change quantity").await;
            page.wait_for("#seats-confirm").await;
            assert!(page.text("#seats-question").await.contains("from 25 to 22?"));
            page.click_link("Cancel").await;
            page.wait_for("#subscriptions").await;
            assert_eq!(page.text("tr[data-sku=ENTERPRISEPACK] td.quantity").await, "25");
            assert!(page.texts("#flash").await.is_empty(), "the banner showed once");
        })
        .await;
}

#[tokio::test]
async fn the_activity_log_and_dashboard_speak_chinese_with_no_codes_left() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    helper.buy(customer, "ENTERPRISEPACK", 5).await;
    let e3 = common::subscription_id(&app, customer, "ENTERPRISEPACK");
    insert_users(&app, customer, "contoso.com", 1);
    let user = user_id(&app, "bulk1@contoso.com").to_string();
    let choice = format!("choice-{e3}");
    helper
        .post(
            &format!("/customers/{customer}/licenses"),
            &[("ids", &user), (&choice, "assign"), ("op", "save")],
        )
        .await;
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.click_button("繁體中文").await;
            page.wait_for("html[lang=zh-TW]").await;
            for path in ["/activity", "/dashboard"] {
                page.goto(path).await;
                let text = page.text("main").await;
                assert!(
                    text.contains("變更 1 位使用者的授權：指派 Office 365 E3"),
                    "{path}: {text}"
                );
                assert!(!text.contains("assign"), "{path}: {text}");
            }
        })
        .await;
}

#[tokio::test]
async fn a_member_chooses_a_time_zone_on_the_account_page_and_every_time_follows() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    app.execute(&format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash, created_at, updated_at)
         VALUES ({customer}, '陳美玲', 'meiling@contoso.com', 'TW', 'x', '2026-12-03 18:21:00+00', '2026-12-03 18:21:00+00')"
    ));
    let user = user_id(&app, "meiling@contoso.com");
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            // The Account page is one click on the signed-in name.
            page.click(".who-name").await;
            page.wait_for("#time-zone-setting").await;
            page.choose("Time zone", "Asia/Taipei").await;
            page.click("#time-zone-setting button").await;
            page.wait_for("#flash").await;
            assert_eq!(
                page.text("#flash").await,
                "Dates and times are now shown in Asia/Taipei (UTC+8)."
            );
            page.goto(&format!("/customers/{customer}/users/{user}")).await;
            let facts = page.text(".facts").await;
            assert!(facts.contains("Dec 4, 2026 02:21 UTC+8"), "{facts}");
            page.goto(&format!("/customers/{customer}/users")).await;
            assert_eq!(page.text("#users tbody tr td:last-child").await, "Dec 4, 2026");
        })
        .await;
}
