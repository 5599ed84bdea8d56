//! The change history of a record, as the API shows it.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::connection;
use crate::kernel::loaders::{DbLoader, LoadError, one};
use crate::kernel::{actor, ids};
use crate::registry::graphql::loaders::OrganisationKey;
use crate::registry::graphql::organisation::Organisation;
use crate::trust::limits::bounds::caps;
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use crate::kernel::history::RecordKind;
use crate::kernel::page::{Page, PageArgs};
use crate::trust::audit;
use crate::trust::audit::Entry;

/// One change to a record: who made it, when, and each field before and after.
#[derive(Clone)]
pub struct ChangeEntry(pub Entry);

/// The API's name for a kind of record; the log keeps the domain's shorter names.
pub fn api_type_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Journey => "CustomerJourney",
        RecordKind::Idea => "ImprovementIdea",
        other => other.as_str(),
    }
}

/// The kind of record an API type name stands for.
pub fn kind_of_api_type(name: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| api_type_name(*k) == name)
}

impl ChangeEntry {
    fn api_type(&self) -> &str {
        match RecordKind::parse(&self.0.log.entity_type) {
            Some(kind) => api_type_name(kind),
            None => &self.0.log.entity_type,
        }
    }
}

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
        ids::encode("ChangeEntry", self.0.log.id)
    }

    /// What happened: CREATE, UPDATE, PUBLISH, UNPUBLISH, ARCHIVE, RETIRE, DELETE, REORDER, SUPERSEDE or REVOKE.
    async fn action(&self) -> &str {
        &self.0.log.action
    }

    /// The record's version after this change.
    async fn version(&self) -> i32 {
        self.0.log.version
    }

    /// When the change was made.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.log.occurred_at
    }

    /// The user who made the change; shown to signed-in callers only.
    async fn actor_subject(&self, ctx: &Context<'_>) -> Option<&str> {
        actor(ctx).is_signed_in().then_some(self.0.log.actor_subject.as_deref()).flatten()
    }

    /// The person who made the change, when it was made by a person signed in to the site; shown
    /// to signed-in callers only.
    async fn actor_person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<crate::people::graphql::Person>> {
        crate::people::graphql::person_of_subject(ctx, self.0.log.actor_subject.as_deref()).await
    }

    /// The role the change was made in.
    async fn actor_role(&self) -> &str {
        &self.0.log.actor_role
    }

    /// The organisation the change was made for.
    async fn actor_organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        match self.0.log.actor_organisation_id {
            Some(id) => Ok(one(ctx, OrganisationKey(id)).await?.map(Organisation)),
            None => Ok(None),
        }
    }

    /// The API type of the record changed, e.g. `Proposition`, `ImprovementIdea`.
    async fn record_type(&self) -> &str {
        self.api_type()
    }

    /// The global id of the record changed (as `node(id:)` takes it).
    async fn record_id(&self) -> async_graphql::ID {
        ids::encode(self.api_type(), self.0.log.entity_id)
    }

    /// The credential the change was made with (`token:<id>` or `api-key:<id>`); maintainers only.
    async fn credential(&self, ctx: &Context<'_>) -> Option<&str> {
        actor(ctx).is_maintainer().then_some(self.0.log.credential.as_deref()).flatten()
    }

    /// The id of the HTTP request the change was made in (its `x-request-id`); maintainers only.
    async fn request_id(&self, ctx: &Context<'_>) -> Option<&str> {
        actor(ctx).is_maintainer().then_some(self.0.log.request_id.as_deref()).flatten()
    }

    /// True when you may not read the record (a draft of another library, a study not shared
    /// with you): the change is shown, with when and by whom, but none of its values.
    async fn values_withheld(&self) -> bool {
        self.0.values_withheld
    }

    /// The fields that changed (at most 100). A field naming a record you may not read is left out
    /// or shows null in its place; none are shown when `valuesWithheld`.
    async fn changes(&self) -> Vec<FieldChange> {
        self.0
            .log
            .changes
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .take(caps::CHANGED_FIELDS)
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

/// Key: a record and the page of its history asked for; loads that page, batched with the pages
/// of the other records of its kind in the same list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HistoryPage {
    pub kind: RecordKind,
    pub id: i64,
    pub page: PageArgs,
}

impl Loader<HistoryPage> for DbLoader {
    type Value = Page<Entry>;
    type Error = LoadError;

    async fn load(&self, keys: &[HistoryPage]) -> Result<HashMap<HistoryPage, Self::Value>, Self::Error> {
        let mut groups: HashMap<(RecordKind, PageArgs), Vec<i64>> = HashMap::new();
        for key in keys {
            groups.entry((key.kind, key.page.clone())).or_default().push(key.id);
        }
        let mut result = HashMap::new();
        for ((kind, page), ids) in groups {
            let mut pages = audit::history_pages(&self.db, &self.actor, kind, &ids, &page).await.map_err(Arc::new)?;
            for id in ids {
                let found = pages.remove(&id).unwrap_or(Page {
                    items: Vec::new(),
                    has_next_page: false,
                    has_previous_page: page.after.is_some(),
                });
                result.insert(HistoryPage { kind, id, page: page.clone() }, found);
            }
        }
        Ok(result)
    }
}

/// Key: a record; loads how many changes it has, batched with the other records of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HistoryCount {
    pub kind: RecordKind,
    pub id: i64,
}

impl Loader<HistoryCount> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[HistoryCount]) -> Result<HashMap<HistoryCount, Self::Value>, Self::Error> {
        let mut groups: HashMap<RecordKind, Vec<i64>> = HashMap::new();
        for key in keys {
            groups.entry(key.kind).or_default().push(key.id);
        }
        let mut result = HashMap::new();
        for (kind, ids) in groups {
            let counts = audit::history_counts(&self.db, kind, &ids).await.map_err(Arc::new)?;
            for id in ids {
                result.insert(HistoryCount { kind, id }, counts.get(&id).copied().unwrap_or(0));
            }
        }
        Ok(result)
    }
}

impl HistoryCount {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(one(ctx, *self).await?.unwrap_or(0))
    }
}

connection!(ChangeConnection, ChangeEdge, ChangeEntry, HistoryCount, "change");

/// Loads a page of a record's history, batched with the other records of its kind in the same
/// list; the caller has already shown the record is visible.
pub async fn history_page(
    ctx: &Context<'_>,
    kind: RecordKind,
    id: i64,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<ChangeConnection> {
    let page = one(ctx, HistoryPage { kind, id, page: PageArgs { first, after } }).await?.unwrap_or(Page {
        items: Vec::new(),
        has_next_page: false,
        has_previous_page: false,
    });
    Ok(ChangeConnection::new(page, HistoryCount { kind, id }, ChangeEntry))
}
