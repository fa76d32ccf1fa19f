//! The integration-test harness: a fresh database per test, cloned from a migrated template,
//! and the real application on a free port, driven over HTTP with cookie-keeping clients.
#![allow(dead_code)] // each test binary uses a different part of the harness

use std::sync::OnceLock;

use diesel::prelude::*;
use partnerdesk::auth::{password, Role};
use partnerdesk::clock::Clock;
use partnerdesk::config::Settings;
use partnerdesk::db;
use partnerdesk::services::{catalogue, staff};
use partnerdesk::startup::Application;
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use scraper::{Html, Selector};

pub mod cluster;
pub mod server_process;

/// The maintenance database of the server tests run against. `scripts/test` points this at a
/// throwaway cluster with fsync off; by default it is the machine's PostgreSQL.
pub fn admin_url() -> String {
    std::env::var("PARTNERDESK_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn server_url(database: &str) -> String {
    let admin = admin_url();
    let (base, _) = admin.rsplit_once('/').expect("url with a database");
    format!("{base}/{database}")
}

/// Name of the template for the current migrations and catalogue.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = walk(&root.join("migrations"));
    files.extend(walk(&root.join("data")));
    files.sort();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap().hash(&mut hasher);
    }
    format!("pdtpl_{:016x}", hasher.finish())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Makes the template once per machine state; an advisory lock keeps parallel test binaries
/// from racing.
fn ensure_template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = template_name();
        let mut admin = PgConnection::establish(&admin_url()).expect("test PostgreSQL reachable");
        diesel::sql_query("SELECT pg_advisory_lock(727274)")
            .execute(&mut admin)
            .unwrap();
        let exists: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
        ))
        .get_result(&mut admin)
        .unwrap();
        if exists == 0 {
            let building = format!("{name}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                .execute(&mut admin)
                .unwrap();
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut admin)
                .unwrap();
            {
                let url = server_url(&building);
                let mut conn = PgConnection::establish(&url).unwrap();
                db::run_migrations(&mut conn, &url).unwrap();
                catalogue::load(&mut conn).unwrap();
            }
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                .execute(&mut admin)
                .unwrap();
        }
        diesel::sql_query("SELECT pg_advisory_unlock(727274)")
            .execute(&mut admin)
            .unwrap();
        name
    })
}

fn fresh_database() -> String {
    let template = ensure_template();
    let name = format!("pdtest_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&admin_url()).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .execute(&mut admin)
        .unwrap();
    server_url(&name)
}

pub struct TestApp {
    pub address: String,
    pub db_url: String,
    pub clock: Clock,
    pub data_dir: tempfile::TempDir,
    stopper: Option<partnerdesk::startup::Stopper>,
}

/// The server's worker threads outlive the test's runtime: stop them, so their database
/// connections close and hundreds of tests fit in the test cluster's connection limit.
impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stopper) = self.stopper.take() {
            std::thread::spawn(move || actix_web::rt::System::new().block_on(stopper.stop()));
        }
    }
}

/// Starts the application on a free port against a database of its own.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let db_url = tokio::task::spawn_blocking(fresh_database).await.unwrap();
    start_app(db_url, adjust)
}

/// Starts the application on the database at `db_url`, created, migrated and loaded here (as
/// `partnerdesk serve` would): for a server of a test's own, such as a [`cluster::PrivateCluster`].
pub async fn spawn_app_on(db_url: &str) -> TestApp {
    let url = db_url.to_string();
    tokio::task::spawn_blocking(move || {
        db::ensure_database(&url).unwrap();
        let mut conn = PgConnection::establish(&url).unwrap();
        db::run_migrations(&mut conn, &url).unwrap();
        catalogue::load(&mut conn).unwrap();
    })
    .await
    .unwrap();
    start_app(db_url.to_string(), |_| {})
}

fn start_app(db_url: String, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_database(&db_url, data_dir.path());
    adjust(&mut settings);
    let pool = db::pool(&db_url, 4).unwrap();
    let clock = Clock::system();
    let app = Application::build(settings, pool, clock.clone()).expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let stopper = Some(app.stopper());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db_url,
        clock,
        data_dir,
        stopper,
    }
}

pub struct StaffLogin {
    pub id: i64,
    pub partner_id: i64,
    pub email: String,
    pub password: String,
}

impl TestApp {
    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.db_url).unwrap()
    }

    /// The one number a query answers (a count, an id), for arranging and checking tests.
    pub fn number(&self, sql: &str) -> i64 {
        diesel::dsl::sql::<diesel::sql_types::BigInt>(sql)
            .get_result(&mut self.conn())
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs SQL straight on the database: a change made behind the app's back.
    pub fn execute(&self, sql: &str) {
        diesel::sql_query(sql)
            .execute(&mut self.conn())
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A new browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::at(&self.address)
    }

    /// A client whose requests say (in `X-Forwarded-For`) that they come from `address`, as a
    /// reverse proxy would write; believed only when the app trusts 127.0.0.1 as a proxy.
    pub fn client_from(&self, address: &str) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", address.parse().unwrap());
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .default_headers(headers)
                .build()
                .unwrap(),
            address: self.address.clone(),
        }
    }

    /// Creates a staff member directly in the database (as `partnerdesk create-staff` does).
    pub fn create_staff(&self, partner: &str, email: &str, role: Role, temporary: bool) -> StaffLogin {
        let secret = format!("Pw-{}-long-enough", uuid::Uuid::new_v4().simple());
        let hash = password::hash(&secret).unwrap();
        let member = staff::create(&mut self.conn(), partner, email, role, &hash, temporary).unwrap();
        // Partners require a second factor by default; the tests of other things sign in with
        // the password alone, and tests/api/second_factor.rs turns it back on.
        self.execute(&format!(
            "UPDATE partners SET second_factor_required = false WHERE id = {}",
            member.partner_id
        ));
        StaffLogin {
            id: member.id,
            partner_id: member.partner_id,
            email: email.to_string(),
            password: secret,
        }
    }

    /// A client signed in as a new staff member of "Test Partner" with `role`.
    pub async fn signed_in(&self, role: Role) -> (Client, StaffLogin) {
        self.signed_in_at("Test Partner", role).await
    }

    pub async fn signed_in_at(&self, partner: &str, role: Role) -> (Client, StaffLogin) {
        let email = format!(
            "{}-{}@partner.example",
            role.as_str(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let login = self.create_staff(partner, &email, role, false);
        let client = self.client();
        let response = client.sign_in(&login.email, &login.password).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-in should succeed");
        (client, login)
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub address: String,
}

pub struct Page {
    pub status: StatusCode,
    pub html: Html,
    pub text: String,
}

impl Page {
    pub fn from_text(status: StatusCode, text: String) -> Self {
        Page {
            status,
            html: Html::parse_document(&text),
            text,
        }
    }

    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|_| panic!("bad selector {css}"));
        self.html.select(&selector).collect()
    }

    /// The whole text of the first element matching `css`, whitespace folded.
    pub fn text_of(&self, css: &str) -> String {
        self.select(css)
            .first()
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }

    pub fn texts_of(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn has(&self, css: &str) -> bool {
        !self.select(css).is_empty()
    }

    pub fn csrf(&self) -> String {
        self.select("input[name=csrf_token]")
            .first()
            .and_then(|e| e.value().attr("value"))
            .expect("page has a CSRF token")
            .to_string()
    }
}

impl Client {
    /// A new browser-like client of the server at `address` (cookies kept, redirects not
    /// followed, so tests see them).
    pub fn at(address: &str) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .unwrap(),
            address: address.to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn page(&self, path: &str) -> Page {
        let response = self.get(path).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        Page {
            status,
            html: Html::parse_document(&text),
            text,
        }
    }

    /// The session's CSRF token, as any page's forms carry it.
    pub async fn csrf(&self) -> String {
        self.page("/sign-in").await.csrf()
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_page(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self.post(path, fields).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        Page {
            status,
            html: Html::parse_document(&text),
            text,
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post("/sign-in", &[("email", email), ("password", password)]).await
    }

    /// Adds a customer through the page and returns its id.
    pub async fn add_customer(&self, name: &str, domains: &str) -> i64 {
        self.add_customer_in(name, domains, "TW").await
    }

    /// Adds a customer with this default usage location (a country code) and returns its id.
    pub async fn add_customer_in(&self, name: &str, domains: &str, default_location: &str) -> i64 {
        let response = self
            .post(
                "/customers",
                &[
                    ("company_name", name),
                    ("domains", domains),
                    ("default_usage_location", default_location),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "customer {name} should be added"
        );
        location(&response)
            .trim_start_matches("/customers/")
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Buys a product (by SKU) for a customer through the page.
    pub async fn buy(&self, customer_id: i64, sku: &str, quantity: i32) -> reqwest::Response {
        let product_id = product_id(
            &self.page(&format!("/customers/{customer_id}/subscriptions")).await,
            sku,
        );
        self.post(
            &format!("/customers/{customer_id}/subscriptions"),
            &[("product_id", &product_id), ("quantity", &quantity.to_string())],
        )
        .await
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The catalogue id of a product as the Add subscription form offers it.
pub fn product_id(page: &Page, sku: &str) -> String {
    page.select(&format!("#product_id option[data-sku='{sku}']"))
        .first()
        .and_then(|o| o.value().attr("value"))
        .unwrap_or_else(|| panic!("product {sku} not offered"))
        .to_string()
}

/// One row of a credentials page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub display_name: String,
    pub user_name: String,
    pub password: String,
}

impl Page {
    pub fn credentials(&self) -> Vec<Shown> {
        self.select("#credential-list tbody tr")
            .iter()
            .map(|row| {
                let cell = |css: &str| {
                    let sel = Selector::parse(css).unwrap();
                    row.select(&sel)
                        .next()
                        .map(|e| e.text().collect::<String>().trim().to_string())
                        .unwrap_or_default()
                };
                Shown {
                    display_name: cell("td.display-name"),
                    user_name: cell("td.user-name"),
                    password: cell("td.password code"),
                }
            })
            .collect()
    }
}

impl Client {
    /// Submits the Add user form; `action` is "save" or "another".
    pub async fn add_user_with(
        &self,
        customer_id: i64,
        fields: &[(&str, &str)],
        products: &[i64],
        action: &str,
        run: Option<&str>,
    ) -> reqwest::Response {
        let product_strings: Vec<String> = products.iter().map(|p| p.to_string()).collect();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        for p in &product_strings {
            all.push(("product", p));
        }
        all.push(("action", action));
        if let Some(run) = run {
            all.push(("run", run));
        }
        self.post(&format!("/customers/{customer_id}/users"), &all).await
    }

    /// Adds a user (domain = the customer's first) and returns the credentials page's URL.
    pub async fn add_user(
        &self,
        customer_id: i64,
        display_name: &str,
        alias: &str,
        domain: &str,
        products: &[i64],
    ) -> String {
        let response = self
            .add_user_with(
                customer_id,
                &[
                    ("display_name", display_name),
                    ("alias", alias),
                    ("domain", domain),
                    ("usage_location", "TW"),
                    ("org_role", "user"),
                ],
                products,
                "save",
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "user {alias} should be added");
        location(&response)
    }
}

/// Ids straight from the database, for arranging tests.
pub fn user_id(app: &TestApp, user_name: &str) -> i64 {
    app.number(&format!(
        "SELECT id FROM customer_users WHERE lower(user_name) = lower('{user_name}') ORDER BY deleted_at NULLS FIRST LIMIT 1"
    ))
}

pub fn subscription_id(app: &TestApp, customer_id: i64, sku: &str) -> i64 {
    app.number(&format!(
        "SELECT s.id FROM subscriptions s JOIN products p ON p.id = s.product_id WHERE s.customer_id = {customer_id} AND p.sku_part_number = '{sku}'"
    ))
}

/// Inserts many users directly (for paging and selection tests), names "Bulk NNNN".
pub fn insert_users(app: &TestApp, customer_id: i64, domain: &str, count: usize) {
    app.execute(&format!(
        "INSERT INTO customer_users (customer_id, display_name, user_name, usage_location, password_hash)
         SELECT {customer_id}, 'Bulk ' || lpad(g::text, 4, '0'), 'bulk' || g || '@{domain}', 'TW', 'x'
         FROM generate_series(1, {count}) g"
    ));
}

impl Client {
    /// Uploads a file to the Import users page, with the CSRF token as a form field.
    pub async fn upload(&self, customer_id: i64, file_name: &str, bytes: Vec<u8>, encoding: &str) -> reqwest::Response {
        let token = self.csrf().await;
        self.upload_with_token(customer_id, file_name, bytes, encoding, &token)
            .await
    }

    pub async fn upload_with_token(
        &self,
        customer_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        encoding: &str,
        token: &str,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_string())
            .mime_str("text/csv")
            .unwrap();
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.to_string())
            .text("encoding", encoding.to_string())
            .part("file", part);
        self.http
            .post(self.url(&format!("/customers/{customer_id}/import")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// A fixture file from tests/fixtures.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}
