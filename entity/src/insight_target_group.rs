//! Link between an insight and the target groups it concerns.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "insight_target_group")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub insight_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_group_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
