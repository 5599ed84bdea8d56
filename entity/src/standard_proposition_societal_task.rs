//! Link between a standard proposition and its societal tasks.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "standard_proposition_societal_task")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub standard_proposition_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub societal_task_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
