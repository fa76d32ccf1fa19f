//! One file per capability: the transactions that apply domain rules to the database, each
//! writing its activity-log entry inside the same transaction.

pub mod audit;
pub mod catalogue;
pub mod credentials;
pub mod customer_scope;
pub mod customers;
pub mod dashboard;
pub mod demo;
pub mod factors;
pub mod forms;
pub mod imports;
pub mod license_changes;
pub mod licenses;
pub mod mail;
pub mod sessions;
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

/// What a change a person asked for came to: done, or refused for a reason the page shows next
/// to the field or row at fault, with nothing written. Failures no person can mend (the
/// database is down) stay `AppError`, so a service returns `Result<Outcome<T, R>, AppError>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Outcome<T, R> {
    Done(T),
    Refused(R),
}

impl<T, R> Outcome<T, R> {
    /// The same outcome with what was done turned into something else.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U, R> {
        match self {
            Outcome::Done(done) => Outcome::Done(f(done)),
            Outcome::Refused(reason) => Outcome::Refused(reason),
        }
    }

    /// The refusal, for tests and callers that only need to know which.
    pub fn refusal(self) -> Option<R> {
        match self {
            Outcome::Done(_) => None,
            Outcome::Refused(reason) => Some(reason),
        }
    }
}

impl<T, R> From<Result<T, R>> for Outcome<T, R> {
    fn from(result: Result<T, R>) -> Self {
        match result {
            Ok(done) => Outcome::Done(done),
            Err(reason) => Outcome::Refused(reason),
        }
    }
}
