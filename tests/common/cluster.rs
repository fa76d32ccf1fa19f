//! A PostgreSQL cluster of one test's own, which it may stop and start again (an outage) without
//! disturbing the cluster every other test shares. PostgreSQL refuses to run as root, so its
//! tools run as the postgres user, in a folder that user owns.

use std::path::{Path, PathBuf};
use std::process::Command;

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

pub struct PrivateCluster {
    dir: tempfile::TempDir,
    pub port: u16,
}

/// Runs a PostgreSQL program as the postgres user; panics with its output when it fails.
fn as_postgres(program: &str, args: &[&str]) {
    let output = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(Path::new(PG_BIN).join(program))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("runuser {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl PrivateCluster {
    /// initdb (no fsync: a test's data) on a free port, then start it. Blocking.
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("partnerdesk-private-pg.")
            .tempdir()
            .unwrap();
        let status = Command::new("chown")
            .arg("postgres:postgres")
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "chown of {} to postgres", dir.path().display());
        let cluster = PrivateCluster { port: free_port(), dir };
        let data = cluster.data();
        as_postgres(
            "initdb",
            &[
                "--pgdata",
                path_str(&data),
                "--username=postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        let settings = format!(
            "\nport = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n",
            cluster.port,
            cluster.dir.path().display()
        );
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str(&settings);
        std::fs::write(&conf, text).unwrap();
        cluster.resume();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the server as an administrator would (`-m fast`: sessions are ended). Blocking.
    pub fn stop(&self) {
        as_postgres("pg_ctl", &["-D", path_str(&self.data()), "-m", "fast", "-w", "stop"]);
    }

    /// Starts the server and returns once it accepts connections. Blocking.
    pub fn resume(&self) {
        let log = self.dir.path().join("postgres.log");
        as_postgres(
            "pg_ctl",
            &[
                "-D",
                path_str(&self.data()),
                "-l",
                path_str(&log),
                "-w",
                "-t",
                "30",
                "start",
            ],
        );
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(Path::new(PG_BIN).join("pg_ctl"))
                .args(["-D", path_str(&self.data()), "-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}
