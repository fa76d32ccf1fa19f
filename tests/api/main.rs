//! Integration tests over HTTP against a real PostgreSQL database.

#[path = "../common/mod.rs"]
mod common;

mod activity;
mod bad_input;
mod cli;
mod customers;
mod embedded_database;
mod feedback;
mod health;
mod imports;
mod kept_place;
mod licenses;
mod local_time;
mod metrics;
mod permissions;
mod request_id;
mod second_factor;
mod servers;
mod sessions;
mod shutdown;
mod sign_in;
mod static_files;
mod subscriptions;
mod user_list;
mod users;
