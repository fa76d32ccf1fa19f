//! Issue: the Users and licenses screen, its speed work. The list is served from an in-memory
//! directory of the customer's users that is checked against version numbers the database
//! keeps; these tests change users behind the list's back (in SQL, as another server would)
//! and expect the next page view to show it. Also the one-query page's own checks of the
//! session's staff member, and the prepared statements it relies on.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use partnerdesk::auth::Role;
use partnerdesk::db::prepared::Prepared;
use reqwest::StatusCode;

use crate::common::{insert_users, location, spawn_app, subscription_id, user_id, Client, TestApp};

async fn customer(app: &TestApp) -> (Client, i64, i64) {
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", "contoso.com").await;
    client.buy(id, "ENTERPRISEPACK", 10).await;
    (client, id, subscription_id(app, id, "ENTERPRISEPACK"))
}

fn versions(app: &TestApp, customer_id: i64) -> (i64, i64) {
    diesel::dsl::sql::<(diesel::sql_types::BigInt, diesel::sql_types::BigInt)>(&format!(
        "SELECT users_version, (SELECT coalesce(sum(licenses_version), 0)::bigint FROM subscriptions
                                WHERE customer_id = {customer_id})
         FROM customers WHERE id = {customer_id}"
    ))
    .get_result(&mut app.conn())
    .unwrap()
}

async fn names(client: &Client, path: &str) -> Vec<String> {
    client.page(path).await.texts_of("#users td.display-name a")
}

#[tokio::test]
async fn the_list_shows_changes_made_elsewhere_at_the_next_view() {
    let app = spawn_app().await;
    let (client, id, e3) = customer(&app).await;
    for alias in ["anna", "ben", "cy"] {
        client.add_user(id, alias, alias, "contoso.com", &[]).await;
    }
    let list = format!("/customers/{id}/users");
    assert_eq!(names(&client, &list).await, ["anna", "ben", "cy"]);

    // Renamed: the list re-sorts.
    app.execute("UPDATE customer_users SET display_name = 'zoe' WHERE user_name = 'anna@contoso.com'");
    assert_eq!(names(&client, &list).await, ["ben", "cy", "zoe"]);
    // A new usage location shows in its column.
    app.execute("UPDATE customer_users SET usage_location = 'JP' WHERE user_name = 'ben@contoso.com'");
    let page = client.page(&list).await;
    assert_eq!(page.texts_of("#users td.usage-location")[0], "Japan");
    // A license given in SQL: the licenses column and the product filters see it.
    let cy = user_id(&app, "cy@contoso.com");
    app.execute(&format!(
        "INSERT INTO licenses (customer_id, user_id, subscription_id) VALUES ({id}, {cy}, {e3})"
    ));
    let page = client.page(&list).await;
    assert_eq!(
        page.texts_of("#users td.licenses"),
        ["No licenses", "Office 365 E3", "No licenses"]
    );
    assert_eq!(names(&client, &format!("{list}?filter=has-{e3}")).await, ["cy"]);
    assert_eq!(
        names(&client, &format!("{list}?filter=lacks-{e3}")).await,
        ["ben", "zoe"]
    );
    // Admin role and blocked sign-in feed their filters.
    app.execute(
        "UPDATE customer_users SET org_role = 'user_admin', sign_in_blocked = true WHERE user_name = 'ben@contoso.com'",
    );
    assert_eq!(names(&client, &format!("{list}?filter=admins")).await, ["ben"]);
    assert_eq!(names(&client, &format!("{list}?filter=blocked")).await, ["ben"]);
    // A user added in SQL, and one deleted through the app: the list and both tabs follow.
    insert_users(&app, id, "contoso.com", 1);
    client
        .post(&format!("/customers/{id}/users/delete"), &[("ids", &cy.to_string())])
        .await;
    let page = client.page(&list).await;
    let mut shown = page.texts_of("#users td.display-name a");
    shown.sort();
    assert_eq!(shown, ["Bulk 0001", "ben", "zoe"]);
    assert!(
        page.text_of(".subtabs").contains("Deleted users (1)"),
        "{}",
        page.text_of(".subtabs")
    );
    assert_eq!(page.text_of(".pager-range"), "1–3 of 3");
}

#[tokio::test]
async fn only_changes_the_list_shows_move_the_version_numbers() {
    let app = spawn_app().await;
    let (client, id, e3) = customer(&app).await;
    client.add_user(id, "Anna", "anna", "contoso.com", &[]).await;
    let before = versions(&app, id);
    // A new password (a reset) changes nothing the list shows: no rebuild, no customer lock.
    app.execute("UPDATE customer_users SET password_hash = 'other', must_change_password = false");
    assert_eq!(versions(&app, id), before);
    app.execute("UPDATE customer_users SET first_name = 'Anne'");
    assert_eq!(versions(&app, id), before);
    app.execute("UPDATE customer_users SET display_name = 'Anne'");
    let renamed = versions(&app, id);
    assert_eq!((renamed.0 > before.0, renamed.1), (true, before.1));
    let anna = user_id(&app, "anna@contoso.com");
    app.execute(&format!(
        "INSERT INTO licenses (customer_id, user_id, subscription_id) VALUES ({id}, {anna}, {e3})"
    ));
    let licensed = versions(&app, id);
    assert_eq!((licensed.0, licensed.1 > renamed.1), (renamed.0, true));
    app.execute("DELETE FROM licenses");
    assert!(versions(&app, id).1 > licensed.1);
}

#[tokio::test]
async fn one_chinese_character_finds_every_user_who_has_it_with_an_exact_count() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app).await;
    for (display, alias) in [
        ("陳志明", "chihming"),
        ("林淑芬", "shufen"),
        ("陳雅婷", "yating"),
        ("Amy Chen", "amy"),
    ] {
        client.add_user(id, display, alias, "contoso.com", &[]).await;
    }
    let list = format!("/customers/{id}/users");
    let page = client.page(&format!("{list}?q=%E9%99%B3")).await; // 陳
    assert_eq!(page.texts_of("#users td.display-name a"), ["陳志明", "陳雅婷"]);
    assert_eq!(page.text_of(".pager-range"), "1–2 of 2");
    // Any case, display name or user name, and a term with LIKE's wildcards is taken literally.
    assert_eq!(names(&client, &format!("{list}?q=CHEN")).await, ["Amy Chen"]);
    assert_eq!(names(&client, &format!("{list}?q=shufen%40")).await, ["林淑芬"]);
    assert!(names(&client, &format!("{list}?q=%25")).await.is_empty());
    assert!(names(&client, &format!("{list}?q=a_y")).await.is_empty());
}

#[tokio::test]
async fn the_one_query_page_still_checks_who_is_asking() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app).await;
    let list = format!("/customers/{id}/users");
    assert_eq!(client.get(&list).await.status(), StatusCode::OK);

    // A staff member whose password was reset must change it before anything else.
    let (helpdesk, login) = app.signed_in_at("Test Partner", Role::HelpdeskAgent).await;
    assert_eq!(helpdesk.get(&list).await.status(), StatusCode::OK);
    app.execute(&format!(
        "UPDATE staff SET must_change_password = true WHERE id = {}",
        login.id
    ));
    let response = helpdesk.get(&list).await;
    assert_eq!(
        (response.status(), location(&response)),
        (StatusCode::SEE_OTHER, "/account/password".to_string())
    );

    // A staff member removed while signed in (behind the sessions' back) is signed out.
    let (gone, login) = app.signed_in_at("Test Partner", Role::SalesAgent).await;
    assert_eq!(gone.get(&list).await.status(), StatusCode::OK);
    app.execute(&format!("UPDATE staff SET removed_at = now() WHERE id = {}", login.id));
    let response = gone.get(&list).await;
    assert_eq!(
        (response.status(), location(&response)),
        (StatusCode::SEE_OTHER, "/sign-in".to_string())
    );

    // No session at all, and a customer that does not exist.
    let response = app.client().get(&list).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/sign-in?next="));
    assert_eq!(
        client.get("/customers/999999/users").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn deep_pages_and_page_sizes_come_from_the_same_order() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app).await;
    insert_users(&app, id, "contoso.com", 450);
    let page = client.page(&format!("/customers/{id}/users?size=200&page=3")).await;
    assert_eq!(page.text_of(".pager-range"), "401–450 of 450");
    let shown = page.texts_of("#users td.display-name a");
    assert_eq!((shown.first().unwrap().as_str(), shown.len()), ("Bulk 0401", 50));
    // A page past the end shows the last one.
    let page = client.page(&format!("/customers/{id}/users?page=99")).await;
    assert_eq!(page.text_of(".pager-range"), "426–450 of 450");
}

#[tokio::test]
async fn hand_written_statements_are_prepared_once_per_connection() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        n: i32,
    }
    let text = "SELECT $1::int + 1 AS n";
    for i in 0..3 {
        let row: N = Prepared(diesel::sql_query(text).bind::<diesel::sql_types::Integer, _>(i))
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(row.n, i + 1);
    }
    let prepared: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 1 AS n'",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(prepared, 1, "kept once, used three times");
    // A plain sql_query is not kept.
    diesel::sql_query("SELECT 41 + 1 AS n").load::<N>(&mut conn).unwrap();
    let kept: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT 41%'",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(kept, 0);
}

/// Sixteen views at once right after a change: one rebuilds the list, the others wait for it,
/// and every one of them shows the change.
#[tokio::test]
async fn views_arriving_together_after_a_change_all_show_it() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app).await;
    insert_users(&app, id, "contoso.com", 300);
    let list = format!("/customers/{id}/users");
    assert_eq!(client.page(&list).await.text_of(".pager-range"), "1–25 of 300");
    app.execute("UPDATE customer_users SET display_name = 'AAA First' WHERE user_name = 'bulk150@contoso.com'");
    let views = futures_util::future::join_all((0..16).map(|_| client.page(&list))).await;
    for view in views {
        assert_eq!(view.status, StatusCode::OK);
        assert_eq!(view.texts_of("#users td.display-name a")[0], "AAA First");
        assert_eq!(view.text_of(".pager-range"), "1–25 of 300");
    }
}

/// Views that wait for a directory build hold no pooled connection: with the build stuck behind
/// a lock and more views waiting than the pool (4 in tests) has connections, other pages are
/// still served, and every view shows the list once the build goes on.
#[tokio::test]
async fn views_waiting_for_a_rebuild_leave_the_pool_to_other_pages() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app).await;
    insert_users(&app, id, "contoso.com", 50);
    let list = format!("/customers/{id}/users");
    assert_eq!(client.page(&list).await.text_of(".pager-range"), "1–25 of 50");
    app.execute("UPDATE customer_users SET display_name = 'AAA First' WHERE user_name = 'bulk10@contoso.com'");
    let mut locker = app.conn();
    locker
        .batch_execute("BEGIN; LOCK TABLE licenses IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let views = futures_util::future::join_all((0..8).map(|_| client.page(&list)));
    let meanwhile = async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let dashboard = tokio::time::timeout(std::time::Duration::from_secs(5), client.page("/dashboard")).await;
        locker.batch_execute("COMMIT").unwrap();
        dashboard
    };
    let (views, dashboard) = tokio::join!(views, meanwhile);
    assert_eq!(
        dashboard.expect("the dashboard is served during the build").status,
        StatusCode::OK
    );
    for view in views {
        assert_eq!(view.status, StatusCode::OK);
        assert_eq!(view.texts_of("#users td.display-name a")[0], "AAA First");
    }
}

/// Issue 13: names sort as people in Taiwan sort them: Latin first without regard to case or
/// accents, then Chinese by stroke count, character by character (丁 2, 王 4, 林 8, 陳 11; 陳大文
/// before 陳志明 before 陳美玲), in the list and in the confirmations.
#[tokio::test]
async fn chinese_names_sort_by_stroke_count_after_latin_ones() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app).await;
    let names = [
        "陳美玲",
        "王小明",
        "林志明",
        "丁一",
        "Zoe",
        "bob",
        "陳大文",
        "Émile",
        "Anna Lee",
        "陳志明",
    ];
    for (n, name) in names.iter().enumerate() {
        app.execute(&format!(
            "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash)
             VALUES ({id}, '{name}', 'u{n}@contoso.com', 'TW', 'x')"
        ));
    }
    let expected = [
        "Anna Lee",
        "bob",
        "Émile",
        "Zoe",
        "丁一",
        "王小明",
        "林志明",
        "陳大文",
        "陳志明",
        "陳美玲",
    ];
    assert_eq!(names_listed(&client, &format!("/customers/{id}/users")).await, expected);
    // Page by page, the same order.
    let first = names_listed(&client, &format!("/customers/{id}/users?size=25")).await;
    assert_eq!(first, expected);
    // A confirmation lists the chosen users in the same order.
    let (a, b) = (user_id(&app, "u0@contoso.com"), user_id(&app, "u3@contoso.com"));
    let confirm = client
        .post_page(
            &format!("/customers/{id}/users/selection"),
            &[
                ("user_id", &a.to_string()),
                ("user_id", &b.to_string()),
                ("action", "delete"),
            ],
        )
        .await;
    let listed: Vec<String> = confirm
        .texts_of("#confirm-list li")
        .iter()
        .map(|t| t.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(listed, ["丁一", "陳美玲"]);
}

async fn names_listed(client: &Client, path: &str) -> Vec<String> {
    client.page(path).await.texts_of("#users td.display-name a")
}
