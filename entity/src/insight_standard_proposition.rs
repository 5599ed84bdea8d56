//! Link between an insight and the standard propositions it concerns.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "insight_standard_proposition")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub insight_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub standard_proposition_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
