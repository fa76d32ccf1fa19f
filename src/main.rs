use clap::Parser;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,actix_web=info".into()),
        )
        .init();
    let cli = partnerdesk::cli::Cli::parse();
    match partnerdesk::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("partnerdesk: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
