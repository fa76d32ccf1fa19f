use diesel::prelude::*;
use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app, TestApp};

/// One seat in use, made the way the users screen does: a user row and a license row, in one
/// statement (so a refusal leaves neither).
fn seat_sql(customer_id: i64, sku: &str, user_name: &str) -> String {
    format!(
        "WITH u AS (INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash)
            VALUES ({customer_id}, 'User {user_name}', '{user_name}', 'TW', 'x') RETURNING id)
         INSERT INTO licenses (customer_id, user_id, subscription_id)
         SELECT {customer_id}, u.id, s.id FROM u, subscriptions s JOIN products p ON p.id = s.product_id
         WHERE s.customer_id = {customer_id} AND p.sku_part_number = '{sku}'"
    )
}

/// Seats in use, one new user each.
fn assign_seats(app: &TestApp, customer_id: i64, sku: &str, count: usize) {
    for i in 0..count {
        app.execute(&seat_sql(customer_id, sku, &format!("user{i}-{sku}@x.example")));
    }
}

#[tokio::test]
async fn a_bought_subscription_shows_quantity_assigned_and_available() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    let page = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(page.text_of("label[for=product_id]"), "Product");
    assert_eq!(page.text_of("label[for=quantity]"), "Quantity");
    assert_eq!(
        page.select("#product_id option[data-sku]").len(),
        16,
        "the whole catalogue is offered"
    );
    let headers = page.texts_of("#subscriptions th");
    assert!(headers.is_empty(), "no table before the first purchase");

    assert_eq!(
        location(&client.buy(id, "ENTERPRISEPACK", 25).await),
        format!("/customers/{id}/subscriptions")
    );
    assign_seats(&app, id, "ENTERPRISEPACK", 3);
    let page = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(
        page.texts_of("#subscriptions th")[..4],
        ["Product", "Quantity", "Assigned", "Available"]
    );
    let row = "#subscriptions tr[data-sku=ENTERPRISEPACK]";
    assert_eq!(page.text_of(&format!("{row} td.product")), "Office 365 E3");
    assert_eq!(page.text_of(&format!("{row} td.quantity")), "25");
    assert_eq!(page.text_of(&format!("{row} td.assigned")), "3");
    assert_eq!(page.text_of(&format!("{row} td.available")), "22");
    assert!(
        !page.has("#product_id option[data-sku=ENTERPRISEPACK]"),
        "a bought product is not offered again"
    );
    assert_eq!(page.select("#product_id option[data-sku]").len(), 15);
}

#[tokio::test]
async fn quantity_is_checked_and_a_product_is_bought_once() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    let page = client.page(&format!("/customers/{id}/subscriptions")).await;
    let product = crate::common::product_id(&page, "STANDARDPACK");
    for bad in ["0", "-5", "abc", "1000001", "2.5", ""] {
        let response = client
            .post(
                &format!("/customers/{id}/subscriptions"),
                &[("product_id", &product), ("quantity", bad)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let refused = client
        .post_page(
            &format!("/customers/{id}/subscriptions"),
            &[("product_id", &product), ("quantity", "ten")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text_of("#quantity-error").contains("\"ten\""));
    assert_eq!(
        refused.select("#quantity").first().unwrap().value().attr("value"),
        Some("ten")
    );
    let no_product = client
        .post_page(
            &format!("/customers/{id}/subscriptions"),
            &[("product_id", ""), ("quantity", "3")],
        )
        .await;
    assert_eq!(no_product.text_of("#product_id-error"), "Choose a product.");

    assert_eq!(client.buy(id, "STANDARDPACK", 10).await.status(), StatusCode::SEE_OTHER);
    let again = client
        .post_page(
            &format!("/customers/{id}/subscriptions"),
            &[("product_id", &product), ("quantity", "5")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text_of("#product_id-error").contains("already has Office 365 E1"));
}

#[tokio::test]
async fn quantity_can_go_up_and_down_but_never_below_the_seats_in_use() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 10).await;
    assign_seats(&app, id, "ENTERPRISEPACK", 4);
    let sub_id: i64 = app.number(&format!("SELECT id FROM subscriptions WHERE customer_id = {id}"));
    let path = format!("/customers/{id}/subscriptions/{sub_id}/quantity");
    assert_eq!(
        client
            .post(&path, &[("quantity", "40"), ("confirmed", "yes")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        client
            .post(&path, &[("quantity", "4"), ("confirmed", "yes")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let refused = client
        .post_page(&path, &[("quantity", "3"), ("confirmed", "yes")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.text_of(&format!("#quantity-{sub_id}-error"));
    assert!(error.contains("4 licenses are assigned"), "{error}");
    let page = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(page.text_of("tr[data-sku=ENTERPRISEPACK] td.quantity"), "4");
}

#[tokio::test]
async fn the_database_itself_refuses_to_oversell() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    let id = client.add_customer("Contoso", "contoso.example").await;
    client.buy(id, "ENTERPRISEPACK", 2).await;
    assign_seats(&app, id, "ENTERPRISEPACK", 2);
    // A user no one has yet, so that only the seat CHECK can refuse (not the unique user name).
    let third = diesel::sql_query(seat_sql(id, "ENTERPRISEPACK", "third@x.example"))
        .execute(&mut app.conn())
        .expect_err("a third license on two seats is refused")
        .to_string();
    assert!(
        third.contains("subscriptions_seats_check"),
        "refused by the seat constraint, not by {third}"
    );
    assert_eq!(
        app.number("SELECT count(*) FROM customer_users WHERE user_name = 'third@x.example'"),
        0,
        "the refused statement leaves no user behind"
    );
    let lowered = diesel::sql_query(format!(
        "UPDATE subscriptions SET quantity = 1 WHERE customer_id = {id}"
    ))
    .execute(&mut app.conn())
    .expect_err("a quantity below the seats in use is refused")
    .to_string();
    assert!(lowered.contains("subscriptions_seats_check"), "{lowered}");
    let page = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(page.text_of("tr[data-sku=ENTERPRISEPACK] td.assigned"), "2");
}

#[tokio::test]
async fn another_partners_subscription_cannot_be_changed() {
    let app = spawn_app().await;
    let (owner, _) = app.signed_in_at("Owner", Role::GlobalAdmin).await;
    let id = owner.add_customer("Contoso", "contoso.example").await;
    owner.buy(id, "ENTERPRISEPACK", 5).await;
    let sub_id: i64 = app.number(&format!("SELECT id FROM subscriptions WHERE customer_id = {id}"));
    let (other, _) = app.signed_in_at("Other", Role::GlobalAdmin).await;
    let mine = other.add_customer("Mine", "mine.example").await;
    // Neither through the other customer's URL, nor through one's own customer id.
    for path in [
        format!("/customers/{id}/subscriptions/{sub_id}/quantity"),
        format!("/customers/{mine}/subscriptions/{sub_id}/quantity"),
    ] {
        assert_eq!(
            other
                .post(&path, &[("quantity", "500"), ("confirmed", "yes")])
                .await
                .status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let page = owner.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(page.text_of("tr[data-sku=ENTERPRISEPACK] td.quantity"), "5");
}
