//! Who is signed in, what their role allows, passwords and CSRF tokens.

pub mod client_address;
pub mod csrf;
pub mod customer_scope;
pub mod flash;
pub mod password;
pub mod roles;
pub mod session;
pub mod session_cache;
pub mod session_store;
pub mod sign_in_limits;

pub use client_address::ClientAddress;
pub use csrf::CsrfForm;
pub use customer_scope::{need, CustomerScope};
pub use flash::Flash;
pub use roles::{Permission, Role};
pub use session::{CurrentStaff, Ui};
