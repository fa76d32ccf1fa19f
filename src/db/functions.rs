//! SQL functions used from the query builder.

use diesel::sql_types::Text;

diesel::define_sql_function! {
    /// PostgreSQL's `lower(text)`: the form unique indexes on names and emails compare.
    fn lower(x: Text) -> Text;
}
