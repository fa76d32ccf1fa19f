//! Settings from environment variables, each with a default that works on a developer machine.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use actix_web::cookie::Key;
use anyhow::Context;
use base64::Engine;

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/partnerdesk";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "var";
pub const DEFAULT_UPLOAD_LIMIT: u64 = 40 * 1024 * 1024;
/// About 50 MB: a customer of 250,000 users, or many smaller ones.
pub const DEFAULT_LIST_CACHE_USERS: usize = 250_000;
/// A person mistyping does not try 30 passwords a minute from one place (an office behind one
/// address may have a few people signing in at once).
pub const DEFAULT_SIGN_IN_PER_ADDRESS: u32 = 30;
/// Higher than per address, as colleagues behind one office address share an account rarely
/// but an attacker spread over many addresses aims at one; the per-address lockout does the rest.
pub const DEFAULT_SIGN_IN_PER_ACCOUNT: u32 = 60;
/// Password checks that wait for a worker before further sign-ins are refused as busy.
pub const DEFAULT_PASSWORD_BACKLOG: usize = 16;
/// Where `serve` is opened by default. On `localhost` any port is accepted for passkeys, so the
/// tests' servers on free ports work too.
pub const DEFAULT_PUBLIC_URL: &str = "http://localhost:8080";
/// Sessions kept in memory (about 1 KB each).
pub const DEFAULT_SESSION_CACHE: usize = 10_000;
/// Uploads waiting for a worker; each waits as a file on disk.
pub const DEFAULT_UPLOAD_BACKLOG: usize = 4;

/// Seconds a graceful stop waits for requests in flight (a big upload's validation included).
pub const DEFAULT_SHUTDOWN_TIMEOUT: u64 = 30;
/// Who may read `/metrics` unless `PARTNERDESK_METRICS_ALLOW` says otherwise: this machine.
pub const DEFAULT_METRICS_ALLOW: &str = "127.0.0.0/8,::1";

#[derive(Clone)]
pub struct Settings {
    /// `DATABASE_URL`
    pub database_url: String,
    /// DATABASE_URL was not set: `database_url` is the default address
    /// (`PARTNERDESK_DEFAULT_DATABASE_URL`, else [`DEFAULT_DATABASE_URL`]), and a private
    /// PostgreSQL may be started when nothing answers there (see `db::embedded`).
    pub database_url_is_default: bool,
    /// `PARTNERDESK_BIND`: address and port to listen on (port 0 picks a free one).
    pub bind: String,
    /// `PARTNERDESK_DATA_DIR`: where the session key, the mail outbox and upload spools live.
    pub data_dir: PathBuf,
    /// `PARTNERDESK_SECURE_COOKIES`: mark cookies Secure (set it when served over HTTPS).
    pub secure_cookies: bool,
    /// `PARTNERDESK_SESSION_KEY`: base64 of at least 64 random bytes; otherwise kept in a file.
    pub session_key: Key,
    /// `PARTNERDESK_SMTP_URL`: e.g. `smtp://mail.example.com:587`; unset writes mail to the outbox.
    pub smtp_url: Option<String>,
    /// `PARTNERDESK_MAIL_FROM`
    pub mail_from: String,
    /// `PARTNERDESK_UPLOAD_LIMIT`: largest accepted upload in bytes.
    pub upload_limit: u64,
    /// `PARTNERDESK_DB_POOL_SIZE`: database connections per server; by default twice the CPUs
    /// (see [`default_pool_size`]).
    pub pool_size: u32,
    /// `PARTNERDESK_BACKGROUND_JOBS`: run the import worker and the periodic purge in this
    /// server (default on; turn off on servers that should only answer pages).
    pub background_jobs: bool,
    /// `serve --demo`: the sign-in page says the demo partner signs in without a second factor.
    pub demo: bool,
    /// `PARTNERDESK_LIST_CACHE_USERS`: how many users the Users list keeps in memory across the
    /// customers listed last (about 190 bytes each).
    pub list_cache_users: usize,
    /// `PARTNERDESK_TRUSTED_PROXIES`: comma-separated addresses of reverse proxies whose
    /// `X-Forwarded-For` is believed; from any other peer the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// `PARTNERDESK_SIGN_IN_PER_ADDRESS`: sign-in attempts a minute from one client address.
    pub sign_in_per_address: u32,
    /// `PARTNERDESK_SIGN_IN_PER_ACCOUNT`: sign-in attempts a minute for one email.
    pub sign_in_per_account: u32,
    /// `PARTNERDESK_PASSWORD_WORKERS`: password checks run at once (default one per CPU).
    pub password_workers: usize,
    /// `PARTNERDESK_PASSWORD_BACKLOG`: password checks that may wait for a worker.
    pub password_backlog: usize,
    /// `PARTNERDESK_UPLOAD_WORKERS`: uploaded files read and checked at once (default one per two
    /// CPUs). Each holds its file in memory, about three times the file's size at the peak.
    pub upload_workers: usize,
    /// `PARTNERDESK_UPLOAD_BACKLOG`: uploaded files that may wait for a worker (on disk, not in
    /// memory); beyond them an upload is refused as busy.
    pub upload_backlog: usize,
    /// `PARTNERDESK_SESSION_CACHE`: signed-in sessions this server keeps in memory, forgotten on
    /// any server's change through LISTEN/NOTIFY (0: every request reads its session's row).
    pub session_cache: usize,
    /// `PARTNERDESK_PUBLIC_URL`: the address people open PartnerDesk at (scheme, host, port),
    /// which passkeys are bound to. Its host must be a name, not an IP address.
    pub public_url: String,
    /// `PARTNERDESK_METRICS_ALLOW`: client addresses and ranges that may read `/metrics`
    /// (default loopback only).
    pub metrics_allow: Vec<AddressRange>,
    /// `PARTNERDESK_SHUTDOWN_TIMEOUT`: seconds a graceful stop gives requests in flight.
    pub shutdown_timeout: u64,
}

impl Settings {
    /// Reads the environment. A missing session key is generated once and kept in
    /// `<data dir>/session.key` so a restart does not sign everyone out.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("PARTNERDESK_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let session_key = match var("PARTNERDESK_SESSION_KEY") {
            Some(encoded) => key_from_base64(&encoded).context("PARTNERDESK_SESSION_KEY")?,
            None => load_or_create_key_file(&data_dir)?,
        };
        Ok(Self {
            database_url_is_default: var("DATABASE_URL").is_none(),
            database_url: var("DATABASE_URL")
                .or_else(|| var("PARTNERDESK_DEFAULT_DATABASE_URL"))
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind: var("PARTNERDESK_BIND").unwrap_or_else(|| DEFAULT_BIND.into()),
            secure_cookies: var("PARTNERDESK_SECURE_COOKIES").is_some_and(|v| is_truthy(&v)),
            smtp_url: var("PARTNERDESK_SMTP_URL"),
            mail_from: var("PARTNERDESK_MAIL_FROM")
                .unwrap_or_else(|| "PartnerDesk <no-reply@partnerdesk.invalid>".into()),
            upload_limit: match var("PARTNERDESK_UPLOAD_LIMIT") {
                Some(v) => v
                    .parse()
                    .context("PARTNERDESK_UPLOAD_LIMIT must be a number of bytes")?,
                None => DEFAULT_UPLOAD_LIMIT,
            },
            pool_size: match var("PARTNERDESK_DB_POOL_SIZE") {
                Some(v) => v.parse().context("PARTNERDESK_DB_POOL_SIZE must be a number")?,
                None => default_pool_size(),
            },
            demo: false,
            background_jobs: var("PARTNERDESK_BACKGROUND_JOBS").is_none_or(|v| is_truthy(&v)),
            list_cache_users: match var("PARTNERDESK_LIST_CACHE_USERS") {
                Some(v) => v
                    .parse()
                    .context("PARTNERDESK_LIST_CACHE_USERS must be a number of users")?,
                None => DEFAULT_LIST_CACHE_USERS,
            },
            trusted_proxies: match var("PARTNERDESK_TRUSTED_PROXIES") {
                Some(v) => parse_addresses(&v).context("PARTNERDESK_TRUSTED_PROXIES")?,
                None => Vec::new(),
            },
            sign_in_per_address: number(var("PARTNERDESK_SIGN_IN_PER_ADDRESS"), DEFAULT_SIGN_IN_PER_ADDRESS)
                .context("PARTNERDESK_SIGN_IN_PER_ADDRESS must be a number of attempts")?,
            sign_in_per_account: number(var("PARTNERDESK_SIGN_IN_PER_ACCOUNT"), DEFAULT_SIGN_IN_PER_ACCOUNT)
                .context("PARTNERDESK_SIGN_IN_PER_ACCOUNT must be a number of attempts")?,
            password_workers: number(var("PARTNERDESK_PASSWORD_WORKERS"), default_password_workers())
                .context("PARTNERDESK_PASSWORD_WORKERS must be a number")?,
            password_backlog: number(var("PARTNERDESK_PASSWORD_BACKLOG"), DEFAULT_PASSWORD_BACKLOG)
                .context("PARTNERDESK_PASSWORD_BACKLOG must be a number")?,
            upload_workers: number(var("PARTNERDESK_UPLOAD_WORKERS"), default_upload_workers())
                .context("PARTNERDESK_UPLOAD_WORKERS must be a number")?,
            upload_backlog: number(var("PARTNERDESK_UPLOAD_BACKLOG"), DEFAULT_UPLOAD_BACKLOG)
                .context("PARTNERDESK_UPLOAD_BACKLOG must be a number")?,
            session_cache: number(var("PARTNERDESK_SESSION_CACHE"), DEFAULT_SESSION_CACHE)
                .context("PARTNERDESK_SESSION_CACHE must be a number of sessions")?,
            public_url: var("PARTNERDESK_PUBLIC_URL").unwrap_or_else(|| DEFAULT_PUBLIC_URL.into()),
            metrics_allow: parse_ranges(
                &var("PARTNERDESK_METRICS_ALLOW").unwrap_or_else(|| DEFAULT_METRICS_ALLOW.into()),
            )
            .context("PARTNERDESK_METRICS_ALLOW")?,
            shutdown_timeout: number(var("PARTNERDESK_SHUTDOWN_TIMEOUT"), DEFAULT_SHUTDOWN_TIMEOUT)
                .context("PARTNERDESK_SHUTDOWN_TIMEOUT must be a number of seconds")?,
            data_dir,
            session_key,
        })
    }

    /// Settings for tests and tools: everything explicit, a fresh random key.
    pub fn for_database(database_url: &str, data_dir: &Path) -> Self {
        Self {
            database_url: database_url.to_string(),
            database_url_is_default: false,
            bind: "127.0.0.1:0".into(),
            data_dir: data_dir.to_path_buf(),
            secure_cookies: false,
            session_key: Key::generate(),
            smtp_url: None,
            mail_from: "PartnerDesk <no-reply@partnerdesk.invalid>".into(),
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            pool_size: 8,
            background_jobs: true,
            demo: false,
            list_cache_users: DEFAULT_LIST_CACHE_USERS,
            trusted_proxies: Vec::new(),
            sign_in_per_address: DEFAULT_SIGN_IN_PER_ADDRESS,
            sign_in_per_account: DEFAULT_SIGN_IN_PER_ACCOUNT,
            password_workers: default_password_workers(),
            password_backlog: DEFAULT_PASSWORD_BACKLOG,
            upload_workers: default_upload_workers(),
            upload_backlog: DEFAULT_UPLOAD_BACKLOG,
            session_cache: DEFAULT_SESSION_CACHE,
            public_url: DEFAULT_PUBLIC_URL.into(),
            metrics_allow: parse_ranges(DEFAULT_METRICS_ALLOW).expect("valid default"),
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
        }
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

/// `PARTNERDESK_LOG_FORMAT`: how log lines are written. Read before everything else (the
/// settings themselves log), so it is not a field of [`Settings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event (the default).
    Text,
    /// One JSON object per line, with the request's span (its request id), for log collectors.
    Json,
}

impl LogFormat {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::parse(std::env::var("PARTNERDESK_LOG_FORMAT").ok().as_deref())
    }

    pub fn parse(value: Option<&str>) -> anyhow::Result<Self> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => anyhow::bail!("PARTNERDESK_LOG_FORMAT must be text or json, not {other:?}"),
        }
    }
}

/// Twice the CPUs, from 4 to 32. More connections than PostgreSQL can run at once only queue
/// inside it: on this 2-core machine /health at 16 connections had a p99 of 4 ms with a pool of
/// 4, 85 ms with 8 and 222 ms with 16, at the same rate.
pub fn default_pool_size() -> u32 {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (2 * cpus).clamp(4, 32)
}

/// One password worker per CPU: argon2 is all CPU, so more would only share the cores.
pub fn default_password_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// One upload worker per two CPUs: reading a file is all CPU and memory, and the other core stays
/// free for the pages of everyone else.
pub fn default_upload_workers() -> usize {
    (std::thread::available_parallelism().map_or(2, |n| n.get()) / 2).max(1)
}

fn number<T: std::str::FromStr>(value: Option<String>, default: T) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    value.map_or(Ok(default), |v| Ok(v.trim().parse()?))
}

fn parse_addresses(list: &str) -> anyhow::Result<Vec<IpAddr>> {
    list.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.parse().with_context(|| format!("{a:?} is not an IP address")))
        .collect()
}

/// An address (`10.0.0.5`, `::1`) or a CIDR range of them (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl AddressRange {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .trim()
            .parse()
            .with_context(|| format!("{text:?} is not an IP address or range"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .with_context(|| format!("{text:?}: the prefix length must be 0 to {bits}"))?,
            None => bits,
        };
        Ok(AddressRange { network, prefix })
    }

    /// Whether `address` is in the range; an IPv4 address written as IPv6 (`::ffff:127.0.0.1`,
    /// as a dual-stack listener sees it) counts as the IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let keep = |bits: u32| -> u128 {
            match self.prefix {
                0 => 0,
                p => u128::MAX << (bits - u32::from(p)),
            }
        };
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = keep(32) as u32;
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = keep(128);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

fn parse_ranges(list: &str) -> anyhow::Result<Vec<AddressRange>> {
    list.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(AddressRange::parse)
        .collect()
}

fn is_truthy(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

fn key_from_base64(encoded: &str) -> anyhow::Result<Key> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .context("not valid base64")?;
    anyhow::ensure!(bytes.len() >= 64, "needs at least 64 bytes, has {}", bytes.len());
    Ok(Key::from(&bytes))
}

fn load_or_create_key_file(data_dir: &Path) -> anyhow::Result<Key> {
    let path = data_dir.join("session.key");
    if let Ok(encoded) = std::fs::read_to_string(&path) {
        return key_from_base64(&encoded).with_context(|| format!("session key file {}", path.display()));
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let key = Key::generate();
    let encoded = base64::engine::general_purpose::STANDARD.encode(key.master());
    write_private(&path, encoded.as_bytes())?;
    tracing::info!(
        path = %path.display(),
        "no PARTNERDESK_SESSION_KEY set: generated a session key and kept it in this file so restarts keep sessions"
    );
    Ok(key)
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_key_file(dir.path()).unwrap();
        let second = load_or_create_key_file(dir.path()).unwrap();
        assert_eq!(first.master(), second.master());
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(key_from_base64("c2hvcnQ=").is_err());
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses() {
        let parsed = parse_addresses(" 10.0.0.1, ::1 ,").unwrap();
        assert_eq!(
            parsed,
            vec!["10.0.0.1".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]
        );
        assert!(parse_addresses("10.0.0.0/8").is_err());
    }

    #[test]
    fn log_format_is_text_unless_json_is_asked_for() {
        assert_eq!(LogFormat::parse(None).unwrap(), LogFormat::Text);
        assert_eq!(LogFormat::parse(Some("")).unwrap(), LogFormat::Text);
        assert_eq!(LogFormat::parse(Some("text")).unwrap(), LogFormat::Text);
        assert_eq!(LogFormat::parse(Some(" JSON ")).unwrap(), LogFormat::Json);
        let error = LogFormat::parse(Some("yaml")).unwrap_err().to_string();
        assert!(error.contains("PARTNERDESK_LOG_FORMAT"), "{error}");
    }

    #[test]
    fn metrics_allow_takes_addresses_and_ranges() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let ranges = parse_ranges(DEFAULT_METRICS_ALLOW).unwrap();
        let allowed = |a: &str| ranges.iter().any(|r| r.contains(ip(a)));
        assert!(allowed("127.0.0.1") && allowed("127.1.2.3") && allowed("::1"));
        assert!(
            allowed("::ffff:127.0.0.1"),
            "IPv4 loopback as a dual-stack socket shows it"
        );
        assert!(!allowed("128.0.0.1") && !allowed("10.0.0.1") && !allowed("::2"));
        let office = AddressRange::parse("192.0.2.0/24").unwrap();
        assert!(office.contains(ip("192.0.2.200")) && !office.contains(ip("192.0.3.1")));
        assert!(AddressRange::parse("0.0.0.0/0").unwrap().contains(ip("203.0.113.9")));
        let v6 = AddressRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("192.0.2.1")));
        assert!(AddressRange::parse("10.0.0.0/33").is_err());
        assert!(AddressRange::parse("10.0.0/8").is_err());
        assert!(AddressRange::parse("localhost").is_err());
    }

    #[test]
    fn truthy_values() {
        assert!(is_truthy("TRUE") && is_truthy("1") && !is_truthy("no"));
    }
}
