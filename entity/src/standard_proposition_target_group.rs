//! Link between a standard proposition and its usual target groups.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "standard_proposition_target_group")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub standard_proposition_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_group_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
