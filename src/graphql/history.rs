//! The change history of a record, as the API shows it.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::change_log;

use crate::connection;
use crate::graphql::loaders::{OrganisationKey, one};
use crate::graphql::organisation::Organisation;
use crate::graphql::{actor, db, ids};
use crate::service::history::RecordKind;
use crate::service::page::PageArgs;

/// One change to a record: who made it, when, and each field before and after.
#[derive(Clone)]
pub struct ChangeEntry(pub change_log::Model);

/// One field's value before and after a change.
#[derive(SimpleObject, Clone)]
pub struct FieldChange {
    /// The field, as named in the change log (camelCase; references are internal ids).
    pub field: String,
    /// The value before the change (null when created).
    pub before: async_graphql::Json<serde_json::Value>,
    /// The value after the change (null when deleted).
    pub after: async_graphql::Json<serde_json::Value>,
}

/// One change to a record: who made it, when, and each field before and after.
#[Object]
impl ChangeEntry {
    /// The global id of this change.
    async fn id(&self) -> async_graphql::ID {
        ids::encode("ChangeEntry", self.0.id)
    }

    /// What happened: CREATE, UPDATE, PUBLISH, UNPUBLISH, ARCHIVE, RETIRE, DELETE, REORDER or SUPERSEDE.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The record's version after this change.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the change was made.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// The user who made the change; shown to signed-in callers only.
    async fn actor_subject(&self, ctx: &Context<'_>) -> Option<&str> {
        actor(ctx).is_signed_in().then_some(self.0.actor_subject.as_deref()).flatten()
    }

    /// The role the change was made in.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }

    /// The organisation the change was made for.
    async fn actor_organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        match self.0.actor_organisation_id {
            Some(id) => Ok(one(ctx, OrganisationKey(id)).await?.map(Organisation)),
            None => Ok(None),
        }
    }

    /// The fields that changed.
    async fn changes(&self) -> Vec<FieldChange> {
        self.0
            .changes
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .map(|(field, v)| FieldChange {
                        field: field.clone(),
                        before: async_graphql::Json(v.get("before").cloned().unwrap_or_default()),
                        after: async_graphql::Json(v.get("after").cloned().unwrap_or_default()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Counts a record's changes on demand.
pub struct HistoryCount {
    pub kind: RecordKind,
    pub id: i64,
}

impl HistoryCount {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(crate::service::history::count(db(ctx), self.kind, self.id).await?)
    }
}

connection!(ChangeConnection, ChangeEdge, ChangeEntry, HistoryCount, "change");

/// Loads a page of a record's history; the caller has already shown the record is visible.
pub async fn history_page(
    ctx: &Context<'_>,
    kind: RecordKind,
    id: i64,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<ChangeConnection> {
    let page = crate::service::history::list(db(ctx), kind, id, &PageArgs { first, after }).await?;
    Ok(ChangeConnection::new(page, HistoryCount { kind, id }, ChangeEntry))
}
