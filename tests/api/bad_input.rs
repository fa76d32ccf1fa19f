//! Issue 10: input that used to end in a 500 gets a clear 4xx page instead: NUL bytes,
//! "next" targets with control characters, forged subscription ids, and two submits at once.

use futures_util::future::join_all;
use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{location, product_id, spawn_app, subscription_id, user_id, Client};

const BAD_REQUEST_TITLE: &str = "Something in the request was wrong";

async fn title_of(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let html = scraper::Html::parse_document(&response.text().await.unwrap());
    let h1 = scraper::Selector::parse("h1").unwrap();
    let title = html
        .select(&h1)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default();
    (status, title.trim().to_string())
}

#[tokio::test]
async fn a_nul_byte_in_any_form_field_is_a_400_page() {
    let app = spawn_app().await;
    let anonymous = app.client();
    let sign_in = anonymous
        .post("/sign-in", &[("email", "a\0@partner.example"), ("password", "x")])
        .await;
    assert_eq!(
        title_of(sign_in).await,
        (StatusCode::BAD_REQUEST, BAD_REQUEST_TITLE.into())
    );

    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let customer = client
        .post(
            "/customers",
            &[
                ("company_name", "Con\0toso"),
                ("domains", "contoso.com"),
                ("default_usage_location", "TW"),
            ],
        )
        .await;
    assert_eq!(
        title_of(customer).await,
        (StatusCode::BAD_REQUEST, BAD_REQUEST_TITLE.into())
    );
    let id = client.add_customer("Contoso", "contoso.com").await;
    let user = client
        .post(
            &format!("/customers/{id}/users"),
            &[
                ("display_name", "An\0na"),
                ("alias", "anna"),
                ("domain", "contoso.com"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(user.status(), StatusCode::BAD_REQUEST);
    let domain = client
        .post(&format!("/customers/{id}/domains"), &[("domain", "\0.com")])
        .await;
    assert_eq!(domain.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.number("SELECT count(*) FROM customer_users"), 0);
}

#[tokio::test]
async fn a_nul_byte_in_any_query_string_is_a_400_page() {
    let app = spawn_app().await;
    let anonymous = app.client();
    let (status, title) = title_of(anonymous.get("/sign-in?next=/%00").await).await;
    assert_eq!((status, title.as_str()), (StatusCode::BAD_REQUEST, BAD_REQUEST_TITLE));
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    for path in [
        "/customers?q=a%00b".to_string(),
        format!("/customers/{id}/users?q=%00"),
        format!("/customers/{id}/users/new?domain=%00"),
        "/activity?staff=%00".to_string(),
    ] {
        assert_eq!(client.get(&path).await.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    assert_eq!(
        client.get("/customers?q=%2500").await.status(),
        StatusCode::OK,
        "a percent sign is fine"
    );
}

/// Browsers drop tab, CR and LF from a URL, so `/\t/host` would be followed to `//host`.
#[tokio::test]
async fn next_with_control_characters_never_leaves_the_site_nor_fails() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "anna@partner.example", Role::GlobalAdmin, false);
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/\t\\evil.example",
    ] {
        let client = app.client();
        let page = client.page(&format!("/sign-in?next={}", urlencode(next))).await;
        assert_eq!(page.status, StatusCode::OK, "{next:?}");
        let hidden = page.select("form[action='/sign-in'] input[name=next]");
        assert_eq!(
            hidden.first().and_then(|e| e.value().attr("value")),
            Some("/dashboard"),
            "{next:?}"
        );
        let signed_in = client
            .post(
                "/sign-in",
                &[("email", &login.email), ("password", &login.password), ("next", next)],
            )
            .await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&signed_in), "/dashboard", "{next:?}");
    }
    let client = app.client();
    let nul = client
        .post(
            "/sign-in",
            &[("email", &login.email), ("password", &login.password), ("next", "/\0")],
        )
        .await;
    assert_eq!(nul.status(), StatusCode::BAD_REQUEST);
}

fn urlencode(value: &str) -> String {
    partnerdesk::url::encode_query_value(value)
}

/// A subscription id the customer does not have (another customer's, or none at all) is
/// ignored by Save and not found by Buy more: never a panic, never another customer's seats.
#[tokio::test]
async fn manage_licenses_with_a_foreign_or_unknown_subscription_is_ignored() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let ours = client.add_customer("Contoso", "contoso.com").await;
    let theirs = client.add_customer("Fabrikam", "fabrikam.com").await;
    client.buy(ours, "ENTERPRISEPACK", 5).await;
    client.buy(theirs, "ENTERPRISEPACK", 5).await;
    let foreign = subscription_id(&app, theirs, "ENTERPRISEPACK");
    client.add_user(ours, "Anna", "anna", "contoso.com", &[]).await;
    let anna = user_id(&app, "anna@contoso.com").to_string();
    for sub in [foreign.to_string(), "987654321".to_string()] {
        let save = client
            .post(
                &format!("/customers/{ours}/licenses"),
                &[
                    ("ids", &anna),
                    ("op", "save"),
                    (&format!("choice-{sub}"), "assign"),
                    (&format!("plans_initial-{sub}"), ""),
                    (&format!("plans-{sub}"), "EXCHANGE_S_ENTERPRISE"),
                ],
            )
            .await;
        assert_eq!(save.status(), StatusCode::OK, "subscription {sub}");
        let buy = client
            .post(
                &format!("/customers/{ours}/licenses"),
                &[
                    ("ids", &anna),
                    ("op", &format!("buy-{sub}")),
                    (&format!("buy_qty-{sub}"), "3"),
                ],
            )
            .await;
        assert_eq!(buy.status(), StatusCode::NOT_FOUND, "subscription {sub}");
    }
    assert_eq!(app.number("SELECT count(*) FROM licenses"), 0);
    assert_eq!(
        app.number(&format!(
            "SELECT quantity::bigint FROM subscriptions WHERE id = {foreign}"
        )),
        5
    );
}

/// Posts the same form from several clients at the same moment.
async fn all_at_once(clients: &[Client], path: &str, fields: &[(&str, &str)]) -> Vec<StatusCode> {
    let mut tokens = Vec::new();
    for client in clients {
        tokens.push(client.csrf().await);
    }
    let posts = clients.iter().zip(&tokens).map(|(client, token)| {
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        async move { client.post_raw(path, &all).await.status() }
    });
    join_all(posts).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_add_subscription_or_add_domain_submits_at_once_get_the_form_error() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = admin.add_customer("Contoso", "contoso.com").await;
    let mut clients = vec![admin];
    for _ in 0..7 {
        clients.push(app.signed_in(Role::GlobalAdmin).await.0);
    }
    let page = clients[0].page(&format!("/customers/{id}/subscriptions")).await;
    for sku in ["ENTERPRISEPACK", "STANDARDPACK", "EXCHANGESTANDARD"] {
        let product = product_id(&page, sku);
        let path = format!("/customers/{id}/subscriptions");
        let statuses = all_at_once(&clients, &path, &[("product_id", &product), ("quantity", "5")]).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(),
            1,
            "{sku}: {statuses:?}"
        );
        assert!(
            statuses
                .iter()
                .all(|s| [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY].contains(s)),
            "{sku}: {statuses:?}"
        );
    }
    assert_eq!(
        app.number(&format!("SELECT count(*) FROM subscriptions WHERE customer_id = {id}")),
        3
    );
    for domain in ["one.example", "two.example", "three.example"] {
        let path = format!("/customers/{id}/domains");
        let statuses = all_at_once(&clients, &path, &[("domain", domain)]).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(),
            1,
            "{domain}: {statuses:?}"
        );
        assert!(
            statuses
                .iter()
                .all(|s| [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY].contains(s)),
            "{domain}: {statuses:?}"
        );
    }
    let refused = clients[1]
        .post_page(&format!("/customers/{id}/domains"), &[("domain", "one.example")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text_of("#domain-error")
        .starts_with("Domain \"one.example\" already belongs to a customer."));
}

/// The upload form with the file's name exactly as given, which no browser library would send.
async fn upload_named(client: &Client, customer: i64, file_name: &str, file: &[u8]) -> StatusCode {
    let token = client.csrf().await;
    let mut body = Vec::new();
    for (name, value) in [("csrf_token", token.as_str()), ("encoding", "auto")] {
        body.extend(
            format!("--b0undary\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(
        format!(
            "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .bytes(),
    );
    body.extend_from_slice(file);
    body.extend(b"\r\n--b0undary--\r\n");
    client
        .http
        .post(client.url(&format!("/customers/{customer}/import")))
        .header("content-type", "multipart/form-data; boundary=b0undary")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_nul_byte_in_an_uploaded_file_or_its_name_is_never_a_500() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    let good = b"Display name,User name\r\nAnna,anna@contoso.com\r\n";
    let named = upload_named(&client, id, "users\0.csv", good).await;
    assert!(named.is_redirection() || named.is_client_error(), "{named}");
    let file = b"Display name,User name\r\nAn\0na,anna@contoso.com\r\nBo\0,b\0@contoso.com\r\n".to_vec();
    let plain = client.upload(id, "users.csv", file, "auto").await;
    let status = plain.status();
    assert!(status.is_redirection() || status.is_client_error(), "{status}");
    if status.is_redirection() {
        assert_eq!(client.page(&location(&plain)).await.status, StatusCode::OK);
    }
}
