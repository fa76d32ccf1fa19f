//! The Users and licenses screen in the browser: adding users (and adding another), the
//! credentials page and its printout, deleting and restoring, and managing licenses for a
//! selection of users.

use partnerdesk::auth::Role;

use crate::common;
use crate::harness::{Browser, Page};
use crate::sign_in;

/// The rows of the credentials page on screen: display name, user name, temporary password.
async fn credentials_on_screen(page: &Page) -> Vec<common::Shown> {
    let display_names = page.texts("#credential-list tbody td.display-name").await;
    let user_names = page.texts("#credential-list tbody td.user-name").await;
    let passwords = page.texts("#credential-list tbody td.password").await;
    assert_eq!(display_names.len(), user_names.len());
    assert_eq!(display_names.len(), passwords.len());
    display_names
        .into_iter()
        .zip(user_names)
        .zip(passwords)
        .map(|((display_name, user_name), password)| common::Shown {
            display_name,
            user_name,
            password,
        })
        .collect()
}

/// A temporary password as DOMAIN.md describes it: 16 characters with upper case, lower case,
/// digits and symbols, and none of the look-alikes O 0 l 1 I.
fn assert_temporary_password(password: &str, user_name: &str) {
    assert_eq!(
        password.chars().count(),
        16,
        "temporary password of {user_name} is {password:?}"
    );
    assert!(
        password.chars().any(|c| c.is_ascii_uppercase()),
        "{password:?}: no upper case"
    );
    assert!(
        password.chars().any(|c| c.is_ascii_lowercase()),
        "{password:?}: no lower case"
    );
    assert!(password.chars().any(|c| c.is_ascii_digit()), "{password:?}: no digit");
    assert!(
        password.chars().any(|c| c.is_ascii_punctuation()),
        "{password:?}: no symbol"
    );
    assert!(
        !password.contains(['O', '0', 'l', '1', 'I']),
        "{password:?} holds a look-alike character"
    );
    assert!(
        password.chars().all(|c| c.is_ascii_graphic()),
        "{password:?}: only printable ASCII, no spaces"
    );
}

/// On the Add user form: types a display name and an alias and clicks `button`.
async fn fill_user_and_click(page: &Page, display_name: &str, alias: &str, button: &str) {
    page.fill("display_name", display_name).await;
    page.fill("alias", alias).await;
    page.click_button(button).await;
}

#[tokio::test]
async fn add_two_users_with_add_another_user_and_see_both_passwords() {
    let app = common::spawn_app().await;
    let admin = app.create_staff("Test Partner", "admin@test-partner.example", Role::GlobalAdmin, false);
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;

            // The customer, through its own form.
            page.click_link("Customers").await;
            page.wait_for("a[href='/customers/new']").await;
            page.click_link("Add customer").await;
            page.wait_for("#company_name").await;
            page.fill("company_name", "青山數位設計有限公司").await;
            page.fill("domains", "qingshan.onmicrosoft.com\nqingshan.com.tw").await;
            page.choose("default_usage_location", "Taiwan").await;
            page.click_button("Add customer").await;
            page.wait_for("#product_id").await;

            page.click_link("Users and licenses").await;
            page.wait_for("nav.subtabs").await;
            assert_eq!(page.text("nav.tabs a[aria-current='page']").await, "Users and licenses");
            assert_eq!(page.text("p.empty").await, "This customer has no users yet.");
            assert_eq!(page.text("#deleted-tab").await, "Deleted users (0)");

            page.click_link("Add user").await;
            page.wait_for("#display_name").await;
            assert_eq!(page.text("main h1").await, "Add user");
            assert_eq!(
                page.text("#domain option:checked").await,
                "qingshan.onmicrosoft.com",
                "the form starts on the initial domain"
            );
            assert_eq!(page.text("#usage_location option:checked").await, "Taiwan");

            // The first user, on the second domain, with a Chinese display name.
            page.fill("first_name", "小明").await;
            page.fill("last_name", "陳").await;
            page.choose("domain", "qingshan.com.tw").await;
            fill_user_and_click(&page, "陳小明", "xiaoming.chen", "Add another user").await;

            // A blank form, with the domain and the location kept, and a status line.
            page.wait_for("#run-status").await;
            let path = page.path().await;
            assert!(path.contains("/users/new?run="), "after Add another user: {path}");
            assert_eq!(
                page.text("#run-status").await,
                "1 user added in this run. Their temporary password is shown when you finish."
            );
            for field in ["#first_name", "#last_name", "#display_name", "#alias"] {
                assert_eq!(page.value(field).await, "", "{field} is blank on the new form");
            }
            assert_eq!(
                page.text("#domain option:checked").await,
                "qingshan.com.tw",
                "the domain of the previous user is kept"
            );
            assert_eq!(page.text("#usage_location option:checked").await, "Taiwan");

            // The second user, and Save ends the run.
            fill_user_and_click(&page, "Anna Lee", "anna.lee", "Save").await;
            page.wait_for("#credential-list").await;
            assert!(
                page.path().await.starts_with("/credentials/"),
                "Save ends on the credentials page, not {}",
                page.path().await
            );
            assert_eq!(
                page.text("#credentials h1").await,
                "New users and their temporary passwords"
            );
            let shown = credentials_on_screen(&page).await;
            let names: Vec<(&str, &str)> = shown
                .iter()
                .map(|c| (c.display_name.as_str(), c.user_name.as_str()))
                .collect();
            assert_eq!(
                names,
                [
                    ("陳小明", "xiaoming.chen@qingshan.com.tw"),
                    ("Anna Lee", "anna.lee@qingshan.com.tw")
                ],
                "every user of the run, in the order they were added"
            );
            for c in &shown {
                assert_temporary_password(&c.password, &c.user_name);
            }
            assert_ne!(shown[0].password, shown[1].password);
        })
        .await;
}
