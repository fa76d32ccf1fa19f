//! The role matrix of DOMAIN.md, checked over HTTP for the actions that exist so far.

use diesel::RunQueryDsl;
use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::spawn_app;

#[tokio::test]
async fn every_role_sees_customers_and_subscriptions() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = admin.add_customer("Contoso", "contoso.example").await;
    for role in Role::ALL {
        let (client, _) = app.signed_in(role).await;
        for path in [
            "/dashboard".to_string(),
            "/customers".into(),
            format!("/customers/{id}/users"),
            format!("/customers/{id}/subscriptions"),
            format!("/customers/{id}/domains"),
            "/activity".into(),
        ] {
            assert_eq!(client.get(&path).await.status(), StatusCode::OK, "{role:?} {path}");
        }
    }
}

#[tokio::test]
async fn helpdesk_agents_cannot_add_customers_or_buy_seats() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = admin.add_customer("Contoso", "contoso.example").await;
    admin.buy(id, "ENTERPRISEPACK", 5).await;
    let (helpdesk, _) = app.signed_in(Role::HelpdeskAgent).await;

    let page = helpdesk.page("/customers/new").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(page.text_of("h1"), "Not allowed");
    assert!(page
        .text_of(".needed-roles")
        .contains("Global admin, Admin agent, Sales agent"));

    let add = helpdesk
        .post(
            "/customers",
            &[
                ("company_name", "Nope"),
                ("domains", "nope.example"),
                ("default_usage_location", "TW"),
            ],
        )
        .await;
    assert_eq!(add.status(), StatusCode::FORBIDDEN);
    let product = crate::common::product_id(
        &admin.page(&format!("/customers/{id}/subscriptions")).await,
        "STANDARDPACK",
    );
    let buy = helpdesk
        .post(
            &format!("/customers/{id}/subscriptions"),
            &[("product_id", &product), ("quantity", "3")],
        )
        .await;
    assert_eq!(buy.status(), StatusCode::FORBIDDEN);
    let domain = helpdesk
        .post(&format!("/customers/{id}/domains"), &[("domain", "more.example")])
        .await;
    assert_eq!(domain.status(), StatusCode::FORBIDDEN);

    let tab = helpdesk.page(&format!("/customers/{id}/subscriptions")).await;
    assert!(
        !tab.has("form[action$='/subscriptions']"),
        "no purchase form for a role that cannot buy"
    );
    assert!(!helpdesk.page("/customers").await.has("a[href='/customers/new']"));
    assert!(
        admin.page("/customers?q=Nope").await.has("p.empty"),
        "nothing was added"
    );
}

#[tokio::test]
async fn sales_admin_and_global_admins_can_add_customers_and_buy_seats() {
    let app = spawn_app().await;
    for (i, role) in [Role::GlobalAdmin, Role::AdminAgent, Role::SalesAgent]
        .into_iter()
        .enumerate()
    {
        let (client, _) = app.signed_in(role).await;
        let id = client
            .add_customer(&format!("Customer {i}"), &format!("c{i}.example"))
            .await;
        assert_eq!(
            client.buy(id, "ENTERPRISEPACK", 5).await.status(),
            StatusCode::SEE_OTHER,
            "{role:?}"
        );
    }
}

#[tokio::test]
async fn sales_and_helpdesk_agents_see_only_their_own_activity() {
    let app = spawn_app().await;
    let (admin, admin_login) = app.signed_in(Role::GlobalAdmin).await;
    admin.add_customer("Admin Made", "adminmade.example").await;
    let (sales, sales_login) = app.signed_in(Role::SalesAgent).await;
    sales.add_customer("Sales Made", "salesmade.example").await;

    let own = sales.page("/activity").await;
    let who = own.texts_of("#activity tbody td:nth-child(2)");
    assert!(
        !who.is_empty() && who.iter().all(|w| w == &sales_login.email),
        "{who:?}"
    );
    // Asking for someone else's entries changes nothing.
    let forced = sales.page(&format!("/activity?staff={}", admin_login.id)).await;
    assert!(forced
        .texts_of("#activity tbody td:nth-child(2)")
        .iter()
        .all(|w| w == &sales_login.email));

    let all = admin.page("/activity").await;
    let who = all.texts_of("#activity tbody td:nth-child(2)");
    assert!(who.contains(&sales_login.email) && who.contains(&admin_login.email));
}

/// Staff emails are unique across the installation, not per partner: the form says so before
/// anyone tries, tied to the input, and the refusal says the same.
#[tokio::test]
async fn the_staff_form_says_emails_are_unique_across_the_installation() {
    let app = spawn_app().await;
    app.create_staff("Other Partner", "shared@partner.example", Role::GlobalAdmin, false);
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;

    let page = admin.page("/staff").await;
    let described = |page: &crate::common::Page| {
        page.select("#email")
            .first()
            .and_then(|e| e.value().attr("aria-describedby"))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(described(&page), "email-hint");
    assert_eq!(
        page.text_of("#email-hint"),
        "An email belongs to one staff account in the whole PartnerDesk installation, not only in this partner: an address that another partner's staff member already has cannot be added here."
    );

    let refused = admin
        .post_page(
            "/staff",
            &[("email", "Shared@partner.example"), ("role", "sales_agent")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(described(&refused), "email-hint email-error");
    assert!(refused.has("#email-hint"), "the rule stays beside the error");
    assert_eq!(
        refused.text_of("#email-error"),
        "A staff member with the email Shared@partner.example already exists, in this partner or another: an email is unique across the whole PartnerDesk installation, not only within a partner. Use another address."
    );

    admin.post("/language", &[("lang", "zh-TW")]).await;
    let zh = admin.page("/staff").await;
    assert!(zh
        .text_of("#email-hint")
        .contains("在整個 PartnerDesk 系統中，一個電子郵件只能屬於一個員工帳戶"));
    let zh_refused = admin
        .post_page(
            "/staff",
            &[("email", "shared@partner.example"), ("role", "sales_agent")],
        )
        .await;
    assert!(zh_refused
        .text_of("#email-error")
        .contains("電子郵件在整個 PartnerDesk 系統中不得重複"));
    assert_eq!(
        app.number("SELECT count(*) FROM staff WHERE lower(email) = 'shared@partner.example'"),
        1
    );
}

#[tokio::test]
async fn global_admins_manage_the_partners_staff() {
    let app = spawn_app().await;
    let (admin, admin_login) = app.signed_in(Role::GlobalAdmin).await;
    let page = admin.page("/staff").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts_of("#staff td.email").contains(&admin_login.email));
    assert_eq!(page.text_of("label[for=email]"), "Email");

    let added = admin
        .post_page(
            "/staff",
            &[("email", "new.agent@partner.example"), ("role", "sales_agent")],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    let secret = added.text_of("#staff-password");
    assert_eq!(secret.len(), 16);
    let newcomer = app.client();
    assert_eq!(
        crate::common::location(&newcomer.sign_in("new.agent@partner.example", &secret).await),
        "/account/password"
    );

    let again = admin
        .post_page(
            "/staff",
            &[("email", "NEW.agent@partner.example"), ("role", "sales_agent")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text_of("#email-error").contains("already exists"));

    let new_id = admin
        .page("/staff")
        .await
        .select("#staff tr[data-staff-id]")
        .iter()
        .find(|r| r.text().collect::<String>().contains("new.agent@"))
        .and_then(|r| r.value().attr("data-staff-id"))
        .unwrap()
        .to_string();
    assert_eq!(
        admin
            .post(&format!("/staff/{new_id}/role"), &[("role", "admin_agent")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(admin
        .page("/staff")
        .await
        .has(&format!("#role-{new_id} option[value=admin_agent][selected]")));
    let last = admin
        .post_page(&format!("/staff/{}/role", admin_login.id), &[("role", "sales_agent")])
        .await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last
        .text_of(&format!("#role-{}-error", admin_login.id))
        .contains("at least one Global admin"));

    for role in [Role::AdminAgent, Role::SalesAgent, Role::HelpdeskAgent] {
        let (other, _) = app.signed_in(role).await;
        assert_eq!(other.get("/staff").await.status(), StatusCode::FORBIDDEN, "{role:?}");
        let forbidden = other
            .post(
                "/staff",
                &[("email", "sneaky@partner.example"), ("role", "global_admin")],
            )
            .await;
        assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
        assert!(!other.page("/dashboard").await.has("a[href='/staff']"));
    }
    let (rival, _) = app.signed_in_at("Rival Partner", Role::GlobalAdmin).await;
    assert_eq!(
        rival
            .post(&format!("/staff/{new_id}/role"), &[("role", "helpdesk_agent")])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// Two Global admins demoting each other at the same moment: one wins, the other is told a
/// partner needs a Global admin. The test holds the activity log so that both changes reach
/// their last step before either commits: unserialised, each counted the other as an admin,
/// and PostgreSQL broke the resulting deadlock by failing one with a 500.
#[tokio::test]
async fn two_global_admins_demoting_each_other_at_once_leave_one() {
    use diesel::Connection;
    let app = spawn_app().await;
    let (first, first_login) = app.signed_in_at("Race Partner", Role::GlobalAdmin).await;
    let (second, second_login) = app.signed_in_at("Race Partner", Role::GlobalAdmin).await;
    let (to_second, to_first) = (
        format!("/staff/{}/role", second_login.id),
        format!("/staff/{}/role", first_login.id),
    );
    let (first_token, second_token) = (first.csrf().await, second.csrf().await);
    let first_form = [("csrf_token", first_token.as_str()), ("role", "sales_agent")];
    let second_form = [("csrf_token", second_token.as_str()), ("role", "sales_agent")];

    let mut holder = app.conn();
    holder.begin_test_transaction().unwrap();
    diesel::sql_query("LOCK TABLE activity_log IN SHARE MODE")
        .execute(&mut holder)
        .unwrap();
    let release = async {
        // Until both changes wait on a lock (the log, or each other), then let them go on.
        let mut watcher = app.conn();
        for _ in 0..100 {
            let waiting: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .get_result(&mut watcher)
            .unwrap();
            if waiting >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        drop(holder); // rolls back the test transaction: the log lock goes
    };
    let (a, b, ()) = tokio::join!(
        first.post_raw(&to_second, &first_form),
        second.post_raw(&to_first, &second_form),
        release,
    );
    let admins: i64 = app.number(&format!(
        "SELECT count(*) FROM staff WHERE partner_id = {} AND role = 'global_admin'",
        first_login.partner_id
    ));
    assert_eq!(admins, 1, "the partner keeps exactly one Global admin");
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    // One demotion wins; the other is refused (422), or forbidden (403) when its maker has
    // just lost the Global admin role.
    assert_eq!(statuses[0], StatusCode::SEE_OTHER, "one demotion succeeds");
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::UNPROCESSABLE_ENTITY].contains(&statuses[1]),
        "the other is refused, not failed: {statuses:?}"
    );
}

#[tokio::test]
async fn refused_and_missing_pages_keep_the_header_navigation_and_signed_in_name() {
    let app = spawn_app().await;
    let (client, login) = app.signed_in(Role::SalesAgent).await;
    let forbidden = client.page("/staff").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(forbidden.text_of(".who-name"), login.email);
    assert!(forbidden.texts_of("nav.main-nav a").contains(&"Customers".to_string()));
    let missing = client.page("/customers/999999/users").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.text_of(".who-name"), login.email);
    assert!(missing.has("nav.main-nav"));
    // Signed out, the same pages show no one.
    let anonymous = app.client().page("/no-such-page").await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(!anonymous.has("nav.main-nav"));
}

#[tokio::test]
async fn the_navigation_marks_the_current_section() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    for (path, current) in [
        ("/dashboard".to_string(), "Dashboard"),
        ("/customers".to_string(), "Customers"),
        (format!("/customers/{id}/users"), "Customers"),
        ("/activity".to_string(), "Activity log"),
        ("/staff".to_string(), "Staff"),
    ] {
        let page = client.page(&path).await;
        assert_eq!(page.texts_of("nav.main-nav a[aria-current=page]"), [current], "{path}");
    }
    let account = client.page("/account").await;
    assert!(account.has(".who-name[aria-current=page]"));
    assert!(account.texts_of("nav.main-nav a[aria-current=page]").is_empty());
}
