//! Issue: Manage licenses for one or many users, with seats that can never be oversold.

use diesel::prelude::*;
use partnerdesk::auth::Role;
use reqwest::StatusCode;

use crate::common::{insert_users, spawn_app, subscription_id, user_id, Client, Page, TestApp};

struct Setup {
    client: Client,
    customer: i64,
    e3: i64,
    e1: i64,
}

async fn setup(app: &TestApp, role: Role, e3_seats: i32) -> Setup {
    let (admin, _) = app.signed_in(Role::GlobalAdmin).await;
    let customer = admin.add_customer("Contoso", "contoso.com").await;
    admin.buy(customer, "ENTERPRISEPACK", e3_seats).await;
    admin.buy(customer, "STANDARDPACK", 50).await;
    let (e3, e1) = (
        subscription_id(app, customer, "ENTERPRISEPACK"),
        subscription_id(app, customer, "STANDARDPACK"),
    );
    let client = if role == Role::GlobalAdmin {
        admin
    } else {
        app.signed_in(role).await.0
    };
    Setup {
        client,
        customer,
        e3,
        e1,
    }
}

fn ids_of(app: &TestApp, names: &[&str]) -> String {
    names
        .iter()
        .map(|n| user_id(app, &format!("{n}@contoso.com")).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn holders(app: &TestApp, sub: i64) -> Vec<String> {
    diesel::dsl::sql::<diesel::sql_types::Text>(&format!(
        "SELECT u.user_name FROM licenses l JOIN customer_users u ON u.id = l.user_id WHERE l.subscription_id = {sub} ORDER BY u.user_name"
    ))
    .load(&mut app.conn())
    .unwrap()
}

fn assigned_count(app: &TestApp, sub: i64) -> (i32, i64) {
    let counter: i32 =
        diesel::dsl::sql::<diesel::sql_types::Integer>(&format!("SELECT assigned FROM subscriptions WHERE id = {sub}"))
            .get_result(&mut app.conn())
            .unwrap();
    let rows: i64 = app.number(&format!("SELECT count(*) FROM licenses WHERE subscription_id = {sub}"));
    (counter, rows)
}

async fn open_manage(client: &Client, customer: i64, ids: &str) -> Page {
    let fields: Vec<(&str, &str)> = ids
        .split(',')
        .map(|id| ("user_id", id))
        .chain([("action", "licenses")])
        .collect();
    client
        .post_page(&format!("/customers/{customer}/users/selection"), &fields)
        .await
}

/// Saves choices for the selection, keeping every plan switch as the page showed it.
async fn save(client: &Client, customer: i64, ids: &str, extra: &[(&str, &str)]) -> Page {
    let page = open_manage(client, customer, ids).await;
    let mut fields: Vec<(String, String)> = vec![("ids".into(), ids.into()), ("op".into(), "save".into())];
    let overridden: Vec<&str> = extra.iter().map(|(k, _)| *k).collect();
    for input in page.select("#manage-licenses input") {
        let (name, value) = (
            input.value().attr("name").unwrap_or(""),
            input.value().attr("value").unwrap_or(""),
        );
        let kind = input.value().attr("type").unwrap_or("");
        let keep = match kind {
            "radio" | "checkbox" => input.value().attr("checked").is_some(),
            "hidden" => name.starts_with("plans_initial-"),
            _ => false,
        };
        if keep
            && !overridden.contains(&name)
            && !(kind == "checkbox" && overridden.iter().any(|o| *o == format!("{name}!")))
        {
            fields.push((name.into(), value.into()));
        }
    }
    for (k, v) in extra {
        if !k.ends_with('!') {
            fields.push((k.to_string(), v.to_string()));
        }
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client
        .post_page(&format!("/customers/{customer}/licenses"), &borrowed)
        .await
}

#[tokio::test]
async fn the_page_lists_the_selection_and_starts_partly_held_products_at_leave_as_is() {
    let app = spawn_app().await;
    let s = setup(&app, Role::SalesAgent, 10).await;
    insert_users(&app, s.customer, "contoso.com", 3);
    let ids = ids_of(&app, &["bulk1", "bulk2", "bulk3"]);
    // E1 for everyone, E3 for one of them would conflict (SharePoint), so Visio is the partly-held one.
    s.client.buy(s.customer, "VISIOCLIENT", 5).await;
    let visio = subscription_id(&app, s.customer, "VISIOCLIENT");
    let done = save(
        &s.client,
        s.customer,
        &ids_of(&app, &["bulk1"]),
        &[(&format!("choice-{visio}"), "assign")],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text_of("#problems"));
    save(&s.client, s.customer, &ids, &[(&format!("choice-{}", s.e1), "assign")]).await;

    let page = open_manage(&s.client, s.customer, &ids).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text_of("#selected-users summary"), "Selected users (3)");
    assert_eq!(page.select("#selected-users li").len(), 3);
    let e3 = format!("#product-{visio}");
    assert_eq!(page.text_of(&format!("{e3} legend")), "Visio Plan 2");
    assert!(page
        .text_of(&format!("{e3} .available"))
        .contains("Available licenses: 4"));
    assert_eq!(page.text_of(&format!("{e3} .holders")), "1 of 3 selected users have it");
    assert!(
        page.has(&format!("#leave-{visio}[checked]")),
        "partly held starts at Leave as is"
    );
    assert!(
        page.has(&format!("#leave-{}[checked]", s.e3)),
        "held by none starts at Leave as is"
    );
    assert!(page.has(&format!("#assign-{}[checked]", s.e1)), "held by all");
    for label in ["Assign to all", "Remove from all", "Leave as is"] {
        assert!(page
            .texts_of(&format!("{e3} .tri-state label"))
            .contains(&label.to_string()));
    }
    assert_eq!(
        page.text_of(&format!("{e3} .service-plans summary")),
        "View service plans"
    );
    let plans = page.select(&format!("{e3} .plans input[type=checkbox]")).len();
    assert!(plans > 0);
    assert_eq!(
        page.select(&format!("{e3} .plans input[type=checkbox][checked]")).len(),
        plans,
        "all plans on"
    );
}

#[tokio::test]
async fn assign_remove_and_leave_in_one_save() {
    let app = spawn_app().await;
    let s = setup(&app, Role::AdminAgent, 10).await;
    insert_users(&app, s.customer, "contoso.com", 3);
    let ids = ids_of(&app, &["bulk1", "bulk2", "bulk3"]);
    save(&s.client, s.customer, &ids, &[(&format!("choice-{}", s.e1), "assign")]).await;
    assert_eq!(holders(&app, s.e1).len(), 3);

    let page = save(
        &s.client,
        s.customer,
        &ids,
        &[
            (&format!("choice-{}", s.e3), "assign"),
            (&format!("choice-{}", s.e1), "remove"),
            (&format!("plans-{}!", s.e3), ""),
            (&format!("plans-{}", s.e3), "SHAREPOINTENTERPRISE"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text_of("#problems"));
    assert_eq!(page.text_of("h1"), "Licenses updated");
    assert!(page
        .text_of("#summary")
        .starts_with("3 users changed: 3 licenses assigned, 3 removed"));
    assert_eq!(page.texts_of("#license-changes td.gained"), ["Office 365 E3"; 3]);
    assert_eq!(page.texts_of("#license-changes td.lost"), ["Office 365 E1"; 3]);
    assert_eq!(holders(&app, s.e3).len(), 3);
    assert!(holders(&app, s.e1).is_empty());
    assert_eq!(assigned_count(&app, s.e3), (3, 3));
    assert_eq!(assigned_count(&app, s.e1), (0, 0));

    let list = s.client.page(&format!("/customers/{}/users", s.customer)).await;
    assert_eq!(list.texts_of("#users td.licenses"), ["Office 365 E3"; 3]);
    let log = s.client.page("/activity?action=licenses_changed").await;
    assert_eq!(log.select("#activity tbody tr").len(), 2, "one entry per save");
}

#[tokio::test]
async fn plans_switched_off_apply_to_everyone_who_ends_up_with_the_product() {
    let app = spawn_app().await;
    let s = setup(&app, Role::GlobalAdmin, 10).await;
    insert_users(&app, s.customer, "contoso.com", 2);
    let ids = ids_of(&app, &["bulk1", "bulk2"]);
    let page = open_manage(&s.client, s.customer, &ids).await;
    let all_plans: Vec<String> = page
        .select(&format!("#product-{} .plans input", s.e3))
        .iter()
        .map(|i| i.value().attr("value").unwrap().to_string())
        .collect();
    assert!(all_plans.contains(&"TEAMS1".to_string()));
    let on: Vec<String> = all_plans.iter().filter(|p| *p != "TEAMS1").cloned().collect();
    let plan_key = format!("plans-{}", s.e3);
    let skip = format!("{plan_key}!");
    let owned: Vec<(String, String)> = on.iter().map(|p| (plan_key.clone(), p.clone())).collect();
    let choice_key = format!("choice-{}", s.e3);
    let mut fields: Vec<(&str, &str)> = vec![(choice_key.as_str(), "assign"), (skip.as_str(), "")];
    fields.extend(owned.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let result = save(&s.client, s.customer, &ids, &fields).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.text_of("#problems"));
    let disabled: Vec<Vec<String>> = diesel::dsl::sql::<diesel::sql_types::Array<diesel::sql_types::Text>>(&format!(
        "SELECT disabled_plans FROM licenses WHERE subscription_id = {}",
        s.e3
    ))
    .load(&mut app.conn())
    .unwrap();
    assert_eq!(disabled, vec![vec!["TEAMS1".to_string()]; 2]);
    let again = open_manage(&s.client, s.customer, &ids).await;
    assert!(
        !again.has(&format!("#plan-{}-TEAMS1[checked]", s.e3)),
        "the page shows the plan off"
    );
}

/// Each holder of a subscription with the plans turned off on their license, by user name.
fn plans_off(app: &TestApp, sub: i64) -> Vec<(String, String)> {
    diesel::dsl::sql::<(diesel::sql_types::Text, diesel::sql_types::Text)>(&format!(
        "SELECT u.user_name, array_to_string(l.disabled_plans, ',') FROM licenses l
         JOIN customer_users u ON u.id = l.user_id WHERE l.subscription_id = {sub} ORDER BY u.user_name"
    ))
    .load(&mut app.conn())
    .unwrap()
}

#[tokio::test]
async fn plan_switches_left_untouched_on_a_re_save_keep_an_existing_holders_plans_off() {
    let app = spawn_app().await;
    let s = setup(&app, Role::AdminAgent, 10).await;
    insert_users(&app, s.customer, "contoso.com", 3);
    let page = open_manage(&s.client, s.customer, &ids_of(&app, &["bulk1"])).await;
    let plan_key = format!("plans-{}", s.e3);
    let all_but_teams: Vec<(String, String)> = page
        .select(&format!("#product-{} .plans input", s.e3))
        .iter()
        .map(|i| i.value().attr("value").unwrap().to_string())
        .filter(|p| p != "TEAMS1")
        .map(|p| (plan_key.clone(), p))
        .collect();
    let (choice_key, skip) = (format!("choice-{}", s.e3), format!("{plan_key}!"));
    let mut teams_off: Vec<(&str, &str)> = vec![(choice_key.as_str(), "assign"), (skip.as_str(), "")];
    teams_off.extend(all_but_teams.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let first = save(&s.client, s.customer, &ids_of(&app, &["bulk1"]), &teams_off).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text_of("#problems"));
    let assign = [(choice_key.as_str(), "assign")];
    save(&s.client, s.customer, &ids_of(&app, &["bulk2"]), &assign).await;
    assert_eq!(
        plans_off(&app, s.e3),
        [
            ("bulk1@contoso.com".into(), "TEAMS1".into()),
            ("bulk2@contoso.com".into(), String::new())
        ]
    );

    // Holders that differ show every switch on; saved untouched, no holder's plans change.
    let everyone = ids_of(&app, &["bulk1", "bulk2", "bulk3"]);
    let mixed = open_manage(&s.client, s.customer, &everyone).await;
    let switches = mixed
        .select(&format!("#product-{} .plans input[type=checkbox]", s.e3))
        .len();
    assert!(switches > 1);
    assert_eq!(
        mixed
            .select(&format!("#product-{} .plans input[type=checkbox][checked]", s.e3))
            .len(),
        switches,
        "holders that differ show every plan on"
    );
    let resaved = save(&s.client, s.customer, &everyone, &assign).await;
    assert_eq!(resaved.status, StatusCode::OK, "{}", resaved.text_of("#problems"));
    assert_eq!(
        plans_off(&app, s.e3),
        [
            ("bulk1@contoso.com".into(), "TEAMS1".into()),
            ("bulk2@contoso.com".into(), String::new()),
            ("bulk3@contoso.com".into(), String::new()),
        ],
        "bulk1 keeps Teams off; the new holder gets the switches as shown"
    );
    assert_eq!(assigned_count(&app, s.e3), (3, 3));
}

#[tokio::test]
async fn a_user_without_usage_location_needs_one_before_gaining_a_license() {
    let app = spawn_app().await;
    let s = setup(&app, Role::GlobalAdmin, 10).await;
    insert_users(&app, s.customer, "contoso.com", 1);
    diesel::sql_query(format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, password_hash) VALUES ({}, 'Nomad', 'nomad@contoso.com', 'x')",
        s.customer
    ))
    .execute(&mut app.conn())
    .unwrap();
    let ids = ids_of(&app, &["bulk1", "nomad"]);
    let page = open_manage(&s.client, s.customer, &ids).await;
    assert!(page.text_of("label[for=location]").contains("Usage location"));
    let refused = save(&s.client, s.customer, &ids, &[(&format!("choice-{}", s.e3), "assign")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text_of("#problems")
        .contains("1 user has no usage location: nomad@contoso.com"));
    assert!(
        holders(&app, s.e3).is_empty(),
        "nothing changed, not even for the user with a location"
    );
    let done = save(
        &s.client,
        s.customer,
        &ids,
        &[(&format!("choice-{}", s.e3), "assign"), ("location", "JP")],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(holders(&app, s.e3), ["bulk1@contoso.com", "nomad@contoso.com"]);
    let location: Option<String> = diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
        "SELECT usage_location FROM customer_users WHERE user_name = 'nomad@contoso.com'",
    )
    .get_result(&mut app.conn())
    .unwrap();
    assert_eq!(location.as_deref(), Some("JP"));
}

#[tokio::test]
async fn too_few_seats_for_the_selection_changes_nothing() {
    let app = spawn_app().await;
    let s = setup(&app, Role::SalesAgent, 2).await;
    insert_users(&app, s.customer, "contoso.com", 3);
    let ids = ids_of(&app, &["bulk1", "bulk2", "bulk3"]);
    save(&s.client, s.customer, &ids, &[(&format!("choice-{}", s.e1), "assign")]).await;
    let refused = save(
        &s.client,
        s.customer,
        &ids,
        &[
            (&format!("choice-{}", s.e3), "assign"),
            (&format!("choice-{}", s.e1), "remove"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text_of("#problems")
        .contains("Not enough licenses for Office 365 E3: 3 needed, 2 available."));
    assert!(
        refused.has(&format!("#remove-{}[checked]", s.e1)),
        "the choices are kept"
    );
    assert_eq!(holders(&app, s.e1).len(), 3, "the removal did not happen either");
    assert!(holders(&app, s.e3).is_empty());

    // Buy more on the same page keeps the selection, then the save goes through.
    let page = open_manage(&s.client, s.customer, &ids).await;
    let bought = s
        .client
        .post_page(
            &format!("/customers/{}/licenses", s.customer),
            &[
                ("ids", &ids),
                (&format!("choice-{}", s.e3), "assign"),
                (&format!("buy_qty-{}", s.e3), "1"),
                ("op", &format!("buy-{}", s.e3)),
            ],
        )
        .await;
    assert_eq!(bought.status, StatusCode::OK);
    // "Add seats" started at the shortfall: 3 selected, 2 free.
    let field = format!("#buy_qty-{}", s.e3);
    assert_eq!(page.select(&field)[0].value().attr("value"), Some("1"));
    assert!(
        bought
            .text_of("#bought")
            .starts_with("Seats added: 1 × Office 365 E3 (now "),
        "{}",
        bought.text_of("#bought")
    );
    assert_eq!(bought.text_of("#selected-users summary"), "Selected users (3)");
    assert!(bought.has(&format!("#assign-{}[checked]", s.e3)));
    assert!(bought.text_of(&format!("#product-{} .available", s.e3)).contains(": 3"));
    drop(page);
    let done = save(
        &s.client,
        s.customer,
        &ids,
        &[
            (&format!("choice-{}", s.e3), "assign"),
            (&format!("choice-{}", s.e1), "remove"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(assigned_count(&app, s.e3), (3, 3));
}

#[tokio::test]
async fn conflicting_service_plans_are_refused_for_that_user() {
    let app = spawn_app().await;
    let s = setup(&app, Role::AdminAgent, 10).await;
    insert_users(&app, s.customer, "contoso.com", 2);
    let one = ids_of(&app, &["bulk1"]);
    save(&s.client, s.customer, &one, &[(&format!("choice-{}", s.e1), "assign")]).await;
    let both = ids_of(&app, &["bulk1", "bulk2"]);
    let refused = save(&s.client, s.customer, &both, &[(&format!("choice-{}", s.e3), "assign")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = refused.text_of("#problems");
    assert!(
        problem.contains("Conflicting service plans for 1 user: bulk1@contoso.com"),
        "{problem}"
    );
    assert!(holders(&app, s.e3).is_empty());
    // Swapping E1 for E3 in one save is fine: the user never holds both.
    let swapped = save(
        &s.client,
        s.customer,
        &both,
        &[
            (&format!("choice-{}", s.e3), "assign"),
            (&format!("choice-{}", s.e1), "remove"),
        ],
    )
    .await;
    assert_eq!(swapped.status, StatusCode::OK, "{}", swapped.text_of("#problems"));
}

#[tokio::test]
async fn helpdesk_agents_are_refused_and_other_partners_see_nothing() {
    let app = spawn_app().await;
    let s = setup(&app, Role::GlobalAdmin, 10).await;
    insert_users(&app, s.customer, "contoso.com", 1);
    let ids = ids_of(&app, &["bulk1"]);
    let (helpdesk, _) = app.signed_in(Role::HelpdeskAgent).await;
    let page = open_manage(&helpdesk, s.customer, &ids).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let post = helpdesk
        .post(
            &format!("/customers/{}/licenses", s.customer),
            &[("ids", &ids), (&format!("choice-{}", s.e3), "assign"), ("op", "save")],
        )
        .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    let (other, _) = app.signed_in_at("Other Partner", Role::GlobalAdmin).await;
    let post = other
        .post(
            &format!("/customers/{}/licenses", s.customer),
            &[("ids", &ids), (&format!("choice-{}", s.e3), "assign"), ("op", "save")],
        )
        .await;
    assert_eq!(post.status(), StatusCode::NOT_FOUND);
    let forged = s
        .client
        .post_raw(
            &format!("/customers/{}/licenses", s.customer),
            &[("ids", &ids), (&format!("choice-{}", s.e3), "assign")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "CSRF");
    assert!(holders(&app, s.e3).is_empty());
}

/// Fifty saves at once for ten free seats: exactly ten win, the rest hear "not enough".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_never_oversell_a_subscription() {
    let app = spawn_app().await;
    let s = setup(&app, Role::GlobalAdmin, 10).await;
    insert_users(&app, s.customer, "contoso.com", 50);
    let ids: Vec<i64> = (1..=50)
        .map(|i| user_id(&app, &format!("bulk{i}@contoso.com")))
        .collect();
    let mut clients = Vec::new();
    for _ in 0..5 {
        let (client, _) = app.signed_in(Role::SalesAgent).await;
        let token = client.csrf().await;
        clients.push((client, token));
    }
    let customer = s.customer;
    let choice = format!("choice-{}", s.e3);
    let requests = ids.iter().enumerate().map(|(i, id)| {
        let (client, token) = &clients[i % clients.len()];
        let (choice, id) = (choice.clone(), id.to_string());
        async move {
            let response = client
                .post_raw(
                    &format!("/customers/{customer}/licenses"),
                    &[("csrf_token", token), ("ids", &id), (&choice, "assign"), ("op", "save")],
                )
                .await;
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    });
    let results = futures_util::future::join_all(requests).await;
    let won = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused: Vec<&(StatusCode, String)> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::UNPROCESSABLE_ENTITY)
        .collect();
    assert_eq!(won, 10, "exactly the free seats");
    assert_eq!(
        refused.len(),
        40,
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(refused
        .iter()
        .all(|(_, body)| body.contains("Not enough licenses for Office 365 E3: 1 needed, 0 available.")));
    assert_eq!(assigned_count(&app, s.e3), (10, 10));
}

/// Lowering the quantity races with assignments; the invariant holds either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lowering_the_quantity_races_safely_with_assignments() {
    let app = spawn_app().await;
    let s = setup(&app, Role::GlobalAdmin, 20).await;
    insert_users(&app, s.customer, "contoso.com", 20);
    let token = s.client.csrf().await;
    let customer = s.customer;
    let (e3, choice) = (s.e3, format!("choice-{}", s.e3));
    let mut futures = Vec::new();
    for i in 1..=20 {
        let id = user_id(&app, &format!("bulk{i}@contoso.com")).to_string();
        let (client, my_token, choice) = (&s.client, token.clone(), choice.clone());
        futures.push(Box::pin(async move {
            client
                .post_raw(
                    &format!("/customers/{customer}/licenses"),
                    &[
                        ("csrf_token", &my_token),
                        ("ids", &id),
                        (&choice, "assign"),
                        ("op", "save"),
                    ],
                )
                .await
                .status()
        })
            as std::pin::Pin<Box<dyn std::future::Future<Output = StatusCode>>>);
        if i % 4 == 0 {
            let (client, my_token) = (&s.client, token.clone());
            futures.push(Box::pin(async move {
                client
                    .post_raw(
                        &format!("/customers/{customer}/subscriptions/{e3}/quantity"),
                        &[("csrf_token", &my_token), ("quantity", "8"), ("confirmed", "yes")],
                    )
                    .await
                    .status()
            }));
        }
    }
    let statuses = futures_util::future::join_all(futures).await;
    assert!(
        statuses.iter().all(|s| *s != StatusCode::INTERNAL_SERVER_ERROR),
        "{statuses:?}"
    );
    let (quantity, assigned): (i32, i32) =
        diesel::dsl::sql::<(diesel::sql_types::Integer, diesel::sql_types::Integer)>(&format!(
            "SELECT quantity, assigned FROM subscriptions WHERE id = {e3}"
        ))
        .get_result(&mut app.conn())
        .unwrap();
    assert!(assigned <= quantity, "{assigned} of {quantity}");
    assert_eq!(assigned_count(&app, e3).1, i64::from(assigned));
}

#[tokio::test]
async fn all_users_that_match_are_changed_in_one_request_with_one_log_entry() {
    let app = spawn_app().await;
    let s = setup(&app, Role::GlobalAdmin, 3000).await;
    insert_users(&app, s.customer, "contoso.com", 2500);
    let confirm = s
        .client
        .post_page(
            &format!("/customers/{}/users/selection", s.customer),
            &[("all_matching", "1"), ("filter", "unlicensed"), ("action", "licenses")],
        )
        .await;
    assert_eq!(confirm.text_of("#selected-users summary"), "Selected users (2,500)");
    let ids = confirm
        .select("input[name=ids]")
        .first()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let page = save(&s.client, s.customer, &ids, &[(&format!("choice-{}", s.e3), "assign")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text_of("#summary").starts_with("2,500 users changed"));
    assert_eq!(assigned_count(&app, s.e3), (2500, 2500));
    let entries: Vec<serde_json::Value> = diesel::dsl::sql::<diesel::sql_types::Jsonb>(
        "SELECT details FROM activity_log WHERE action = 'licenses_changed'",
    )
    .load(&mut app.conn())
    .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["user_ids"].as_array().unwrap().len(), 2500);
}
