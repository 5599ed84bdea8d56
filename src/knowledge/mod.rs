//! Shared customer knowledge: research studies, their customer journeys and stages, insights drawn from
//! them, improvement ideas and their adoptions by other libraries, and the links from knowledge to the
//! propositions and standard propositions it concerns. Who may see a study (its organisations, or the network
//! when it is shared) decides who may see everything in it (`scope`).
//!
//! May use: `kernel`, `common_model`, `registry` (the propositions knowledge links to), `identity`.

pub mod graphql;
pub mod idea;
pub mod insight;
pub mod journey;
pub mod link;
pub mod scope;
pub mod study;
