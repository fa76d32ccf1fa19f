//! The Users tab's reads: a page of the users a filter and search match, from the customer's
//! in-memory directory as of the version numbers the customer page's door read
//! (`services::customer_scope`), rebuilt first if they moved.

use chrono::{DateTime, Utc};

use super::subscriptions::SubscriptionRow;
use super::user_directory::{DirectoryCache, ListedUser, Stamp};
use crate::db::PgPool;
use crate::domain::paging::Paging;
use crate::domain::restore_window;
use crate::domain::user_filter::UserFilter;
use crate::error::AppError;

/// One user as the list shows it: the directory's entry, and the names of the products they
/// hold a license of, by name.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub user: ListedUser,
    pub products: Vec<String>,
}

/// What the Users tab lists.
pub struct Listing {
    pub rows: Vec<UserRow>,
    pub paging: Paging,
    /// The number on the "Deleted users (N)" tab.
    pub deleted_count: i64,
}

/// What a person asked the list for.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub filter: UserFilter,
    pub search: String,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

/// A customer's list as the request found it: whose, and at which version numbers.
pub struct Source<'a> {
    pub pool: &'a PgPool,
    pub directories: &'a DirectoryCache,
    pub customer_id: i64,
    pub stamp: &'a Stamp,
}

/// One page of the users the request's filter and search match. No database work when the
/// directory is current.
pub async fn page(
    source: Source<'_>,
    subscriptions: &[SubscriptionRow],
    now: DateTime<Utc>,
    request: &ListRequest,
) -> Result<Listing, AppError> {
    let directory = source
        .directories
        .get(source.pool, source.customer_id, source.stamp)
        .await?;
    let (users, paging) = directory.page(request.filter, &request.search, request.page, request.size);
    // A customer has a handful of subscriptions: a search of the list beats hashing.
    let product_name = |id: &i64| {
        subscriptions
            .iter()
            .find(|s| s.id == *id)
            .map(|s| s.product_name.clone())
    };
    let rows = users
        .into_iter()
        .map(|user| {
            let mut products: Vec<String> = user.licenses.iter().filter_map(product_name).collect();
            products.sort_unstable();
            UserRow {
                user: user.owned(),
                products,
            }
        })
        .collect();
    Ok(Listing {
        rows,
        paging,
        deleted_count: directory.deleted_since(restore_window::purge_cutoff(now)),
    })
}

/// Every user the filter and search match, in list order ("select all N users that match").
pub async fn matching_ids(source: Source<'_>, filter: UserFilter, search: &str) -> Result<Vec<i64>, AppError> {
    let directory = source
        .directories
        .get(source.pool, source.customer_id, source.stamp)
        .await?;
    Ok(directory.all(filter, search))
}
