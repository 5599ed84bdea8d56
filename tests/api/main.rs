//! Black-box tests of the registry: each test starts the real server on port 0 with its own
//! database (SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set) and speaks GraphQL to it.

mod helpers;

mod common_model;
mod knowledge;
mod knowledge_visibility;
mod network;
mod organisations;
mod propositions;
mod roles;
mod schema;
mod search;
mod statements;
