//! The proposition registry of the Dutch public library network: a GraphQL service.

pub mod auth;
pub mod cache;
pub mod db;
pub mod error;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod people;
pub mod ratelimit;
pub mod seed;
pub mod service;
pub mod settings;
pub mod startup;
pub mod telemetry;
pub mod web;
