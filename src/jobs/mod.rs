//! Background work inside the server.

pub mod imports;
pub mod purge;
pub mod session_listener;
