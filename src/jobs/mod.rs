//! Background work inside the server.

pub mod purge;
