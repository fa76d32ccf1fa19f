use clap::Parser;

/// glibc gives every thread that allocates its own arena and keeps freed memory there, so an
/// import whose validation, start and worker run on three threads peaks at the sum of the three.
/// Two arenas keep the peak near the largest phase (measured by bench/imports.sh).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only changes allocator settings; called first thing, before other threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
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
