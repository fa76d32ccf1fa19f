//! The front door of every customer page (`/customers/{id}/…`): one extractor that reads the
//! session's staff member and the customer in one query, answers 404 for another partner's
//! customer (before any 403, so it cannot be shown to exist) and checks the permission the page
//! needs, which is part of the handler's type: `CustomerScope<need::ManageUsers>`.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::{dev::Payload, FromRequest, HttpRequest};

use super::session::{admit, app_state, signed_in_staff_id, Gate};
use super::{CurrentStaff, Permission};
use crate::error::AppError;
use crate::services::customer_scope::{self, CustomerFrame};
use crate::services::customers::Customer;
use crate::services::subscriptions::SubscriptionRow;
use crate::services::user_directory::Stamp;

/// What a customer page needs to be allowed: a type, so a handler states it in its signature.
pub trait Need {
    const PERMISSION: Permission;
}

/// The permissions a customer page can need, as types for [`CustomerScope`].
pub mod need {
    use super::{Need, Permission};

    macro_rules! needs {
        ($($name:ident),*) => {$(
            #[doc = concat!("Needs [`Permission::", stringify!($name), "`].")]
            pub struct $name;
            impl Need for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    needs!(
        ViewCustomers,
        ManageCustomers,
        ManageUsers,
        ManageLicenses,
        ResetPasswords,
        PurgeUsers
    );
}

/// A customer of the signed-in staff member's partner, on a page whose permission `P` they hold.
pub struct CustomerScope<P: Need = need::ViewCustomers> {
    pub staff: CurrentStaff,
    pub customer: Customer,
    /// The customer's subscriptions by product name, as this request began.
    pub subscriptions: Vec<SubscriptionRow>,
    /// The Users list's version numbers, as this request began.
    pub stamp: Stamp,
    need: PhantomData<P>,
}

impl<P: Need> CustomerScope<P> {
    pub fn customer_id(&self) -> i64 {
        self.customer.id
    }

    async fn enter(req: HttpRequest) -> Result<Self, AppError> {
        let session = req.get_session();
        let staff_id = signed_in_staff_id(&req, &session)?;
        let customer_id: i64 = req
            .match_info()
            .get("id")
            .and_then(|id| id.parse().ok())
            .ok_or(AppError::NotFound)?;
        let pool = app_state(&req)?.pool.clone();
        let entry = crate::db::run(&pool, move |conn| {
            Ok(customer_scope::enter(conn, staff_id, customer_id)?)
        })
        .await?;
        let (member, frame) = match entry {
            Some(entry) => (Some(entry.staff), entry.customer),
            None => (None, None),
        };
        let staff = admit(&req, session, member, Gate::Everything)?;
        staff.require(Permission::ViewCustomers)?;
        let CustomerFrame {
            customer,
            subscriptions,
            stamp,
        } = frame.ok_or(AppError::NotFound)?;
        staff.require(P::PERMISSION)?;
        Ok(CustomerScope {
            staff,
            customer,
            subscriptions,
            stamp,
            need: PhantomData,
        })
    }
}

impl<P: Need + 'static> FromRequest for CustomerScope<P> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(Self::enter(req.clone()))
    }
}
