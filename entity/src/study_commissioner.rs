//! Link between a study and the libraries it was done for.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "study_commissioner")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub study_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
