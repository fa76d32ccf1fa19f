use clap::Parser;
use partnerdesk::config::LogFormat;

/// glibc gives every thread that allocates its own arena and keeps freed memory there, so an
/// import whose validation, start and worker run on three threads peaks at the sum of the three.
/// Two arenas keep the peak near the largest phase (measured by bench/imports.sh).
/// Blocks of 4 MiB and more are mapped on their own and unmapped when freed: glibc's moving
/// threshold otherwise serves each argon2 check's 19 MiB from an arena, where small allocations
/// of other threads split the freed block, so a sign-in flood grew the server by 1.7 GB in 5 s
/// (388 checks); with a fixed threshold it stayed at 58 MB (bench/sign_in_flood.sh).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only changes allocator settings; called first thing, before other threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// Logs to standard output, filtered by `RUST_LOG`, as text or as JSON lines.
fn init_logging(format: LogFormat) {
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,actix_web=info".into()),
    );
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().with_span_list(false).init(),
    }
}

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    match LogFormat::from_env() {
        Ok(format) => init_logging(format),
        Err(error) => {
            eprintln!("partnerdesk: {error:#}");
            return std::process::ExitCode::FAILURE;
        }
    }
    let cli = partnerdesk::cli::Cli::parse();
    match partnerdesk::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("partnerdesk: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
