// @generated automatically by Diesel CLI.

diesel::table! {
    activity_log (id) {
        id -> Int8,
        partner_id -> Int8,
        staff_id -> Nullable<Int8>,
        customer_id -> Nullable<Int8>,
        action -> Text,
        outcome -> Text,
        details -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    credential_sheets (id) {
        id -> Uuid,
        customer_id -> Int8,
        staff_id -> Int8,
        action -> Text,
        user_count -> Int4,
        sealed -> Bytea,
        notes -> Jsonb,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    customer_domains (customer_id, name) {
        customer_id -> Int8,
        name -> Text,
        position -> Int4,
    }
}

diesel::table! {
    customer_users (customer_id, id) {
        customer_id -> Int8,
        id -> Int8,
        first_name -> Text,
        last_name -> Text,
        display_name -> Text,
        user_name -> Text,
        usage_location -> Nullable<Text>,
        org_role -> Text,
        sign_in_blocked -> Bool,
        password_hash -> Text,
        must_change_password -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Int8>,
        former_licenses -> Jsonb,
    }
}

diesel::table! {
    customers (id) {
        id -> Int8,
        partner_id -> Int8,
        company_name -> Text,
        default_usage_location -> Text,
        created_at -> Timestamptz,
        active_users -> Int4,
        users_version -> Int8,
    }
}

diesel::table! {
    exclusive_plans (plan_a, plan_b) {
        plan_a -> Text,
        plan_b -> Text,
    }
}

diesel::table! {
    import_job_rows (customer_id, job_id, chunk) {
        customer_id -> Int8,
        job_id -> Uuid,
        chunk -> Int4,
        rows -> Bytea,
    }
}

diesel::table! {
    import_jobs (id) {
        id -> Uuid,
        customer_id -> Int8,
        staff_id -> Int8,
        file_name -> Text,
        encoding -> Text,
        status -> Text,
        total_rows -> Int4,
        done_rows -> Int4,
        valid_rows -> Int4,
        rows_without_location -> Int4,
        problems -> Jsonb,
        unknown_columns -> Array<Text>,
        subscription_ids -> Array<Int8>,
        default_location -> Nullable<Text>,
        recipient -> Nullable<Bytea>,
        sheet_id -> Nullable<Uuid>,
        failure -> Nullable<Jsonb>,
        worker -> Nullable<Text>,
        heartbeat_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        queued_at -> Nullable<Timestamptz>,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        rows_purged_at -> Nullable<Timestamptz>,
        problem_count -> Int4,
        problem_groups -> Jsonb,
        column_map -> Jsonb,
        preview -> Jsonb,
        warnings -> Jsonb,
        warning_count -> Int4,
    }
}

diesel::table! {
    licenses (customer_id, user_id, subscription_id) {
        customer_id -> Int8,
        user_id -> Int8,
        subscription_id -> Int8,
        disabled_plans -> Array<Text>,
        assigned_at -> Timestamptz,
    }
}

diesel::table! {
    partners (id) {
        id -> Int8,
        name -> Text,
        created_at -> Timestamptz,
        second_factor_required -> Bool,
        time_zone -> Text,
    }
}

diesel::table! {
    products (id) {
        id -> Int8,
        sku_part_number -> Text,
        sku_guid -> Uuid,
        name -> Text,
    }
}

diesel::table! {
    service_plans (id) {
        id -> Int8,
        product_id -> Int8,
        name -> Text,
        guid -> Uuid,
        friendly_name -> Text,
        position -> Int4,
    }
}

diesel::table! {
    staff (id) {
        id -> Int8,
        partner_id -> Int8,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        created_at -> Timestamptz,
        removed_at -> Nullable<Timestamptz>,
        time_zone -> Nullable<Text>,
    }
}

diesel::table! {
    staff_factors (id) {
        id -> Int8,
        staff_id -> Int8,
        kind -> Text,
        secret -> Nullable<Bytea>,
        last_step -> Nullable<Int8>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        credential -> Nullable<Jsonb>,
        credential_id -> Nullable<Bytea>,
    }
}

diesel::table! {
    staff_recovery_codes (staff_id, code_hash) {
        staff_id -> Int8,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    staff_sessions (token_hash) {
        token_hash -> Bytea,
        id -> Int8,
        staff_id -> Int8,
        signed_in_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        browser -> Text,
        sheet_key_masked -> Nullable<Bytea>,
        state -> Jsonb,
    }
}

diesel::table! {
    staff_sign_in_failures (staff_id, address) {
        staff_id -> Int8,
        address -> Text,
        failures -> Int4,
        lockouts -> Int4,
        locked_until -> Nullable<Timestamptz>,
        refused_while_locked -> Int4,
        last_failure_at -> Timestamptz,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Int8,
        customer_id -> Int8,
        product_id -> Int8,
        quantity -> Int4,
        assigned -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        licenses_version -> Int8,
    }
}

diesel::table! {
    webauthn_ceremonies (id) {
        id -> Uuid,
        staff_id -> Int8,
        purpose -> Text,
        state -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(activity_log -> customers (customer_id));
diesel::joinable!(activity_log -> partners (partner_id));
diesel::joinable!(activity_log -> staff (staff_id));
diesel::joinable!(credential_sheets -> customers (customer_id));
diesel::joinable!(credential_sheets -> staff (staff_id));
diesel::joinable!(customer_domains -> customers (customer_id));
diesel::joinable!(customer_users -> customers (customer_id));
diesel::joinable!(customer_users -> staff (deleted_by));
diesel::joinable!(customers -> partners (partner_id));
diesel::joinable!(import_jobs -> customers (customer_id));
diesel::joinable!(import_jobs -> staff (staff_id));
diesel::joinable!(licenses -> subscriptions (subscription_id));
diesel::joinable!(service_plans -> products (product_id));
diesel::joinable!(staff -> partners (partner_id));
diesel::joinable!(staff_factors -> staff (staff_id));
diesel::joinable!(staff_recovery_codes -> staff (staff_id));
diesel::joinable!(staff_sessions -> staff (staff_id));
diesel::joinable!(staff_sign_in_failures -> staff (staff_id));
diesel::joinable!(subscriptions -> customers (customer_id));
diesel::joinable!(subscriptions -> products (product_id));
diesel::joinable!(webauthn_ceremonies -> staff (staff_id));

diesel::allow_tables_to_appear_in_same_query!(
    activity_log,
    credential_sheets,
    customer_domains,
    customer_users,
    customers,
    exclusive_plans,
    import_job_rows,
    import_jobs,
    licenses,
    partners,
    products,
    service_plans,
    staff,
    staff_factors,
    staff_recovery_codes,
    staff_sessions,
    staff_sign_in_failures,
    subscriptions,
    webauthn_ceremonies,
);
