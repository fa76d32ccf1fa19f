//! A private PostgreSQL for a machine that has PostgreSQL installed but not running: when
//! DATABASE_URL is unset and nothing answers at the default address, PartnerDesk starts a
//! cluster of its own under its data folder (initdb the first time), reaches it over a unix
//! socket in that folder only, and stops it when it stops. `serve --demo` then works on any
//! machine with PostgreSQL's server package, running or not.
//!
//! initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user, which owns
//! the cluster's folder.

use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::Context;

/// Where Debian and Ubuntu install each PostgreSQL version's server programs (`<version>/bin`).
pub const DEBIAN_SERVER_ROOT: &str = "/usr/lib/postgresql";

/// The port number of the cluster's socket file (`.s.PGSQL.5432`); it listens on no TCP port.
const SOCKET_PORT: u16 = 5432;

/// What to say when there is neither a PostgreSQL to reach nor one to start.
pub const NOT_INSTALLED: &str = "PostgreSQL is not running at the default address and its server programs (initdb, pg_ctl) \
     are not installed: install the package postgresql (Debian, Ubuntu: apt-get install postgresql) or set DATABASE_URL";

/// Where DATABASE_URL is unset and nothing answers at the default address: starts the private
/// cluster under the data folder and points the settings at it (one log line says so), or
/// refuses with [`NOT_INSTALLED`] when PostgreSQL's server programs are not there either.
/// Otherwise changes nothing. The cluster runs as long as the value returned lives.
pub fn start_if_needed(settings: &mut crate::config::Settings) -> anyhow::Result<Option<EmbeddedCluster>> {
    if !settings.database_url_is_default || answers(&settings.database_url) {
        return Ok(None);
    }
    let path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let Some(bin) = find_server_programs(&path, Path::new(DEBIAN_SERVER_ROOT)) else {
        anyhow::bail!(
            "{NOT_INSTALLED} (tried {})",
            crate::db::redact_url(&settings.database_url)
        );
    };
    let database =
        crate::db::maintenance_url(&settings.database_url).map_or_else(|| "partnerdesk".to_string(), |(_, name)| name);
    let cluster = EmbeddedCluster::start(&bin, &settings.data_dir.join("postgres"))?;
    let default = crate::db::redact_url(&settings.database_url);
    settings.database_url = cluster.url(&database);
    tracing::info!(
        folder = %cluster.dir().display(),
        programs = %bin.display(),
        "DATABASE_URL is unset and nothing answers at {}: using a private PostgreSQL in the data folder, stopped when PartnerDesk stops",
        default
    );
    Ok(Some(cluster))
}

/// A running private cluster; stopped when dropped.
pub struct EmbeddedCluster {
    dir: PathBuf,
    bin: PathBuf,
    owner: Option<Owner>,
}

#[derive(Debug, Clone, Copy)]
struct Owner {
    uid: u32,
    gid: u32,
}

/// Whether something accepts TCP connections at the host and port of a `postgres://` URL (it
/// need not be PostgreSQL, nor let us in: then the usual connection error says what is wrong).
/// A URL whose address cannot be read counts as answering, so it is used as it is.
pub fn answers(url: &str) -> bool {
    let Some(address) = host_and_port(url) else {
        return true;
    };
    let Ok(addresses) = address.to_socket_addrs() else {
        return false;
    };
    addresses
        .into_iter()
        .any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
}

/// `host:port` of `postgres://user@host:port/db` (port 5432 when absent); None for URLs whose
/// host is given otherwise (a unix socket in `?host=`).
fn host_and_port(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))?;
    if rest.contains("host=") {
        return None;
    }
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.is_empty() {
        return None;
    }
    let has_port = match host_port.rfind(']') {
        Some(close) => host_port[close..].contains(':'),
        None => host_port.contains(':'),
    };
    Some(if has_port {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    })
}

/// The folder with initdb and pg_ctl: the first folder of `path` that has both, else the newest
/// version under `debian_root` (`15/bin`, `16/bin`...).
pub fn find_server_programs(path: &[PathBuf], debian_root: &Path) -> Option<PathBuf> {
    let complete = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = path.iter().find(|d| complete(d)) {
        return Some(dir.clone());
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(debian_root)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            complete(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

impl EmbeddedCluster {
    /// Starts (after initdb, the first time) the cluster in `dir` with the programs in `bin`,
    /// and creates nothing else: the caller creates its database as on any server.
    pub fn start(bin: &Path, dir: &Path) -> anyhow::Result<Self> {
        let owner = if is_root() {
            Some(postgres_user().context("running as root, the private PostgreSQL needs the user postgres")?)
        } else {
            None
        };
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let dir = dir
            .canonicalize()
            .with_context(|| format!("cannot read {}", dir.display()))?;
        if let Some(owner) = owner {
            reachable_by_postgres(&dir)?;
            std::os::unix::fs::chown(&dir, Some(owner.uid), Some(owner.gid))
                .with_context(|| format!("cannot give {} to the user postgres", dir.display()))?;
        }
        // The socket lives here: only the cluster's owner may reach it.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        let cluster = EmbeddedCluster {
            dir,
            bin: bin.to_path_buf(),
            owner,
        };
        if !cluster.data().join("PG_VERSION").is_file() {
            cluster.initdb()?;
        }
        if !cluster.is_running() {
            cluster.pg_ctl_start()?;
        }
        Ok(cluster)
    }

    /// The URL of `database` on this cluster, through its socket.
    pub fn url(&self, database: &str) -> String {
        let socket_dir: String = self
            .dir
            .to_string_lossy()
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("postgres://postgres@localhost/{database}?host={socket_dir}&port={SOCKET_PORT}")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn program(&self, name: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        command.current_dir(&self.dir);
        if let Some(owner) = self.owner {
            command.uid(owner.uid).gid(owner.gid);
        }
        command
    }

    fn run(&self, name: &str, args: &[&std::ffi::OsStr]) -> anyhow::Result<()> {
        let output = self
            .program(name)
            .args(args)
            .output()
            .with_context(|| format!("cannot run {}", self.bin.join(name).display()))?;
        anyhow::ensure!(
            output.status.success(),
            "{name} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        Ok(())
    }

    fn initdb(&self) -> anyhow::Result<()> {
        let data = self.data();
        self.run(
            "initdb",
            &[
                "--pgdata".as_ref(),
                data.as_os_str(),
                "--username=postgres".as_ref(),
                "--auth=trust".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
            ],
        )?;
        // No TCP: the socket in the cluster's own folder is the only way in.
        let settings = format!(
            "\n# Written by PartnerDesk: a private cluster reached through its folder only.\n\
             listen_addresses = ''\nport = {SOCKET_PORT}\nunix_socket_directories = '{}'\n",
            self.dir.display().to_string().replace('\'', "''")
        );
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf)?;
        text.push_str(&settings);
        std::fs::write(&conf, text)?;
        Ok(())
    }

    fn is_running(&self) -> bool {
        let data = self.data();
        self.program("pg_ctl")
            .args(["status".as_ref(), "-D".as_ref(), data.as_os_str()])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn pg_ctl_start(&self) -> anyhow::Result<()> {
        let (data, log) = (self.data(), self.dir.join("postgres.log"));
        self.run(
            "pg_ctl",
            &[
                "start".as_ref(),
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
            ],
        )
        .with_context(|| format!("the private PostgreSQL did not start (see {})", log.display()))
    }

    /// Stops the server: sessions are ended, the data is flushed (`-m fast`).
    pub fn stop(&self) -> anyhow::Result<()> {
        let data = self.data();
        self.run(
            "pg_ctl",
            &[
                "stop".as_ref(),
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-w".as_ref(),
            ],
        )
    }
}

impl Drop for EmbeddedCluster {
    fn drop(&mut self) {
        match self.stop() {
            Ok(()) => tracing::info!(folder = %self.dir.display(), "stopped the private PostgreSQL"),
            Err(error) => tracing::warn!(error = %format!("{error:#}"), "cannot stop the private PostgreSQL"),
        }
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The uid and gid of the user `postgres`, which Debian's PostgreSQL packages create.
fn postgres_user() -> anyhow::Result<Owner> {
    // SAFETY: getpwnam takes a NUL-terminated name and returns a pointer to static storage or
    // NULL; the fields are read at once, before any other call could reuse that storage.
    unsafe {
        let entry = libc::getpwnam(c"postgres".as_ptr());
        anyhow::ensure!(!entry.is_null(), "there is no user postgres");
        Ok(Owner {
            uid: (*entry).pw_uid,
            gid: (*entry).pw_gid,
        })
    }
}

/// The postgres user must be able to pass through every folder above the cluster's. The data
/// folder PartnerDesk made (0700) is opened for passing through only (0711: nobody can list it);
/// a folder further up that is closed is for the administrator to decide about.
fn reachable_by_postgres(dir: &Path) -> anyhow::Result<()> {
    let mut parents: Vec<&Path> = dir.ancestors().skip(1).collect();
    parents.reverse();
    let data_folder = dir.parent();
    for folder in parents {
        let mode = std::fs::metadata(folder)?.permissions().mode();
        if mode & 0o001 != 0 {
            continue;
        }
        anyhow::ensure!(
            Some(folder) == data_folder,
            "the user postgres cannot reach {} (mode {:o}); set PARTNERDESK_DATA_DIR to a folder it can pass through, or DATABASE_URL",
            folder.display(),
            mode & 0o777
        );
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode((mode & 0o777) | 0o011))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_address_of_a_url() {
        assert_eq!(
            host_and_port("postgres://postgres@127.0.0.1:5432/partnerdesk").as_deref(),
            Some("127.0.0.1:5432")
        );
        assert_eq!(
            host_and_port("postgresql://db.internal/pd").as_deref(),
            Some("db.internal:5432")
        );
        assert_eq!(
            host_and_port("postgres://u:p@[::1]:6543/pd?sslmode=require").as_deref(),
            Some("[::1]:6543")
        );
        assert_eq!(host_and_port("postgres://[::1]/pd").as_deref(), Some("[::1]:5432"));
        assert_eq!(
            host_and_port("postgres://postgres@localhost/pd?host=%2Fvar%2Frun&port=5432"),
            None
        );
        assert_eq!(host_and_port("mysql://x/y"), None);
    }

    #[test]
    fn nothing_listening_does_not_answer_and_an_unreadable_url_is_left_alone() {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = free.local_addr().unwrap().port();
        assert!(
            answers(&format!("postgres://postgres@127.0.0.1:{port}/pd")),
            "listening"
        );
        drop(free);
        assert!(
            !answers(&format!("postgres://postgres@127.0.0.1:{port}/pd")),
            "nothing there"
        );
        assert!(answers("not a url"));
    }

    #[test]
    fn finds_initdb_and_pg_ctl_on_the_path_first_then_the_newest_debian_version() {
        let root = tempfile::tempdir().unwrap();
        let make = |dir: &Path, names: &[&str]| {
            std::fs::create_dir_all(dir).unwrap();
            for name in names {
                std::fs::write(dir.join(name), "").unwrap();
            }
        };
        let debian = root.path().join("lib/postgresql");
        make(&debian.join("13/bin"), &["initdb", "pg_ctl"]);
        make(&debian.join("16/bin"), &["initdb", "pg_ctl"]);
        make(&debian.join("17/bin"), &["pg_ctl"]); // incomplete
        let on_path = root.path().join("opt/bin");
        make(&on_path, &["initdb", "pg_ctl"]);
        let only_client = root.path().join("usr/bin");
        make(&only_client, &["psql", "pg_ctl"]);

        assert_eq!(
            find_server_programs(&[only_client.clone(), on_path.clone()], &debian),
            Some(on_path)
        );
        assert_eq!(
            find_server_programs(std::slice::from_ref(&only_client), &debian),
            Some(debian.join("16/bin"))
        );
        assert_eq!(find_server_programs(&[only_client], &root.path().join("none")), None);
    }

    #[test]
    fn the_url_reaches_the_socket_in_the_folder() {
        let cluster = EmbeddedCluster {
            dir: PathBuf::from("/srv/partner desk/postgres"),
            bin: PathBuf::new(),
            owner: None,
        };
        assert_eq!(
            cluster.url("partnerdesk"),
            "postgres://postgres@localhost/partnerdesk?host=%2Fsrv%2Fpartner%20desk%2Fpostgres&port=5432"
        );
        assert_eq!(
            crate::db::maintenance_url(&cluster.url("partnerdesk")).unwrap().0,
            "postgres://postgres@localhost/postgres?host=%2Fsrv%2Fpartner%20desk%2Fpostgres&port=5432"
        );
        std::mem::forget(cluster); // nothing to stop
    }
}
