//! One file per capability: the transactions that apply domain rules to the database, each
//! writing its activity-log entry inside the same transaction.

pub mod audit;
pub mod catalogue;
pub mod credentials;
pub mod customers;
pub mod dashboard;
pub mod demo;
pub mod forms;
pub mod imports;
pub mod license_changes;
pub mod licenses;
pub mod mail;
pub mod staff;
pub mod subscriptions;
pub mod user_directory;
pub mod user_list;
pub mod users;

/// Who is acting, for the activity log and for scoping every query to one partner.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub partner_id: i64,
    pub staff_id: i64,
}

impl From<&crate::auth::CurrentStaff> for Actor {
    fn from(staff: &crate::auth::CurrentStaff) -> Self {
        Actor {
            partner_id: staff.partner_id(),
            staff_id: staff.id(),
        }
    }
}
