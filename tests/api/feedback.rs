//! Issue 12, items 5 and 8: every successful change says what happened in a status banner
//! (once, on the page it lands on), and Subscriptions has "Add seats" and "Change quantity",
//! each confirmed with the new total before the customer pays for it.

use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app, subscription_id, Client, TestApp};

/// Follows a 303 and returns the banner of the page it lands on.
async fn banner_after(client: &Client, response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = client.page(&location(&response)).await;
    assert!(page.has("#flash[role=status]"), "{}", page.text);
    page.text_of("#flash")
}

fn quantity(app: &TestApp, subscription: i64) -> i64 {
    app.number(&format!(
        "SELECT quantity::bigint FROM subscriptions WHERE id = {subscription}"
    ))
}

#[tokio::test]
async fn adding_a_customer_a_domain_and_a_subscription_each_say_so_once() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let added = client
        .post(
            "/customers",
            &[
                ("company_name", "陳氏貿易"),
                ("domains", "chen.example"),
                ("default_usage_location", "TW"),
            ],
        )
        .await;
    let tab = location(&added);
    assert_eq!(banner_after(&client, added).await, "Added customer 陳氏貿易.");
    assert!(!client.page(&tab).await.has("#flash"), "shown once");

    let id: i64 = tab.split('/').nth(2).unwrap().parse().unwrap();
    let domain = client
        .post(&format!("/customers/{id}/domains"), &[("domain", "Mail.Chen.Example")])
        .await;
    assert_eq!(banner_after(&client, domain).await, "Added domain mail.chen.example.");

    let bought = client.buy(id, "ENTERPRISEPACK", 20).await;
    assert_eq!(
        banner_after(&client, bought).await,
        "Subscription added: 20 × Office 365 E3."
    );
}

#[tokio::test]
async fn add_seats_asks_with_the_new_total_then_adds() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 20).await;
    let e3 = subscription_id(&app, id, "ENTERPRISEPACK");
    let path = format!("/customers/{id}/subscriptions/{e3}/add-seats");

    // Typing 5 means five more: the confirmation shows 25, and nothing is bought yet.
    let ask = client.post_page(&path, &[("seats", "5")]).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert_eq!(ask.text_of("#seats-total"), "25");
    assert_eq!(
        ask.text_of("#seats-question"),
        "Add 5 seats to Office 365 E3? The customer will then pay for 25 instead of 20."
    );
    assert_eq!(quantity(&app, e3), 20);
    assert_eq!(ask.text_of("#seats-confirm button"), "Add 5 seats");

    let done = client.post(&path, &[("seats", "5"), ("confirmed", "yes")]).await;
    assert_eq!(
        banner_after(&client, done).await,
        "Seats added: 5 × Office 365 E3 (now 25)."
    );
    assert_eq!(quantity(&app, e3), 25);

    // Out of range: refused next to the row's field, nothing changed.
    let refused = client.post_page(&path, &[("seats", "0"), ("confirmed", "yes")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has(&format!("#seats-{e3}[aria-invalid=true]")));
    assert!(refused.text_of(&format!("#seats-{e3}-error")).contains("out of range"));
    assert_eq!(quantity(&app, e3), 25);
}

#[tokio::test]
async fn change_quantity_asks_then_lowers_but_never_below_the_seats_in_use() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 25).await;
    let e3 = subscription_id(&app, id, "ENTERPRISEPACK");
    let path = format!("/customers/{id}/subscriptions/{e3}/quantity");

    let tab = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(
        tab.select(&format!("#quantity-{e3}"))[0].value().attr("value"),
        Some("25")
    );
    assert_eq!(tab.select(&format!("#seats-{e3}"))[0].value().attr("value"), Some("1"));
    assert_eq!(
        tab.text_of(&format!("label[for=seats-{e3}]")),
        "Seats to add · Office 365 E3"
    );

    let ask = client.post_page(&path, &[("quantity", "15")]).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert_eq!(
        ask.text_of("#seats-question"),
        "Change the quantity of Office 365 E3 from 25 to 15? The customer will then pay for 15."
    );
    assert_eq!(quantity(&app, e3), 25);
    let done = client.post(&path, &[("quantity", "15"), ("confirmed", "yes")]).await;
    assert_eq!(
        banner_after(&client, done).await,
        "Quantity changed: Office 365 E3 now 15 (was 25)."
    );

    let same = client.post_page(&path, &[("quantity", "15")]).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        same.text_of(&format!("#quantity-{e3}-error")),
        "The quantity is already 15. Type a different total."
    );
    app.execute(&format!("UPDATE subscriptions SET assigned = 12 WHERE id = {e3}"));
    let below = client.post_page(&path, &[("quantity", "11")]).await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(below
        .text_of(&format!("#quantity-{e3}-error"))
        .contains("12 licenses are assigned"));
    assert_eq!(quantity(&app, e3), 15);
}

#[tokio::test]
async fn a_shortfall_elsewhere_prefills_add_seats() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 2).await;
    let e3 = subscription_id(&app, id, "ENTERPRISEPACK");
    let tab = client
        .page(&format!("/customers/{id}/subscriptions?add={e3}&seats=7"))
        .await;
    assert_eq!(tab.select(&format!("#seats-{e3}"))[0].value().attr("value"), Some("7"));
    // A value out of range is not taken.
    let tab = client
        .page(&format!("/customers/{id}/subscriptions?add={e3}&seats=-3"))
        .await;
    assert_eq!(tab.select(&format!("#seats-{e3}"))[0].value().attr("value"), Some("1"));
}

#[tokio::test]
async fn staff_changes_say_whom_they_changed() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let agent = app.create_staff("Test Partner", "agent@partner.example", Role::SalesAgent, false);
    let role = admin
        .post(&format!("/staff/{}/role", agent.id), &[("role", "admin_agent")])
        .await;
    assert_eq!(
        banner_after(&admin, role).await,
        "agent@partner.example is now Admin agent."
    );
    let unlock = admin.post(&format!("/staff/{}/unlock", agent.id), &[]).await;
    assert_eq!(
        banner_after(&admin, unlock).await,
        "agent@partner.example can sign in again."
    );
    let removed = admin.post(&format!("/staff/{}/remove", agent.id), &[]).await;
    assert_eq!(
        banner_after(&admin, removed).await,
        "Removed agent@partner.example from your staff."
    );
}

#[tokio::test]
async fn the_banner_is_in_the_language_of_the_page_it_lands_on() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    client
        .post("/language", &[("lang", "zh-TW"), ("next", "/dashboard")])
        .await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 20).await;
    let e3 = subscription_id(&app, id, "ENTERPRISEPACK");
    let done = client
        .post(
            &format!("/customers/{id}/subscriptions/{e3}/add-seats"),
            &[("seats", "5"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(
        banner_after(&client, done).await,
        "已增加授權：5 × Office 365 E3（現為 25）。"
    );
}

/// Issue 13: a refused form starts with a summary of its errors, each a link to its field.
#[tokio::test]
async fn the_error_summary_links_to_each_field_at_fault() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    let refused = client
        .post_page(
            &format!("/customers/{id}/users"),
            &[
                ("first_name", ""),
                ("display_name", ""),
                ("alias", "bad..name"),
                ("domain", "contoso.example"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let links = refused.select("#error-summary a");
    assert!(links.len() >= 2, "{}", refused.text_of("#error-summary"));
    for link in links {
        let target = link.value().attr("href").unwrap().trim_start_matches('#');
        assert!(
            refused.has(&format!("#{target}[aria-invalid=true]")),
            "#{target} is the field at fault"
        );
    }
    let customer = client
        .post_page("/customers", &[("company_name", ""), ("domains", "")])
        .await;
    assert!(customer.has("#error-summary a[href='#company_name']"));
}
