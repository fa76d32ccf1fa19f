//! Browser tests: the real application in headless Chromium, used as staff use it — typing into
//! the fields, choosing from the lists and clicking the buttons. The pages have no JavaScript,
//! so what passes here is what a person gets with plain HTML forms.
//!
//! Needs Debian's chromium and chromium-driver; `scripts/test` installs them.

mod account;
#[path = "../common/mod.rs"]
mod common;
mod harness;
mod imports;
mod layout;
mod passkeys;
mod staff;
mod users;
mod wayfinding;

use harness::{Browser, Page};
use partnerdesk::auth::Role;

const CHINESE_COMPANY: &str = "青山數位設計有限公司";

/// Signs in through the form and waits for the signed-in page to show.
async fn sign_in(page: &Page, email: &str, password: &str) {
    page.goto("/sign-in").await;
    page.fill("Email", email).await;
    page.fill("Password", password).await;
    page.click_button("Sign in").await;
    page.wait_for("nav.main-nav").await;
}

#[tokio::test]
async fn staff_signs_in_adds_a_customer_and_buys_a_subscription() {
    let app = common::spawn_app().await;
    let admin = app.create_staff("Test Partner", "admin@test-partner.example", Role::GlobalAdmin, false);
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            assert_eq!(page.path().await, "/dashboard");

            page.click_link("Customers").await;
            page.wait_for("a[href='/customers/new']").await;
            page.click_link("Add customer").await;
            page.wait_for("#company_name").await;

            page.fill("Company name", CHINESE_COMPANY).await;
            page.fill("Domains", "qingshan.onmicrosoft.com\nqingshan.com.tw").await;
            page.choose("Default usage location", "Japan").await;
            page.click_button("Add customer").await;

            // A new customer opens on its Subscriptions tab.
            page.wait_for("#product_id").await;
            let path = page.path().await;
            let id = path
                .strip_prefix("/customers/")
                .and_then(|rest| rest.strip_suffix("/subscriptions"))
                .unwrap_or_else(|| panic!("after adding a customer the browser is on {path}"));
            assert!(id.parse::<i64>().is_ok(), "customer id in {path}");
            assert_eq!(page.text("nav.tabs a[aria-current='page']").await, "Subscriptions");
            assert_eq!(page.text("h1.customer-name").await, CHINESE_COMPANY);
            assert!(page.text("p.customer-meta").await.contains("qingshan.onmicrosoft.com"));
            assert!(page.text("p.customer-meta").await.contains("Japan"));
            assert_eq!(page.text("p.empty").await, "This customer has no subscriptions yet.");

            page.choose("Product", "Office 365 E3").await;
            assert_eq!(
                page.attr("#product_id option:checked", "data-sku").await.as_deref(),
                Some("ENTERPRISEPACK"),
                "the option labelled Office 365 E3 is ENTERPRISEPACK"
            );
            page.fill("Quantity", "25").await;
            page.click_button("Add subscription").await;

            let row = "#subscriptions tr[data-sku='ENTERPRISEPACK']";
            page.wait_for(row).await;
            assert_eq!(page.path().await, path, "back on the Subscriptions tab");
            assert_eq!(page.text(&format!("{row} td.product")).await, "Office 365 E3");
            assert_eq!(page.text(&format!("{row} td.quantity")).await, "25");
            assert_eq!(page.text(&format!("{row} td.assigned")).await, "0");
            assert_eq!(page.text(&format!("{row} td.available")).await, "25");
            assert_eq!(page.texts("#subscriptions tbody tr").await.len(), 1);

            // The Chinese name comes back intact from the form, the database and the template.
            assert_eq!(page.text("h1.customer-name").await, CHINESE_COMPANY);
            assert!(
                page.title().await.starts_with(CHINESE_COMPANY),
                "title: {}",
                page.title().await
            );
            // For a person to look at (fonts-noto-cjk draws the Chinese).
            let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
            std::fs::create_dir_all(&shots).unwrap();
            page.screenshot(&shots.join("customer-subscriptions.png")).await;

            // And the customer is listed under its name.
            page.click_link("Customers").await;
            page.wait_for("#customers").await;
            assert_eq!(
                page.texts("#customers tbody td:first-child").await,
                vec![CHINESE_COMPANY]
            );
        })
        .await;
}

#[tokio::test]
async fn language_switcher_changes_the_words_and_is_remembered() {
    let app = common::spawn_app().await;
    let admin = app.create_staff("Test Partner", "admin@test-partner.example", Role::GlobalAdmin, false);
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            assert_eq!(page.attr("html", "lang").await.as_deref(), Some("en"));
            assert!(page.texts("nav.main-nav a").await.contains(&"Customers".to_string()));

            page.click_button("繁體中文").await;
            page.wait_for("html[lang='zh-TW']").await;
            assert_eq!(
                page.path().await,
                "/dashboard",
                "the switcher comes back to the same page"
            );
            assert_nav_in_chinese(&page).await;
            assert_eq!(
                page.attr("button[lang='zh-TW']", "aria-current").await.as_deref(),
                Some("true")
            );

            page.reload().await;
            page.wait_for("html[lang='zh-TW']").await;
            assert_nav_in_chinese(&page).await;

            // Another page too: the choice belongs to the browser, not to one page.
            page.click_link("客戶").await;
            page.wait_for("a[href='/customers/new']").await;
            assert_eq!(page.text("main h1").await, "客戶");
            assert_eq!(page.text("a[href='/customers/new']").await, "新增客戶");
        })
        .await;
}

async fn assert_nav_in_chinese(page: &Page) {
    let nav = page.texts("nav.main-nav a").await;
    assert!(nav.contains(&"客戶".to_string()), "navigation reads {nav:?}");
    assert!(!nav.contains(&"Customers".to_string()), "navigation reads {nav:?}");
}
