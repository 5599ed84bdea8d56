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

/// Declares a closed value set stored as a short string whose stored value is the variant's
/// SCREAMING_SNAKE name.
macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident, $db_type:literal, { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[sea_orm(rs_type = "String", db_type = $db_type)]
        pub enum $name {
            $(#[sea_orm(string_value = $value)] $variant,)+
        }
    };
}

stored_enum!(
    /// A way of doing customer research.
    ResearchMethod, "String(StringLen::N(32))", {
        DeskResearch = "DESK_RESEARCH",
        Interviews = "INTERVIEWS",
        Survey = "SURVEY",
        Observation = "OBSERVATION",
        CoCreation = "CO_CREATION",
        DataAnalysis = "DATA_ANALYSIS",
        CustomerJourney = "CUSTOMER_JOURNEY",
    }
);

stored_enum!(
    /// Who may see a study and everything in it.
    Visibility, "String(StringLen::N(16))", { Private = "PRIVATE", Network = "NETWORK", Public = "PUBLIC" }
);

stored_enum!(
    /// How strongly a study's method and size support what it found.
    EvidenceStrength, "String(StringLen::N(16))", { Limited = "LIMITED", Moderate = "MODERATE", Strong = "STRONG" }
);

stored_enum!(
    /// Whether an insight still holds.
    InsightState, "String(StringLen::N(16))", { Current = "CURRENT", Superseded = "SUPERSEDED" }
);

stored_enum!(
    /// The bucket an improvement idea was ranked in.
    IdeaPriority, "String(StringLen::N(16))", { DoNow = "DO_NOW", Later = "LATER", Consider = "CONSIDER" }
);

stored_enum!(
    /// How far a library is with an idea it took up.
    AdoptionStatus, "String(StringLen::N(16))", { Planned = "PLANNED", InProgress = "IN_PROGRESS", Done = "DONE", Dropped = "DROPPED" }
);

stored_enum!(
    /// How a piece of knowledge relates to an offering.
    LinkRelation, "String(StringLen::N(24))", { EvidenceFor = "EVIDENCE_FOR", InformedDesignOf = "INFORMED_DESIGN_OF", Improves = "IMPROVES" }
);

impl EvidenceStrength {
    /// The order in which insights are ranked, strongest highest.
    pub fn rank(self) -> i32 {
        match self {
            Self::Limited => 1,
            Self::Moderate => 2,
            Self::Strong => 3,
        }
    }
}
