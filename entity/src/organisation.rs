//! An organisation in the network: a library, support organisation, national body or partner.

use sea_orm::entity::prelude::*;

use crate::enums::OrganisationKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub description: String,
    pub website: Option<String>,
    pub province_id: Option<i64>,
    pub support_organisation_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
