//! The registry in the API: organisations, branches and propositions, their queries and mutations.

pub mod loaders;
pub mod organisation;
pub mod proposition;
