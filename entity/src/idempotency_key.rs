//! A client's idempotency key for a mutation, with the fingerprint of the request and its answer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Whose key it is (the credential), so that two clients' keys never meet.
    pub owner: String,
    pub key: String,
    /// SHA-256 of the operation, its name and its variables.
    pub fingerprint: String,
    pub completed: bool,
    /// The HTTP status of the stored answer.
    pub status: Option<i32>,
    pub response: Option<Json>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
