//! Closed value sets stored as short strings, so both SQLite and PostgreSQL keep them readable.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of organisation takes part in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrganisationKind {
    #[sea_orm(string_value = "LIBRARY")]
    Library,
    #[sea_orm(string_value = "SUPPORT_ORGANISATION")]
    SupportOrganisation,
    #[sea_orm(string_value = "NATIONAL_BODY")]
    NationalBody,
    #[sea_orm(string_value = "PARTNER")]
    Partner,
}

/// Whether a standard proposition is still part of the common model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StandardStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "RETIRED")]
    Retired,
}

/// How a proposition reaches people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Channel {
    #[sea_orm(string_value = "ON_SITE")]
    OnSite,
    #[sea_orm(string_value = "ONLINE")]
    Online,
    #[sea_orm(string_value = "HYBRID")]
    Hybrid,
}

/// Where a proposition is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Lifecycle {
    #[sea_orm(string_value = "PILOT")]
    Pilot,
    #[sea_orm(string_value = "REGULAR")]
    Regular,
    #[sea_orm(string_value = "PAUSED")]
    Paused,
    #[sea_orm(string_value = "STOPPED")]
    Stopped,
}

/// Who can see a proposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PublicationState {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "PUBLISHED")]
    Published,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
}

/// Whether taking part costs money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CostKind {
    #[sea_orm(string_value = "FREE")]
    Free,
    #[sea_orm(string_value = "PAID")]
    Paid,
}
