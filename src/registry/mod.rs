//! The registry: the organisations of the network (libraries, support organisations, the KB), their
//! branches and the municipalities they serve, and their propositions: what each library offers, to whom,
//! where, and how it maps onto the common model. Visibility (drafts stay with their library), validation,
//! publication and versioning of these records live here.
//!
//! May use: `kernel`, `common_model`, `identity`. Its GraphQL part also names the knowledge and
//! network types its records lead to (a library's studies, a proposition's evidence).

pub mod branch;
pub mod graphql;
pub mod organisation;
pub mod proposition;
