//! A library taking up an improvement idea, with its progress and effect.

use sea_orm::entity::prelude::*;

use crate::enums::AdoptionStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "adoption")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub idea_id: i64,
    pub organisation_id: i64,
    pub proposition_id: Option<i64>,
    pub status: AdoptionStatus,
    pub started_on: Option<Date>,
    pub completed_on: Option<Date>,
    pub effect_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
