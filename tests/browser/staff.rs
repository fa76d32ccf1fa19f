//! The Staff page in the browser, as a Global admin uses it: adding a staff member (whose
//! temporary password is shown once), changing a role in the list, the rule that a partner keeps
//! at least one Global admin, and the new member's first sign-in, which leads to Change password
//! before anything else.

use partnerdesk::auth::Role;

use crate::common::{self, TestApp};
use crate::harness::{Browser, Page};
use crate::sign_in;
use crate::users::assert_temporary_password;

const NEW_MEMBER: &str = "mei.lin@test-partner.example";

/// A staff member's id, straight from the database.
fn staff_id(app: &TestApp, email: &str) -> i64 {
    app.number(&format!("SELECT id FROM staff WHERE lower(email) = lower('{email}')"))
}

/// The role shown as chosen in a staff member's row.
async fn role_shown(page: &Page, staff_id: i64) -> String {
    page.text(&format!("#role-{staff_id} option:checked")).await
}

/// The State column of a staff member's row.
async fn state_shown(page: &Page, staff_id: i64) -> String {
    page.text(&format!("#staff tr[data-staff-id='{staff_id}'] td:nth-child(3)"))
        .await
}

/// Marks the page in the browser, so that `wait_for_next_page` can tell the page a form
/// leads to from this one when both look alike.
async fn mark_page(page: &Page) {
    page.run_script("document.body.dataset.before = 'yes';").await;
}

/// Waits for a page without the mark of `mark_page`: the one the last click led to.
async fn wait_for_next_page(page: &Page) {
    page.wait_for("body:not([data-before])").await;
}

/// Chooses a role in a staff member's row (its field is labelled "Role of" their email) and
/// clicks that row's Change button.
async fn change_role(page: &Page, staff_id: i64, role: &str) {
    let email = page
        .text(&format!("#staff tr[data-staff-id='{staff_id}'] td.email"))
        .await;
    page.choose(&format!("Role of {email}"), role).await;
    page.click(&format!("#staff tr[data-staff-id='{staff_id}'] button[type='submit']"))
        .await;
}

#[tokio::test]
async fn a_global_admin_adds_a_staff_member_who_must_change_the_temporary_password() {
    let app = common::spawn_app().await;
    let admin = app.create_staff("Test Partner", "admin@test-partner.example", Role::GlobalAdmin, false);
    let app = &app;
    let browser = Browser::start(&app.address).await;

    let temporary = browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.click_link("Staff").await;
            page.wait_for("#staff").await;
            assert_eq!(page.path().await, "/staff");
            assert_eq!(page.text("main h1").await, "Staff");
            assert_eq!(page.texts("#staff td.email").await, [admin.email.as_str()]);
            assert_eq!(role_shown(&page, admin.id).await, "Global admin");

            // A new member, through the Add staff member form.
            page.fill("Email", NEW_MEMBER).await;
            page.choose("Role", "Helpdesk agent").await;
            page.click_button("Add staff member").await;
            page.wait_for("#staff-created").await;
            assert_eq!(
                page.text("#staff-created p").await,
                format!(
                    "{NEW_MEMBER} can now sign in with this temporary password, and must choose their own \
                     at first sign-in. It is shown only now."
                )
            );
            let temporary = page.text("#staff-password").await;
            assert_temporary_password(&temporary, NEW_MEMBER);
            assert_eq!(
                page.texts("#staff td.email").await,
                [admin.email.as_str(), NEW_MEMBER],
                "the new member is listed, by email"
            );
            let member = staff_id(app, NEW_MEMBER);
            assert_eq!(role_shown(&page, member).await, "Helpdesk agent");
            assert_eq!(state_shown(&page, member).await, "Has not signed in yet");
            assert_eq!(state_shown(&page, admin.id).await, "Active");

            // The password is shown once: the Staff page opened again does not show it.
            page.goto("/staff").await;
            page.wait_for("#staff").await;
            assert!(
                page.texts("#staff-created").await.is_empty(),
                "the temporary password is shown again"
            );
            assert!(
                !page.text("main").await.contains(&temporary),
                "the temporary password is on the Staff page again"
            );

            // The only Global admin cannot be made anything else.
            change_role(&page, admin.id, "Sales agent").await;
            let error = format!("#role-{}-error", admin.id);
            page.wait_for(&error).await;
            assert_eq!(
                page.text(&error).await,
                "A partner needs at least one Global admin; make someone else Global admin first."
            );
            assert_eq!(
                page.attr(&format!("#role-{}", admin.id), "aria-invalid")
                    .await
                    .as_deref(),
                Some("true")
            );
            assert_eq!(
                role_shown(&page, admin.id).await,
                "Global admin",
                "the refused role is not shown as chosen"
            );
            assert_eq!(page.text(".who-role").await, "Global admin · Test Partner");
            page.goto("/staff").await;
            page.wait_for("#staff").await;
            assert_eq!(role_shown(&page, admin.id).await, "Global admin", "after a reload");

            // The new member's role changes, and stays changed.
            mark_page(&page).await;
            change_role(&page, member, "Admin agent").await;
            wait_for_next_page(&page).await;
            page.wait_for("#staff").await;
            assert_eq!(page.path().await, "/staff", "back on the Staff page");
            assert_eq!(
                role_shown(&page, member).await,
                "Admin agent",
                "the Staff page shows the role just chosen"
            );
            assert!(
                page.texts(".field-error").await.is_empty(),
                "no error after a change that is allowed"
            );
            page.reload().await;
            page.wait_for("#staff").await;
            assert_eq!(role_shown(&page, member).await, "Admin agent", "after a reload");
            assert_eq!(role_shown(&page, admin.id).await, "Global admin");
            temporary
        })
        .await;

    // The new member, in a browser of their own, with the temporary password.
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            page.goto("/sign-in").await;
            page.fill("Email", NEW_MEMBER).await;
            page.fill("Password", &temporary).await;
            page.click_button("Sign in").await;
            page.wait_for("#current_password").await;
            assert_eq!(page.path().await, "/account/password", "sent to Change password first");
            assert_eq!(page.text("main h1").await, "Change password");
            assert_eq!(
                page.text("p.alert.info").await,
                "You signed in with a temporary password. Choose your own password to continue."
            );

            // Nothing else opens until the password is changed.
            page.goto("/customers").await;
            page.wait_for("#current_password").await;
            assert_eq!(page.path().await, "/account/password", "/customers leads back here");

            let own = "a quiet harbour at dawn";
            page.fill("Current password", &temporary).await;
            page.fill("New password", own).await;
            page.fill("Confirm new password", own).await;
            page.click_button("Change password").await;
            page.wait_for("#figure-customers").await;
            assert_eq!(page.path().await, "/dashboard");
            // With the role the Global admin gave: an Admin agent, who does not manage staff.
            assert_eq!(page.text(".who-name").await, NEW_MEMBER);
            assert_eq!(page.text(".who-role").await, "Admin agent · Test Partner");
            let nav = page.texts("nav.main-nav a").await;
            assert!(!nav.contains(&"Staff".to_string()), "navigation reads {nav:?}");
            page.goto("/customers").await;
            page.wait_for("a[href='/customers/new']").await;
            assert_eq!(
                page.path().await,
                "/customers",
                "the password no longer stands in the way"
            );
        })
        .await;
}
