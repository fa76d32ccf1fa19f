//! PartnerDesk: an IT partner's tool for its customers' users and licenses.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod url;
pub mod workers;
