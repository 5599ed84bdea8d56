//! Black-box tests of the registry: each test starts the real server on port 0 with its own
//! database (SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set) and speaks GraphQL to it.

mod helpers;
mod pages;

mod answers;
mod api_keys;
mod audit;
mod cancel;
mod common_model;
mod disclosure;
mod edge;
mod hostile;
mod http_conventions;
mod idempotency;
mod jwt;
mod knowledge;
mod knowledge_visibility;
mod limits;
mod list_cost;
mod memberships;
mod network;
mod organisations;
mod propositions;
mod roles;
mod schema;
mod search;
mod sessions;
mod sheets;
mod statements;
mod web;
mod web_cache;
mod web_knowledge;
mod web_languages;
mod web_staff;
mod web_staff_branches;
mod web_staff_keys;
mod web_staff_knowledge;
mod web_staff_model;
mod web_staff_organisations;
