//! Issue: import users from an Excel-compatible .csv file. Every shared fixture through HTTP,
//! the all-or-nothing background job, and the limits.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use partnerdesk::auth::Role;
use partnerdesk::clock::Clock;
use reqwest::StatusCode;

use crate::common::{fixture, location, spawn_app, spawn_app_with, subscription_id, Client, Page, TestApp};

const DOMAINS: &str = "contoso.onmicrosoft.com\ncontoso.com";

async fn customer(app: &TestApp, seats: i32) -> (Client, i64, i64) {
    let (client, _) = app.signed_in(Role::AdminAgent).await;
    let id = client.add_customer("Contoso", DOMAINS).await;
    client.buy(id, "ENTERPRISEPACK", seats).await;
    let e3 = subscription_id(app, id, "ENTERPRISEPACK");
    (client, id, e3)
}

/// Uploads and follows to the report page.
async fn validate(client: &Client, customer: i64, name: &str, bytes: Vec<u8>) -> (String, Page) {
    let response = client.upload(customer, name, bytes, "auto").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let job = location(&response);
    let page = client.page(&job).await;
    (job, page)
}

/// Waits until the job page says done or failed.
async fn wait(client: &Client, job: &str) -> Page {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let page = client.page(job).await;
        if page.has("#done") || page.has("#failure") || page.has("#report") {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "import did not finish: {}",
            page.text_of("main")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn create(client: &Client, job: &str, location: &str, products: &[i64]) -> reqwest::Response {
    let strings: Vec<String> = products.iter().map(|p| p.to_string()).collect();
    let mut fields = vec![("location", location)];
    fields.extend(strings.iter().map(|p| ("product", p.as_str())));
    client.post(&format!("{job}/start"), &fields).await
}

fn users(app: &TestApp, customer: i64) -> Vec<(String, String, Option<String>)> {
    diesel::dsl::sql::<(diesel::sql_types::Text, diesel::sql_types::Text, diesel::sql_types::Nullable<diesel::sql_types::Text>)>(&format!(
        "SELECT display_name, user_name, usage_location FROM customer_users WHERE customer_id = {customer} ORDER BY user_name"
    ))
    .load(&mut app.conn())
    .unwrap()
}

/// Imports a fixture end to end and returns the users created.
async fn import_fixture(name: &str, location_on_page: &str) -> Vec<(String, String, Option<String>)> {
    let app = spawn_app().await;
    let (client, id, e3) = customer(&app, 10).await;
    let (job, page) = validate(&client, id, name, fixture(name)).await;
    assert!(page.has("#confirm-form"), "{name}: {}", page.text_of("main"));
    assert_eq!(
        create(&client, &job, location_on_page, &[e3]).await.status(),
        StatusCode::SEE_OTHER
    );
    let done = wait(&client, &job).await;
    assert!(done.has("#done"), "{name}: {}", done.text_of("main"));
    let created = users(&app, id);
    let licensed: i64 = app.number(&format!("SELECT count(*) FROM licenses WHERE customer_id = {id}"));
    assert_eq!(
        licensed as usize,
        created.len(),
        "{name}: every new user has the product"
    );
    created
}

const FOUR_TAIWANESE: [&str; 4] = [
    "chihming.lin@contoso.onmicrosoft.com",
    "meiling.chen@contoso.onmicrosoft.com",
    "shufen.huang@contoso.com",
    "weiting.chang@contoso.com",
];

#[tokio::test]
async fn excel_csv_utf8_with_bom_creates_four_users_with_chinese_names() {
    let created = import_fixture("utf8-bom-comma.csv", "JP").await;
    assert_eq!(created.iter().map(|u| u.1.as_str()).collect::<Vec<_>>(), FOUR_TAIWANESE);
    assert!(created.iter().any(|u| u.0 == "陳美玲" && u.2.as_deref() == Some("TW")));
    assert!(
        created
            .iter()
            .any(|u| u.0 == "張瑋庭 (Wei-Ting Chang)" && u.2.as_deref() == Some("JP")),
        "the page's location fills the gap"
    );
}

#[tokio::test]
async fn big5_from_traditional_chinese_windows_creates_the_same_users() {
    let created = import_fixture("big5-comma.csv", "TW").await;
    assert_eq!(created.iter().map(|u| u.1.as_str()).collect::<Vec<_>>(), FOUR_TAIWANESE);
    assert!(created.iter().any(|u| u.0 == "黃淑芬"));
}

#[tokio::test]
async fn unicode_text_utf16_with_tabs_creates_seven_users() {
    assert_eq!(import_fixture("utf16le-tab.txt", "TW").await.len(), 7);
}

#[tokio::test]
async fn german_excel_semicolons_in_windows_1252_keep_accents() {
    let created = import_fixture("cp1252-semicolon.csv", "TW").await;
    let names: Vec<&str> = created.iter().map(|u| u.0.as_str()).collect();
    assert_eq!(names, ["Leçon, François", "Jürgen Müller", "Zoë Brontë"]);
}

#[tokio::test]
async fn partner_center_template_takes_the_usage_location_from_the_page() {
    // Not TW, which the customer's default and the page's preselection already are.
    let created = import_fixture("partner-center-template.csv", "JP").await;
    assert_eq!(created.len(), 4);
    assert!(created.iter().all(|u| u.2.as_deref() == Some("JP")), "{created:?}");
}

#[tokio::test]
async fn chinese_headers_with_trailing_empty_rows() {
    assert_eq!(import_fixture("zh-headers-trailing-empty.csv", "TW").await.len(), 4);
}

#[tokio::test]
async fn bad_rows_are_all_reported_by_row_and_nothing_is_created() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let (job, page) = validate(&client, id, "bad-rows.csv", fixture("bad-rows.csv")).await;
    assert!(page.has("#report") && !page.has("#confirm-form"));
    let rows: Vec<String> = page.texts_of("#problems td.row");
    assert_eq!(rows, ["2", "3", "4", "5", "7", "8", "9"]);
    let problems = page.texts_of("#problems td.problem");
    assert_eq!(page.texts_of("#problems td.column")[0], "Display name");
    assert!(problems[1].contains("two periods in a row"), "{problems:?}");
    assert!(problems[2].contains("fabrikam.com is not one of this customer's domains"));
    assert_eq!(page.texts_of("#problems td.value")[3], "XX");
    assert!(problems[4].contains("also on row 6"));
    assert!(problems[5].contains("Too long"));
    assert!(problems[6].contains("no period right before the @"));
    assert!(page.text_of("#report-summary").contains("8 users and 7 problems"));
    let csv = client.get(&format!("{job}/problems")).await.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}Row,Column,Value,Problem"));
    assert_eq!(csv.lines().count(), 8);
    assert!(users(&app, id).is_empty());
    let forced = create(&client, &job, "TW", &[]).await;
    assert_eq!(
        forced.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a file with problems cannot be started"
    );
    assert!(users(&app, id).is_empty());
}

#[tokio::test]
async fn names_with_invisible_characters_are_reported_by_row_and_shown_written_out() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let file = "First name,Last name,Display name,User name\r\n\
                Anna,Lee,Anna \u{2067}eeL\u{2069},anna@contoso.com\r\n\
                Bo,\u{FEFF}Wu,Bo Wu,bo@contoso.com\r\n\
                علی\u{200C}رضا,احمدی,علی\u{200C}رضا احمدی,alireza@contoso.com\r\n";
    let (_, page) = validate(&client, id, "names.csv", file.as_bytes().to_vec()).await;
    assert!(page.has("#report") && !page.has("#confirm-form"));
    assert_eq!(page.texts_of("#problems td.row"), ["2", "3"]);
    assert_eq!(page.texts_of("#problems td.column"), ["Display name", "Last name"]);
    assert_eq!(
        page.texts_of("#problems td.value"),
        ["Anna [U+2067]eeL[U+2069]", "[U+FEFF]Wu"]
    );
    let problems = page.texts_of("#problems td.problem");
    assert!(problems[0].contains("the invisible character U+2067"), "{problems:?}");
    assert!(problems[1].contains("the invisible character U+FEFF"), "{problems:?}");
    assert!(page.text_of("#report-summary").contains("3 users and 2 problems"));
}

#[tokio::test]
async fn ten_thousand_rows_with_three_bad_ones_show_exactly_those_three() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let mut text = String::from("Display name,User name\r\n");
    for i in 0..10_000 {
        let user = match i {
            1234 => "bad..name@contoso.com".to_string(),
            5678 => "x@elsewhere.com".to_string(),
            9000 => "user0001@contoso.com".to_string(),
            _ => format!("user{i:04}@contoso.com"),
        };
        text.push_str(&format!("User {i},{user}\r\n"));
    }
    let (_, page) = validate(&client, id, "big.csv", text.into_bytes()).await;
    assert_eq!(page.texts_of("#problems td.row"), ["1236", "5680", "9002"]);
    assert!(page.text_of("#report-summary").contains("10,000 users and 3 problems"));
}

#[tokio::test]
async fn thousands_of_problems_show_one_line_per_kind_above_the_first_rows() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let mut text = String::from("Display name,User name\r\n");
    for i in 0..3_000 {
        let user = if i % 3 == 0 {
            format!("user..{i}@contoso.com")
        } else {
            format!("user{i}@elsewhere.com")
        };
        text.push_str(&format!("User {i},{user}\r\n"));
    }
    let (_, page) = validate(&client, id, "bad.csv", text.into_bytes()).await;
    assert!(page
        .text_of("#report-summary")
        .contains("3,000 users and 3,000 problems"));
    let groups = page.texts_of("#problem-groups li");
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(
        groups[0].starts_with("2,000 × ") && groups[0].contains("elsewhere.com is not one of this customer's domains"),
        "the commonest kind first, with an example: {groups:?}"
    );
    assert!(
        groups[1].starts_with("1,000 × ") && groups[1].contains("two periods in a row"),
        "{groups:?}"
    );
    assert_eq!(
        page.select("#problems tbody tr").len(),
        200,
        "the table shows the first 200"
    );
}

#[tokio::test]
async fn a_file_over_the_row_limit_is_refused_next_to_the_field() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    // The limit is checked on the rows as read, before any row is checked: the rows' contents
    // do not matter, so they are as short as can be (1 MB for 200,001 rows).
    let over = partnerdesk::domain::import_rows::MAX_ROWS + 1;
    let file = "Display name,User name\r\n".to_string() + &"A,a\r\n".repeat(over);
    let refused = client.upload(id, "huge.csv", file.into_bytes(), "auto").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page {
        status: StatusCode::OK,
        html: scraper::Html::parse_document(&refused.text().await.unwrap()),
        text: String::new(),
    };
    assert_eq!(
        page.text_of("#file-error"),
        "The file has 200,001 users; at most 200,000 can be imported at once. Split the file."
    );
    assert_eq!(app.number("SELECT count(*) FROM import_jobs"), 0);
}

#[tokio::test]
async fn a_file_that_is_not_text_gets_a_message_next_to_the_field() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let response = client.upload(id, "photo.png", png, "auto").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page {
        status: StatusCode::OK,
        html: scraper::Html::parse_document(&response.text().await.unwrap()),
        text: String::new(),
    };
    assert_eq!(
        page.text_of("#file-error"),
        "This is not a .csv file; in Excel use Save As, CSV UTF-8"
    );
    assert_eq!(page.text_of("label[for=file]"), "File");
    assert_eq!(page.text_of("label[for=encoding]"), "Encoding");
    let xlsx = client
        .upload(id, "users.xlsx", b"PK\x03\x04\x14\0\x06\0".to_vec(), "auto")
        .await;
    assert_eq!(xlsx.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let empty = client.upload(id, "empty.csv", Vec::new(), "auto").await;
    assert!(empty.text().await.unwrap().contains("The file is empty"));
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_before_it_is_read_whole() {
    let app = spawn_app_with(|s| s.upload_limit = 100_000).await;
    let (client, id, _) = customer(&app, 10).await;
    let big = "Display name,User name\r\n".to_string() + &"A,a@contoso.com\r\n".repeat(20_000);
    let response = client.upload(id, "big.csv", big.into_bytes(), "auto").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.text().await.unwrap().contains("Too large"));
    let jobs: i64 = app.number("SELECT count(*) FROM import_jobs");
    assert_eq!(jobs, 0);
}

/// The limit is on the file: exactly the limit is read, one byte more is refused with a message
/// next to the field.
#[tokio::test]
async fn a_file_one_byte_over_the_limit_is_refused_next_to_the_field() {
    let limit = 3 * 1024 * 1024;
    let app = spawn_app_with(|s| s.upload_limit = limit).await;
    let (client, id, _) = customer(&app, 10).await;
    let mut exactly = b"Display name,User name\r\nA,a@contoso.com\r\n".to_vec();
    exactly.resize(limit as usize, b'\n');
    let accepted = client.upload(id, "exact.csv", exactly.clone(), "auto").await;
    assert_eq!(
        accepted.status(),
        StatusCode::SEE_OTHER,
        "a file of exactly the limit is read"
    );
    exactly.push(b'\n');
    let refused = client.upload(id, "over.csv", exactly, "auto").await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = Page {
        status: StatusCode::OK,
        html: scraper::Html::parse_document(&refused.text().await.unwrap()),
        text: String::new(),
    };
    assert_eq!(
        page.text_of("#file-error"),
        "The file is larger than 3 MB. Split it into smaller files and import them one after the other."
    );
}

#[tokio::test]
async fn the_encoding_can_be_chosen_when_the_guess_is_wrong() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let response = client.upload(id, "big5.csv", fixture("big5-comma.csv"), "big5").await;
    let page = client.page(&location(&response)).await;
    assert!(page.text_of("#encoding-used").contains("Big5"));
    let wrong = client.upload(id, "big5.csv", fixture("big5-comma.csv"), "utf-8").await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "Big5 bytes are not UTF-8: refused, never mojibake"
    );
}

#[tokio::test]
async fn seats_are_checked_for_the_whole_file_before_anything_starts() {
    let app = spawn_app().await;
    let (client, id, e3) = customer(&app, 2).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    let refused = create(&client, &job, "TW", &[e3]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(
        text.contains("Not enough licenses for Office 365 E3: 4 needed, 2 available."),
        "{text}"
    );
    assert!(
        text.contains(&format!("href=\"/customers/{id}/subscriptions?add={e3}&amp;seats=2\"")),
        "Add seats, starting at the two missing"
    );
    assert!(users(&app, id).is_empty());
}

#[tokio::test]
async fn the_same_file_twice_creates_nobody_twice() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    create(&client, &job, "TW", &[]).await;
    assert!(wait(&client, &job).await.has("#done"));
    let (_, again) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    let problems = again.texts_of("#problems td.problem");
    assert_eq!(problems.len(), 4);
    assert!(problems.iter().all(|p| p.contains("is already used by another user")));
    assert_eq!(users(&app, id).len(), 4);
}

#[tokio::test]
async fn the_result_is_a_credentials_page_and_a_csv_of_every_row() {
    let app = spawn_app().await;
    let (client, id, e3) = customer(&app, 10).await;
    let file = "First name,Last name,Display name,User name,Usage location\r\n=cmd,Lee,Anna Lee,anna@contoso.com,US\r\nBo,Wu,Bo Wu,bo@contoso.com,\r\n";
    let (job, _) = validate(&client, id, "two.csv", file.as_bytes().to_vec()).await;
    create(&client, &job, "TW", &[e3]).await;
    let done = wait(&client, &job).await;
    let sheet = done
        .select("#show-credentials")
        .first()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let page = client.page(&sheet).await;
    assert_eq!(page.text_of("h1"), "Imported users and their temporary passwords");
    let shown = page.credentials();
    assert_eq!(shown.len(), 2);
    let csv = client.get(&format!("{sheet}/csv")).await.bytes().await.unwrap();
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "First name,Last name,Display name,User name,Usage location,Temporary password,Status update"
    );
    assert!(
        lines[1].starts_with("'=cmd,Lee,Anna Lee,anna@contoso.com,US,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",Created"));
    assert!(lines[2].starts_with("Bo,Wu,Bo Wu,bo@contoso.com,TW,"));
    assert!(text.contains(&shown[0].password) && text.contains(&shown[1].password));
    // Someone else (even a Global admin of the same partner) sees the job but not the passwords.
    let (other, _) = app.signed_in(Role::GlobalAdmin).await;
    let theirs = other.page(&job).await;
    assert!(theirs.has("#done") && !theirs.has("#show-credentials"));
    assert_eq!(other.page(&sheet).await.status, StatusCode::GONE);
    let log = client.page("/activity?action=users_imported").await;
    assert!(log
        .text_of("#activity tbody tr")
        .contains("Imported 2 users from two.csv"));
    assert!(!log.text.contains(&shown[0].password));
}

#[tokio::test]
async fn the_progress_page_counts_rows_and_survives_reloads() {
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, id, _) = customer(&app, 10).await;
    let mut text = String::from("Display name,User name\r\n");
    for i in 0..2000 {
        text.push_str(&format!("U{i},u{i}@contoso.com\r\n"));
    }
    let (job, _) = validate(&client, id, "many.csv", text.into_bytes()).await;
    create(&client, &job, "TW", &[]).await;
    let queued = client.page(&job).await;
    assert_eq!(queued.text_of("#progress-text"), "Waiting to start…");
    assert!(
        queued.text.contains("http-equiv=\"refresh\""),
        "reloads itself without script"
    );
    diesel::sql_query("UPDATE import_jobs SET status = 'running', done_rows = 500, started_at = now() - interval '5 seconds', heartbeat_at = now()")
        .execute(&mut app.conn())
        .unwrap();
    let running = client.page(&job).await;
    assert_eq!(running.text_of("#progress-text"), "Importing: 500 of 2,000");
    assert!(running.has("progress#progress[max='2000'][value='500']"));
    assert!(
        running.text_of("#time-left").starts_with("About 1"),
        "{}",
        running.text_of("#time-left")
    );
    let (tab, _) = app.signed_in(Role::GlobalAdmin).await;
    assert_eq!(
        tab.page(&job).await.text_of("#progress-text"),
        "Importing: 500 of 2,000",
        "another browser sees it too"
    );
}

/// The worker is a real `partnerdesk serve` process, killed in the middle of the import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_midway_leaves_nothing_and_can_run_again() {
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, id, e3) = customer(&app, 20_000).await;
    let mut text = String::from("Display name,User name\r\n");
    for i in 0..12_000 {
        text.push_str(&format!("U{i},u{i}@contoso.com\r\n"));
    }
    let (job, _) = validate(&client, id, "many.csv", text.into_bytes()).await;
    create(&client, &job, "TW", &[e3]).await;

    let data = tempfile::tempdir().unwrap();
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .arg("serve")
        .env("DATABASE_URL", &app.db_url)
        .env("PARTNERDESK_BIND", "127.0.0.1:0")
        .env("PARTNERDESK_DATA_DIR", data.path())
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, done): (String, i32) = diesel::dsl::sql::<(diesel::sql_types::Text, diesel::sql_types::Integer)>(
            "SELECT status, done_rows FROM import_jobs",
        )
        .get_result(&mut app.conn())
        .unwrap();
        if status == "running" && done > 0 {
            break;
        }
        assert_ne!(status, "done", "the worker finished before it could be stopped");
        assert!(Instant::now() < deadline, "the worker never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert!(users(&app, id).is_empty(), "nothing half-made");

    // Later, a worker notices the stopped import.
    let later = Clock::system();
    later.advance(chrono::Duration::minutes(3));
    let pool = partnerdesk::db::pool(&app.db_url, 4).unwrap();
    partnerdesk::jobs::imports::run_pending(&pool, &app.db_url, &later, "test-worker", &Default::default());
    let failed = client.page(&job).await;
    assert!(
        failed
            .text_of("#failure")
            .contains("The server stopped during the import"),
        "{}",
        failed.text_of("main")
    );
    assert_eq!(failed.text_of("#confirm-form button"), "Run again");
    let logged: i64 =
        app.number("SELECT count(*) FROM activity_log WHERE action = 'users_imported' AND outcome = 'failed'");
    assert_eq!(logged, 1, "the failed import has its activity entry");
    assert!(users(&app, id).is_empty());

    assert_eq!(create(&client, &job, "TW", &[e3]).await.status(), StatusCode::SEE_OTHER);
    let db_url = app.db_url.clone();
    let ran = tokio::task::spawn_blocking(move || {
        partnerdesk::jobs::imports::run_pending(&pool, &db_url, &Clock::system(), "test-worker", &Default::default())
    })
    .await
    .unwrap();
    assert_eq!(ran, 1);
    assert!(client.page(&job).await.has("#done"));
    assert_eq!(users(&app, id).len(), 12_000);
    let (quantity, assigned): (i32, i32) =
        diesel::dsl::sql::<(diesel::sql_types::Integer, diesel::sql_types::Integer)>(&format!(
            "SELECT quantity, assigned FROM subscriptions WHERE id = {e3}"
        ))
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!((quantity, assigned), (20_000, 12_000));
}

/// A stored row that no longer reads back must not pass for an empty file: the job fails and
/// says so, and nobody is created (it used to create 0 users and say done).
#[tokio::test]
async fn a_job_whose_stored_rows_do_not_read_back_fails_and_creates_nobody() {
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, id, e3) = customer(&app, 10).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    assert_eq!(create(&client, &job, "TW", &[e3]).await.status(), StatusCode::SEE_OTHER);
    app.execute(
        "UPDATE import_job_rows SET rows = convert_to(\
             regexp_replace(convert_from(rows, 'UTF8'), '\"row\":3,', '\"row\":\"three\",'), 'UTF8')",
    );
    assert_eq!(
        app.number(
            "SELECT count(*) FROM import_job_rows WHERE position('\"row\":\"three\"' IN convert_from(rows, 'UTF8')) > 0"
        ),
        1,
        "one stored row is corrupt"
    );

    let (pool, db_url) = (partnerdesk::db::pool(&app.db_url, 2).unwrap(), app.db_url.clone());
    let ran = tokio::task::spawn_blocking(move || {
        partnerdesk::jobs::imports::run_pending(&pool, &db_url, &Clock::system(), "test-worker", &Default::default())
    })
    .await
    .unwrap();

    assert_eq!(ran, 1);
    assert_eq!(
        app.number("SELECT count(*) FROM import_jobs WHERE status = 'failed' AND failure IS NOT NULL AND finished_at IS NOT NULL"),
        1
    );
    let failed = client.page(&job).await;
    assert!(
        failed.text_of("#failure").contains("Something went wrong while saving"),
        "{}",
        failed.text_of("main")
    );
    assert!(!failed.has("#done"));
    assert!(users(&app, id).is_empty(), "nobody was created");
    assert_eq!(
        app.number(&format!("SELECT count(*) FROM licenses WHERE customer_id = {id}")),
        0
    );
    assert_eq!(
        app.number("SELECT count(*) FROM activity_log WHERE action = 'users_imported' AND outcome = 'failed'"),
        1,
        "the failed import has its activity entry"
    );
    assert_eq!(
        app.number("SELECT count(*) FROM activity_log WHERE action = 'users_imported' AND outcome = 'success'"),
        0
    );
}

#[tokio::test]
async fn only_admins_import_and_another_partner_sees_nothing() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    for role in [Role::SalesAgent, Role::HelpdeskAgent] {
        let (agent, _) = app.signed_in(role).await;
        assert_eq!(
            agent.get(&format!("/customers/{id}/import")).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            agent
                .upload(id, "x.csv", fixture("utf8-bom-comma.csv"), "auto")
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            agent
                .post(&format!("{job}/start"), &[("location", "TW")])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
    let (other, _) = app.signed_in_at("Other Partner", Role::GlobalAdmin).await;
    assert_eq!(other.get(&job).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        other
            .upload(id, "x.csv", fixture("utf8-bom-comma.csv"), "auto")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let forged = client
        .upload_with_token(id, "x.csv", fixture("utf8-bom-comma.csv"), "auto", "not-the-token")
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_template_is_utf8_with_bom_and_the_domain_header() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let page = client.page(&format!("/customers/{id}/import")).await;
    assert_eq!(page.text_of("#download-template"), "Download template (.csv)");
    let response = client.get(&format!("/customers/{id}/import/template")).await;
    assert!(response
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("First name,Last name,Display name,User name,Usage location,Status update")
    );
    assert_eq!(
        lines.next(),
        Some("Anna,Lee,Anna Lee,anna.lee@contoso.onmicrosoft.com,TW,")
    );
    // The template itself imports cleanly.
    let (_, report) = validate(&client, id, "template.csv", bytes.to_vec()).await;
    assert!(report.has("#confirm-form"));
}

/// Issue 12, item 4: in Chinese the template's headers and sample person are Chinese, and the
/// importer reads it as it reads the English one.
#[tokio::test]
async fn the_template_follows_the_pages_language_and_imports_either_way() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    client
        .post("/language", &[("lang", "zh-TW"), ("next", "/dashboard")])
        .await;
    let bytes = client
        .get(&format!("/customers/{id}/import/template"))
        .await
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("名字,姓氏,顯示名稱,使用者名稱,使用位置,狀態更新"));
    assert_eq!(
        lines.next(),
        Some("美玲,陳,陳美玲,meiling.chen@contoso.onmicrosoft.com,TW,")
    );
    let (_, report) = validate(&client, id, "範本.csv", bytes.to_vec()).await;
    assert!(report.has("#confirm-form"), "{}", report.text);
}

/// A job that fails for want of seats says so in words, with the product and the numbers,
/// never the bare message key.
#[tokio::test]
async fn an_import_failed_for_want_of_seats_says_which_product_and_how_many() {
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, id, e3) = customer(&app, 10).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    assert_eq!(create(&client, &job, "TW", &[e3]).await.status(), StatusCode::SEE_OTHER);
    // Seats taken elsewhere while the job waited in the queue.
    app.execute(&format!("UPDATE subscriptions SET quantity = 1 WHERE id = {e3}"));
    let pool = partnerdesk::db::pool(&app.db_url, 2).unwrap();
    let db_url = app.db_url.clone();
    tokio::task::spawn_blocking(move || {
        partnerdesk::jobs::imports::run_pending(&pool, &db_url, &Clock::system(), "test-worker", &Default::default())
    })
    .await
    .unwrap();
    let failed = client.page(&job).await;
    assert_eq!(
        failed.text_of("#failure"),
        "The import did not finish, and no user of it was created. Not enough licenses for Office 365 E3: 4 needed, 1 available."
    );
    assert!(users(&app, id).is_empty());
}

/// What the periodic purge does to import rows `by` from now. Only that step: the whole purge
/// at a later time would also end the test's session, which was idle all that while.
struct PurgedLater {
    import_rows: partnerdesk::services::imports::PurgedRows,
}

fn purge_after(app: &TestApp, by: chrono::Duration) -> PurgedLater {
    let later = Clock::system();
    later.advance(by);
    let import_rows = partnerdesk::services::imports::purge_rows(&mut app.conn(), later.now()).unwrap();
    PurgedLater { import_rows }
}

fn job_id(job: &str) -> &str {
    job.rsplit('/').next().unwrap()
}

/// A done import's rows (every name of the file) go once its credentials page has expired;
/// the job stays as a summary.
#[tokio::test]
async fn a_done_import_keeps_its_rows_until_the_credentials_expire_then_only_its_summary() {
    let app = spawn_app().await;
    let (client, id, e3) = customer(&app, 10).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    create(&client, &job, "TW", &[e3]).await;
    assert!(wait(&client, &job).await.has("#show-credentials"));
    let chunks = format!("SELECT count(*) FROM import_job_rows WHERE job_id = '{}'", job_id(&job));
    assert_eq!(app.number(&chunks), 1);

    let lifetime = partnerdesk::services::credentials::LIFETIME;
    let early = purge_after(&app, lifetime - chrono::Duration::minutes(1));
    assert_eq!(early.import_rows.finished, 0);
    assert_eq!(app.number(&chunks), 1, "kept while the credentials page may be read");

    let purged = purge_after(&app, lifetime + chrono::Duration::minutes(1));
    assert_eq!(purged.import_rows.finished, 1);
    assert_eq!(app.number(&chunks), 0);
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM import_jobs WHERE id = '{}' AND status = 'done' AND file_name = 'utf8.csv' \
             AND total_rows = 4 AND valid_rows = 4 AND done_rows = 4 AND staff_id IS NOT NULL \
             AND finished_at IS NOT NULL AND rows_purged_at IS NOT NULL AND recipient IS NULL",
            job_id(&job)
        )),
        1,
        "the summary stays"
    );
    let page = client.page(&job).await;
    assert_eq!(page.text_of("#done .alert"), "4 users were created.");
    assert!(page
        .text_of("#rows-purged")
        .starts_with("The rows of this file were removed on"));
    assert!(!page.has("#show-credentials"), "the passwords are gone too");
    let recent = client.page(&format!("/customers/{id}/import")).await;
    assert!(recent.text.contains("utf8.csv"), "still listed among recent imports");
    assert_eq!(
        purge_after(&app, lifetime + chrono::Duration::minutes(2)).import_rows,
        Default::default(),
        "nothing twice"
    );
}

/// A failed import can run again for 7 days; then its rows go, the page says so and offers
/// no "Run again", and a forced start is refused.
#[tokio::test]
async fn a_failed_import_can_run_again_for_seven_days_then_its_rows_are_gone() {
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, id, e3) = customer(&app, 10).await;
    let (job, _) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    assert_eq!(create(&client, &job, "TW", &[e3]).await.status(), StatusCode::SEE_OTHER);
    app.execute(&format!("UPDATE subscriptions SET quantity = 1 WHERE id = {e3}"));
    let pool = partnerdesk::db::pool(&app.db_url, 2).unwrap();
    let db_url = app.db_url.clone();
    tokio::task::spawn_blocking(move || {
        partnerdesk::jobs::imports::run_pending(&pool, &db_url, &Clock::system(), "test-worker", &Default::default())
    })
    .await
    .unwrap();
    let chunks = format!("SELECT count(*) FROM import_job_rows WHERE job_id = '{}'", job_id(&job));
    assert_eq!(app.number(&chunks), 1);

    let kept = partnerdesk::domain::import_job::FAILED_ROWS_KEPT;
    assert_eq!(
        purge_after(&app, kept - chrono::Duration::hours(1))
            .import_rows
            .finished,
        0
    );
    let before = client.page(&job).await;
    assert_eq!(before.text_of("#confirm-form button"), "Run again");
    assert!(!before.has("#rows-purged"));

    assert_eq!(
        purge_after(&app, kept + chrono::Duration::minutes(1))
            .import_rows
            .finished,
        1
    );
    assert_eq!(app.number(&chunks), 0);
    let after = client.page(&job).await;
    assert!(
        after
            .text_of("#failure")
            .contains("Not enough licenses for Office 365 E3: 4 needed, 1 available."),
        "the summary keeps why it failed: {}",
        after.text_of("#failure")
    );
    assert!(after
        .text_of("#rows-purged")
        .contains("7 days after the import failed, so it cannot run again. Upload the file again to import it."));
    assert!(!after.has("#confirm-form"), "no Run again");

    app.execute(&format!("UPDATE subscriptions SET quantity = 10 WHERE id = {e3}"));
    let forced = create(&client, &job, "TW", &[e3]).await;
    assert_eq!(forced.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forced
        .text()
        .await
        .unwrap()
        .contains("The rows of this file are no longer kept"));
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM import_jobs WHERE id = '{}' AND status = 'failed'",
            job_id(&job)
        )),
        1
    );
    assert!(users(&app, id).is_empty());

    client.post("/language", &[("lang", "zh-TW")]).await;
    let zh = client.page(&job).await;
    assert!(zh.text_of("#rows-purged").contains("匯入失敗 7 天後"));
}

/// Rows are stored in chunks and removed a few chunks per statement: an unstarted file of 11
/// chunks goes whole after a day. A file with problems stores no rows at all.
#[tokio::test]
async fn an_unstarted_import_goes_after_a_day_chunk_by_chunk_and_a_bad_file_keeps_no_rows() {
    let app = spawn_app_with(|s| s.background_jobs = false).await;
    let (client, id, _) = customer(&app, 10).await;
    let mut text = String::from("Display name,User name\r\n");
    for i in 0..21_000 {
        text.push_str(&format!("U{i},u{i}@contoso.com\r\n"));
    }
    let (job, page) = validate(&client, id, "many.csv", text.into_bytes()).await;
    assert!(page.has("#confirm-form"));
    let chunks = format!("SELECT count(*) FROM import_job_rows WHERE job_id = '{}'", job_id(&job));
    assert_eq!(app.number(&chunks), 11, "2,000 rows a chunk");
    let (bad, _) = validate(&client, id, "bad-rows.csv", fixture("bad-rows.csv")).await;
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) FROM import_job_rows WHERE job_id = '{}'",
            job_id(&bad)
        )),
        0
    );

    assert_eq!(purge_after(&app, chrono::Duration::hours(23)).import_rows.abandoned, 0);
    assert_eq!(app.number(&chunks), 11);
    let purged = purge_after(&app, chrono::Duration::hours(25));
    assert_eq!((purged.import_rows.abandoned, purged.import_rows.finished), (2, 0));
    assert_eq!(app.number("SELECT count(*) FROM import_job_rows"), 0);
    assert_eq!(app.number("SELECT count(*) FROM import_jobs"), 0);
    assert_eq!(client.get(&job).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn past_ten_thousand_problems_they_are_counted_and_the_download_says_it_lists_the_first() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let listed = partnerdesk::domain::import_rows::PROBLEMS_LISTED;
    let rows = listed + 500;
    let mut text = String::from("Display name,User name\r\n");
    for i in 0..rows {
        text.push_str(&format!("User {i},user{i}@elsewhere.com\r\n"));
    }
    let (job, page) = validate(&client, id, "wrong-domain.csv", text.into_bytes()).await;
    assert!(
        page.text_of("#report-summary")
            .contains("10,500 users and 10,500 problems"),
        "{}",
        page.text_of("#report-summary")
    );
    let groups = page.texts_of("#problem-groups li");
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert!(
        groups[0].starts_with("10,500 × "),
        "every problem is counted: {groups:?}"
    );
    assert_eq!(
        page.text_of("#more-problems"),
        "and 10,300 more problems. The download lists the first 10,000 in row order; the counts above cover the whole file."
    );
    let download = client.get(&format!("{job}/problems")).await;
    assert_eq!(download.status(), StatusCode::OK);
    let body = download.text().await.unwrap();
    let mut lines = body.lines().skip(1);
    assert_eq!(lines.clone().count(), listed, "the first 10,000 problems");
    assert!(lines.next().unwrap().starts_with("2,"), "row order, from row 2");
    assert_eq!(app.number("SELECT problem_count::bigint FROM import_jobs"), rows as i64);
    assert_eq!(
        app.number("SELECT jsonb_array_length(problems)::bigint FROM import_jobs"),
        listed as i64
    );

    client.post("/language", &[("lang", "zh-TW")]).await;
    let zh = client.page(&job).await;
    assert!(
        zh.text_of("#more-problems").starts_with("還有 10,300 個問題。"),
        "{}",
        zh.text_of("#more-problems")
    );
}

/// Holds `import_jobs` locked against inserts until dropped with `release`, so an upload stays
/// on its worker, at the insert of its job.
struct HeldTable(PgConnection);

impl HeldTable {
    fn hold(app: &TestApp) -> Self {
        use diesel::connection::SimpleConnection;
        let mut conn = PgConnection::establish(&app.db_url).unwrap();
        conn.batch_execute("BEGIN; LOCK TABLE import_jobs IN EXCLUSIVE MODE")
            .unwrap();
        HeldTable(conn)
    }

    fn release(mut self) {
        use diesel::connection::SimpleConnection;
        self.0.batch_execute("COMMIT").unwrap();
    }
}

#[tokio::test]
async fn uploads_beyond_the_workers_and_their_backlog_are_refused_as_busy_and_the_first_still_lands() {
    let app = spawn_app_with(|s| {
        s.upload_workers = 1;
        s.upload_backlog = 0;
    })
    .await;
    let (client, id, _) = customer(&app, 10).await;
    let file = || b"Display name,User name\r\nAnna,anna@contoso.com\r\n".to_vec();
    let held = HeldTable::hold(&app);
    let first = client.upload(id, "first.csv", file(), "auto");
    let rest = async {
        // The first upload is on the only worker once its insert waits for the lock.
        let deadline = Instant::now() + Duration::from_secs(30);
        while app.number(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"import_jobs\"%'",
        ) == 0
        {
            assert!(Instant::now() < deadline, "the first upload never reached its insert");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let busy = client.upload(id, "second.csv", file(), "auto").await;
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()["retry-after"], "10");
        let page = Page {
            status: StatusCode::OK,
            html: scraper::Html::parse_document(&busy.text().await.unwrap()),
            text: String::new(),
        };
        assert_eq!(
            page.text_of("#file-error"),
            "Other files are being checked right now. Send this file again in 10 seconds; nothing was lost."
        );
        assert_eq!(
            page.text_of("label[for=file]"),
            "File",
            "the form is there to send it again"
        );
        held.release();
    };
    let (first, ()) = tokio::join!(first, rest);
    assert_eq!(
        first.status(),
        StatusCode::SEE_OTHER,
        "the first upload finishes once the lock is gone"
    );
    assert_eq!(app.number("SELECT count(*) FROM import_jobs"), 1);
    let again = client.upload(id, "second.csv", file(), "auto").await;
    assert_eq!(
        again.status(),
        StatusCode::SEE_OTHER,
        "a free worker takes the file again"
    );
}

async fn progress(client: &Client, job: &str) -> serde_json::Value {
    let response = client.get(&format!("{job}/progress")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// Issue 13: a running import's progress is a small JSON answer its page polls, and the page
/// refreshes itself only without script.
#[tokio::test]
async fn a_running_import_reports_its_progress_as_json_and_refreshes_only_without_script() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let (job, page) = validate(&client, id, "utf8.csv", fixture("utf8-bom-comma.csv")).await;
    assert!(page.has("#confirm-form"));
    assert_eq!(progress(&client, &job).await["active"], false, "validated, not started");

    let job_id = job.rsplit('/').next().unwrap().to_string();
    app.execute(&format!(
        "UPDATE import_jobs SET status = 'running', worker = 'elsewhere', heartbeat_at = now(),
                started_at = now() - interval '10 seconds', done_rows = 1 WHERE id = '{job_id}'"
    ));
    let running = progress(&client, &job).await;
    assert_eq!(running["active"], true);
    assert_eq!(
        (running["done"].as_i64(), running["total"].as_i64()),
        (Some(1), Some(4))
    );
    assert_eq!(running["text"], "Importing: 1 of 4");
    assert!(running["time_left"].as_str().unwrap().ends_with("left."), "{running}");
    let page = client.page(&job).await;
    assert!(page
        .text
        .contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"));
    assert_eq!(
        page.text.matches("http-equiv=\"refresh\"").count(),
        1,
        "only inside <noscript>"
    );
    assert!(page.has("#progress-card[data-progress-url]"));

    // Another partner's staff cannot read it.
    let (other, _) = app.signed_in_at("Other Partner", Role::GlobalAdmin).await;
    assert_eq!(
        other.get(&format!("{job}/progress")).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Issue 13: every file's report previews its first rows as read and says how each header was
/// read, valid or not, so Big5 names can be checked before 10,000 users are created.
#[tokio::test]
async fn the_report_previews_the_first_rows_and_how_each_header_was_read() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let (_, page) = validate(&client, id, "big5.csv", fixture("big5-comma.csv")).await;
    assert!(page.has("#confirm-form"), "a valid file");
    let position = |needle: &str| {
        page.text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not on the page"))
    };
    assert!(
        position("id=\"report-summary\"") < position("id=\"preview\""),
        "the counts come first"
    );
    assert!(page
        .text_of("#preview summary")
        .starts_with("Preview: the first 4 rows as read"));
    let first = page.texts_of("#preview-rows tbody tr:first-child td");
    assert_eq!(first[..4], ["2", "美玲", "陳", "陳美玲"]);
    assert!(page.has("#preview-rows td[lang=zh-Hant]"));
    assert_eq!(page.texts_of("#column-map li")[0], "First name → First name");

    let (_, chinese) = validate(&client, id, "zh.csv", fixture("zh-headers-trailing-empty.csv")).await;
    assert_eq!(
        chinese.texts_of("#column-map li")[..2],
        ["名字 → First name", "姓氏 → Last name"]
    );

    // A file with problems is previewed too.
    let (_, bad) = validate(&client, id, "bad.csv", fixture("bad-rows.csv")).await;
    assert!(
        bad.has("#report") && bad.has("#preview-rows tbody tr"),
        "{}",
        bad.text_of("main")
    );
}

/// Issue 14, item 3: workbooks saved by LibreOffice Calc import as they are, and a workbook
/// renamed to .csv is read as what its bytes say.
#[tokio::test]
async fn xlsx_and_ods_from_libreoffice_create_the_same_three_users() {
    for name in ["libreoffice-users.xlsx", "libreoffice-users.ods"] {
        let created = import_fixture(name, "TW").await;
        let mut names: Vec<&str> = created.iter().map(|u| u.0.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Zoë Brontë", "張瑋庭", "黃淑芬"], "{name}");
    }
}

#[tokio::test]
async fn a_workbook_renamed_to_csv_is_read_as_a_workbook_and_numbers_and_locked_files_say_how_to_export() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let (_, page) = validate(&client, id, "users.csv", fixture("libreoffice-users.xlsx")).await;
    assert!(page.has("#confirm-form"), "{}", page.text_of("main"));
    assert_eq!(page.text_of("#encoding-used"), "Read as xlsx.");

    // A ZIP laid out as Apple Numbers saves.
    let mut numbers = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut numbers);
        zip.start_file("Index/Document.iwa", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, b"iwa").unwrap();
        zip.finish().unwrap();
    }
    let refused = client.upload(id, "users.numbers", numbers.into_inner(), "auto").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("File › Export To › Excel"));

    // An encrypted Office file: an OLE2 container holding an EncryptedPackage stream.
    let mut locked = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    locked.resize(512, 0);
    locked.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let refused = client.upload(id, "locked.xlsx", locked, "auto").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("protected with a password"));
    assert_eq!(
        app.number(&format!("SELECT count(*) FROM import_jobs WHERE customer_id = {id}")),
        1
    );
}

/// Issue 14, item 1 (NFC): a file written with decomposed letters, as macOS writes them,
/// creates the names as a keyboard types them.
#[tokio::test]
async fn decomposed_letters_from_a_mac_become_composed_names() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let file = "First name,Last name,Display name,User name,Usage location,Status update\n\
                Zoe\u{308},Bronte\u{308},Zoe\u{308} Bronte\u{308},zoe@contoso.onmicrosoft.com,GB,\n\
                Thu\u{309}y,Nguye\u{302}\u{303}n,Nguye\u{302}\u{303}n Thu\u{309}y,thuy@contoso.onmicrosoft.com,VN,\n";
    let (job, page) = validate(&client, id, "mac.csv", file.as_bytes().to_vec()).await;
    assert!(page.has("#confirm-form"), "{}", page.text_of("main"));
    create(&client, &job, "TW", &[]).await;
    assert!(wait(&client, &job).await.has("#done"));
    let mut names: Vec<String> = users(&app, id).into_iter().map(|u| u.0).collect();
    names.sort();
    assert_eq!(names, ["Nguyễn Thủy", "Zoë Brontë"]);
}

/// Issue 14, item 2: a line break inside a name cell (Alt+Enter in Excel) is one space and a
/// warning, not an error; other control characters stay errors.
#[tokio::test]
async fn a_line_break_in_a_name_cell_becomes_a_space_and_a_warning() {
    let app = spawn_app().await;
    let (client, id, _) = customer(&app, 10).await;
    let file = "First name,Last name,Display name,User name,Usage location,Status update\r\n\
                美玲,陳,\"陳\r\n美玲\",meiling@contoso.onmicrosoft.com,TW,\r\n\
                Anna,Lee,Anna Lee,anna@contoso.onmicrosoft.com,TW,\r\n";
    let (job, page) = validate(&client, id, "alt-enter.csv", file.as_bytes().to_vec()).await;
    assert!(
        page.has("#confirm-form"),
        "a warning does not stop the import: {}",
        page.text_of("main")
    );
    let warning = page.text_of("#warnings");
    assert!(
        warning.starts_with("1 cell was changed; the users are created anyway:"),
        "{warning}"
    );
    assert!(warning.contains("Row 2, Display name: A line break in"), "{warning}");
    create(&client, &job, "TW", &[]).await;
    assert!(wait(&client, &job).await.has("#done"));
    let names: Vec<String> = users(&app, id).into_iter().map(|u| u.0).collect();
    assert!(names.contains(&"陳 美玲".to_string()), "{names:?}");

    let bell = "First name,Last name,Display name,User name,Usage location,Status update\r\n\
                A,B,Bell\u{7}Name,bell@contoso.onmicrosoft.com,TW,\r\n";
    let (_, refused) = validate(&client, id, "bell.csv", bell.as_bytes().to_vec()).await;
    assert!(refused.has("#problems") && !refused.has("#confirm-form"));
}
