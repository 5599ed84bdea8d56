//! One entry of the change log: who changed which record, when, and each field before and after.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity_type: String,
    pub entity_id: i64,
    pub action: String,
    pub version: i32,
    pub actor_subject: Option<String>,
    pub actor_organisation_id: Option<i64>,
    pub actor_role: String,
    pub changes: Json,
    pub occurred_at: DateTimeUtc,
    /// The token (`token:<jti>`) or API key (`api-key:<id>`) the change was made with.
    pub credential: Option<String>,
    /// The HTTP request the change was made in, as the client was told in `x-request-id`.
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
