//! Link between an improvement idea and the insights it answers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "idea_insight")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub idea_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub insight_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
