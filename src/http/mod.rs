//! Middleware that concerns every request rather than a screen.

pub mod request_id;
