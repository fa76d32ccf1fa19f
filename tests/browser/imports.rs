//! Import users from a .csv file in the browser: the template download, a real file picked in
//! the file input, the validation report, the confirmation, the self-refreshing progress page
//! and the temporary passwords at the end.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common;
use crate::harness::{Browser, Page};
use crate::sign_in;
use crate::users::{
    assert_temporary_password, contoso, contoso_with_e3, credentials_on_screen, global_admin_and_helper,
};

/// The progress page refreshes itself every 2 s; four users take well under a second, so a
/// minute is only ever reached when the import is stuck.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(60);

/// The header row of the template, and of every file the importer reads best.
const TEMPLATE_HEADER: &str = "First name,Last name,Display name,User name,Usage location,Status update";

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// From the customer list to the customer's Users and licenses tab, and on to Import users.
async fn open_import_users(page: &Page, company: &str) {
    page.click_link("Customers").await;
    page.wait_for("#customers").await;
    page.click_link(company).await;
    page.wait_for("nav.subtabs").await;
    assert_eq!(page.text("nav.tabs a[aria-current='page']").await, "Users and licenses");
    page.click_link("Import users").await;
    page.wait_for("#upload-form").await;
    assert_eq!(page.text("main h1").await, "Import users");
}

/// Picks a fixture in the file input, leaves Encoding as it is and clicks Validate; waits for
/// the report.
async fn validate(page: &Page, fixture: &str) {
    page.attach_file("#file", &fixture_path(fixture)).await;
    assert_eq!(
        page.text("#encoding option:checked").await,
        "Automatic",
        "Encoding starts on Automatic"
    );
    page.click_button("Validate").await;
    page.wait_for("#report-summary").await;
}

#[tokio::test]
async fn import_the_big5_sample_and_open_the_credentials_page() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let (customer, e3) = contoso_with_e3(&app, &helper, 10).await;
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            open_import_users(&page, "Contoso").await;

            // The template, fetched as the signed-in browser would download it: UTF-8 with a BOM
            // (so that Excel reads it as UTF-8) and the columns the importer knows.
            let template = page.link_href("Download template (.csv)").await;
            assert!(
                template.ends_with(&format!("/customers/{customer}/import/template")),
                "the template link leads to {template}"
            );
            let response = page.fetch(&template).await;
            assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {template}");
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert!(
                content_type.starts_with("text/csv"),
                "the template is served as {content_type:?}"
            );
            let bytes = response.bytes().await.expect("the template's bytes");
            let expected = [b"\xEF\xBB\xBF".as_slice(), TEMPLATE_HEADER.as_bytes()].concat();
            assert!(
                bytes.starts_with(&expected) && matches!(bytes.get(expected.len()), Some(b'\r' | b'\n')),
                "the template starts with a BOM and the header row, not {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(120)])
            );

            // Excel's "CSV" on Traditional Chinese Windows, picked in the file input.
            validate(&page, "big5-comma.csv").await;
            assert!(
                page.path()
                    .await
                    .starts_with(&format!("/customers/{customer}/imports/")),
                "Validate leads to the import's page, not {}",
                page.path().await
            );
            assert_eq!(
                page.text("#report-summary").await,
                "The file has 4 users and no problems."
            );
            assert_eq!(page.text("#encoding-used").await, "Read as Big5.");
            assert_eq!(page.text("main h1").await, "Import users: big5-comma.csv");
            // Before anything is created, the preview shows the names as decoded.
            assert!(page.is_displayed("#preview-rows").await, "the preview is open");
            let names = page.texts("#preview-rows tbody td:nth-child(4)").await;
            assert_eq!(names[..3], ["陳美玲", "林志明", "黃淑芬"]);

            page.choose("Usage location for users without one in the file", "Taiwan")
                .await;
            let product = format!("#product-{e3}");
            assert!(
                page.text(&format!("label[for='product-{e3}']"))
                    .await
                    .starts_with("Office 365 E3"),
                "{product} is Office 365 E3"
            );
            page.tick(&product).await;
            page.click_button("Create users").await;

            // The progress page refreshes itself until the import is done; nothing is clicked.
            page.wait_for_within("#done", IMPORT_TIMEOUT).await;
            assert_eq!(page.text("#done p.alert").await, "4 users were created.");
            page.click_link("Show the temporary passwords").await;

            page.wait_for("#credential-list").await;
            assert!(
                page.path().await.starts_with("/credentials/"),
                "Show the temporary passwords leads to {}",
                page.path().await
            );
            let shown = credentials_on_screen(&page).await;
            let names: Vec<(&str, &str)> = shown
                .iter()
                .map(|c| (c.display_name.as_str(), c.user_name.as_str()))
                .collect();
            assert_eq!(
                names,
                [
                    ("陳美玲", "meiling.chen@contoso.onmicrosoft.com"),
                    ("林志明", "chihming.lin@contoso.onmicrosoft.com"),
                    ("黃淑芬", "shufen.huang@contoso.com"),
                    ("張瑋庭 (Wei-Ting Chang)", "weiting.chang@contoso.com"),
                ],
                "the four users in the file's order, their Chinese names read from Big5 intact"
            );
            for c in &shown {
                assert_temporary_password(&c.password, &c.user_name);
            }
        })
        .await;
}

#[tokio::test]
async fn a_bad_file_shows_every_problem_row() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    contoso(&helper).await;
    let browser = Browser::start(&app.address).await;

    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            open_import_users(&page, "Contoso").await;
            validate(&page, "bad-rows.csv").await;

            // Row 6 is fine on its own; row 7 repeats its user name, so the problem is row 7's.
            let rows = page.texts("#problems tbody td.row").await;
            assert_eq!(rows, ["2", "3", "4", "5", "7", "8", "9"], "the problem rows");
            let problems = page.texts("#problems tbody td.problem").await;
            assert!(
                problems.iter().all(|p| !p.is_empty()),
                "every problem row says what is wrong: {problems:?}"
            );
            assert!(
                page.text("#report-summary").await.contains("7 problems"),
                "the summary reads {:?}",
                page.text("#report-summary").await
            );
            let buttons = page.texts("button").await;
            assert!(
                !buttons.iter().any(|b| b == "Create users"),
                "a file with problems offers no Create users button: {buttons:?}"
            );
            assert_eq!(page.texts("#confirm-form").await.len(), 0, "no confirmation form");
        })
        .await;
}

/// Issue 13: with script the progress bar moves by itself, from a small JSON answer, and the
/// page shows the outcome when the run ends; no `<meta>` refresh is at work.
#[tokio::test]
async fn the_progress_bar_follows_the_run_without_reloading_the_page() {
    let app = common::spawn_app().await;
    let (admin, helper) = global_admin_and_helper(&app).await;
    let customer = contoso(&helper).await;
    let bytes = std::fs::read(fixture_path("utf8-bom-comma.csv")).unwrap();
    let upload = helper.upload(customer, "utf8.csv", bytes, "auto").await;
    let job = common::location(&upload);
    let job_id = job.rsplit('/').next().unwrap().to_string();
    app.execute(&format!(
        "UPDATE import_jobs SET status = 'running', worker = 'elsewhere', heartbeat_at = now(),
                started_at = now(), done_rows = 1 WHERE id = '{job_id}'"
    ));
    let browser = Browser::start(&app.address).await;
    browser
        .run(|page| async move {
            sign_in(&page, &admin.email, &admin.password).await;
            page.goto(&job).await;
            page.wait_for("#progress-card").await;
            page.run_script("document.body.dataset.loaded = 'once';").await;
            app.execute(&format!("UPDATE import_jobs SET done_rows = 3 WHERE id = '{job_id}'"));
            page.wait_for_text("#progress-text", "Importing: 3 of 4").await;
            let value = page
                .run_script_value("return String(document.getElementById('progress').value);")
                .await;
            assert_eq!(value, "3");
            assert_eq!(
                page.attr("body", "data-loaded").await.as_deref(),
                Some("once"),
                "not reloaded"
            );
            app.execute(&format!(
                "UPDATE import_jobs SET status = 'done', done_rows = 4, finished_at = now() WHERE id = '{job_id}'"
            ));
            page.wait_for("#done").await;
        })
        .await;
}
