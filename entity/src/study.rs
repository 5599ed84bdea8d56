//! A research study: customer research done for one or more libraries, shared with the network as far as its visibility allows.

use sea_orm::entity::prelude::*;

use crate::enums::{EvidenceStrength, Visibility};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "study")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub period_start: Date,
    pub period_end: Option<Date>,
    pub participant_count: Option<i32>,
    pub report_url: Option<String>,
    pub quotes_anonymised: bool,
    pub consent_recorded: bool,
    pub valid_until: Date,
    pub visibility: Visibility,
    pub evidence_strength: EvidenceStrength,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
