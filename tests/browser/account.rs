//! Sessions in the browser: the Account page reached from the signed-in name lists where the
//! member is signed in, and "Sign out everywhere" ends the other browser's session too; a
//! Global admin removing a staff member signs them out at once.

use partnerdesk::auth::Role;

use crate::common::{self, TestApp};
use crate::harness::{Browser, Page};
use crate::sign_in;

fn sessions_of(app: &TestApp, staff_id: i64) -> i64 {
    app.number(&format!(
        "SELECT count(*) FROM staff_sessions WHERE staff_id = {staff_id}"
    ))
}

/// Opens a page that needs a session and tells whether the browser was sent to sign in.
async fn is_signed_out(page: &Page) -> bool {
    page.goto("/customers").await;
    page.wait_for("main").await;
    page.path().await.starts_with("/sign-in") && page.texts("nav.main-nav").await.is_empty()
}

#[tokio::test]
async fn the_account_page_lists_both_browsers_and_sign_out_everywhere_ends_both() {
    let app = common::spawn_app().await;
    let member = app.create_staff("Test Partner", "anna@test-partner.example", Role::AdminAgent, false);
    let (app, member) = (&app, &member);
    let other = Browser::start(&app.address).await;
    other
        .run(|other| async move {
            sign_in(&other, &member.email, &member.password).await;
            let browser = Browser::start(&app.address).await;
            browser
                .run(|page| async move {
                    sign_in(&page, &member.email, &member.password).await;
                    assert_eq!(sessions_of(app, member.id), 2);

                    // The signed-in name in the header leads to the Account page.
                    page.click(".who-name").await;
                    page.wait_for("#sessions").await;
                    assert_eq!(page.path().await, "/account");
                    assert_eq!(page.text("main h1").await, "Account");
                    assert_eq!(page.text("#sessions-heading").await, "Where you are signed in");
                    assert_eq!(page.texts("#sessions tbody tr").await.len(), 2, "one row a browser");
                    assert_eq!(
                        page.texts("#sessions tr.this-browser").await.len(),
                        1,
                        "this browser is marked once"
                    );
                    assert!(page.text("#sessions tr.this-browser").await.contains("This browser"));

                    page.click_button("Sign out everywhere").await;
                    page.wait_for("#email").await;
                    assert_eq!(page.path().await, "/sign-in", "this browser is signed out too");
                    assert!(is_signed_out(&page).await);
                })
                .await;
            assert!(is_signed_out(&other).await, "the other browser is signed out");
            assert_eq!(sessions_of(app, member.id), 0);
        })
        .await;
}

#[tokio::test]
async fn a_removed_staff_member_is_signed_out_at_once_and_cannot_sign_in_again() {
    let app = common::spawn_app().await;
    let admin = app.create_staff("Test Partner", "admin@test-partner.example", Role::GlobalAdmin, false);
    let member = app.create_staff("Test Partner", "sam@test-partner.example", Role::SalesAgent, false);
    let (app, admin, member) = (&app, &admin, &member);
    let members_browser = Browser::start(&app.address).await;
    members_browser
        .run(|theirs| async move {
            sign_in(&theirs, &member.email, &member.password).await;
            let browser = Browser::start(&app.address).await;
            browser
                .run(|page| async move {
                    sign_in(&page, &admin.email, &admin.password).await;
                    page.click_link("Staff").await;
                    page.wait_for("#staff").await;
                    assert!(
                        page.texts(&format!("a[href='/staff/{}/remove']", admin.id))
                            .await
                            .is_empty(),
                        "nobody removes themselves"
                    );
                    page.click(&format!("a[href='/staff/{}/remove']", member.id)).await;
                    page.wait_for("#remove-explained").await;
                    assert_eq!(page.text("main h1").await, format!("Remove {}", member.email));

                    // Cancel keeps them.
                    page.click_link("Cancel").await;
                    page.wait_for("#staff").await;
                    assert!(page.texts("#staff td.email").await.contains(&member.email));

                    page.click(&format!("a[href='/staff/{}/remove']", member.id)).await;
                    page.wait_for("#remove-explained").await;
                    page.click_button("Remove").await;
                    page.wait_for("#staff").await;
                    assert_eq!(page.path().await, "/staff");
                    assert_eq!(page.texts("#staff td.email").await, [admin.email.as_str()]);
                })
                .await;

            assert!(
                is_signed_out(&theirs).await,
                "their open session ended with the removal"
            );
            theirs.fill("Email", &member.email).await;
            theirs.fill("Password", &member.password).await;
            theirs.click_button("Sign in").await;
            theirs.wait_for("#sign-in-error").await;
            assert!(theirs.path().await.starts_with("/sign-in"));
            assert_eq!(sessions_of(app, member.id), 0);
        })
        .await;
}

#[tokio::test]
async fn a_refused_page_keeps_the_navigation_so_the_way_back_is_one_click() {
    let app = common::spawn_app().await;
    let member = app.create_staff("Test Partner", "sales@test-partner.example", Role::SalesAgent, false);
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &member.email, &member.password).await;
            page.goto("/staff").await;
            page.wait_for("nav.main-nav").await;
            assert_eq!(page.text(".who-name").await, member.email, "403 page: who is signed in");
            assert!(
                page.texts("nav.main-nav a[aria-current]").await.is_empty(),
                "no section is current on a page that was refused"
            );
            page.click_link("Customers").await;
            page.wait_for("main h1").await;
            assert_eq!(page.path().await, "/customers");
            assert_eq!(page.texts("nav.main-nav a[aria-current='page']").await, ["Customers"]);
            page.goto("/customers/424242/users").await;
            page.wait_for("nav.main-nav").await;
            assert_eq!(page.text(".who-name").await, member.email, "404 page too");
        })
        .await;
}
