//! A proposition: a service one library offers, optionally mapped onto a standard proposition.

use sea_orm::entity::prelude::*;

use crate::enums::{Channel, CostKind, Lifecycle, PublicationState};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "proposition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub standard_proposition_id: Option<i64>,
    pub deviation_note: Option<String>,
    pub societal_task_id: Option<i64>,
    pub core_function_id: Option<i64>,
    pub channel: Channel,
    pub lifecycle: Lifecycle,
    pub publication_state: PublicationState,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub schedule: Option<String>,
    pub cost_kind: CostKind,
    pub price_cents: Option<i32>,
    pub cost_note: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub url: Option<String>,
    /// The library's own key for it (its spreadsheet's row key), unique within the library.
    pub external_key: Option<String>,
    pub verified_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
