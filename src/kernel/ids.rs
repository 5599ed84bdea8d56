//! Global object ids (Relay): the type name and database id, base64-encoded and opaque to clients.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{AppError, AppResult};

/// Encodes the global id of a record.
pub fn encode(type_name: &str, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// Splits a global id into its type name and database id.
pub fn parse(id: &ID) -> Option<(String, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (type_name, raw) = text.split_once(':')?;
    let value: i64 = raw.parse().ok()?;
    (value > 0).then(|| (type_name.to_string(), value))
}

/// Decodes a global id that must be of the given type; `field` names the input for the error.
pub fn decode(field: &str, type_name: &str, id: &ID) -> AppResult<i64> {
    match parse(id) {
        Some((t, value)) if t == type_name => Ok(value),
        Some((t, _)) => Err(AppError::invalid(field, format!("is the id of a {t}, not of a {type_name}"))),
        None => Err(AppError::invalid(field, "is not an id this registry handed out")),
    }
}

/// Decodes a list of global ids of one type.
pub fn decode_all(field: &str, type_name: &str, ids: &[ID]) -> AppResult<Vec<i64>> {
    ids.iter().map(|id| decode(field, type_name, id)).collect()
}

/// The global ids of records of one type, as a GraphQL `[ID!]!` resolved in one step.
///
/// async-graphql resolves the items of a list each as a future of its own; for a coverage matrix of
/// 17,000 ids that bookkeeping cost more than the ids themselves. Plain ids need none of it.
pub struct IdList {
    type_name: &'static str,
    ids: Vec<i64>,
}

impl IdList {
    /// The ids of records of `type_name`, in order.
    pub fn new(type_name: &'static str, ids: Vec<i64>) -> Self {
        Self { type_name, ids }
    }
}

impl async_graphql::OutputType for IdList {
    fn type_name() -> std::borrow::Cow<'static, str> {
        <Vec<ID> as async_graphql::OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<ID> as async_graphql::OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        <Vec<ID> as async_graphql::OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        _ctx: &async_graphql::ContextSelectionSet<'_>,
        _field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        let ids = self.ids.iter().map(|id| async_graphql::Value::String(encode(self.type_name, *id).0));
        Ok(async_graphql::Value::List(ids.collect()))
    }
}
