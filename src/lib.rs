//! The proposition registry of the Dutch public library network: a GraphQL service.

pub mod cache;
pub mod common_model;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod identity;
pub mod kernel;
pub mod knowledge;
pub mod metrics;
pub mod network;
pub mod people;
pub mod registry;
pub mod seed;
pub mod settings;
pub mod sheets;
pub mod startup;
pub mod telemetry;
pub mod trust;
pub mod web;
