//! Issue: the Users and licenses screen. Adding, listing, filtering, editing, resetting
//! passwords, deleting, restoring and purging users over HTTP.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::auth::{password, Role};
use reqwest::StatusCode;

use crate::common::{insert_users, location, spawn_app, subscription_id, user_id, Client, TestApp};

async fn customer_with_e3(app: &TestApp, seats: i32) -> (Client, i64, i64) {
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client
        .add_customer("Contoso", "contoso.onmicrosoft.com\ncontoso.com")
        .await;
    client.buy(id, "ENTERPRISEPACK", seats).await;
    let sub = subscription_id(app, id, "ENTERPRISEPACK");
    (client, id, sub)
}

fn stored_hash(app: &TestApp, user_name: &str) -> String {
    diesel::dsl::sql::<diesel::sql_types::Text>(&format!(
        "SELECT password_hash FROM customer_users WHERE user_name = '{user_name}' AND deleted_at IS NULL"
    ))
    .get_result(&mut app.conn())
    .unwrap()
}

#[tokio::test]
async fn add_user_form_has_every_labelled_field_and_the_default_location() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    // Japan, not Taiwan: the customer form preselects TW, so TW here could come from anywhere.
    let id = client
        .add_customer_in("Contoso", "contoso.onmicrosoft.com\ncontoso.com", "JP")
        .await;
    client.buy(id, "ENTERPRISEPACK", 5).await;
    let page = client.page(&format!("/customers/{id}/users/new")).await;
    for (field, label) in [
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("display_name", "Display name"),
        ("alias", "User name"),
        ("domain", "Domain"),
        ("usage_location", "Usage location"),
        ("org_role", "Role"),
    ] {
        assert_eq!(page.text_of(&format!("label[for={field}]")), label, "{field}");
        assert!(page.has(&format!("#{field}")), "{field}");
    }
    assert_eq!(
        page.select("#usage_location option[selected]")
            .iter()
            .filter_map(|o| o.value().attr("value"))
            .collect::<Vec<_>>(),
        ["JP"],
        "the customer's default location, and only it"
    );
    assert_eq!(
        page.texts_of("#domain option"),
        ["contoso.onmicrosoft.com", "contoso.com"]
    );
    assert!(page
        .text_of("#org_role option[selected]")
        .contains("Can use licenses and services"));
    assert!(page
        .text_of("fieldset.products")
        .contains("Office 365 E3 (5 available)"));
    assert_eq!(page.text_of("button[value=save]"), "Save");
    assert_eq!(page.text_of("button[value=another]"), "Add another user");
}

#[tokio::test]
async fn an_added_user_gets_its_licenses_and_a_temporary_password_shown_once() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 5).await;
    let response = client
        .add_user_with(
            id,
            &[
                ("first_name", "小明"),
                ("last_name", "王"),
                ("display_name", "王小明"),
                ("alias", "Xiaoming.Wang"),
                ("domain", "contoso.com"),
                ("usage_location", "TW"),
                ("org_role", "user"),
            ],
            &[sub],
            "save",
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let credentials_url = location(&response);
    assert!(credentials_url.starts_with("/credentials/"));
    let raw = client.get(&credentials_url).await;
    assert_eq!(raw.headers().get("cache-control").unwrap(), "no-store");
    let page = client.page(&credentials_url).await;
    let shown = page.credentials();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].display_name, "王小明");
    assert_eq!(shown[0].user_name, "Xiaoming.Wang@contoso.com");
    assert_eq!(shown[0].password.len(), 16);
    assert!(password::verify(
        &shown[0].password,
        &stored_hash(&app, "Xiaoming.Wang@contoso.com")
    ));

    let list = client.page(&format!("/customers/{id}/users")).await;
    assert_eq!(list.text_of("#users td.display-name"), "王小明");
    assert_eq!(list.text_of("#users td.licenses"), "Office 365 E3");
    assert_eq!(list.text_of("#users td.usage-location"), "Taiwan");
    let subs = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(subs.text_of("tr[data-sku=ENTERPRISEPACK] td.assigned"), "1");

    let log: Vec<String> = diesel::dsl::sql::<diesel::sql_types::Text>("SELECT details::text FROM activity_log")
        .load(&mut app.conn())
        .unwrap();
    assert!(log.iter().any(|d| d.contains("Xiaoming.Wang@contoso.com")));
    assert!(
        log.iter().all(|d| !d.contains(&shown[0].password)),
        "no password in the activity log"
    );
    let at_rest: Vec<Vec<u8>> = diesel::dsl::sql::<diesel::sql_types::Bytea>("SELECT sealed FROM credential_sheets")
        .load(&mut app.conn())
        .unwrap();
    assert!(
        at_rest
            .iter()
            .all(|c| !c.windows(16).any(|w| w == shown[0].password.as_bytes())),
        "encrypted at rest"
    );
}

#[tokio::test]
async fn add_another_user_keeps_domain_and_location_and_lists_everyone_at_the_end() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    let fields = |name: &'static str, alias: &'static str| {
        vec![
            ("display_name", name),
            ("alias", alias),
            ("domain", "contoso.com"),
            ("usage_location", "DE"),
            ("org_role", "user"),
        ]
    };
    let first = client
        .add_user_with(id, &fields("Anna Lee", "anna"), &[], "another", None)
        .await;
    let next = location(&first);
    assert!(next.contains("/users/new?run="), "{next}");
    let form = client.page(&next).await;
    assert!(form.has("#domain option[value='contoso.com'][selected]"));
    assert!(form.has("#usage_location option[value=DE][selected]"));
    assert!(form.text_of("#run-status").contains("1 user added"));
    assert_eq!(
        form.select("#display_name").first().unwrap().value().attr("value"),
        Some("")
    );
    let run = form
        .select("input[name=run]")
        .first()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let second = client
        .add_user_with(id, &fields("Björn Berg", "bjorn"), &[], "save", Some(&run))
        .await;
    let page = client.page(&location(&second)).await;
    let names: Vec<String> = page.credentials().into_iter().map(|c| c.user_name).collect();
    assert_eq!(names, ["anna@contoso.com", "bjorn@contoso.com"]);
}

#[tokio::test]
async fn bad_user_names_are_explained_next_to_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    for (alias, domain, expected) in [
        ("anna..lee", "contoso.com", "two periods in a row"),
        (".anna", "contoso.com", "may not start with a period"),
        ("anna lee", "contoso.com", "\" \" is not allowed"),
        ("anna", "fabrikam.com", "is not one of this customer's domains"),
    ] {
        let response = client
            .add_user_with(
                id,
                &[
                    ("first_name", "Anna"),
                    ("display_name", "Anna Lee"),
                    ("alias", alias),
                    ("domain", domain),
                    ("usage_location", "TW"),
                ],
                &[],
                "save",
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{alias}");
        let html = scraper::Html::parse_document(&response.text().await.unwrap());
        let page = crate::common::Page {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            html,
            text: String::new(),
        };
        assert!(
            page.text_of("#alias-error").contains(expected),
            "{alias}: {}",
            page.text_of("#alias-error")
        );
        assert_eq!(
            page.select("#first_name").first().unwrap().value().attr("value"),
            Some("Anna"),
            "typed values kept"
        );
        assert_eq!(
            page.select("#alias").first().unwrap().value().attr("value"),
            Some(alias)
        );
    }
    let missing = client
        .add_user_with(id, &[("alias", "x"), ("domain", "contoso.com")], &[], "save", None)
        .await;
    let text = missing.text().await.unwrap();
    assert!(text.contains("id=\"display_name-error\""), "display name is required");
    let count: i64 = app.number("SELECT count(*) FROM customer_users");
    assert_eq!(count, 0);
}

/// Bidi overrides and zero-width spaces can make a name read backwards or pass for another;
/// the joiners Persian and Indic names need are kept.
#[tokio::test]
async fn names_with_bidi_controls_or_zero_width_spaces_are_refused_next_to_the_field() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    let fields = [
        ("first_name", "Anna\u{200B}"),
        ("display_name", "Anna \u{202E}eeL"),
        ("alias", "anna"),
        ("domain", "contoso.com"),
        ("usage_location", "TW"),
    ];
    let response = client.add_user_with(id, &fields, &[], "save", None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::common::Page {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        html: scraper::Html::parse_document(&response.text().await.unwrap()),
        text: String::new(),
    };
    assert_eq!(
        page.text_of("#display_name-error"),
        "\"Anna [U+202E]eeL\" contains the invisible character U+202E, which can make a name read backwards or pass for another; remove it (retype the name if you cannot see where it is)."
    );
    assert!(page.text_of("#first_name-error").contains("U+200B"));
    assert_eq!(
        page.select("#display_name")
            .first()
            .unwrap()
            .value()
            .attr("aria-describedby"),
        Some("display_name-error")
    );

    client.post("/language", &[("lang", "zh-TW")]).await;
    let zh = client.add_user_with(id, &fields, &[], "save", None).await;
    assert_eq!(zh.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zh.text().await.unwrap().contains("含有看不見的字元 U+202E"));
    assert_eq!(app.number("SELECT count(*) FROM customer_users"), 0);

    client
        .add_user(id, "علی\u{200C}رضا", "alireza", "contoso.com", &[])
        .await;
    assert_eq!(
        app.number("SELECT count(*) FROM customer_users WHERE display_name = 'علی\u{200C}رضا'"),
        1,
        "the zero-width non-joiner stays in the name"
    );
}

#[tokio::test]
async fn user_names_are_unique_among_active_users_ignoring_case() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    client.add_user(id, "Anna", "Anna.Lee", "contoso.com", &[]).await;
    let again = client
        .add_user_with(
            id,
            &[
                ("display_name", "Other Anna"),
                ("alias", "anna.lee"),
                ("domain", "CONTOSO.COM"),
            ],
            &[],
            "save",
            None,
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("is already used by another user"));
    // The same alias on the other domain is another user name.
    client
        .add_user(id, "Anna at onmicrosoft", "anna.lee", "contoso.onmicrosoft.com", &[])
        .await;
    // Another customer may have its own anna.lee.
    let other = client.add_customer("Fabrikam", "fabrikam.com").await;
    client.add_user(other, "Anna", "anna.lee", "fabrikam.com", &[]).await;
}

#[tokio::test]
async fn a_license_without_a_free_seat_refuses_the_whole_user() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 1).await;
    client.add_user(id, "First", "first", "contoso.com", &[sub]).await;
    let response = client
        .add_user_with(
            id,
            &[
                ("display_name", "Second"),
                ("alias", "second"),
                ("domain", "contoso.com"),
                ("usage_location", "TW"),
            ],
            &[sub],
            "save",
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("Not enough licenses for Office 365 E3: 1 needed, 0 available."),
        "{text}"
    );
    let list = client.page(&format!("/customers/{id}/users")).await;
    assert_eq!(
        list.texts_of("#users td.display-name"),
        ["First"],
        "nothing half-written"
    );
    let no_location = client
        .add_user_with(
            id,
            &[
                ("display_name", "Nowhere"),
                ("alias", "nowhere"),
                ("domain", "contoso.com"),
                ("usage_location", ""),
            ],
            &[sub],
            "save",
            None,
        )
        .await;
    assert!(no_location
        .text()
        .await
        .unwrap()
        .contains("licenses cannot be assigned to a user with no usage location"));
}

#[tokio::test]
async fn the_list_filters_searches_and_pages_with_everything_in_the_url() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 5).await;
    client.add_user(id, "Licensed Lin", "lin", "contoso.com", &[sub]).await;
    client.add_user(id, "Plain Pat", "pat", "contoso.com", &[]).await;
    let admin = client
        .add_user_with(
            id,
            &[
                ("display_name", "Boss Bo"),
                ("alias", "bo"),
                ("domain", "contoso.com"),
                ("org_role", "global_admin"),
            ],
            &[],
            "save",
            None,
        )
        .await;
    assert_eq!(admin.status(), StatusCode::SEE_OTHER);
    let bo = user_id(&app, "bo@contoso.com");
    let blocked = client
        .post(
            &format!("/customers/{id}/users/{bo}"),
            &[
                ("display_name", "Boss Bo"),
                ("alias", "bo"),
                ("domain", "contoso.com"),
                ("org_role", "global_admin"),
                ("sign_in_blocked", "on"),
            ],
        )
        .await;
    assert_eq!(blocked.status(), StatusCode::SEE_OTHER);

    let names = |page: crate::common::Page| page.texts_of("#users td.display-name a");
    let base = format!("/customers/{id}/users");
    assert_eq!(
        names(client.page(&format!("{base}?filter=licensed")).await),
        ["Licensed Lin"]
    );
    assert_eq!(
        names(client.page(&format!("{base}?filter=unlicensed")).await),
        ["Boss Bo", "Plain Pat"]
    );
    assert_eq!(
        names(client.page(&format!("{base}?filter=has-{sub}")).await),
        ["Licensed Lin"]
    );
    assert_eq!(
        names(client.page(&format!("{base}?filter=lacks-{sub}")).await),
        ["Boss Bo", "Plain Pat"]
    );
    assert_eq!(names(client.page(&format!("{base}?filter=admins")).await), ["Boss Bo"]);
    assert_eq!(names(client.page(&format!("{base}?filter=blocked")).await), ["Boss Bo"]);
    assert_eq!(names(client.page(&format!("{base}?q=PAT")).await), ["Plain Pat"]);
    assert_eq!(
        names(client.page(&format!("{base}?q=lin%40contoso")).await),
        ["Licensed Lin"]
    );

    insert_users(&app, id, "contoso.com", 60);
    let page = client.page(&format!("{base}?q=bulk&size=25&page=2")).await;
    assert_eq!(page.select("#users tbody tr").len(), 25);
    assert_eq!(page.text_of("#users td.display-name"), "Bulk 0026");
    assert!(page.has("#q[value=bulk]") && page.has("#size option[value='25'][selected]"));
    let last = page
        .select(".pager a")
        .iter()
        .find(|a| a.text().collect::<String>() == "Last")
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(last.contains("q=bulk") && last.contains("page=3"), "{last}");
    assert_eq!(client.page(&last).await.select("#users tbody tr").len(), 10);
    assert!(page
        .text_of("label[for=all_matching]")
        .contains("Select all 60 users that match"));
}

#[tokio::test]
async fn select_all_that_match_reaches_beyond_the_visible_page() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    insert_users(&app, id, "contoso.com", 40);
    client.add_user(id, "Keep Me", "keep", "contoso.com", &[]).await;
    let confirm = client
        .post_page(
            &format!("/customers/{id}/users/selection"),
            &[
                ("all_matching", "1"),
                ("filter", "all"),
                ("q", "bulk"),
                ("action", "delete"),
            ],
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.text.contains("Delete these 40 users?"));
    let ids = confirm
        .select("input[name=ids]")
        .first()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let done = client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &ids)])
        .await;
    assert_eq!(
        location(&done),
        format!("/customers/{id}/users?notice=deleted&count=40")
    );
    let list = client.page(&location(&done)).await;
    assert!(list.text_of("#notice").starts_with("40 users deleted"));
    assert_eq!(list.texts_of("#users td.display-name a"), ["Keep Me"]);
    assert_eq!(list.text_of("#deleted-tab"), "Deleted users (40)");
}

/// The user ids of the first page of 25, as the page's hidden `page_ids` fields carry them.
async fn rows_on_page(client: &Client, customer: i64) -> Vec<String> {
    let page = client.page(&format!("/customers/{customer}/users?size=25")).await;
    page.select("input[name=page_ids]")
        .iter()
        .map(|e| e.value().attr("value").unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_page_check_box_selects_the_page_without_javascript() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    insert_users(&app, id, "contoso.com", 30);
    let page_ids = rows_on_page(&client, id).await;
    assert_eq!(page_ids.len(), 25);
    let mut fields: Vec<(&str, &str)> = page_ids.iter().map(|v| ("page_ids", v.as_str())).collect();
    fields.push(("page_all", "1"));
    fields.push(("action", "reset"));
    let confirm = client
        .post_page(&format!("/customers/{id}/users/selection"), &fields)
        .await;
    assert!(confirm.text.contains("these 25 users"), "{}", confirm.text_of("p"));
    let nothing = client
        .post(&format!("/customers/{id}/users/selection"), &[("action", "delete")])
        .await;
    assert_eq!(
        location(&nothing),
        format!("/customers/{id}/users?notice=none-selected&count=0")
    );
}

#[tokio::test]
async fn ticked_rows_win_over_the_page_box_and_all_that_match_is_said_on_the_confirmation() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    insert_users(&app, id, "contoso.com", 30);
    let page_ids = rows_on_page(&client, id).await;
    // The page's box arrives with 24 ticked rows (one was unticked): those 24, not the page.
    let mut fields: Vec<(&str, &str)> = page_ids.iter().map(|v| ("page_ids", v.as_str())).collect();
    fields.extend(page_ids[1..].iter().map(|v| ("user_id", v.as_str())));
    fields.push(("page_all", "1"));
    fields.push(("action", "reset"));
    let confirm = client
        .post_page(&format!("/customers/{id}/users/selection"), &fields)
        .await;
    assert!(confirm.text.contains("these 24 users"), "{}", confirm.text_of("main"));
    assert!(!confirm.has("#all-matching"));

    // "All that match" is an explicit choice: it wins over the rows and the page says so.
    fields.push(("all_matching", "1"));
    fields.push(("filter", "all"));
    let all = client
        .post_page(&format!("/customers/{id}/users/selection"), &fields)
        .await;
    assert!(all.text.contains("these 30 users"), "{}", all.text_of("main"));
    assert!(all.text_of("#all-matching").contains("all 30 users that match"));

    // Nothing selected is an error, shown as one.
    let nothing = client
        .post(&format!("/customers/{id}/users/selection"), &[("action", "reset")])
        .await;
    let list = client.page(&location(&nothing)).await;
    assert_eq!(
        list.text_of("p.alert.error[role=alert]#notice"),
        "Select at least one user first."
    );
}

#[tokio::test]
async fn user_details_edit_with_the_same_rules() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 5).await;
    client.add_user(id, "Anna Lee", "anna", "contoso.com", &[sub]).await;
    client.add_user(id, "Ben", "ben", "contoso.com", &[]).await;
    let anna = user_id(&app, "anna@contoso.com");
    let page = client.page(&format!("/customers/{id}/users/{anna}")).await;
    assert_eq!(page.text_of("#user-name"), "anna@contoso.com");
    assert_eq!(page.text_of("#user-licenses"), "Office 365 E3");
    let buttons = page.texts_of(".user-actions button");
    assert_eq!(
        buttons,
        ["Manage licenses", "Reset password", "Delete user account"],
        "at the bottom, as in Partner Center"
    );

    let path = format!("/customers/{id}/users/{anna}");
    let clash = client
        .post_page(
            &path,
            &[
                ("display_name", "Anna Lee"),
                ("alias", "BEN"),
                ("domain", "contoso.com"),
                ("usage_location", "TW"),
            ],
        )
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(clash.text_of("#alias-error").contains("already used"));
    let no_location = client
        .post_page(
            &path,
            &[
                ("display_name", "Anna Lee"),
                ("alias", "anna"),
                ("domain", "contoso.com"),
                ("usage_location", ""),
            ],
        )
        .await;
    assert!(no_location.text_of("#usage_location-error").contains("has licenses"));
    let ok = client
        .post(
            &path,
            &[
                ("first_name", "Anna"),
                ("display_name", "Anna Lee-Chen"),
                ("alias", "anna.chen"),
                ("domain", "contoso.onmicrosoft.com"),
                ("usage_location", "JP"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let page = client.page(&format!("/customers/{id}/users/{anna}")).await;
    assert_eq!(page.text_of("h1"), "Anna Lee-Chen");
    assert_eq!(page.text_of("#user-name"), "anna.chen@contoso.onmicrosoft.com");
    assert!(page.has("#usage_location option[value=JP][selected]"));
}

#[tokio::test]
async fn reset_password_gives_new_temporary_passwords_and_respects_roles() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    client
        .add_user_with(
            id,
            &[
                ("display_name", "Admin Al"),
                ("alias", "al"),
                ("domain", "contoso.com"),
                ("org_role", "user_admin"),
            ],
            &[],
            "save",
            None,
        )
        .await;
    let (anna, al) = (user_id(&app, "anna@contoso.com"), user_id(&app, "al@contoso.com"));
    let old_hash = stored_hash(&app, "anna@contoso.com");

    let (helpdesk, _) = app.signed_in(Role::HelpdeskAgent).await;
    // Same partner as the admin agent? signed_in uses "Test Partner" for both.
    let confirm = helpdesk
        .post_page(
            &format!("/customers/{id}/users/selection"),
            &[("user_id", &anna.to_string()), ("action", "reset")],
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let done = helpdesk
        .post(
            &format!("/customers/{id}/users/reset-password"),
            &[("ids", &anna.to_string())],
        )
        .await;
    let sheet = helpdesk.page(&location(&done)).await;
    let shown = sheet.credentials();
    assert_eq!(shown.len(), 1);
    let new_hash = stored_hash(&app, "anna@contoso.com");
    assert_ne!(old_hash, new_hash);
    assert!(password::verify(&shown[0].password, &new_hash));

    let refused = helpdesk
        .post_page(
            &format!("/customers/{id}/users/reset-password"),
            &[("ids", &format!("{anna},{al}"))],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "helpdesk agents may not reset admins"
    );
    assert!(refused.text_of(".needed-roles").contains("Global admin, Admin agent"));
    assert_eq!(stored_hash(&app, "anna@contoso.com"), new_hash, "nothing changed");

    let (sales, _) = app.signed_in(Role::SalesAgent).await;
    let sales_try = sales
        .post(
            &format!("/customers/{id}/users/reset-password"),
            &[("ids", &anna.to_string())],
        )
        .await;
    assert_eq!(sales_try.status(), StatusCode::FORBIDDEN);
    let admin_reset = client
        .post(
            &format!("/customers/{id}/users/reset-password"),
            &[("ids", &al.to_string())],
        )
        .await;
    assert_eq!(admin_reset.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn deleting_releases_seats_and_restoring_gives_them_back() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 2).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[sub]).await;
    let anna = user_id(&app, "anna@contoso.com");
    let deleted = client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &anna.to_string())])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let subs = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(
        subs.text_of("tr[data-sku=ENTERPRISEPACK] td.assigned"),
        "0",
        "seats released at once"
    );

    let tab = client.page(&format!("/customers/{id}/users/deleted")).await;
    assert_eq!(tab.text_of("#deleted-tab"), "Deleted users (1)");
    assert_eq!(tab.text_of("#deleted-users td.user-name"), "anna@contoso.com");
    assert_eq!(tab.text_of("#deleted-users td.days-left"), "30");
    assert!(
        tab.text_of("#deleted-users tbody tr").contains("admin_agent-"),
        "deleted by"
    );

    let restored = client
        .post(
            &format!("/customers/{id}/users/restore"),
            &[("user_id", &anna.to_string())],
        )
        .await;
    let page = client.page(&location(&restored)).await;
    assert_eq!(page.credentials().len(), 1);
    assert!(!page.has("#notes"), "the license came back");
    assert!(password::verify(
        &page.credentials()[0].password,
        &stored_hash(&app, "anna@contoso.com")
    ));
    let list = client.page(&format!("/customers/{id}/users")).await;
    assert_eq!(list.text_of("#users td.licenses"), "Office 365 E3");
}

#[tokio::test]
async fn restore_without_free_seats_restores_the_user_without_the_license() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 1).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[sub]).await;
    let anna = user_id(&app, "anna@contoso.com");
    client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &anna.to_string())])
        .await;
    client.add_user(id, "Ben", "ben", "contoso.com", &[sub]).await;
    let restored = client
        .post(
            &format!("/customers/{id}/users/restore"),
            &[("user_id", &anna.to_string())],
        )
        .await;
    let page = client.page(&location(&restored)).await;
    assert_eq!(page.credentials()[0].user_name, "anna@contoso.com");
    let note = page.text_of("#notes li");
    assert!(
        note.contains("Office 365 E3 not restored for anna@contoso.com: no available licenses."),
        "{note}"
    );
    assert!(
        page.has(&format!("#notes a[href='/customers/{id}/subscriptions']")),
        "Buy more"
    );
    let subs = client.page(&format!("/customers/{id}/subscriptions")).await;
    assert_eq!(subs.text_of("tr[data-sku=ENTERPRISEPACK] td.assigned"), "1");
}

#[tokio::test]
async fn a_reused_name_blocks_restore_until_a_new_name_is_chosen() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    client.add_user(id, "Old Anna", "anna", "contoso.com", &[]).await;
    let old = user_id(&app, "anna@contoso.com");
    client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &old.to_string())])
        .await;
    client.add_user(id, "New Anna", "ANNA", "contoso.com", &[]).await;

    let attempt = client
        .post(
            &format!("/customers/{id}/users/restore"),
            &[("user_id", &old.to_string())],
        )
        .await;
    let page = client.page(&location(&attempt)).await;
    assert!(page.credentials().is_empty());
    assert!(page.text_of("#notes").contains("anna@contoso.com was not restored"));
    let link = format!("/customers/{id}/users/{old}/restore-as");
    assert!(page.has(&format!("#notes a[href='{link}']")));
    let form = client.page(&link).await;
    assert_eq!(form.text_of("label[for=alias]"), "New user name");
    let still_taken = client
        .post_page(&link, &[("alias", "anna"), ("domain", "contoso.com")])
        .await;
    assert_eq!(still_taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(still_taken.text_of("#alias-error").contains("already used"));
    let renamed = client
        .post(&link, &[("alias", "anna.old"), ("domain", "contoso.com")])
        .await;
    let sheet = client.page(&location(&renamed)).await;
    assert_eq!(sheet.credentials()[0].user_name, "anna.old@contoso.com");
    let list = client.page(&format!("/customers/{id}/users")).await;
    assert_eq!(
        list.texts_of("#users td.user-name"),
        ["ANNA@contoso.com", "anna.old@contoso.com"]
    );
}

#[tokio::test]
async fn the_thirty_day_window_on_both_sides_and_purge() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    client.add_user(id, "Early", "early", "contoso.com", &[]).await;
    client.add_user(id, "Late", "late", "contoso.com", &[]).await;
    let (early, late) = (user_id(&app, "early@contoso.com"), user_id(&app, "late@contoso.com"));
    client
        .post(
            &format!("/customers/{id}/users/delete"),
            &[("ids", &format!("{early},{late}"))],
        )
        .await;

    app.clock.advance(Duration::days(30) - Duration::minutes(1));
    let (client, _) = app.signed_in(Role::GlobalAdmin).await; // the old session went idle
    let tab = client.page(&format!("/customers/{id}/users/deleted")).await;
    assert_eq!(tab.texts_of("#deleted-users td.days-left"), ["1", "1"], "last day");
    let restored = client
        .post(
            &format!("/customers/{id}/users/restore"),
            &[("user_id", &early.to_string())],
        )
        .await;
    assert_eq!(
        client.page(&location(&restored)).await.credentials().len(),
        1,
        "still restorable one minute before"
    );

    app.clock.advance(Duration::minutes(2));
    let (client, _) = app.signed_in(Role::GlobalAdmin).await;
    let tab = client.page(&format!("/customers/{id}/users/deleted")).await;
    assert!(tab.has("p.empty"), "gone from the tab after 30 days");
    assert_eq!(tab.text_of("#deleted-tab"), "Deleted users (0)");
    let too_late = client
        .post(
            &format!("/customers/{id}/users/restore"),
            &[("user_id", &late.to_string())],
        )
        .await;
    assert_eq!(location(&too_late), format!("/customers/{id}/users/deleted"));

    let purged = {
        let mut conn = app.conn();
        partnerdesk::jobs::purge::run_once(&mut conn, &app.clock).unwrap()
    };
    assert_eq!(purged.users, 1);
    let left: i64 = app.number(&format!("SELECT count(*) FROM customer_users WHERE id = {late}"));
    assert_eq!(left, 0);
    let log = client.page("/activity?action=users_purged").await;
    assert_eq!(log.select("#activity tbody tr").len(), 1);
}

#[tokio::test]
async fn global_admins_delete_permanently_after_typing_the_name() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = admin.add_customer("Contoso", "contoso.com").await;
    admin.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let anna = user_id(&app, "anna@contoso.com");
    admin
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &anna.to_string())])
        .await;
    let path = format!("/customers/{id}/users/{anna}/purge");

    let (agent, _) = app.signed_in(Role::AdminAgent).await;
    assert_eq!(
        agent
            .post(&path, &[("confirm_user_name", "anna@contoso.com")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(!agent
        .page(&format!("/customers/{id}/users/deleted"))
        .await
        .has(".purge-form"));

    let wrong = admin.post_page(&path, &[("confirm_user_name", "anna")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .text_of(&format!("#purge-{anna}-error"))
        .contains("anna@contoso.com"));
    let tab = |page: crate::common::Page| page.text_of("#deleted-tab");
    assert_eq!(
        tab(admin.page(&format!("/customers/{id}/users")).await),
        "Deleted users (1)"
    );
    let done = admin.post(&path, &[("confirm_user_name", "ANNA@contoso.com")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert!(admin
        .page(&format!("/customers/{id}/users/deleted"))
        .await
        .has("p.empty"));
    // The Users tab counts the deleted users too, and hears of the removal at once.
    assert_eq!(
        tab(admin.page(&format!("/customers/{id}/users")).await),
        "Deleted users (0)"
    );
}

#[tokio::test]
async fn credentials_pages_are_for_their_maker_only_and_for_one_hour() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    let url = client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let (colleague, _) = app.signed_in(Role::GlobalAdmin).await;
    let theirs = colleague.page(&url).await;
    assert_eq!(theirs.status, StatusCode::GONE);
    assert!(theirs.credentials().is_empty());
    assert_eq!(theirs.text_of("h1"), "The passwords are no longer available");

    app.clock.advance(Duration::minutes(29));
    assert_eq!(client.page(&url).await.credentials().len(), 1);
    app.clock.advance(Duration::minutes(29));
    assert_eq!(client.page(&url).await.credentials().len(), 1, "58 minutes");
    app.clock.advance(Duration::minutes(3));
    let expired = client.page(&url).await;
    assert_eq!(expired.status, StatusCode::GONE);
    let rows: i64 = app.number("SELECT count(*) FROM credential_sheets");
    assert_eq!(rows, 0, "expired passwords are deleted");
}

#[tokio::test]
async fn signing_out_makes_the_passwords_unreadable_and_dismiss_deletes_them() {
    let app = spawn_app().await;
    let login = app.create_staff("Test Partner", "ops@partner.example", Role::GlobalAdmin, false);
    let client = app.client();
    client.sign_in(&login.email, &login.password).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    let first = client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let second = client.add_user(id, "Ben", "ben", "contoso.com", &[]).await;
    let dismissed = client.post(&format!("{second}/dismiss"), &[]).await;
    assert_eq!(
        location(&dismissed),
        format!("/customers/{id}/users?notice=forgotten&count=0")
    );
    assert_eq!(client.page(&second).await.status, StatusCode::GONE);
    client.post("/sign-out", &[]).await;
    client.sign_in(&login.email, &login.password).await;
    assert_eq!(
        client.page(&first).await.status,
        StatusCode::GONE,
        "the key left with the old session"
    );
}

#[tokio::test]
async fn credentials_download_as_excel_friendly_csv_and_email_to_the_outbox() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    let url = client
        .add_user(id, "=HYPERLINK(\"x\")", "anna", "contoso.com", &[])
        .await;
    let shown = client.page(&url).await.credentials();
    let csv = client.get(&format!("{url}/csv")).await;
    assert_eq!(csv.headers().get("cache-control").unwrap(), "no-store");
    assert!(csv
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Display name,User name,Temporary password,Status update"
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("\"'=HYPERLINK(\"\"x\"\")\""),
        "formula neutralised: {row}"
    );
    assert!(row.contains(&shown[0].password) && row.ends_with(",Created"));
    // In Chinese the whole file is Chinese, the status column too.
    client
        .post("/language", &[("lang", "zh-TW"), ("next", "/dashboard")])
        .await;
    let chinese = client.get(&format!("{url}/csv")).await.text().await.unwrap();
    let row = chinese.lines().nth(1).unwrap();
    assert!(row.ends_with(",已建立"), "{row}");
    assert!(
        chinese
            .trim_start_matches('\u{feff}')
            .starts_with("顯示名稱,使用者名稱,"),
        "{chinese}"
    );
    client
        .post("/language", &[("lang", "en"), ("next", "/dashboard")])
        .await;

    let bad = client
        .post_page(
            &format!("{url}/email"),
            &[("recipients", "it@customer.example, not-an-address")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text_of("#recipients-error").contains("not-an-address"));
    let sent = client
        .post(
            &format!("{url}/email"),
            &[("recipients", "it@customer.example; boss@customer.example")],
        )
        .await;
    assert!(location(&sent).ends_with("?sent=2"));
    assert!(client
        .page(&location(&sent))
        .await
        .text_of("#mail-sent")
        .contains("2 addresses"));
    let outbox = app.data_dir.path().join("outbox");
    let mails: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| decode_quoted_printable(&std::fs::read_to_string(e.unwrap().path()).unwrap()))
        .filter(|m| m.contains("To: it@customer.example") || m.contains("To: boss@customer.example"))
        .collect();
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .all(|m| m.contains("anna@contoso.com") && m.contains(&shown[0].password)),
        "{} in {mails:?}",
        shown[0].password
    );
    let log = client.page("/activity?action=credentials_emailed").await;
    assert!(log.text_of("#activity tbody tr").contains("it@customer.example"));
    assert!(!log.text.contains(&shown[0].password));
}

#[tokio::test]
async fn users_pages_of_another_partner_are_not_found_and_forms_need_csrf() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let anna = user_id(&app, "anna@contoso.com");
    let (other, _) = app.signed_in_at("Other Partner", Role::GlobalAdmin).await;
    for path in [
        format!("/customers/{id}/users"),
        format!("/customers/{id}/users/{anna}"),
        format!("/customers/{id}/users/deleted"),
        format!("/customers/{id}/users/new"),
    ] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        other
            .post(&format!("/customers/{id}/users/delete"), &[("ids", &anna.to_string())])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // A forged id of another customer inside one's own customer does nothing.
    let mine = other.add_customer("Mine", "mine.example").await;
    other
        .post(
            &format!("/customers/{mine}/users/delete"),
            &[("ids", &anna.to_string())],
        )
        .await;
    assert_eq!(
        client
            .page(&format!("/customers/{id}/users"))
            .await
            .texts_of("#users td.user-name"),
        ["anna@contoso.com"]
    );
    let forged = client
        .post_raw(&format!("/customers/{id}/users/delete"), &[("ids", &anna.to_string())])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        client
            .page(&format!("/customers/{id}/users"))
            .await
            .texts_of("#users td.user-name"),
        ["anna@contoso.com"]
    );
}

#[tokio::test]
async fn sales_and_helpdesk_agents_cannot_add_or_delete_users() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let anna = user_id(&app, "anna@contoso.com").to_string();
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let (agent, _) = app.signed_in(role).await;
        assert_eq!(
            agent.get(&format!("/customers/{id}/users/new")).await.status(),
            StatusCode::FORBIDDEN,
            "{role:?}"
        );
        let add = agent
            .add_user_with(
                id,
                &[("display_name", "X"), ("alias", "x"), ("domain", "contoso.com")],
                &[],
                "save",
                None,
            )
            .await;
        assert_eq!(add.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            agent
                .post(&format!("/customers/{id}/users/delete"), &[("ids", &anna)])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            agent
                .post(&format!("/customers/{id}/users/restore"), &[("user_id", &anna)])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        let list = agent.page(&format!("/customers/{id}/users")).await;
        assert!(!list.has("button[value=delete]") && !list.has(&format!("a[href='/customers/{id}/users/new']")));
    }
}

/// Mail bodies may be quoted-printable: soft line breaks and `=XX` escapes, as a mail client reads them.
fn decode_quoted_printable(mail: &str) -> String {
    let joined = mail.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The pager's totals come from counters the database keeps; they must always equal a count.
#[tokio::test]
async fn list_totals_always_agree_with_the_users_themselves() {
    let app = spawn_app().await;
    let (client, id, sub) = customer_with_e3(&app, 20).await;
    insert_users(&app, id, "contoso.com", 30);
    for alias in ["anna", "ben", "cy"] {
        client.add_user(id, alias, alias, "contoso.com", &[sub]).await;
    }
    let ben = user_id(&app, "ben@contoso.com");
    let bulk: Vec<String> = (1..=5)
        .map(|i| user_id(&app, &format!("bulk{i}@contoso.com")).to_string())
        .collect();
    client
        .post(
            &format!("/customers/{id}/users/delete"),
            &[("ids", &format!("{ben},{}", bulk.join(",")))],
        )
        .await;
    client
        .post(&format!("/customers/{id}/users/restore"), &[("user_id", &bulk[0])])
        .await;
    let count = |sql: &str| -> i64 { app.number(sql) };
    let active = count(&format!(
        "SELECT count(*) FROM customer_users WHERE customer_id = {id} AND deleted_at IS NULL"
    ));
    let licensed = count(&format!(
        "SELECT count(DISTINCT l.user_id) FROM licenses l JOIN customer_users u ON u.id = l.user_id WHERE u.customer_id = {id} AND u.deleted_at IS NULL"
    ));
    assert_eq!((active, licensed), (28, 2));
    for (filter, expected) in [
        ("all".to_string(), active),
        ("licensed".to_string(), licensed),
        ("unlicensed".to_string(), active - licensed),
        (format!("has-{sub}"), licensed),
        (format!("lacks-{sub}"), active - licensed),
    ] {
        let page = client.page(&format!("/customers/{id}/users?filter={filter}")).await;
        let range = page.text_of(".pager-range");
        assert!(range.ends_with(&format!("of {expected}")), "{filter}: {range}");
    }
}

#[tokio::test]
async fn a_search_matching_very_many_users_counts_them_all_and_selects_them_all() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 1).await;
    insert_users(&app, id, "contoso.com", 1_050);
    client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let page = client.page(&format!("/customers/{id}/users?q=bulk")).await;
    assert_eq!(page.text_of(".pager-range"), "1–25 of 1,050");
    assert!(page.text_of("label[for=all_matching]").contains("1,050"));
    // The last page of the search, through its own link.
    let last = page
        .select(".pager a")
        .iter()
        .find(|a| a.text().collect::<String>() == "Last")
        .and_then(|a| a.value().attr("href"))
        .expect("a Last link")
        .to_string();
    let last = client.page(&last).await;
    assert_eq!(last.text_of(".pager-range"), "1,026–1,050 of 1,050");
    assert_eq!(last.texts_of("#users td.display-name").last().unwrap(), "Bulk 1050");
    let everyone = client.page(&format!("/customers/{id}/users")).await;
    assert_eq!(everyone.text_of(".pager-range"), "1–25 of 1,051");
    let confirm = client
        .post_page(
            &format!("/customers/{id}/users/selection"),
            &[("all_matching", "1"), ("q", "bulk"), ("action", "reset")],
        )
        .await;
    assert!(confirm.text.contains("these 1,050 users"));
}

/// The ids of a reset or restore are the users named, not the length of the list: 40,000
/// copies of one id are one user's work (before, a password was made for every copy).
#[tokio::test]
async fn forty_thousand_copies_of_one_id_reset_and_restore_one_user() {
    let app = spawn_app().await;
    let (client, id, _) = customer_with_e3(&app, 5).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let anna = user_id(&app, "anna@contoso.com");
    let copies = vec![anna.to_string(); 40_000].join(",");
    let reset = client
        .post(&format!("/customers/{id}/users/reset-password"), &[("ids", &copies)])
        .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(client.page(&location(&reset)).await.credentials().len(), 1);
    assert_eq!(
        app.number("SELECT user_count::bigint FROM credential_sheets WHERE action = 'reset'"),
        1
    );

    let deleted = client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &copies)])
        .await;
    assert_eq!(
        location(&deleted),
        format!("/customers/{id}/users?notice=deleted&count=1")
    );
    let one = anna.to_string();
    let fields = vec![("user_id", one.as_str()); 40_000];
    let restored = client.post(&format!("/customers/{id}/users/restore"), &fields).await;
    assert_eq!(restored.status(), StatusCode::SEE_OTHER);
    assert_eq!(client.page(&location(&restored)).await.credentials().len(), 1);
    assert_eq!(
        app.number("SELECT user_count::bigint FROM credential_sheets WHERE action = 'restore'"),
        1
    );
}

/// A run's sheet id comes back from the browser: another customer's sheet, or a sheet of
/// another action, is never added to; the user gets a sheet of their own.
#[tokio::test]
async fn add_another_user_never_appends_to_another_customers_or_actions_sheet() {
    let app = spawn_app().await;
    let (client, first, _) = customer_with_e3(&app, 5).await;
    let second = client.add_customer("Fabrikam", "fabrikam.com").await;
    let theirs = client.add_user(second, "Fay", "fay", "fabrikam.com", &[]).await;
    let their_sheet = theirs.trim_start_matches("/credentials/").to_string();
    let fields = |alias: &'static str| {
        vec![
            ("display_name", alias),
            ("alias", alias),
            ("domain", "contoso.com"),
            ("usage_location", "TW"),
            ("org_role", "user"),
        ]
    };
    let added = client
        .add_user_with(first, &fields("anna"), &[], "save", Some(&their_sheet))
        .await;
    let ours = location(&added);
    assert_ne!(ours, theirs, "a sheet of its own");
    let names = |page: crate::common::Page| page.credentials().into_iter().map(|c| c.user_name).collect::<Vec<_>>();
    assert_eq!(names(client.page(&ours).await), ["anna@contoso.com"]);
    assert_eq!(
        names(client.page(&theirs).await),
        ["fay@fabrikam.com"],
        "customer 2's sheet untouched"
    );

    let anna = user_id(&app, "anna@contoso.com");
    let reset = client
        .post(
            &format!("/customers/{first}/users/reset-password"),
            &[("ids", &anna.to_string())],
        )
        .await;
    let reset_sheet = location(&reset);
    let added = client
        .add_user_with(
            first,
            &fields("bjorn"),
            &[],
            "save",
            Some(reset_sheet.trim_start_matches("/credentials/")),
        )
        .await;
    assert_ne!(location(&added), reset_sheet);
    assert_eq!(
        names(client.page(&reset_sheet).await),
        ["anna@contoso.com"],
        "the reset's sheet untouched"
    );
}

/// The print view of a credentials sheet opens for its maker only, like the sheet itself.
#[tokio::test]
async fn the_print_view_of_passwords_is_its_makers_only() {
    let app = spawn_app().await;
    let (maker, _) = app.signed_in(Role::GlobalAdmin).await;
    let id = maker.add_customer("Contoso", "contoso.com").await;
    let sheet = maker.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let own = maker.page(&format!("{sheet}/print?layout=slips")).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.texts_of("#slips li").len(), 1);
    let (colleague, _) = app.signed_in(Role::GlobalAdmin).await;
    let other = colleague.get(&format!("{sheet}/print")).await;
    assert_eq!(other.status(), StatusCode::GONE);
    assert!(!other.text().await.unwrap().contains("anna@contoso.com"));
}
