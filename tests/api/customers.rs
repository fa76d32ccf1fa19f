use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, spawn_app};

#[tokio::test]
async fn add_customer_form_has_labelled_fields_with_the_default_location() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let page = client.page("/customers/new").await;
    assert_eq!(page.text_of("label[for=company_name]"), "Company name");
    assert_eq!(page.text_of("label[for=domains]"), "Domains");
    assert_eq!(
        page.text_of("label[for=default_usage_location]"),
        "Default usage location"
    );
    assert_eq!(
        page.select("#default_usage_location option").len(),
        250,
        "249 countries and a prompt"
    );
}

#[tokio::test]
async fn an_added_customer_appears_in_the_list_with_its_domains() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::SalesAgent).await;
    let id = client
        .add_customer("青山數位設計有限公司", "Qingshan.onmicrosoft.com\nqingshan.com.tw")
        .await;
    let list = client.page("/customers").await;
    assert_eq!(
        list.texts_of("#customers tbody td:first-child"),
        vec!["青山數位設計有限公司"]
    );
    assert_eq!(
        list.text_of("#customers tbody td:nth-child(2)"),
        "qingshan.onmicrosoft.com"
    );
    let domains = client.page(&format!("/customers/{id}/domains")).await;
    let shown = domains.texts_of("#domains li");
    assert_eq!(shown.len(), 2);
    assert!(shown[0].starts_with("qingshan.onmicrosoft.com") && shown[0].contains("initial domain"));
    assert_eq!(shown[1], "qingshan.com.tw");
    let users = client.page(&format!("/customers/{id}")).await;
    assert_eq!(users.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn bad_input_comes_back_with_errors_next_to_the_fields_and_values_kept() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let page = client
        .post_page(
            "/customers",
            &[
                ("company_name", "  "),
                ("domains", "contoso..com\nok.example"),
                ("default_usage_location", "XX"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.text_of("#company_name-error"), "This field is required.");
    assert!(page.text_of("#domains-error").contains("contoso..com"));
    assert!(page.text_of("#default_usage_location-error").contains("XX"));
    assert_eq!(
        page.text_of("#domains"),
        "contoso..com ok.example",
        "typed domains are kept"
    );
    assert!(page.has("#company_name[aria-invalid=true]"));
    assert!(client.page("/customers").await.has("p.empty"), "nothing was written");
}

#[tokio::test]
async fn a_domain_belongs_to_one_customer_only() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    client.add_customer("Contoso", "contoso.onmicrosoft.com").await;
    let page = client
        .post_page(
            "/customers",
            &[
                ("company_name", "Contoso Copy"),
                ("domains", "other.example\nCONTOSO.onmicrosoft.com"),
                ("default_usage_location", "DE"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text_of("#domains-error").contains("contoso.onmicrosoft.com"));
    assert_eq!(
        page.select("#company_name").first().unwrap().value().attr("value"),
        Some("Contoso Copy")
    );
    // Even a partner of its own cannot take it.
    let (rival, _) = app.signed_in_at("Rival Partner", Role::GlobalAdmin).await;
    let response = rival
        .post(
            "/customers",
            &[
                ("company_name", "Rival"),
                ("domains", "contoso.onmicrosoft.com"),
                ("default_usage_location", "TW"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_domain_can_be_added_later_and_is_checked() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = client.add_customer("Contoso", "contoso.onmicrosoft.com").await;
    let ok = client
        .post(&format!("/customers/{id}/domains"), &[("domain", "Contoso.com")])
        .await;
    assert_eq!(location(&ok), format!("/customers/{id}/domains"));
    let bad = client
        .post_page(&format!("/customers/{id}/domains"), &[("domain", "contoso.com")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text_of("#domain-error").contains("already belongs"));
    assert_eq!(bad.texts_of("#domains li").len(), 2);
}

#[tokio::test]
async fn customers_are_searched_by_name_or_domain_and_paged() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    for i in 0..27 {
        client
            .add_customer(&format!("Company {i:02}"), &format!("company{i:02}.example"))
            .await;
    }
    client.add_customer("Café 50% Lumière", "cafelumiere.example").await;
    let first = client.page("/customers").await;
    assert_eq!(first.select("#customers tbody tr").len(), 25);
    assert_eq!(first.text_of(".pager-range"), "1–25 of 28");
    let last = client.page("/customers?page=2").await;
    assert_eq!(last.select("#customers tbody tr").len(), 3);
    assert!(last.has(".pager a[rel=prev]"));
    assert_eq!(
        client
            .page("/customers?q=lumi%C3%A8re")
            .await
            .texts_of("#customers tbody td:first-child"),
        vec!["Café 50% Lumière"]
    );
    assert_eq!(
        client
            .page("/customers?q=company07.example")
            .await
            .texts_of("#customers tbody td:first-child"),
        vec!["Company 07"]
    );
    assert_eq!(
        client
            .page("/customers?q=50%25")
            .await
            .select("#customers tbody tr")
            .len(),
        1,
        "% is literal"
    );
}

#[tokio::test]
async fn another_partners_customer_is_not_found() {
    let app = spawn_app().await;
    let (owner, _) = app.signed_in_at("Owner Partner", Role::GlobalAdmin).await;
    let id = owner.add_customer("Secret Corp", "secret.example").await;
    let (other, _) = app.signed_in_at("Other Partner", Role::GlobalAdmin).await;
    for tab in ["users", "subscriptions", "domains"] {
        let page = other.page(&format!("/customers/{id}/{tab}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{tab}");
        assert!(!page.text.contains("Secret Corp"));
    }
    let post = other
        .post(&format!("/customers/{id}/domains"), &[("domain", "stolen.example")])
        .await;
    assert_eq!(post.status(), StatusCode::NOT_FOUND);
    assert!(!other.page("/customers").await.text.contains("Secret Corp"));
}

#[tokio::test]
async fn customer_names_are_escaped_in_html() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    client.add_customer("<script>alert(1)</script>", "xss.example").await;
    let page = client.page("/customers").await;
    assert!(!page.text.contains("<script>alert(1)</script>"));
    assert_eq!(
        page.text_of("#customers tbody td:first-child"),
        "<script>alert(1)</script>",
        "shown as text"
    );
}
