//! The change log: written in the same transaction as each change (read back by `trust::audit`).

use entity::change_log;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QuerySelect};
use serde_json::{Map, Value};

use crate::error::AppResult;
use crate::identity::Actor;

/// The kinds of record whose changes are logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    CoreFunction,
    SocietalTask,
    TargetGroup,
    StandardProposition,
    Province,
    Municipality,
    Organisation,
    Branch,
    Proposition,
    Study,
    Journey,
    JourneyStage,
    Insight,
    Idea,
    Adoption,
    KnowledgeLink,
    ApiKey,
    Membership,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 18] = [
        Self::CoreFunction,
        Self::SocietalTask,
        Self::TargetGroup,
        Self::StandardProposition,
        Self::Province,
        Self::Municipality,
        Self::Organisation,
        Self::Branch,
        Self::Proposition,
        Self::Study,
        Self::Journey,
        Self::JourneyStage,
        Self::Insight,
        Self::Idea,
        Self::Adoption,
        Self::KnowledgeLink,
        Self::ApiKey,
        Self::Membership,
    ];

    /// The kind of a name written in the log.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The name written in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CoreFunction => "CoreFunction",
            Self::SocietalTask => "SocietalTask",
            Self::TargetGroup => "TargetGroup",
            Self::StandardProposition => "StandardProposition",
            Self::Province => "Province",
            Self::Municipality => "Municipality",
            Self::Organisation => "Organisation",
            Self::Branch => "Branch",
            Self::Proposition => "Proposition",
            Self::Study => "Study",
            Self::Journey => "Journey",
            Self::JourneyStage => "JourneyStage",
            Self::Insight => "Insight",
            Self::Idea => "Idea",
            Self::Adoption => "Adoption",
            Self::KnowledgeLink => "KnowledgeLink",
            Self::ApiKey => "ApiKey",
            Self::Membership => "Membership",
        }
    }
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    Create,
    Update,
    Publish,
    Unpublish,
    Archive,
    Retire,
    Delete,
    Reorder,
    Supersede,
    Revoke,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "CREATE",
            Self::Update => "UPDATE",
            Self::Publish => "PUBLISH",
            Self::Unpublish => "UNPUBLISH",
            Self::Archive => "ARCHIVE",
            Self::Retire => "RETIRE",
            Self::Delete => "DELETE",
            Self::Reorder => "REORDER",
            Self::Supersede => "SUPERSEDE",
            Self::Revoke => "REVOKE",
        }
    }
}

/// Bookkeeping fields that change on every write and say nothing on their own.
const IGNORED_FIELDS: [&str; 3] = ["version", "createdAt", "updatedAt"];

/// The fields that differ between two snapshots, as `{field: {before, after}}`.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Map<String, Value> {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Map::new();
    for key in keys {
        if IGNORED_FIELDS.contains(&key.as_str()) || key == "id" {
            continue;
        }
        let (old, new) = (b.get(key).unwrap_or(&Value::Null), a.get(key).unwrap_or(&Value::Null));
        if old != new {
            changes.insert(key.clone(), serde_json::json!({ "before": old, "after": new }));
        }
    }
    changes
}

/// One logged change, ready to write.
pub struct Change<'a> {
    pub kind: RecordKind,
    pub id: i64,
    pub action: ChangeAction,
    pub version: i32,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

impl<'a> Change<'a> {
    /// A record's creation (at version 1).
    pub fn created(kind: RecordKind, id: i64, after: &'a Value) -> Self {
        Self { kind, id, action: ChangeAction::Create, version: 1, before: None, after: Some(after) }
    }

    /// A change of a record from `before` to `after`, leaving it at `version`.
    pub fn changed(
        kind: RecordKind,
        id: i64,
        action: ChangeAction,
        version: i32,
        before: &'a Value,
        after: &'a Value,
    ) -> Self {
        Self { kind, id, action, version, before: Some(before), after: Some(after) }
    }

    /// A record's removal; `before` is what it was.
    pub fn deleted(kind: RecordKind, id: i64, version: i32, before: &'a Value) -> Self {
        Self { kind, id, action: ChangeAction::Delete, version, before: Some(before), after: None }
    }
}

/// Writes a change to the log, inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(db: &C, actor: &Actor, change: Change<'_>) -> AppResult<()> {
    let changes = diff(change.before, change.after);
    change_log::Entity::insert(change_log::ActiveModel {
        entity_type: Set(change.kind.as_str().to_string()),
        entity_id: Set(change.id),
        action: Set(change.action.as_str().to_string()),
        version: Set(change.version),
        actor_subject: Set(actor.subject.clone()),
        actor_organisation_id: Set(actor.organisation_id()),
        actor_role: Set(actor.role_name().to_string()),
        changes: Set(Value::Object(changes)),
        occurred_at: Set(super::now()),
        credential: Set(actor.credential.clone()),
        request_id: Set(actor.request_id.clone()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The id of the newest change, or 0: every write logs a change in its own transaction, so a
/// result computed when this was the newest is current as long as it still is.
pub async fn last_change_id<C: ConnectionTrait>(db: &C) -> AppResult<i64> {
    let last: Option<Option<i64>> = change_log::Entity::find()
        .select_only()
        .column_as(change_log::Column::Id.max(), "last")
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// Serialises a model (or any snapshot) for the log.
pub fn snapshot<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
