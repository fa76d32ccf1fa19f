use partnerdesk::auth::Role;

use crate::common::spawn_app;

#[tokio::test]
async fn changes_and_sign_ins_are_logged_without_passwords() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::GlobalAdmin, false);
    let client = app.client();
    client
        .post("/sign-in", &[("email", &login.email), ("password", "a wrong password")])
        .await;
    client.sign_in(&login.email, &login.password).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 25).await;

    let page = client.page("/activity").await;
    let actions: Vec<String> = page
        .select("#activity tbody tr")
        .iter()
        .map(|r| r.value().attr("data-action").unwrap().to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "subscription_added",
            "customer_created",
            "sign_in",
            "sign_in_failed",
            "staff_created"
        ]
    );
    let details = page.texts_of("#activity tbody td:nth-child(5)");
    assert_eq!(details[0], "Bought 25 × Office 365 E3");
    assert!(details[1].contains("Contoso"));
    assert!(!page.text.contains(&login.password) && !page.text.contains("a wrong password"));

    let stored: Vec<String> = {
        use diesel::prelude::*;
        diesel::dsl::sql::<diesel::sql_types::Text>("SELECT details::text FROM activity_log")
            .load(&mut app.conn())
            .unwrap()
    };
    assert!(stored
        .iter()
        .all(|d| !d.contains(&login.password) && !d.contains("a wrong password")));
}

#[tokio::test]
async fn the_log_filters_by_customer_action_and_date_and_pages() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let first = client.add_customer("First", "first.example").await;
    let second = client.add_customer("Second", "second.example").await;
    client.buy(first, "ENTERPRISEPACK", 5).await;
    client.buy(second, "STANDARDPACK", 5).await;

    let by_customer = client.page(&format!("/activity?customer={second}")).await;
    let rows = by_customer.texts_of("#activity tbody td:nth-child(3)");
    assert_eq!(rows, ["Second", "Second"]);
    let by_action = client.page("/activity?action=subscription_added").await;
    assert_eq!(by_action.select("#activity tbody tr").len(), 2);
    let future = client.page("/activity?from=2999-01-01").await;
    assert!(future.has("p.empty"));
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let until_today = client.page(&format!("/activity?until={today}")).await;
    assert!(until_today.select("#activity tbody tr").len() >= 5);

    for i in 0..30 {
        client
            .add_customer(&format!("Bulk {i}"), &format!("bulk{i}.example"))
            .await;
    }
    let paged = client.page("/activity?action=customer_created&size=25&page=2").await;
    assert_eq!(paged.select("#activity tbody tr").len(), 7);
    assert!(paged.text_of(".pager-range").ends_with("of 32"));
}

#[tokio::test]
async fn the_log_filters_by_staff_member_and_until_the_end_of_a_day() {
    let app = spawn_app().await;
    let (admin, admin_login) = app.signed_in(Role::GlobalAdmin).await;
    let (sales, sales_login) = app.signed_in(Role::SalesAgent).await;
    let first = admin.add_customer("First", "first.example").await;
    let second = sales.add_customer("Second", "second.example").await;
    sales.buy(second, "STANDARDPACK", 5).await;

    let by_sales = admin.page(&format!("/activity?staff={}", sales_login.id)).await;
    let who = by_sales.texts_of("#activity tbody td:nth-child(2)");
    assert_eq!(
        who.len() as i64,
        app.number(&format!(
            "SELECT count(*) FROM activity_log WHERE staff_id = {}",
            sales_login.id
        )),
        "every entry of the member"
    );
    assert!(who.iter().all(|w| *w == sales_login.email), "{who:?}");
    assert!(by_sales
        .texts_of("#activity tbody td:nth-child(3)")
        .contains(&"Second".to_string()));
    assert!(!by_sales.text_of("#activity").contains("First"));
    assert_eq!(
        by_sales.text_of("#filter-staff option[selected]"),
        sales_login.email,
        "the filter shows the member chosen"
    );
    let by_admin = admin.page(&format!("/activity?staff={}", admin_login.id)).await;
    assert!(by_admin
        .texts_of("#activity tbody td:nth-child(2)")
        .iter()
        .all(|w| *w == admin_login.email));

    // "Until" includes its whole day and nothing after it.
    let backdate = |customer: i64, at: &str| {
        app.execute(&format!(
            "UPDATE activity_log SET created_at = '{at}' WHERE action = 'customer_created' AND customer_id = {customer}"
        ))
    };
    backdate(first, "2026-01-10 23:59:00+00");
    backdate(second, "2026-01-11 00:00:30+00");
    let customers_until = |day: &'static str| {
        let admin = &admin;
        async move {
            admin
                .page(&format!("/activity?until={day}"))
                .await
                .texts_of("#activity tbody td:nth-child(3)")
        }
    };
    assert_eq!(customers_until("2026-01-09").await, Vec::<String>::new());
    assert_eq!(customers_until("2026-01-10").await, ["First"]);
    assert_eq!(customers_until("2026-01-11").await, ["Second", "First"]);
    let one_day = admin.page("/activity?from=2026-01-11&until=2026-01-11").await;
    assert_eq!(one_day.texts_of("#activity tbody td:nth-child(3)"), ["Second"]);
}

#[tokio::test]
async fn dashboard_shows_the_partners_figures_and_recent_activity() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 25).await;
    let (other, _) = app.signed_in_at("Another Partner", Role::GlobalAdmin).await;
    other.add_customer("Not Mine", "notmine.example").await;

    let page = client.page("/dashboard").await;
    assert_eq!(page.text_of("#figure-customers"), "1");
    assert_eq!(page.text_of("#figure-active-users"), "0");
    assert_eq!(page.text_of("#figure-licenses"), "0 of 25");
    assert_eq!(page.text_of("#figure-deleted"), "0");
    assert!(page.text.contains("Bought 25 × Office 365 E3"));
    assert!(!page.text.contains("Not Mine"));
}
