//! What `/metrics` tells Prometheus: requests by route pattern and status class, the database
//! pool, import jobs by state and refused sign-ins by reason. Each server (each test's app too)
//! has a registry of its own.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::auth::session_cache::SessionCache;

use crate::db::PgPool;

/// The route label of a request that matched no route: a fixed word, so that whatever paths
/// scanners try never become labels.
pub const UNMATCHED: &str = "unmatched";

/// Why a sign-in was refused, as the `reason` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Over the per-address or per-account rate limit (429).
    RateLimited,
    /// The address is locked out for this account (smart lockout).
    Locked,
    /// A wrong password, or an email that has no account.
    WrongPassword,
    /// Every password worker busy and the backlog full (503).
    Busy,
}

impl SignInRefusal {
    pub const ALL: [SignInRefusal; 4] = [Self::RateLimited, Self::Locked, Self::WrongPassword, Self::Busy];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RateLimited => "rate_limited",
            Self::Locked => "locked",
            Self::WrongPassword => "wrong_password",
            Self::Busy => "busy",
        }
    }
}

/// The states of an import job that are reported (validation-only rows are left out).
pub const IMPORT_STATES: [&str; 4] = ["queued", "running", "done", "failed"];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    sign_in_refusals: IntCounterVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    database_up: IntGauge,
    import_jobs: IntGaugeVec,
    session_cache_hits: IntCounter,
    session_cache_listening: IntGauge,
}

impl Metrics {
    /// The registry with every family, and the pool's wait counters.
    pub fn new(pool: &PgPool) -> Self {
        let request_labels = &["method", "route", "status"];
        let requests = IntCounterVec::new(
            Opts::new("partnerdesk_http_requests_total", "HTTP requests answered"),
            request_labels,
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "partnerdesk_http_request_duration_seconds",
                "Time from a request's arrival to its answer's head",
            ),
            request_labels,
        )
        .expect("valid metric");
        let sign_in_refusals = IntCounterVec::new(
            Opts::new("partnerdesk_sign_in_refusals_total", "Sign-in attempts refused"),
            &["reason"],
        )
        .expect("valid metric");
        for reason in SignInRefusal::ALL {
            sign_in_refusals.with_label_values(&[reason.as_str()]);
        }
        let pool_connections = IntGaugeVec::new(
            Opts::new("partnerdesk_db_pool_connections", "Database connections of this server"),
            &["state"],
        )
        .expect("valid metric");
        let pool_max = IntGauge::new("partnerdesk_db_pool_max_connections", "The pool's size").expect("valid metric");
        let database_up = IntGauge::new(
            "partnerdesk_database_up",
            "1 unless the last attempt to open a database connection failed",
        )
        .expect("valid metric");
        let import_jobs = IntGaugeVec::new(
            Opts::new("partnerdesk_import_jobs", "Import jobs in the database, by state"),
            &["state"],
        )
        .expect("valid metric");
        let session_cache_hits = IntCounter::new(
            "partnerdesk_session_cache_hits_total",
            "Requests whose signed-in session came from this server's memory, not a database read",
        )
        .expect("valid metric");
        let session_cache_listening = IntGauge::new(
            "partnerdesk_session_cache_listening",
            "1 while this server hears session changes (LISTEN) and so may keep sessions in memory",
        )
        .expect("valid metric");
        let registry = Registry::new();
        let (waits, wait_seconds, timeouts) = pool.wait_counters();
        let collectors: Vec<Box<dyn prometheus::core::Collector>> = vec![
            Box::new(requests.clone()),
            Box::new(latency.clone()),
            Box::new(sign_in_refusals.clone()),
            Box::new(pool_connections.clone()),
            Box::new(pool_max.clone()),
            Box::new(database_up.clone()),
            Box::new(import_jobs.clone()),
            Box::new(session_cache_hits.clone()),
            Box::new(session_cache_listening.clone()),
            Box::new(waits),
            Box::new(wait_seconds),
            Box::new(timeouts),
        ];
        for collector in collectors {
            registry.register(collector).expect("each metric registered once");
        }
        Metrics {
            registry,
            requests,
            latency,
            sign_in_refusals,
            pool_connections,
            pool_max,
            database_up,
            import_jobs,
            session_cache_hits,
            session_cache_listening,
        }
    }

    /// One answered request; `route` is the pattern it matched (`/customers/{id}/users`).
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let labels = [method, route, status_class(status)];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    pub fn sign_in_refused(&self, reason: SignInRefusal) {
        self.sign_in_refusals.with_label_values(&[reason.as_str()]).inc();
    }

    /// The text exposition, with the pool read now and the import jobs as counted (`None`
    /// when they could not be, e.g. while the database is down: the family is then empty).
    pub fn render(&self, pool: &PgPool, sessions: &SessionCache, import_jobs: Option<&[(String, i64)]>) -> String {
        let hits = sessions.hits();
        self.session_cache_hits
            .inc_by(hits.saturating_sub(self.session_cache_hits.get()));
        self.session_cache_listening.set(i64::from(sessions.is_listening()));
        let state = pool.state();
        let idle = i64::from(state.idle_connections);
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(i64::from(state.connections) - idle);
        self.pool_connections.with_label_values(&["idle"]).set(idle);
        self.pool_max.set(i64::from(pool.max_size()));
        self.database_up.set(i64::from(!pool.is_down()));
        self.import_jobs.reset();
        if let Some(counts) = import_jobs {
            for state in IMPORT_STATES {
                let count = counts.iter().find(|(s, _)| s == state).map_or(0, |(_, n)| *n);
                self.import_jobs.with_label_values(&[state]).set(count);
            }
        }
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .expect("text encoding writes to memory");
        String::from_utf8(text).expect("the text format is UTF-8")
    }
}

/// `2xx` … `5xx`: the status label is the class, so the label set stays small.
pub fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The method label: the methods the app answers, anything else one word.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_reported_by_class() {
        assert_eq!(status_class(200), "2xx");
        assert_eq!(status_class(304), "3xx");
        assert_eq!(status_class(422), "4xx");
        assert_eq!(status_class(503), "5xx");
        assert_eq!(status_class(999), "5xx");
    }

    #[test]
    fn unusual_methods_share_one_label() {
        let made_up = actix_web::http::Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&made_up), "other");
        assert_eq!(method_label(&actix_web::http::Method::POST), "POST");
    }
}
