//! The command line: `serve` (the default), `migrate`, `create-staff`, `demo-data`.

use std::io::Read;

use clap::{Parser, Subcommand};

use crate::auth::{password, Role};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db;
use crate::domain::time_zone::TimeZone;
use crate::services::{catalogue, demo, staff};
use crate::startup::Application;

#[derive(Parser, Debug)]
#[command(
    name = "partnerdesk",
    version,
    about = "Manage the users and licenses of your customers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database if needed, run migrations, load the catalogue and serve (the default).
    Serve {
        /// Load the demo partner first and print its sign-in details.
        #[arg(long)]
        demo: bool,
    },
    /// Run pending migrations only.
    Migrate,
    /// Create a staff member, and the partner if it does not exist yet.
    CreateStaff {
        #[arg(long)]
        partner: String,
        #[arg(long)]
        email: String,
        /// global-admin, admin-agent, sales-agent or helpdesk-agent
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from standard input instead of generating a temporary one.
        #[arg(long)]
        password_stdin: bool,
        /// The partner's time zone, an IANA name such as Asia/Taipei (its dates and times are
        /// shown in it; UTC until set).
        #[arg(long, value_parser = parse_time_zone)]
        time_zone: Option<TimeZone>,
    },
    /// Load a demo partner with staff of every role and five customers (safe to run twice).
    DemoData,
    /// Remove users deleted more than 30 days ago and expired credentials pages (for cron).
    Purge,
}

fn parse_time_zone(value: &str) -> Result<TimeZone, String> {
    TimeZone::parse(value)
        .map_err(|_| "expected an IANA time zone name such as Asia/Taipei or Europe/London".to_string())
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value).ok_or_else(|| "expected global-admin, admin-agent, sales-agent or helpdesk-agent".to_string())
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::from_env()?;
    // Runs until this function returns (after a graceful stop, too), then is stopped.
    let _private_postgres = db::embedded::start_if_needed(&mut settings)?;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            prepare(&settings)?;
            if demo {
                load_demo(&settings)?;
                settings.demo = true;
            }
            serve(settings)
        }
        Command::Migrate => {
            db::ensure_database(&settings.database_url)?;
            let mut conn = db::connect(&settings.database_url)?;
            let applied = db::run_migrations(&mut conn, &settings.database_url)?;
            println!("{applied} migration(s) applied");
            Ok(())
        }
        Command::CreateStaff {
            partner,
            email,
            role,
            password_stdin,
            time_zone,
        } => {
            prepare(&settings)?;
            let (secret, temporary) = if password_stdin {
                let mut input = String::new();
                std::io::stdin().read_to_string(&mut input)?;
                let secret = input.trim_end_matches(['\r', '\n']).to_string();
                anyhow::ensure!(
                    secret.chars().count() >= crate::domain::password_policy::MIN_LENGTH,
                    "the password needs at least {} characters",
                    crate::domain::password_policy::MIN_LENGTH
                );
                (secret, false)
            } else {
                (crate::domain::temp_password::generate(), true)
            };
            let hash = password::hash(&secret)?;
            let mut conn = db::connect(&settings.database_url)?;
            let member = staff::create(&mut conn, &partner, &email, role, &hash, temporary)?;
            if let Some(zone) = time_zone {
                let actor = crate::services::Actor {
                    partner_id: member.partner_id,
                    staff_id: member.id,
                };
                staff::set_partner_time_zone(&mut conn, actor, zone)?;
                println!("Partner {} shows times in {}.", member.partner_name, zone.name());
            }
            println!(
                "Created {} ({}) for partner {}.",
                member.email,
                role.as_str().replace('_', "-"),
                member.partner_name
            );
            if temporary {
                println!("Temporary password (shown once; it must be changed at first sign-in): {secret}");
            }
            Ok(())
        }
        Command::DemoData => {
            prepare(&settings)?;
            load_demo(&settings)
        }
        Command::Purge => {
            prepare(&settings)?;
            let mut conn = db::connect(&settings.database_url)?;
            let purged = crate::jobs::purge::run_once(&mut conn, &Clock::system())?;
            println!(
                "Purged {} deleted user(s) and {} expired credentials page(s).",
                purged.users, purged.credential_sheets
            );
            Ok(())
        }
    }
}

/// Everything before serving: database, migrations, catalogue.
fn prepare(settings: &Settings) -> anyhow::Result<()> {
    db::ensure_database(&settings.database_url)?;
    let mut conn = db::connect(&settings.database_url)?;
    let applied = db::run_migrations(&mut conn, &settings.database_url)?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    let products = catalogue::load(&mut conn)?;
    tracing::info!(products, "product catalogue loaded");
    Ok(())
}

fn load_demo(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = db::connect(&settings.database_url)?;
    let sign_ins = demo::load(&mut conn)?;
    println!(
        "Demo partner \"{}\" is ready. Sign in at http://{} with:",
        demo::PARTNER,
        settings.bind
    );
    for (email, role) in sign_ins {
        println!(
            "  {email:<30} {:<15} password: {}",
            role.as_str().replace('_', "-"),
            demo::PASSWORD
        );
    }
    Ok(())
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let pool = db::pool(&settings.database_url, settings.pool_size)?;
    actix_web::rt::System::new().block_on(async move {
        let bind = settings.bind.clone();
        let clock = Clock::system();
        if settings.background_jobs {
            crate::jobs::purge::spawn(pool.clone(), clock.clone());
        }
        let shutdown_timeout = settings.shutdown_timeout;
        let app = Application::build(settings, pool, clock)?;
        tracing::info!("PartnerDesk listening on http://{} (port {})", bind, app.port());
        let stopper = app.stopper();
        let mut server = actix_web::rt::spawn(app.run_until_stopped());
        tokio::select! {
            served = &mut server => return Ok(served??),
            signal = stop_signal() => tracing::info!(
                "{signal}: no new connections; finishing requests in flight (up to {shutdown_timeout} s) and handing a running import back to the queue"
            ),
        }
        stopper.shut_down().await;
        server.await??;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Waits for SIGTERM (what service managers and orchestrators send) or Ctrl-C (SIGINT).
async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate()).expect("SIGTERM can be handled");
    let mut interrupt = signal(SignalKind::interrupt()).expect("SIGINT can be handled");
    tokio::select! {
        _ = terminate.recv() => "SIGTERM",
        _ = interrupt.recv() => "SIGINT",
    }
}
