//! `partnerdesk serve` as a real process on a free port: for what only a process shows (its
//! files, its signals, its exit). Its output goes to a file that a failing test prints.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The longest a test waits for a process to start, stop or reach a state (not a timing
/// assertion: only a bound so that a broken build fails instead of hanging).
pub const PATIENCE: Duration = Duration::from_secs(120);

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary under test, with a data folder and quiet logs.
pub fn partnerdesk_command(db_url: Option<&str>, data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_partnerdesk"));
    command
        .env_remove("DATABASE_URL")
        .env("PARTNERDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "info");
    if let Some(url) = db_url {
        command.env("DATABASE_URL", url);
    }
    command
}

pub struct ServerProcess {
    child: Child,
    pub address: String,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `command` (a `serve`) listening on a free port, and returns once `/health/live`
    /// answers; panics with the process's output if it exits first.
    pub async fn start(mut command: Command) -> Self {
        let port = free_port();
        let log_dir = tempfile::tempdir().unwrap();
        let log = log_dir.path().join("server.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = command
            .env("PARTNERDESK_BIND", format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("the binary starts");
        let mut server = ServerProcess {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
            _log_dir: log_dir,
        };
        server.wait_until_live().await;
        server
    }

    async fn wait_until_live(&mut self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}) before serving:\n{}", self.log());
            }
            let live = http.get(format!("{}/health/live", self.address)).send().await;
            if live.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(Instant::now() < deadline, "the server did not start:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Everything the process wrote so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(self.pid(), signal) }, 0, "kill({signal})");
    }

    /// Whether the process has ended, without waiting.
    pub fn has_exited(&mut self) -> bool {
        self.child.try_wait().unwrap().is_some()
    }

    /// Waits (off the async executor) for the process to end.
    pub async fn wait(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, self.log());
            }
            assert!(Instant::now() < deadline, "the server did not exit:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Polls `check` until it gives a value, up to [`PATIENCE`]; `what` names the wait in a panic.
pub async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "gave up waiting: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
