//! An insight drawn from a study (and optionally one stage of a journey), with its strength of evidence.

use sea_orm::entity::prelude::*;

use crate::enums::{EvidenceStrength, InsightState};
use crate::json::QuoteList;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "insight")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub study_id: i64,
    pub stage_id: Option<i64>,
    pub statement: String,
    pub explanation: String,
    pub quotes: QuoteList,
    pub evidence_strength: EvidenceStrength,
    pub evidence_rank: i32,
    pub state: InsightState,
    pub superseded_by_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
