//! Pure business rules: parsers whose only way to build a value is to check it, and the
//! arithmetic of seats, lockouts and paging. Nothing here touches the database or HTTP.

pub mod company;
pub mod country;
pub mod csv_safe;
pub mod domain_name;
pub mod email;
pub mod field_error;
pub mod import_job;
pub mod import_rows;
pub mod licensing;
pub mod list_place;
pub mod lockout;
pub mod paging;
pub mod password_policy;
pub mod person;
pub mod quantity;
pub mod restore;
pub mod restore_window;
pub mod second_factor;
pub mod selection;
pub mod spreadsheet;
pub mod temp_password;
pub mod text;
pub mod time_zone;
pub mod user_filter;
pub mod user_name;

pub use field_error::FieldError;
