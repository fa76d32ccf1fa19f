//! Issue 12, item 3: the list remembers where you were. Filter, search, page and page size
//! travel as a `back` parameter through every action and back link, which accepts only this
//! customer's own users-list URLs, and the way back names the place.

use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{insert_users, location, spawn_app, subscription_id, user_id, Client, TestApp};

/// Contoso with 60 "Bulk" users, 30 of them with Office 365 E3.
async fn contoso(app: &TestApp) -> (Client, i64, i64) {
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    client.buy(id, "ENTERPRISEPACK", 40).await;
    insert_users(app, id, "contoso.com", 60);
    let e3 = subscription_id(app, id, "ENTERPRISEPACK");
    app.execute(&format!(
        "INSERT INTO licenses (customer_id, user_id, subscription_id)
         SELECT {id}, id, {e3} FROM customer_users WHERE customer_id = {id} AND user_name ~ '[02468]@'"
    ));
    (client, id, e3)
}

fn place(id: i64) -> String {
    format!("/customers/{id}/users?filter=licensed&q=Bulk&page=2")
}

#[tokio::test]
async fn the_list_hands_its_place_to_the_selection_and_to_each_user() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let page = client.page(&place(id)).await;
    let back = page.select("#selection input[name=back]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    assert_eq!(back, place(id));
    let link = page.select("#users td.display-name a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(
        link.ends_with(
            "?back=/customers/{id}/users%3Ffilter%3Dlicensed%26q%3DBulk%26page%3D2"
                .replace("{id}", &id.to_string())
                .as_str()
        ),
        "{link}"
    );
    // The user's page names the way back, and Save returns to the same page with it.
    let user = client.page(&link).await;
    assert_eq!(
        user.text_of(".back-link"),
        "Back to users (Bulk · Licensed users · page 2)"
    );
    assert_eq!(
        user.select(".back-link")[0].value().attr("href"),
        Some(place(id).as_str())
    );
}

#[tokio::test]
async fn delete_and_cancel_come_back_to_the_same_place() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let victim = user_id(&app, "bulk2@contoso.com").to_string();
    let confirm = client
        .post_page(
            &format!("/customers/{id}/users/selection"),
            &[("user_id", &victim), ("action", "delete"), ("back", &place(id))],
        )
        .await;
    assert_eq!(
        confirm.select("#cancel")[0].value().attr("href"),
        Some(place(id).as_str())
    );
    assert_eq!(
        confirm.text_of(".back-link"),
        "Back to users (Bulk · Licensed users · page 2)"
    );
    let ids = confirm.select("input[name=ids]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let response = client
        .post(
            &format!("/customers/{id}/users/delete"),
            &[("ids", &ids), ("back", &place(id))],
        )
        .await;
    assert_eq!(location(&response), format!("{}&notice=deleted&count=1", place(id)));
    let list = client.page(&location(&response)).await;
    assert_eq!(
        list.text_of("#notice"),
        "1 user deleted. You can restore it from Deleted users within 30 days."
    );
    // 29 licensed "Bulk" users are left: page 2 holds the last four.
    assert_eq!(list.text_of(".pager-range"), "26–29 of 29");
}

#[tokio::test]
async fn nothing_selected_comes_back_to_the_same_place_as_an_error() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let response = client
        .post(
            &format!("/customers/{id}/users/selection"),
            &[("action", "delete"), ("back", &place(id))],
        )
        .await;
    assert_eq!(
        location(&response),
        format!("{}&notice=none-selected&count=0", place(id))
    );
    let list = client.page(&location(&response)).await;
    assert!(list.has("#notice.error[role=alert]"));
    assert_eq!(
        list.select("#filter option[selected]")[0].value().attr("value"),
        Some("licensed")
    );
    assert_eq!(list.select("#q")[0].value().attr("value"), Some("Bulk"));
}

#[tokio::test]
async fn reset_password_and_done_come_back_to_the_same_place() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let user = user_id(&app, "bulk4@contoso.com").to_string();
    let response = client
        .post(
            &format!("/customers/{id}/users/reset-password"),
            &[("ids", &user), ("back", &place(id))],
        )
        .await;
    let sheet = location(&response);
    assert!(
        sheet.starts_with("/credentials/") && sheet.contains("?back="),
        "{sheet}"
    );
    let page = client.page(&sheet).await;
    assert_eq!(
        page.text_of(".back-link"),
        "Back to users (Bulk · Licensed users · page 2)"
    );
    let back = page.select(".dismiss-form input[name=back]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let done = client
        .post(
            &format!("{}/dismiss", sheet.split('?').next().unwrap()),
            &[("back", &back)],
        )
        .await;
    assert_eq!(location(&done), format!("{}&notice=forgotten&count=0", place(id)));
    let list = client.page(&location(&done)).await;
    assert_eq!(
        list.text_of("#notice[role=status]"),
        "Done. The temporary passwords are no longer shown anywhere."
    );
}

#[tokio::test]
async fn manage_licenses_ends_with_a_named_way_back() {
    let app = spawn_app().await;
    let (client, id, e3) = contoso(&app).await;
    let product_place = format!("/customers/{id}/users?filter=lacks-{e3}&size=50");
    let user = user_id(&app, "bulk1@contoso.com").to_string();
    let manage = client
        .post_page(
            &format!("/customers/{id}/users/selection"),
            &[("user_id", &user), ("action", "licenses"), ("back", &product_place)],
        )
        .await;
    assert_eq!(
        manage.text_of(".back-link"),
        "Back to users (Does not have Office 365 E3)"
    );
    assert_eq!(
        manage.select("#cancel")[0].value().attr("href"),
        Some(product_place.as_str())
    );
    let ids = manage.select("input[name=ids]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let choice = format!("choice-{e3}");
    let updated = client
        .post_page(
            &format!("/customers/{id}/licenses"),
            &[
                ("ids", &ids),
                (&choice, "assign"),
                ("op", "save"),
                ("back", &product_place),
            ],
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(
        updated.select(".back-link")[0].value().attr("href"),
        Some(product_place.as_str())
    );
}

#[tokio::test]
async fn restore_comes_back_to_the_deleted_tab_page_it_was_on() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let ids: Vec<String> = (1..=30)
        .map(|n| user_id(&app, &format!("bulk{n}@contoso.com")).to_string())
        .collect();
    client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &ids.join(","))])
        .await;
    let deleted = client
        .page(&format!("/customers/{id}/users/deleted?size=25&page=2"))
        .await;
    let back = deleted.select("#restore-form input[name=back]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    assert_eq!(back, format!("/customers/{id}/users/deleted?page=2"));
    let response = client
        .post(
            &format!("/customers/{id}/users/restore"),
            &[("user_id", &ids[0]), ("back", &back)],
        )
        .await;
    let page = client.page(&location(&response)).await;
    assert_eq!(page.text_of(".back-link"), "Back to deleted users (page 2)");
}

#[tokio::test]
async fn back_refuses_other_sites_pages_and_customers() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let other = client.add_customer("Fabrikam", "fabrikam.com").await;
    let start = format!("/customers/{id}/users");
    for back in [
        "https://evil.example/".to_string(),
        "//evil.example/customers".to_string(),
        format!("/customers/{other}/users?page=2"),
        format!("/customers/{id}/subscriptions"),
        "/sign-out".to_string(),
    ] {
        let response = client
            .post(
                &format!("/customers/{id}/users/selection"),
                &[("action", "delete"), ("back", &back)],
            )
            .await;
        assert_eq!(
            location(&response),
            format!("{start}?notice=none-selected&count=0"),
            "{back}"
        );
        let user = user_id(&app, "bulk1@contoso.com");
        let page = client
            .page(&format!(
                "/customers/{id}/users/{user}?back={}",
                partnerdesk::url::encode_query_value(&back)
            ))
            .await;
        assert_eq!(page.text_of(".back-link"), "Back to users", "{back}");
        assert_eq!(page.select(".back-link")[0].value().attr("href"), Some(start.as_str()));
    }
}

#[tokio::test]
async fn the_way_back_is_named_in_chinese_with_full_width_brackets() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    client
        .post("/language", &[("lang", "zh-TW"), ("next", "/dashboard")])
        .await;
    let user = user_id(&app, "bulk1@contoso.com");
    let back = format!("/customers/{id}/users?filter=licensed&q=%E9%99%B3&page=2");
    let page = client
        .page(&format!(
            "/customers/{id}/users/{user}?back={}",
            partnerdesk::url::encode_query_value(&back)
        ))
        .await;
    assert_eq!(
        page.text_of(".back-link"),
        "回到使用者（陳 · 已授權的使用者 · 第 2 頁）"
    );
}

#[tokio::test]
async fn edit_user_saves_says_so_and_keeps_the_way_back() {
    let app = spawn_app().await;
    let (client, id, _) = contoso(&app).await;
    let user = user_id(&app, "bulk2@contoso.com");
    let path = format!("/customers/{id}/users/{user}");
    let response = client
        .post(
            &path,
            &[
                ("display_name", "陳美玲"),
                ("alias", "bulk2"),
                ("domain", "contoso.com"),
                ("usage_location", "TW"),
                ("org_role", "user"),
                ("back", &place(id)),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let saved = location(&response);
    assert!(saved.starts_with(&format!("{path}?saved=1&back=")), "{saved}");
    let page = client.page(&saved).await;
    assert_eq!(page.text_of("#notice[role=status]"), "Saved changes to 陳美玲.");
    assert_eq!(
        page.select(".back-link")[0].value().attr("href"),
        Some(place(id).as_str())
    );
    // Without a save, no banner.
    assert!(!client.page(&path).await.has("#notice"));
}
