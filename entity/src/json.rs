//! Small lists kept in JSON columns: they are only ever read and written with their record.

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// A list of short texts, e.g. a stage's touchpoints, pains or gains.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct TextList(pub Vec<String>);

/// What a participant said, and who (in anonymised words) said it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub attribution: Option<String>,
}

/// A list of participants' quotes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct QuoteList(pub Vec<Quote>);
