//! Views, which `diesel print-schema` leaves out of schema.rs: declared here by hand, each
//! beside the migration that makes it.

diesel::table! {
    /// What the Users list shows of each user (migration 000007): the columns of the database
    /// function `listed_user()`, which the trigger that moves `customers.users_version`
    /// compares too. Not a table: read only.
    listed_users (id) {
        customer_id -> Int8,
        id -> Int8,
        display_name -> Text,
        user_name -> Text,
        usage_location -> Nullable<Text>,
        admin -> Bool,
        sign_in_blocked -> Bool,
        created_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}
