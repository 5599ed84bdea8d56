//! Link between a study and the research methods it used.

use sea_orm::entity::prelude::*;

use crate::enums::ResearchMethod;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "study_method")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub study_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub method: ResearchMethod,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
