//! Issue 13: every page on a phone. At 390 px no page scrolls sideways, in either language:
//! the header's navigation is behind a menu that works without script, tables are stacked
//! cards, and long names and passwords wrap.

use crate::common::{self, fixture, insert_users, user_id};
use crate::harness::{Browser, Page};
use crate::sign_in;
use crate::users::{contoso_with_e3, global_admin_and_helper};

/// The pages that are wider than the window, of `paths`.
async fn too_wide(page: &Page, paths: &[String]) -> Vec<String> {
    let mut wide = Vec::new();
    for path in paths {
        page.goto(path).await;
        page.wait_for("main").await;
        if page.overflows_sideways().await {
            // Name the elements that reach past the window, for the failure message.
            let culprits = page
                .run_script_value(
                    "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('main *')]\
                     .filter(e => e.getBoundingClientRect().right > w + 1)\
                     .slice(-3).map(e => e.tagName + '.' + e.className + '#' + e.id).join(', ');",
                )
                .await;
            wide.push(format!("{path} ({culprits})"));
        }
    }
    wide
}

/// A partner with a customer of every kind of page: users (one with a long Chinese name and a
/// long hyphenated user name, one deleted), a subscription and an import report.
struct Tour {
    admin: common::StaffLogin,
    customer: i64,
    long: i64,
    job: String,
}

async fn arrange(app: &common::TestApp) -> Tour {
    let (admin, helper) = global_admin_and_helper(app).await;
    let (customer, _) = contoso_with_e3(app, &helper, 10).await;
    insert_users(app, customer, "contoso.com", 30);
    app.execute(&format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash)
         VALUES ({customer}, '歐陽陳美玲國際貿易股份有限公司採購部', 'a-very-long-user-name.with-many-parts-and-hyphens@contoso.onmicrosoft.com', 'TW', 'x')"
    ));
    let long = user_id(
        app,
        "a-very-long-user-name.with-many-parts-and-hyphens@contoso.onmicrosoft.com",
    );
    let bulk = user_id(app, "bulk1@contoso.com");
    helper
        .post(
            &format!("/customers/{customer}/users/delete"),
            &[("ids", &bulk.to_string())],
        )
        .await;
    let upload = helper
        .upload(customer, "big5.csv", fixture("big5-comma.csv"), "auto")
        .await;
    Tour {
        admin,
        customer,
        long,
        job: common::location(&upload),
    }
}

/// Signs in and makes a credentials page of the member's own (the long user's new password),
/// then gives every distinct page of the tour.
async fn tour_pages(page: &Page, tour: &Tour) -> Vec<String> {
    sign_in(page, &tour.admin.email, &tour.admin.password).await;
    let c = |p: &str| format!("/customers/{}{p}", tour.customer);
    page.goto(&c(&format!("/users/{}", tour.long))).await;
    page.click_button("Reset password").await;
    page.wait_for("#confirm-list").await;
    let confirm = page.path().await;
    page.click("form.actions button.primary").await;
    page.wait_for("#credential-list").await;
    let credentials = page.path().await;
    drop(confirm);
    vec![
        "/dashboard".into(),
        "/customers".into(),
        "/customers/new".into(),
        c("/users"),
        c("/users?q=%E6%AD%90%E9%99%BD"),
        c("/users/new"),
        c(&format!("/users/{}", tour.long)),
        c("/users/deleted"),
        c("/subscriptions"),
        c("/domains"),
        c("/import"),
        tour.job.clone(),
        "/activity".into(),
        "/staff".into(),
        "/account".into(),
        "/account/security".into(),
        "/account/password".into(),
        credentials.clone(),
        format!("{credentials}/print?layout=slips"),
        "/customers/999999/users".into(),
    ]
}

#[tokio::test]
async fn no_page_scrolls_sideways_at_390_px_in_either_language() {
    let app = common::spawn_app().await;
    let tour = arrange(&app).await;
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            page.resize(390, 844).await;
            let paths = tour_pages(&page, &tour).await;
            let wide = too_wide(&page, &paths).await;
            assert!(wide.is_empty(), "wider than 390 px in English: {wide:?}");
            page.click(".lang-switch button[value=zh-TW]").await;
            page.wait_for("html[lang=zh-TW]").await;
            let wide = too_wide(&page, &paths).await;
            assert!(wide.is_empty(), "wider than 390 px in Chinese: {wide:?}");

            // The menu opens without script and leads on.
            page.goto("/dashboard").await;
            assert!(!page.is_displayed(".main-nav").await);
            page.click(".phone-menu summary").await;
            page.click(".phone-menu a[href='/customers']").await;
            page.wait_for("#customers").await;
            // A table row reads as a card: each value with its column's name.
            page.goto(&format!("/customers/{}/users", tour.customer)).await;
            let label = page
                .run_script_value(
                    "return getComputedStyle(document.querySelector('#users td.user-name'), '::before').content;",
                )
                .await;
            assert_eq!(label, "\"使用者名稱\"");
        })
        .await;
}

/// Issue 13: axe-core (WCAG 2.1 A and AA) finds nothing on any page of the tour, in either
/// language, on a laptop and on a phone.
#[tokio::test]
async fn axe_finds_no_accessibility_violation_on_any_page_in_either_language_or_width() {
    let app = common::spawn_app().await;
    let tour = arrange(&app).await;
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            // The one page before signing in.
            page.goto("/sign-in").await;
            page.wait_for("main").await;
            let mut found: Vec<String> = page
                .axe_violations()
                .await
                .into_iter()
                .map(|v| format!("/sign-in: {v}"))
                .collect();
            let paths = tour_pages(&page, &tour).await;
            for lang in ["en", "zh-TW"] {
                page.goto("/dashboard").await;
                page.click(&format!(".lang-switch button[value={lang}]")).await;
                page.wait_for(&format!("html[lang={lang}]")).await;
                for (width, height) in [(1366, 768), (390, 844)] {
                    page.resize(width, height).await;
                    for path in &paths {
                        page.goto(path).await;
                        page.wait_for("main").await;
                        for violation in page.axe_violations().await {
                            found.push(format!("{lang} {width}px {path}: {violation}"));
                        }
                    }
                }
            }
            assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
        })
        .await;
}

#[tokio::test]
async fn every_user_of_a_long_sheet_prints_whole_as_a_list_and_as_slips() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = crate::users::contoso(&helper).await;
    insert_users(&app, customer, "contoso.com", 250);
    // One long, hyphenated user name among them: it must print whole.
    app.execute(&format!(
        "UPDATE customer_users SET user_name = 'mei-ling.chen-wang@contoso.com' WHERE customer_id = {customer} AND user_name = 'bulk7@contoso.com'"
    ));
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users")).await;
            page.tick("#all_matching").await;
            page.click_button("Reset password").await;
            page.wait_for("#confirm-list").await;
            page.click("form.actions button.primary").await;
            page.wait_for("#credential-list").await;
            let sheet = page.path().await;
            let sheet = sheet.split('?').next().unwrap().to_string();
            // The summary and the actions come before the list.
            assert!(page.text("#credential-actions").await.contains("Print slips"));
            assert_eq!(
                page.attr("#print-all", "href").await.as_deref(),
                Some(format!("{sheet}/print?print=now").as_str())
            );
            let mut shown = crate::users::credentials_on_screen(&page).await;
            page.goto(&format!("{sheet}?page=2")).await;
            page.wait_for("#credential-list").await;
            shown.extend(crate::users::credentials_on_screen(&page).await);
            assert_eq!(shown.len(), 250);

            let dir = tempfile::tempdir().unwrap();
            for layout in ["list", "slips"] {
                page.goto(&format!("{sheet}/print?layout={layout}")).await;
                page.wait_for("#print-meta").await;
                assert!(page.text("#print-meta").await.starts_with("Contoso · 250 users · "));
                let pdf = dir.path().join(format!("{layout}.pdf"));
                std::fs::write(&pdf, page.print_pdf(21.0, 29.7).await).unwrap();
                let text = crate::users::pdf_text(&pdf);
                assert!(
                    text.contains("Contoso · 250 users"),
                    "{layout}: the customer and count are printed"
                );
                for c in &shown {
                    assert!(
                        text.contains(&c.user_name),
                        "{layout}: {} is not printed whole",
                        c.user_name
                    );
                    let password = match layout {
                        "slips" => partnerdesk::services::credentials::in_groups_of_four(&c.password),
                        _ => c.password.clone(),
                    };
                    assert!(
                        text.contains(&password),
                        "{layout}: {}'s password {password} is missing",
                        c.user_name
                    );
                }
                assert!(
                    !text.contains("Dashboard") && !text.contains("Print slips"),
                    "{layout}: only the sheet prints"
                );
            }
        })
        .await;
}

#[tokio::test]
async fn a_257_character_value_in_the_import_report_wraps_instead_of_widening_the_page() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = crate::users::contoso(&helper).await;
    let long = "長".repeat(40) + &"x".repeat(217);
    let file = format!(
        "First name,Last name,Display name,User name,Usage location,Status update\r\nA,B,{long},a@contoso.onmicrosoft.com,TW,\r\n"
    );
    let upload = helper.upload(customer, "long.csv", file.into_bytes(), "auto").await;
    let job = common::location(&upload);
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            for (width, height) in [(1366, 768), (390, 844)] {
                page.resize(width, height).await;
                page.goto(&job).await;
                page.wait_for("#problems").await;
                assert!(!page.overflows_sideways().await, "the report fits {width} px");
            }
        })
        .await;
}

#[tokio::test]
async fn at_1366_px_a_user_row_is_one_line_and_two_tabs_reach_the_list() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let (customer, e3) = contoso_with_e3(&app, &helper, 10).await;
    helper.buy(customer, "VISIOCLIENT", 5).await;
    let visio = common::subscription_id(&app, customer, "VISIOCLIENT");
    app.execute(&format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash)
         VALUES ({customer}, 'Mei-Ling Chen-Wang', 'mei-ling.chen-wang@contoso.onmicrosoft.com', 'TW', 'x'),
                ({customer}, 'Bo', 'bo@contoso.com', 'TW', 'x')"
    ));
    let mei = user_id(&app, "mei-ling.chen-wang@contoso.onmicrosoft.com");
    app.execute(&format!(
        "INSERT INTO licenses (customer_id, user_id, subscription_id) VALUES ({customer}, {mei}, {e3}), ({customer}, {mei}, {visio})"
    ));
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            page.resize(1366, 768).await;
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users")).await;
            page.wait_for("#users").await;
            let heights = page
                .run_script_value(
                    "return [...document.querySelectorAll('#users tbody tr')].map(r => r.getBoundingClientRect().height).join(',');",
                )
                .await;
            let heights: Vec<f64> = heights.split(',').map(|h| h.parse().unwrap()).collect();
            assert!((heights[0] - heights[1]).abs() < 1.0, "rows of one line each: {heights:?}");
            assert_eq!(page.text(&format!("tr[data-user-id='{mei}'] td.licenses")).await, "Office 365 E3, Visio Plan 2");
            // The second stop of the Tab key skips the header, the filters and the actions.
            let second = page
                .run_script_value("return [...document.querySelectorAll('a[href], button, input, select')][1].getAttribute('href');")
                .await;
            assert_eq!(second, "#users");
        })
        .await;
}

/// Issue 13: without script no Print button that does nothing is shown; the print view is a
/// plain link that works anyway.
#[tokio::test]
async fn without_script_the_credentials_page_offers_only_what_works() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = crate::users::contoso(&helper).await;
    insert_users(&app, customer, "contoso.com", 1);
    let user = user_id(&app, "bulk1@contoso.com");
    let browser = Browser::start_without_script(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users/{user}")).await;
            page.click_button("Reset password").await;
            page.wait_for("#confirm-list").await;
            page.click("form.actions button.primary").await;
            page.wait_for("#credential-list").await;
            assert!(!page.is_displayed("#print-button").await, "no dead Print button");
            assert!(!page.is_displayed("button.copy").await, "no dead Copy button");
            assert!(page.text("#credential-actions").await.contains("Ctrl+P"));
            page.click_link("Print slips").await;
            page.wait_for("#slips").await;
            assert_eq!(page.texts("#slips li").await.len(), 1);
        })
        .await;
}
