//! One stage of a customer journey, with its touchpoints, pains, gains, emotion and quotes.

use sea_orm::entity::prelude::*;

use crate::json::{QuoteList, TextList};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "journey_stage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub journey_id: i64,
    pub position: i32,
    pub name: String,
    pub description: String,
    pub touchpoints: TextList,
    pub pains: TextList,
    pub gains: TextList,
    pub emotion_score: Option<i32>,
    pub quotes: QuoteList,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
