//! The Users and licenses screen in the browser: adding users (and adding another), the
//! credentials page and its printout, deleting and restoring, managing licenses for a
//! selection of users, and filtering, searching and paging through the list.

use std::path::Path;
use std::process::Command;

use diesel::prelude::*;
use partnerdesk::auth::Role;

use crate::common::{self, insert_users, subscription_id, user_id, Client, TestApp};
use crate::harness::{Browser, Page};
use crate::sign_in;

/// A staff member of "Test Partner" for the browser, and an HTTP client of the same partner
/// that arranges what a test is not about (customers, subscriptions, users) faster than pages.
pub(crate) async fn global_admin_and_helper(app: &TestApp) -> (common::StaffLogin, Client) {
    let admin = app.create_staff("Test Partner", "admin@test-partner.example", Role::GlobalAdmin, false);
    let (helper, _) = app.signed_in(Role::GlobalAdmin).await;
    (admin, helper)
}

/// Contoso (contoso.onmicrosoft.com and contoso.com), added by the helper client.
pub(crate) async fn contoso(helper: &Client) -> i64 {
    helper
        .add_customer("Contoso", "contoso.onmicrosoft.com\ncontoso.com")
        .await
}

/// Contoso with `seats` of Office 365 E3: the customer and the E3 subscription.
pub(crate) async fn contoso_with_e3(app: &TestApp, helper: &Client, seats: i32) -> (i64, i64) {
    let customer = contoso(helper).await;
    helper.buy(customer, "ENTERPRISEPACK", seats).await;
    (customer, subscription_id(app, customer, "ENTERPRISEPACK"))
}

/// The rows of the credentials page on screen: display name, user name, temporary password.
pub(crate) async fn credentials_on_screen(page: &Page) -> Vec<common::Shown> {
    let display_names = page.texts("#credential-list tbody td.display-name").await;
    let user_names = page.texts("#credential-list tbody td.user-name").await;
    let passwords = page.texts("#credential-list tbody td.password code").await;
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
pub(crate) fn assert_temporary_password(password: &str, user_name: &str) {
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
    page.fill("Display name", display_name).await;
    page.fill("User name", alias).await;
    page.click_button(button).await;
}

/// Adds users through the Add user form, "Add another user" between them and "Save" after the
/// last, and waits for the credentials page that lists them all.
async fn add_users_through_the_form(page: &Page, customer_id: i64, users: &[(&str, &str)]) {
    page.goto(&format!("/customers/{customer_id}/users/new")).await;
    page.wait_for("#display_name").await;
    for (n, (display_name, alias)) in users.iter().enumerate() {
        if n + 1 < users.len() {
            fill_user_and_click(page, display_name, alias, "Add another user").await;
            // The status line counts the run, so its new number marks the new form.
            let status = match n + 1 {
                1 => "1 user added in this run. Their temporary password is shown when you finish.".to_string(),
                added => {
                    format!("{added} users added in this run. Their temporary passwords are shown when you finish.")
                }
            };
            page.wait_for_text("#run-status", &status).await;
        } else {
            fill_user_and_click(page, display_name, alias, "Save").await;
        }
    }
    page.wait_for("#credential-list").await;
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
            page.fill("Company name", "青山數位設計有限公司").await;
            page.fill("Domains", "qingshan.onmicrosoft.com\nqingshan.com.tw").await;
            page.choose("Default usage location", "Japan").await;
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
            assert_eq!(page.text("#usage_location option:checked").await, "Japan");

            // The first user, on the second domain, with a Chinese display name.
            page.fill("First name", "小明").await;
            page.fill("Last name", "陳").await;
            page.choose("Domain", "qingshan.com.tw").await;
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
            assert_eq!(page.text("#usage_location option:checked").await, "Japan");

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

/// `pdftotext -layout` of a PDF file.
pub(crate) fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run pdftotext ({e}); it comes with poppler-utils, which scripts/test installs")
        });
    assert!(
        output.status.success(),
        "pdftotext {} failed: {}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("pdftotext writes UTF-8")
}

/// `pdfinfo` of a PDF file: (pages, page width and height in points).
fn pdf_pages_and_size(pdf: &Path) -> (u32, f64, f64) {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("run pdfinfo");
    assert!(output.status.success(), "pdfinfo {} failed", pdf.display());
    let info = String::from_utf8_lossy(&output.stdout).into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("pdfinfo gives no {name}\n{info}"))
            .to_string()
    };
    let pages = field("Pages:").parse().expect("page count");
    // "Page size:      595.92 x 842.88 pts (A4)"
    let size = field("Page size:");
    let mut numbers = size.split_whitespace().filter_map(|word| word.parse::<f64>().ok());
    let (width, height) = (numbers.next().expect("width"), numbers.next().expect("height"));
    (pages, width, height)
}

#[tokio::test]
async fn credentials_page_prints_to_pdf_with_only_the_list() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            add_users_through_the_form(&page, customer, &[("王大同", "datong.wang"), ("Anna Lee", "anna")]).await;
            let shown = credentials_on_screen(&page).await;
            assert_eq!(shown.len(), 2);

            // With script on, the Print button shows (it calls window.print()).
            assert!(
                page.is_displayed("#print-button").await,
                "the Print button shows with JavaScript"
            );
            assert_eq!(page.text("#print-button").await, "Print");
            // WebDriver cannot drive the browser's print dialog, so the dialog is stood in for;
            // the click itself is real, and shows the button is wired to window.print().
            page.run_script("window.print = function () { document.body.dataset.printed = 'yes'; };")
                .await;
            page.click_button("Print").await;
            page.wait_for("body[data-printed='yes']").await;

            let dir = tempfile::tempdir().expect("a temporary directory for the PDFs");
            // A4 is 21 x 29.7 cm (595 x 842 pt), Letter 21.59 x 27.94 cm (612 x 792 pt).
            for (paper, width_cm, height_cm, width_pt, height_pt) in
                [("A4", 21.0, 29.7, 595.0, 842.0), ("Letter", 21.59, 27.94, 612.0, 792.0)]
            {
                let pdf = dir.path().join(format!("credentials-{paper}.pdf"));
                std::fs::write(&pdf, page.print_pdf(width_cm, height_cm).await).expect("write the PDF");

                let (pages, width, height) = pdf_pages_and_size(&pdf);
                assert_eq!(pages, 1, "two users print on one {paper} page");
                assert!(
                    (width - width_pt).abs() < 2.0 && (height - height_pt).abs() < 2.0,
                    "{paper} page is {width} x {height} pt"
                );

                let text = pdf_text(&pdf);
                assert!(!text.trim().is_empty(), "the {paper} PDF has text");
                for c in &shown {
                    // One row per user: display name, user name and password on one line.
                    let line = text
                        .lines()
                        .find(|line| line.contains(&c.user_name))
                        .unwrap_or_else(|| panic!("{} missing from the {paper} printout:\n{text}", c.user_name));
                    assert!(
                        line.contains(&c.password),
                        "{}'s password is not on its line in the {paper} printout: {line:?}",
                        c.user_name
                    );
                    assert!(
                        line.contains(&c.display_name),
                        "{}'s display name is not on its line in the {paper} printout: {line:?}",
                        c.user_name
                    );
                }
                for heading in ["Display name", "User name", "Temporary password"] {
                    assert!(
                        text.contains(heading),
                        "the {paper} printout lacks the column {heading}:\n{text}"
                    );
                }
                for word in [
                    "Dashboard",
                    "Customers",
                    "Activity log",
                    "Sign out",
                    "Download .csv",
                    "Email",
                    "Print",
                    "Done: forget these passwords",
                    "繁體中文",
                ] {
                    assert!(!text.contains(word), "the {paper} printout shows {word:?}:\n{text}");
                }
            }
        })
        .await;
}

#[tokio::test]
async fn delete_a_user_and_restore_it_from_the_deleted_users_tab() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let (customer, e3) = contoso_with_e3(&app, &helper, 2).await;
    helper
        .add_user(customer, "Anna Lee", "anna", "contoso.com", &[e3])
        .await;
    helper
        .add_user(customer, "Björn Berg", "bjorn", "contoso.com", &[])
        .await;
    let anna = user_id(&app, "anna@contoso.com");
    let bjorn = user_id(&app, "bjorn@contoso.com");
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            let users = format!("/customers/{customer}/users");
            page.goto(&users).await;
            page.wait_for("#users").await;
            let anna_row = format!("#users tr[data-user-id='{anna}']");
            assert_eq!(page.text(&format!("{anna_row} td.licenses")).await, "Office 365 E3");

            page.tick(&format!("#user-{anna}")).await;
            page.click_button("Delete user account").await;

            // The confirmation page names the user; the same words confirm.
            page.wait_for("#confirm-list").await;
            assert_eq!(page.texts("#confirm-list li").await, ["Anna Lee anna@contoso.com"]);
            page.click_button("Delete user account").await;

            page.wait_for("#notice").await;
            assert_eq!(page.path().await, format!("{users}?notice=deleted&count=1"));
            assert_eq!(
                page.text("#notice").await,
                "1 user deleted. You can restore it from Deleted users within 30 days."
            );
            assert_eq!(page.texts("#users td.user-name").await, ["bjorn@contoso.com"]);
            assert_eq!(page.text("#deleted-tab").await, "Deleted users (1)");

            page.click_link("Deleted users (1)").await;
            page.wait_for("#deleted-users").await;
            assert_eq!(
                page.text("nav.subtabs a[aria-current='page']").await,
                "Deleted users (1)"
            );
            assert_eq!(page.texts("#deleted-users td.user-name").await, ["anna@contoso.com"]);
            assert_eq!(page.text("#deleted-users td.days-left").await, "30");
            page.tick(&format!("#restore-{anna}")).await;
            page.click_button("Restore").await;

            // A restored user gets a new temporary password, on a credentials page.
            page.wait_for("#credential-list").await;
            assert!(page.path().await.starts_with("/credentials/"));
            assert_eq!(
                page.text("#credentials h1").await,
                "Restored users and their temporary passwords"
            );
            let shown = credentials_on_screen(&page).await;
            assert_eq!(shown.len(), 1);
            assert_eq!(shown[0].display_name, "Anna Lee");
            assert_eq!(shown[0].user_name, "anna@contoso.com");
            assert_temporary_password(&shown[0].password, &shown[0].user_name);
            assert!(
                page.texts("#notes li").await.is_empty(),
                "a seat was free, so no license note"
            );

            // Back on the Users tab, with the license given back.
            page.click_link("Contoso").await;
            page.wait_for("#users").await;
            assert_eq!(page.path().await, users);
            assert_eq!(
                page.texts("#users td.user-name").await,
                ["anna@contoso.com", "bjorn@contoso.com"]
            );
            assert_eq!(page.text(&format!("{anna_row} td.licenses")).await, "Office 365 E3");
            assert_eq!(
                page.text(&format!("#users tr[data-user-id='{bjorn}'] td.licenses"))
                    .await,
                "No licenses"
            );
            assert_eq!(page.text("#deleted-tab").await, "Deleted users (0)");
        })
        .await;
}

#[tokio::test]
async fn manage_licenses_for_three_users_with_one_plan_off() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let (customer, e3) = contoso_with_e3(&app, &helper, 10).await;
    // Bulk 0001 to 0004; the fourth is not selected and must keep no license.
    insert_users(&app, customer, "contoso.com", 4);
    let chosen: Vec<i64> = (1..=3)
        .map(|n| user_id(&app, &format!("bulk{n}@contoso.com")))
        .collect();
    let left_out = user_id(&app, "bulk4@contoso.com");
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users")).await;
            page.wait_for("#users").await;
            for id in &chosen {
                page.tick(&format!("#user-{id}")).await;
            }
            page.click_button("Manage licenses").await;

            page.wait_for("#manage-licenses").await;
            assert_eq!(page.text("main h1").await, "Manage licenses");
            assert_eq!(
                page.texts("#selected-users li").await,
                [
                    "Bulk 0001 bulk1@contoso.com",
                    "Bulk 0002 bulk2@contoso.com",
                    "Bulk 0003 bulk3@contoso.com"
                ]
            );
            let product = format!("#product-{e3}");
            assert_eq!(page.text(&format!("{product} legend")).await, "Office 365 E3");
            assert_eq!(
                page.text(&format!("{product} .available")).await,
                "Available licenses: 10"
            );
            assert!(
                page.is_checked(&format!("#leave-{e3}")).await,
                "nobody has it yet: Leave as is to start with"
            );
            page.tick(&format!("#assign-{e3}")).await;
            assert_eq!(page.text(&format!("label[for='assign-{e3}']")).await, "Assign to all");

            // The plans are folded away until "View service plans" is opened; all start on.
            let teams = format!("#plan-{e3}-TEAMS1");
            assert!(!page.is_displayed(&teams).await, "plans are hidden until asked for");
            page.click(&format!("{product} details.service-plans summary")).await;
            assert_eq!(
                page.text(&format!("{product} details.service-plans summary")).await,
                "View service plans"
            );
            assert!(page.is_displayed(&teams).await, "View service plans shows the plans");
            assert_eq!(
                page.text(&format!("label[for='plan-{e3}-TEAMS1']")).await,
                "Microsoft Teams"
            );
            page.untick(&teams).await;
            page.click_button("Save").await;

            page.wait_for("#license-changes").await;
            assert_eq!(page.text("main h1").await, "Licenses updated");
            assert_eq!(
                page.text("#summary").await,
                "3 users changed: 3 licenses assigned, 0 removed."
            );
            assert_eq!(
                page.texts("#license-changes td.user-name").await,
                ["bulk1@contoso.com", "bulk2@contoso.com", "bulk3@contoso.com"]
            );
            assert_eq!(page.texts("#license-changes td.gained").await, ["Office 365 E3"; 3]);
            assert_eq!(page.texts("#license-changes td.lost").await, [""; 3]);

            page.click_link("Back to users").await;
            page.wait_for("#users").await;
            for id in &chosen {
                assert_eq!(
                    page.text(&format!("#users tr[data-user-id='{id}'] td.licenses")).await,
                    "Office 365 E3"
                );
            }
            assert_eq!(
                page.text(&format!("#users tr[data-user-id='{left_out}'] td.licenses"))
                    .await,
                "No licenses"
            );
        })
        .await;

    // Teams is off for the three, and only for them.
    let disabled: Vec<(String, Vec<String>)> = diesel::dsl::sql::<(
        diesel::sql_types::Text,
        diesel::sql_types::Array<diesel::sql_types::Text>,
    )>(&format!(
        "SELECT u.user_name, l.disabled_plans FROM licenses l JOIN customer_users u ON u.id = l.user_id
         WHERE l.subscription_id = {e3} ORDER BY u.user_name"
    ))
    .load(&mut app.conn())
    .expect("read the licenses");
    assert_eq!(
        disabled,
        ["bulk1@contoso.com", "bulk2@contoso.com", "bulk3@contoso.com"]
            .map(|name| (name.to_string(), vec!["TEAMS1".to_string()]))
    );
}

/// The display names in the list on screen, in order.
async fn names_listed(page: &Page) -> Vec<String> {
    page.texts("#users td.display-name").await
}

/// Sets the list's form ("Filter users by..." and the search box) and presses Apply filter.
/// The page that comes back is recognised by `first_name`, the display name it must list first
/// (which must differ from the first one listed before).
async fn apply_filter(page: &Page, filter: &str, search: &str, first_name: &str) {
    page.choose("Filter users by...", filter).await;
    page.fill("Search users", search).await;
    page.click_button("Apply filter").await;
    page.wait_for_text("#users td.display-name", first_name).await;
}

#[tokio::test]
async fn the_users_list_filters_searches_and_pages_through_the_form() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let (customer, e3) = contoso_with_e3(&app, &helper, 5).await;
    helper.buy(customer, "POWER_BI_PRO", 5).await;
    let power_bi = subscription_id(&app, customer, "POWER_BI_PRO");
    // Bulk 0001 to Bulk 0060, and three more through the Add user form: 63 in all. In list
    // order Anna Lee comes first, then the sixty Bulk users, then Zoe Wu and 陳志明. Anna holds
    // Office 365 E3 and Zoe another product, so "Has Office 365 E3" is not "Licensed users".
    insert_users(&app, customer, "contoso.com", 60);
    helper
        .add_user(customer, "Anna Lee", "anna", "contoso.com", &[e3])
        .await;
    helper
        .add_user(customer, "陳志明", "chihming.chen", "contoso.com", &[])
        .await;
    helper
        .add_user(customer, "Zoe Wu", "zoe", "contoso.com", &[power_bi])
        .await;
    let chen = user_id(&app, "chihming.chen@contoso.com");
    let app = &app;
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            let users = format!("/customers/{customer}/users");
            page.goto(&users).await;
            page.wait_for("#users").await;

            // The first page: 25 of the 63, and a way on to the next.
            assert_eq!(page.text(".pager-range").await, "1–25 of 63");
            assert_eq!(page.text(".pager-page").await, "Page 1 of 3");
            assert_eq!(page.text("#filter option:checked").await, "All users");
            let first_page = names_listed(&page).await;
            assert_eq!(first_page.len(), 25, "25 users a page by default: {first_page:?}");
            assert_eq!(first_page[0], "Anna Lee");
            assert_eq!(first_page[1], "Bulk 0001");
            assert_eq!(first_page[24], "Bulk 0024");

            page.click_link("Next").await;
            page.wait_for_text(".pager-range", "26–50 of 63").await;
            assert_eq!(page.text(".pager-page").await, "Page 2 of 3");
            let path = page.path().await;
            assert!(path.contains("page=2"), "the second page's address: {path}");
            let second_page = names_listed(&page).await;
            assert_eq!(second_page.len(), 25, "the second page: {second_page:?}");
            assert_eq!(second_page[0], "Bulk 0025");
            assert_eq!(second_page[24], "Bulk 0049");
            assert!(
                !second_page.iter().any(|name| first_page.contains(name)),
                "the second page repeats users of the first: {second_page:?}"
            );

            page.click_link("Last").await;
            page.wait_for_text(".pager-range", "51–63 of 63").await;
            let last_page = names_listed(&page).await;
            assert_eq!(last_page.len(), 13, "the last page: {last_page:?}");
            assert!(
                last_page.contains(&"陳志明".to_string()),
                "the last page: {last_page:?}"
            );

            // Only the holder of Office 365 E3, and the filter stays in the address.
            apply_filter(&page, "Has Office 365 E3", "", "Anna Lee").await;
            assert_eq!(names_listed(&page).await, ["Anna Lee"]);
            assert_eq!(page.texts("#users td.licenses").await, ["Office 365 E3"]);
            assert_eq!(page.text(".pager-range").await, "1–1 of 1");
            let path = page.path().await;
            assert!(
                path.starts_with(&format!("{users}?")) && path.contains(&format!("filter=has-{e3}")),
                "the filtered list's address: {path}"
            );
            assert_eq!(
                page.text("#filter option:checked").await,
                "Has Office 365 E3",
                "the filter chosen is still shown as chosen"
            );
            assert_eq!(
                page.attr("#selection input[name='filter']", "value").await.as_deref(),
                Some(format!("has-{e3}").as_str()),
                "actions on a selection keep the filter"
            );

            // A search for one Chinese character, with the filter cleared.
            apply_filter(&page, "All users", "陳", "陳志明").await;
            assert_eq!(names_listed(&page).await, ["陳志明"]);
            assert_eq!(page.texts("#users td.user-name").await, ["chihming.chen@contoso.com"]);
            assert_eq!(page.text(".pager-range").await, "1–1 of 1");
            assert_eq!(page.value("#q").await, "陳", "the search box keeps the term");
            assert_eq!(page.text("#filter option:checked").await, "All users");
            let path = page.path().await;
            assert!(
                path.contains("filter=all") && path.contains("q=%E9%99%B3"),
                "the searched list's address: {path}"
            );

            // A change made in the database behind the application's back shows on the next
            // page view: whatever the list keeps in memory, it never serves it stale.
            app.execute(&format!(
                "UPDATE customer_users SET display_name = '陳志明（業務部）' WHERE id = {chen}"
            ));
            page.reload().await;
            page.wait_for_text("#users td.display-name", "陳志明（業務部）").await;
            assert_eq!(names_listed(&page).await, ["陳志明（業務部）"]);
            assert_eq!(page.text(".pager-range").await, "1–1 of 1");
            // And the search reads the new name too (from the whole list, which starts with
            // someone else, so the page that comes back is told apart).
            page.goto(&users).await;
            page.wait_for_text("#users td.display-name", "Anna Lee").await;
            apply_filter(&page, "All users", "業務部", "陳志明（業務部）").await;
            assert_eq!(names_listed(&page).await, ["陳志明（業務部）"]);

            // The same list in Traditional Chinese, on the same address.
            let before = page.path().await;
            page.click_button("繁體中文").await;
            page.wait_for("html[lang='zh-TW']").await;
            assert_eq!(page.path().await, before, "the switcher comes back to the same list");
            assert_eq!(page.text("nav.subtabs a[aria-current='page']").await, "使用者");
            assert_eq!(page.text("nav.tabs a[aria-current='page']").await, "使用者和授權");
            assert_eq!(page.text("label[for='filter']").await, "篩選使用者依據");
            assert_eq!(page.text("#filter option:checked").await, "所有使用者");
            assert_eq!(page.text(".pager-range").await, "第 1–1 筆，共 1 筆");
            assert_eq!(names_listed(&page).await, ["陳志明（業務部）"]);
            assert_eq!(
                page.texts(".filters button[type='submit']").await,
                ["套用篩選"],
                "the form's button reads Apply filter in Chinese"
            );
        })
        .await;
}

#[tokio::test]
async fn the_selection_is_the_ticked_rows_and_nothing_selected_leaves_the_actions_off() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    insert_users(&app, customer, "contoso.com", 30);
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&format!("/customers/{customer}/users?size=25")).await;
            page.wait_for("#users").await;
            assert!(
                page.attr("button[value=reset]", "disabled").await.is_some(),
                "nothing selected: the actions wait"
            );

            // The page's box ticks the 25 rows; unticking one leaves 24 and a mixed box.
            page.tick("#page_all").await;
            assert_eq!(page.texts("#users tbody input[name=user_id]:checked").await.len(), 25);
            assert!(page.attr("button[value=reset]", "disabled").await.is_none());
            let second = page
                .attr("#users tbody tr:nth-child(2) input[name=user_id]", "id")
                .await
                .unwrap();
            page.untick(&format!("#{second}")).await;
            assert!(!page.is_checked("#page_all").await);
            page.run_script("document.body.dataset.mixed = document.getElementById('page_all').indeterminate;")
                .await;
            assert_eq!(page.attr("body", "data-mixed").await.as_deref(), Some("true"));
            page.click_button("Reset password").await;
            page.wait_for("#confirm-list").await;
            assert!(
                page.text("main").await.contains("these 24 users"),
                "{}",
                page.text("main").await
            );

            // "Select all 30 that match" ticks every row and says so; unticking a row clears it.
            page.goto(&format!("/customers/{customer}/users?size=25")).await;
            page.wait_for("#users").await;
            page.tick("#all_matching").await;
            assert!(page.is_displayed("#all-selected").await);
            assert_eq!(
                page.text("#all-selected").await,
                "All 30 users that match are selected · Clear selection"
            );
            assert_eq!(page.texts("#users tbody input[name=user_id]:checked").await.len(), 25);
            page.untick(&format!("#{second}")).await;
            assert!(!page.is_checked("#all_matching").await, "unticking a row clears it");
            assert!(!page.is_displayed("#all-selected").await);
            page.tick(&format!("#{second}")).await;
            page.tick("#all_matching").await;
            page.click("#clear-selection").await;
            assert_eq!(page.texts("#users tbody input[name=user_id]:checked").await.len(), 0);
            assert!(page.attr("button[value=delete]", "disabled").await.is_some());
        })
        .await;
}
