//! Link between a customer journey and the propositions it follows.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "journey_proposition")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub journey_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub proposition_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
