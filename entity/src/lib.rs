//! The registry's database models (sea-orm); no API concerns live here.

pub mod branch;
pub mod change_log;
pub mod core_function;
pub mod enums;
pub mod municipality;
pub mod organisation;
pub mod organisation_municipality;
pub mod proposition;
pub mod proposition_branch;
pub mod proposition_partner;
pub mod proposition_target_group;
pub mod province;
pub mod societal_task;
pub mod standard_proposition;
pub mod standard_proposition_societal_task;
pub mod standard_proposition_target_group;
pub mod target_group;
