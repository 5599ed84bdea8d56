//! Shared customer knowledge in the API: studies, journeys, insights, ideas, adoptions and links, their
//! batched loaders and the nested lists under any parent.

pub mod idea;
pub mod insight;
pub mod journey;
pub mod link;
pub mod lists;
pub mod loaders;
pub mod study;
