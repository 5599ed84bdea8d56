//! A link from a study or insight to a proposition or standard proposition, with its relation.

use sea_orm::entity::prelude::*;

use crate::enums::LinkRelation;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "knowledge_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub study_id: i64,
    pub insight_id: Option<i64>,
    pub proposition_id: Option<i64>,
    pub standard_proposition_id: Option<i64>,
    pub relation: LinkRelation,
    pub note: Option<String>,
    pub link_key: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
