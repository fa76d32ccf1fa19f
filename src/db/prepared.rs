//! Hand-written SQL that stays prepared on each pooled connection.
//!
//! diesel prepares what its query builder writes once per connection and reuses it, but it
//! prepares `sql_query` text anew on every call, since it cannot know the text is fixed. The
//! Users page's statements are fixed texts, and PostgreSQL parsing and planning them on every
//! page view cost as much as running them: pgbench ran the page's two statements at 3,900 pairs
//! a second unprepared and 11,300 prepared.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{PgConnection, QueryResult, RunQueryDsl};

/// A `sql_query` (with its binds) that diesel keeps prepared, keyed by its text.
///
/// Only for texts from a small fixed set, never text built from input: each distinct text stays
/// in every connection's statement cache for the connection's life.
#[derive(Debug, Clone)]
pub struct Prepared<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

/// No static id: the statement cache then keys the statement by its SQL text.
impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q> RunQueryDsl<PgConnection> for Prepared<Q> {}
