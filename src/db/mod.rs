//! The database: connection pool, creating the database and running migrations at start-up,
//! and the one helper that runs blocking diesel work off the async executor.

pub mod embedded;
pub mod functions;
mod pool;
pub mod prepared;
pub mod schema;
pub mod views;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

pub use pool::{pool, Health, Manager, PgPool, PgPooled, BUSY_WAIT};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Why the database could not be prepared, phrased for the person starting the server.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot connect to PostgreSQL at {url}: {reason}. Is PostgreSQL running (pg_ctlcluster 15 main start) and is DATABASE_URL right?")]
    Unreachable { url: String, reason: String },
    #[error("cannot create database {name} at {url}: {reason}")]
    CreateFailed { name: String, url: String, reason: String },
    #[error("migrations failed on {url}: {reason}")]
    Migrations { url: String, reason: String },
    #[error("DATABASE_URL {url} does not name a database")]
    NoDatabaseName { url: String },
}

/// Splits `postgres://…/name?x` into the URL of the `postgres` maintenance database and `name`.
pub fn maintenance_url(url: &str) -> Option<(String, String)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let slash = base.rfind('/')?;
    if base[..slash].ends_with('/') {
        return None; // "postgres://host" with no path
    }
    let name = &base[slash + 1..];
    if name.is_empty() {
        return None;
    }
    let mut admin = format!("{}/postgres", &base[..slash]);
    if let Some(q) = query {
        admin.push('?');
        admin.push_str(q);
    }
    Some((admin, name.to_string()))
}

/// Hides a password in a URL before it is printed.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// libpq's messages run over several lines; a start-up error is printed as one.
fn one_line(error: &impl std::fmt::Display) -> String {
    error.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Creates the database named in `url` when it does not exist yet.
pub fn ensure_database(url: &str) -> Result<(), StartupError> {
    let shown = redact_url(url);
    let (admin_url, name) = maintenance_url(url).ok_or_else(|| StartupError::NoDatabaseName { url: shown.clone() })?;
    if PgConnection::establish(url).is_ok() {
        return Ok(());
    }
    let mut admin = PgConnection::establish(&admin_url).map_err(|e| StartupError::Unreachable {
        url: redact_url(&admin_url),
        reason: one_line(&e),
    })?;
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<diesel::sql_types::Text, _>(&name)
        .get_result::<Exists>(&mut admin)
        .map(|e| e.exists)
        .unwrap_or(false);
    if !exists {
        diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&name)))
            .execute(&mut admin)
            .map_err(|e| StartupError::CreateFailed {
                name: name.clone(),
                url: shown.clone(),
                reason: e.to_string(),
            })?;
        tracing::info!(database = %name, "created the database");
    }
    PgConnection::establish(url).map_err(|e| StartupError::Unreachable {
        url: shown,
        reason: one_line(&e),
    })?;
    Ok(())
}

pub fn run_migrations(conn: &mut PgConnection, url: &str) -> Result<usize, StartupError> {
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| StartupError::Migrations {
            url: redact_url(url),
            reason: e.to_string(),
        })?;
    Ok(applied.len())
}

/// The embedded migrations this database has not applied, by version, read without changing
/// anything (unlike diesel's harness, which creates its table first): a server whose database
/// lacks some is not ready for traffic. Migrations applied by a newer server do not count.
pub fn pending_migrations(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let applied: std::collections::HashSet<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<Applied>(conn)?
            .into_iter()
            .map(|a| a.version)
            .collect();
    Ok(embedded_versions()
        .into_iter()
        .filter(|version| !applied.contains(version))
        .collect())
}

/// The versions of [`MIGRATIONS`], as diesel records them once applied.
fn embedded_versions() -> Vec<String> {
    use diesel::migration::MigrationSource;
    MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .expect("embedded migrations are readable")
        .iter()
        .map(|m| m.name().version().to_string())
        .collect()
}

pub fn connect(url: &str) -> Result<PgConnection, StartupError> {
    PgConnection::establish(url).map_err(|e| StartupError::Unreachable {
        url: redact_url(url),
        reason: one_line(&e),
    })
}

/// Runs blocking database work on the blocking thread pool: both the checkout from the pool
/// and the queries happen there, never on the async executor, inside the request's span so its
/// log lines carry the request id.
pub async fn run<T, F>(pool: &PgPool, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get()?;
        match work(&mut conn) {
            Err(AppError::Internal(_) | AppError::DatabaseUnavailable) if connection_lost(&mut conn) => {
                Err(AppError::DatabaseUnavailable)
            }
            outcome => outcome,
        }
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
}

/// Whether a connection whose work just failed has lost its server (stopped, restarted, or the
/// session ended): then the failure is the database being unavailable, not a bug. A query fails
/// at once on such a connection, and diesel then marks it broken, so the pool drops it instead
/// of lending it again; without this, a connection whose first failed statement was a prepare
/// stayed in the pool, failing every request it served for the rest of its life.
fn connection_lost(conn: &mut PgConnection) -> bool {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1").is_err()
}

/// A new connection of its own, outside the pool, for work that sends messages of tens of MB (an
/// import's rows): a pooled connection would keep buffers that large for good. A database that
/// cannot be reached is [`AppError::DatabaseUnavailable`].
pub fn connect_own(database_url: &str) -> Result<PgConnection, AppError> {
    connect(database_url).map_err(|e| {
        tracing::warn!(error = %e, "cannot open a connection of its own");
        AppError::DatabaseUnavailable
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_maintenance_database() {
        assert_eq!(
            maintenance_url("postgres://postgres@127.0.0.1:5432/partnerdesk"),
            Some((
                "postgres://postgres@127.0.0.1:5432/postgres".into(),
                "partnerdesk".into()
            ))
        );
        assert_eq!(
            maintenance_url("postgres://u@h/db?sslmode=disable"),
            Some(("postgres://u@h/postgres?sslmode=disable".into(), "db".into()))
        );
        assert_eq!(maintenance_url("postgres://u@h"), None);
    }

    #[test]
    fn embedded_versions_are_the_migration_folders_dates() {
        let versions = embedded_versions();
        let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| !name.starts_with('.'))
            .count();
        assert_eq!(versions.len(), folders);
        assert!(versions
            .iter()
            .all(|v| v.chars().all(|c| c.is_ascii_digit()) && v.len() >= 14));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
