//! A person who signs in: the identity provider's issuer and subject, with a name and e-mail address
//! as the provider last gave them. What a person may do comes from their memberships.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The identity provider's issuer URL (or `urn:registry:demo` for the demo persons).
    pub issuer: String,
    /// The provider's stable identifier of the person (`sub`).
    pub subject: String,
    pub name: String,
    pub email: Option<String>,
    pub last_signed_in_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
