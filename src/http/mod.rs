//! Middleware that concerns every request rather than a screen.

pub mod metrics;
pub mod request_id;
