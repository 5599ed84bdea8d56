//! Link between a proposition and its target groups.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "proposition_target_group")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub proposition_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_group_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The proposition named.
    #[sea_orm(
        belongs_to = "super::proposition::Entity",
        from = "Column::PropositionId",
        to = "super::proposition::Column::Id",
        on_delete = "Cascade"
    )]
    Proposition,
}

impl Related<super::proposition::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Proposition.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
