//! A real browser for tests: Debian's chromedriver and headless Chromium, driven through the
//! WebDriver protocol with fantoccini. Every test gets its own chromedriver, its own browser
//! profile and its own window; pages are used the way a person uses them, by typing into
//! labelled fields and clicking buttons and links by their visible text.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::{PrintConfiguration, PrintSize};
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long to wait for a page or an element before failing.
const WAIT: Duration = Duration::from_secs(10);

/// A chromedriver process of our own on a free port, ended (with its browser) on drop.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    async fn start(log: &Path) -> ChromeDriver {
        for program in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing. The browser tests need Debian's chromium and chromium-driver \
                 packages: run scripts/test (it installs them), or apt-get install chromium chromium-driver"
            );
        }
        let mut failures = Vec::new();
        // The free port is found by binding and releasing it, so another process may take it in
        // between; a second or third port settles that.
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Left in the test's process group, so that Ctrl-C in a terminal ends
                // chromedriver and Chromium too.
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
            let mut driver = ChromeDriver {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            match driver.wait_until_ready().await {
                Ok(()) => return driver,
                Err(why) => failures.push(why),
            }
        }
        let log = std::fs::read_to_string(log).unwrap_or_default();
        panic!("chromedriver did not start: {}\nits log:\n{log}", failures.join("; "));
    }

    /// Polls `/status` until chromedriver says it is ready.
    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().map_err(|e| e.to_string())? {
                return Err(format!("chromedriver on {} exited with {status}", self.url));
            }
            if let Ok(response) = http.get(format!("{}/status", self.url)).send().await {
                let body = response.text().await.unwrap_or_default();
                let ready = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|status| status["value"]["ready"].as_bool());
                if ready == Some(true) {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!("chromedriver on {} not ready after {WAIT:?}", self.url));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Normally the session is closed by now, and Chromium with it. If it is not (a test that
        // failed half-way), Chromium would outlive a killed chromedriver; on SIGTERM it quits
        // cleanly with all its helper processes.
        for browser in children_of(self.child.id()) {
            let _ = Command::new("kill")
                .args(["-TERM", &browser.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The processes that `pid` started (any of its threads), from /proc.
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// WebAuthn's WebDriver extension: a virtual security key in the browser (chromedriver
/// implements it), which makes and uses passkeys as a real one would, without a touch.
#[derive(Debug)]
struct AddVirtualAuthenticator;

impl fantoccini::wd::WebDriverCompatibleCommand for AddVirtualAuthenticator {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({
            "protocol": "ctap2",
            "transport": "usb",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserVerified": true,
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A headless Chromium with a fresh profile, pointed at one running application.
pub struct Browser {
    page: Page,
    // Dropped in this order: the driver (and browser) first, then the profile directory.
    _driver: ChromeDriver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a browser session for the application at `base_url`.
    pub async fn start(base_url: &str) -> Browser {
        Self::start_with(base_url, true).await
    }

    /// A browser with JavaScript turned off, as some partners' locked-down machines have it:
    /// every page must still work.
    pub async fn start_without_script(base_url: &str) -> Browser {
        Self::start_with(base_url, false).await
    }

    async fn start_with(base_url: &str, script: bool) -> Browser {
        let profile = tempfile::tempdir().expect("a temporary directory for the browser profile");
        let driver = ChromeDriver::start(&profile.path().join("chromedriver.log")).await;
        let user_data_dir = profile.path().join("chromium");
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", user_data_dir.display()),
                    "--window-size=1280,900",
                    // Pages pick their language from Accept-Language until the switcher is used;
                    // pin it so the tests read the same words on every machine.
                    "--lang=en-US",
                ],
                "prefs": {
                    "intl.accept_languages": "en-US,en",
                    // 1 allows, 2 blocks.
                    "profile.managed_default_content_settings.javascript": if script { 1 } else { 2 },
                },
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("capabilities are a JSON object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| {
                let log = std::fs::read_to_string(profile.path().join("chromedriver.log")).unwrap_or_default();
                panic!("cannot open a Chromium session through chromedriver: {e}\nchromedriver's log:\n{log}")
            });
        Browser {
            page: Page {
                client,
                base: base_url.trim_end_matches('/').to_string(),
            },
            _driver: driver,
            _profile: profile,
        }
    }

    /// Runs a test against the browser's page and returns what it returns (such as a password
    /// a second browser signs in with). If the test fails, a screenshot of the page it failed on
    /// is kept (the path is printed); either way the browser session is closed.
    pub async fn run<F, Fut, T>(self, test: F) -> T
    where
        F: FnOnce(Page) -> Fut,
        Fut: Future<Output = T>,
    {
        let outcome = AssertUnwindSafe(test(self.page.clone())).catch_unwind().await;
        if outcome.is_err() {
            self.page.keep_evidence().await;
        }
        let _ = self.page.client.clone().close().await;
        match outcome {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// The browser's current tab, with the steps a person takes on a page.
#[derive(Clone)]
pub struct Page {
    client: Client,
    base: String,
}

impl Page {
    /// Resizes the browser's window, e.g. to a phone's 390 px.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("cannot resize the window: {e}"));
    }

    /// Whether the page is wider than the window (a phone would scroll sideways).
    pub async fn overflows_sideways(&self) -> bool {
        let value = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
                Vec::new(),
            )
            .await
            .unwrap_or_else(|e| panic!("cannot measure the page: {e}"));
        value.as_bool().unwrap_or(true)
    }

    /// Plugs a virtual security key into the browser (see [`AddVirtualAuthenticator`]).
    pub async fn add_virtual_authenticator(&self) {
        self.client
            .issue_cmd(AddVirtualAuthenticator)
            .await
            .unwrap_or_else(|e| panic!("chromedriver cannot add a virtual authenticator: {e}"));
    }

    /// Opens a path of the application, as if typed into the address bar.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Reloads the current page.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload the page");
    }

    /// The path (and query) of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits until an element matching `css` is on the page, e.g. the first mark of the page
    /// a click leads to.
    pub async fn wait_for(&self, css: &str) -> Element {
        match self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!(
                "no element matches `{css}` on {} after {WAIT:?}: {e}",
                self.path().await
            ),
        }
    }

    /// Waits up to `timeout` until an element matching `css` is on the page, through any number
    /// of page loads in between: for a page that refreshes itself (a progress page with a meta
    /// refresh) until the element shows. `wait_for` gives up on the first error a navigation in
    /// progress can cause; this keeps asking until the deadline. On a timeout the panic quotes the
    /// page's `<main>`, so the failure says what the page showed instead.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                return element;
            }
            if Instant::now() > deadline {
                let main = match self.client.find(Locator::Css("main")).await {
                    Ok(main) => main.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!(
                    "no element matches `{css}` on {} after {timeout:?}; the page reads:\n{main}",
                    self.path().await
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the first element matching `css` reads `expected` (trimmed), e.g. a status
    /// line whose words change from one page to the next of the same form.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.ok().map(|text| text.trim().to_string()),
                Err(_) => None,
            };
            if now.as_deref() == Some(expected) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "`{css}` on {} reads {now:?}, not {expected:?}, after {WAIT:?}",
                    self.path().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element matching `css`, which must be on the page now.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element matches `{css}` on {}: {e}", self.path().await),
        }
    }

    /// The form field labelled `label`, as a person finds it: the one `<label>` whose text is
    /// `label` (whitespace folded), then the field its `for` names, or the field inside it.
    pub async fn field(&self, label: &str) -> Element {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(label));
        let labels = self
            .client
            .find_all(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("cannot look for the label \"{label}\": {e}"));
        let label_element = match labels.as_slice() {
            [only] => only.clone(),
            [] => panic!("no field labelled \"{label}\" on {}", self.path().await),
            many => panic!(
                "{} fields labelled \"{label}\" on {}: which one a person means is unclear",
                many.len(),
                self.path().await
            ),
        };
        let target = match label_element.attr("for").await.expect("label attribute") {
            Some(id) => {
                self.client
                    .find(Locator::XPath(&format!("//*[@id={}]", xpath_literal(&id))))
                    .await
            }
            None => {
                label_element
                    .find(Locator::XPath(".//input | .//select | .//textarea"))
                    .await
            }
        };
        match target {
            Ok(field) => field,
            Err(e) => panic!("the label \"{label}\" names no field on {}: {e}", self.path().await),
        }
    }

    /// Types `text` into the field labelled `label`, after emptying it. A `\n` presses Enter.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear \"{label}\": {e}"));
        let keys = text.replace('\n', &char::from(fantoccini::key::Key::Enter).to_string());
        field
            .send_keys(&keys)
            .await
            .unwrap_or_else(|e| panic!("cannot type into \"{label}\": {e}"));
    }

    /// Picks the option with this visible text in the `<select>` labelled `label` (a WebDriver
    /// click on the option, as a person picks it from the opened list).
    pub async fn choose(&self, label: &str, option: &str) {
        let select = self.field(label).await;
        let xpath = format!(".//option[normalize-space(.)={}]", xpath_literal(option));
        let element = select
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("\"{label}\" offers no option \"{option}\": {e}"));
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot choose \"{option}\" in \"{label}\": {e}"));
    }

    /// Clicks the button whose visible text is `text`.
    pub async fn click_button(&self, text: &str) {
        let literal = xpath_literal(text);
        let xpath = format!(
            "//button[normalize-space(.)={literal}] | //input[(@type='submit' or @type='button') and @value={literal}]"
        );
        self.click_xpath(&xpath, &format!("button \"{text}\"")).await;
    }

    /// Clicks the first link whose visible text is `text`.
    pub async fn click_link(&self, text: &str) {
        let xpath = format!("//a[normalize-space(.)={}]", xpath_literal(text));
        self.click_xpath(&xpath, &format!("link \"{text}\"")).await;
    }

    async fn click_xpath(&self, xpath: &str, what: &str) {
        let element = match self.client.find(Locator::XPath(xpath)).await {
            Ok(element) => element,
            Err(e) => panic!("no {what} on {}: {e}", self.path().await),
        };
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {what}: {e}"));
    }

    /// Picks a local file in the file input matching `css`, as choosing it in the file dialog
    /// does: chromedriver takes the file's absolute path typed into the input.
    pub async fn attach_file(&self, css: &str, file: &Path) {
        let file = file
            .canonicalize()
            .unwrap_or_else(|e| panic!("cannot attach {}: {e}", file.display()));
        let path = file.to_str().expect("a UTF-8 file path");
        self.find(css)
            .await
            .send_keys(path)
            .await
            .unwrap_or_else(|e| panic!("cannot attach {path} to `{css}`: {e}"));
    }

    /// The address the first link whose visible text is `text` leads to, absolute (the `href`
    /// property, resolved by the browser against the page's URL).
    pub async fn link_href(&self, text: &str) -> String {
        let xpath = format!("//a[normalize-space(.)={}]", xpath_literal(text));
        let link = match self.client.find(Locator::XPath(&xpath)).await {
            Ok(link) => link,
            Err(e) => panic!("no link \"{text}\" on {}: {e}", self.path().await),
        };
        link.prop("href")
            .await
            .expect("link href")
            .unwrap_or_else(|| panic!("link \"{text}\" has no href"))
    }

    /// Fetches `url` over HTTP with the browser session's cookies, as the browser does when a
    /// link is followed. For downloads: a headless browser saves them to disk where WebDriver
    /// cannot read them, so the test fetches the same address as the same signed-in session.
    pub async fn fetch(&self, url: &str) -> reqwest::Response {
        let cookies = self.client.get_all_cookies().await.expect("the browser's cookies");
        let header = cookies
            .iter()
            .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
            .collect::<Vec<_>>()
            .join("; ");
        reqwest::Client::new()
            .get(url)
            .header(reqwest::header::COOKIE, header)
            .header(reqwest::header::ACCEPT_LANGUAGE, "en-US,en")
            .send()
            .await
            .unwrap_or_else(|e| panic!("cannot fetch {url}: {e}"))
    }

    /// Clicks the element matching `css`: a check box, a radio button, a `<summary>`.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click `{css}`: {e}"));
    }

    /// Ticks the check box (or picks the radio button) matching `css` with a click, as a person
    /// does, and checks that it is ticked afterwards.
    pub async fn tick(&self, css: &str) {
        assert!(!self.is_checked(css).await, "`{css}` is already ticked");
        self.click(css).await;
        assert!(self.is_checked(css).await, "`{css}` is not ticked after a click");
    }

    /// Unticks the check box matching `css` with a click.
    pub async fn untick(&self, css: &str) {
        assert!(self.is_checked(css).await, "`{css}` is not ticked");
        self.click(css).await;
        assert!(!self.is_checked(css).await, "`{css}` is still ticked after a click");
    }

    /// Whether the check box or radio button matching `css` is ticked.
    pub async fn is_checked(&self, css: &str) -> bool {
        self.find(css)
            .await
            .is_selected()
            .await
            .expect("element selected state")
    }

    /// Whether the element matching `css` is shown (not hidden, not in a closed `<details>`).
    pub async fn is_displayed(&self, css: &str) -> bool {
        self.find(css)
            .await
            .is_displayed()
            .await
            .expect("element displayed state")
    }

    /// The current value of the form field matching `css` (what is typed in it now, not the
    /// `value` attribute the page came with).
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .expect("field value")
            .unwrap_or_default()
    }

    /// Runs a script in the page, for what WebDriver cannot reach (such as the print dialog).
    pub async fn run_script(&self, script: &str) {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("cannot run a script in the page: {e}"));
    }

    /// Runs a script that returns a string (a computed style, say) and gives its value.
    pub async fn run_script_value(&self, script: &str) -> String {
        let value = self
            .client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("cannot run a script in the page: {e}"));
        value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())
    }

    /// The WCAG 2.1 A and AA violations axe-core finds on the page, one line each ("rule:
    /// selector, selector"). The audit's script comes from `AXE_CORE_JS` (scripts/test installs
    /// it) and is put in through WebDriver, so the page's Content-Security-Policy stays as it is.
    pub async fn axe_violations(&self) -> Vec<String> {
        let path = std::env::var("AXE_CORE_JS").expect("AXE_CORE_JS names axe.min.js (scripts/test sets it)");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        self.client
            .execute(&source, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("cannot load axe-core into the page: {e}"));
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                Vec::new(),
            )
            .await
            .unwrap_or_else(|e| panic!("cannot run axe-core: {e}"));
        found
            .as_array()
            .map(|list| list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// Prints the page to PDF as Chromium prints it (WebDriver "Print Page": the print
    /// stylesheet applies, no header or footer), on paper of this size in centimetres.
    pub async fn print_pdf(&self, width_cm: f64, height_cm: f64) -> Vec<u8> {
        let configuration = PrintConfiguration::builder()
            .size(PrintSize {
                width: width_cm,
                height: height_cm,
            })
            .build()
            .expect("a valid print configuration");
        match self.client.print(configuration).await {
            Ok(pdf) => pdf,
            Err(e) => panic!("cannot print {} to PDF: {e}", self.path().await),
        }
    }

    /// The visible text of the first element matching `css`, trimmed.
    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        element.text().await.expect("element text").trim().to_string()
    }

    /// The visible texts of all elements matching `css`, trimmed.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let elements = self.client.find_all(Locator::Css(css)).await.expect("find elements");
        let mut texts = Vec::with_capacity(elements.len());
        for element in elements {
            texts.push(element.text().await.expect("element text").trim().to_string());
        }
        texts
    }

    /// An attribute of the first element matching `css`.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.expect("element attribute")
    }

    /// The page's title, as the browser's tab shows it.
    pub async fn title(&self) -> String {
        self.client.title().await.expect("page title")
    }

    /// Saves a PNG of the window.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// After a failure: a screenshot under the target directory, and where the browser was.
    async fn keep_evidence(&self) {
        let name = std::thread::current()
            .name()
            .map(|name| name.replace("::", "-"))
            .unwrap_or_else(|| "browser-test".into());
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
        let path = dir.join(format!("{name}.png"));
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let saved = match (std::fs::create_dir_all(&dir), self.client.screenshot().await) {
            (Ok(()), Ok(png)) => std::fs::write(&path, png).is_ok(),
            _ => false,
        };
        if saved {
            eprintln!("browser test failed on {url}; screenshot: {}", path.display());
        } else {
            eprintln!("browser test failed on {url}; no screenshot could be taken");
        }
    }
}

/// `text` as an XPath string literal, whatever quotes it holds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|part| format!("'{part}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
