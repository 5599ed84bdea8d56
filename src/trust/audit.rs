//! Reading the change log as a caller may: the audit trail and each record's history, with every
//! value the caller may not read withheld.
//!
//! The rule is the records' own visibility, applied to the log as it is now:
//! - an entry about a record the caller may not read shows that a change happened (record type,
//!   id, action, version, time, actor) but none of the changed fields ([`Entry::values_withheld`]);
//! - in an entry about a record the caller may read, a field naming another record the caller may
//!   not read (a draft proposition, a private study's insight) is withheld: a single reference
//!   becomes null, a list leaves it out, and a field that then shows no change is left out.
//!
//! There is no role that sees every value: a network maintainer reads the trail with the
//! visibility a maintainer has everywhere else.

use std::collections::{HashMap, HashSet};

use entity::change_log;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use serde_json::{Map, Value};

use crate::error::AppResult;
use crate::identity::Actor;
use crate::kernel::history::RecordKind;
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::require_maintainer;
use crate::knowledge::{idea, insight, journey, link, study};
use crate::registry::proposition;
use crate::trust::api_key;

/// One logged change as the caller may read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The change; its `changes` hold only what the caller may read.
    pub log: change_log::Model,
    /// The caller may not read the record, so none of the changed values are shown.
    pub values_withheld: bool,
}

/// The kinds of record that not everyone may read; every other kind (the common model, regions,
/// organisations and branches) is public.
fn is_restricted(kind: RecordKind) -> bool {
    use RecordKind::*;
    matches!(
        kind,
        Proposition | Study | Journey | JourneyStage | Insight | Idea | Adoption | KnowledgeLink | ApiKey | Membership
    )
}

/// The kind of record a logged field names, when not everyone may read that kind and it may lie
/// outside what the logged record's own visibility covers: a library's proposition, or the newer
/// insight (of any study) that superseded an insight. Every other reference names a public record
/// ([`PUBLIC_REFERENCES`]) or one inside the same study as the logged record ([`SAME_STUDY_REFERENCES`]),
/// readable exactly when the logged record is; a unit test checks that every reference column of the
/// logged tables is in one of the three.
fn restricted_reference(field: &str) -> Option<RecordKind> {
    match field {
        "propositionId" | "propositionIds" => Some(RecordKind::Proposition),
        "supersededById" => Some(RecordKind::Insight),
        _ => None,
    }
}

/// Logged fields that name records everyone may read.
#[cfg_attr(not(test), expect(dead_code, reason = "read by the unit test that guards the reference table"))]
const PUBLIC_REFERENCES: [&str; 18] = [
    "organisationId",
    "supportOrganisationId",
    "partnerOrganisationIds",
    "commissionedByIds",
    "conductedByIds",
    "branchIds",
    "standardPropositionId",
    "standardPropositionIds",
    "coreFunctionId",
    "societalTaskId",
    "societalTaskIds",
    "targetGroupId",
    "targetGroupIds",
    "parentId",
    "provinceId",
    "provinceIds",
    "municipalityId",
    "municipalityIds",
];

/// Logged fields that name a record inside the same study as the logged record (a journey's study,
/// a stage's journey, an insight's stage, an idea's insights, an adoption's idea, a link's study
/// or insight): the writes check that they do, so they are readable exactly when the record is.
#[cfg_attr(not(test), expect(dead_code, reason = "read by the unit test that guards the reference table"))]
const SAME_STUDY_REFERENCES: [&str; 6] = ["studyId", "journeyId", "stageId", "insightId", "insightIds", "ideaId"];

/// The ids among `ids` of records of `kind` that the actor may read.
async fn readable<C: ConnectionTrait>(db: &C, actor: &Actor, kind: RecordKind, ids: &[i64]) -> AppResult<HashSet<i64>> {
    use RecordKind::*;
    if !is_restricted(kind) {
        return Ok(ids.iter().copied().collect());
    }
    Ok(match kind {
        Proposition => proposition::visible_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        Study => study::visible_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        Journey => journey::visible_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        JourneyStage => journey::visible_stages_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        Insight => insight::visible_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        Idea => idea::visible_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        Adoption => idea::visible_adoptions_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        KnowledgeLink => link::visible_by_ids(db, actor, ids).await?.into_iter().map(|m| m.id).collect(),
        ApiKey => api_key::manageable_ids(db, actor, ids).await?.into_iter().collect(),
        Membership => crate::people::membership::manageable_ids(db, actor, ids).await?.into_iter().collect(),
        _ => unreachable!("public kinds return above"),
    })
}

/// The record ids a logged value names: a number, or a list of numbers.
fn named_ids(value: &Value) -> Vec<i64> {
    match value {
        Value::Number(n) => n.as_i64().into_iter().collect(),
        Value::Array(items) => items.iter().filter_map(Value::as_i64).collect(),
        _ => Vec::new(),
    }
}

/// A logged value with the ids the caller may not read taken out.
fn without_hidden(value: &Value, readable: &HashSet<i64>) -> Value {
    match value {
        Value::Number(n) if n.as_i64().is_some_and(|id| !readable.contains(&id)) => Value::Null,
        Value::Array(items) => {
            Value::Array(items.iter().filter(|v| v.as_i64().is_none_or(|id| readable.contains(&id))).cloned().collect())
        }
        other => other.clone(),
    }
}

/// The logged changes as `actor` may read them, in the same order; a fixed number of statements
/// (one per restricted kind named) however many entries.
pub async fn as_read_by<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    logs: Vec<change_log::Model>,
) -> AppResult<Vec<Entry>> {
    let mut wanted: HashMap<RecordKind, Vec<i64>> = HashMap::new();
    for log in &logs {
        let Some(kind) = RecordKind::parse(&log.entity_type) else { continue };
        if is_restricted(kind) {
            wanted.entry(kind).or_default().push(log.entity_id);
        }
        for (field, change) in log.changes.as_object().into_iter().flatten() {
            if let Some(named) = restricted_reference(field) {
                let ids = wanted.entry(named).or_default();
                ids.extend(named_ids(&change["before"]));
                ids.extend(named_ids(&change["after"]));
            }
        }
    }
    let mut readable_ids: HashMap<RecordKind, HashSet<i64>> = HashMap::new();
    for (kind, mut ids) in wanted {
        ids.sort_unstable();
        ids.dedup();
        readable_ids.insert(kind, readable(db, actor, kind, &ids).await?);
    }
    let none = HashSet::new();
    let readable_of = |kind: RecordKind| readable_ids.get(&kind).unwrap_or(&none);
    Ok(logs
        .into_iter()
        .map(|mut log| {
            // A kind this build does not know: nobody can tell who may read it.
            let Some(kind) = RecordKind::parse(&log.entity_type) else {
                log.changes = Value::Object(Map::new());
                return Entry { log, values_withheld: true };
            };
            if is_restricted(kind) && !readable_of(kind).contains(&log.entity_id) {
                log.changes = Value::Object(Map::new());
                return Entry { log, values_withheld: true };
            }
            if let Value::Object(fields) = &mut log.changes {
                fields.retain(|field, change| {
                    let Some(named) = restricted_reference(field) else { return true };
                    let ids = readable_of(named);
                    let (before, after) =
                        (without_hidden(&change["before"], ids), without_hidden(&change["after"], ids));
                    let differs = before != after;
                    *change = serde_json::json!({ "before": before, "after": after });
                    differs
                });
            }
            Entry { log, values_withheld: false }
        })
        .collect())
}

type KeyOf = fn(&change_log::Model) -> (SortValue, i64);

fn keyset() -> Keyset<change_log::Entity, KeyOf> {
    Keyset { sort: None, id: change_log::Column::Id, descending: true, key_of: |m| (SortValue::Int(m.id), m.id) }
}

async fn readable_page<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    page: Page<change_log::Model>,
) -> AppResult<Page<Entry>> {
    let Page { items, has_next_page, has_previous_page } = page;
    let (cursors, logs): (Vec<String>, Vec<change_log::Model>) = items.into_iter().unzip();
    let entries = as_read_by(db, actor, logs).await?;
    Ok(Page { items: cursors.into_iter().zip(entries).collect(), has_next_page, has_previous_page })
}

/// One page of changes, newest first, for each of several records of one kind, in one statement
/// (and one per restricted kind their values name). The caller has checked the records are visible.
pub async fn history_pages<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    kind: RecordKind,
    ids: &[i64],
    args: &PageArgs,
) -> AppResult<HashMap<i64, Page<Entry>>> {
    let select = change_log::Entity::find()
        .filter(change_log::Column::EntityType.eq(kind.as_str()))
        .filter(change_log::Column::EntityId.is_in(ids.to_vec()));
    let pages = keyset().fetch_partitioned(db, select, change_log::Column::EntityId, |m| m.entity_id, args).await?;
    let mut order = Vec::new();
    let (mut cursors, mut logs) = (Vec::new(), Vec::new());
    for (id, page) in pages {
        order.push((id, page.items.len(), page.has_next_page, page.has_previous_page));
        for (cursor, log) in page.items {
            cursors.push(cursor);
            logs.push(log);
        }
    }
    let mut items = cursors.into_iter().zip(as_read_by(db, actor, logs).await?);
    Ok(order
        .into_iter()
        .map(|(id, n, has_next_page, has_previous_page)| {
            (id, Page { items: items.by_ref().take(n).collect(), has_next_page, has_previous_page })
        })
        .collect())
}

/// How many changes each of several records of one kind has.
pub async fn history_counts<C: ConnectionTrait>(db: &C, kind: RecordKind, ids: &[i64]) -> AppResult<HashMap<i64, u64>> {
    let counts: Vec<(i64, i64)> = change_log::Entity::find()
        .select_only()
        .column(change_log::Column::EntityId)
        .column_as(change_log::Column::Id.count(), "n")
        .filter(change_log::Column::EntityType.eq(kind.as_str()))
        .filter(change_log::Column::EntityId.is_in(ids.to_vec()))
        .group_by(change_log::Column::EntityId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|(id, n)| (id, n as u64)).collect())
}

/// What the audit trail is narrowed to; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AuditFilter {
    /// The record kind's name, e.g. `Proposition`.
    pub record_type: Option<String>,
    pub record_id: Option<i64>,
    pub actor_subject: Option<String>,
    pub actor_organisation_id: Option<i64>,
    pub credential: Option<String>,
    pub request_id: Option<String>,
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

fn audit_select(filter: &AuditFilter) -> sea_orm::Select<change_log::Entity> {
    let mut select = change_log::Entity::find();
    if let Some(t) = &filter.record_type {
        select = select.filter(change_log::Column::EntityType.eq(t.as_str()));
    }
    if let Some(id) = filter.record_id {
        select = select.filter(change_log::Column::EntityId.eq(id));
    }
    if let Some(s) = &filter.actor_subject {
        select = select.filter(change_log::Column::ActorSubject.eq(s.as_str()));
    }
    if let Some(o) = filter.actor_organisation_id {
        select = select.filter(change_log::Column::ActorOrganisationId.eq(o));
    }
    if let Some(c) = &filter.credential {
        select = select.filter(change_log::Column::Credential.eq(c.as_str()));
    }
    if let Some(r) = &filter.request_id {
        select = select.filter(change_log::Column::RequestId.eq(r.as_str()));
    }
    if let Some(since) = filter.since {
        select = select.filter(change_log::Column::OccurredAt.gte(since));
    }
    if let Some(until) = filter.until {
        select = select.filter(change_log::Column::OccurredAt.lt(until));
    }
    select
}

/// The audit trail, newest first, as the caller may read it; for network maintainers only.
pub async fn audit_page<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &AuditFilter,
    args: &PageArgs,
) -> AppResult<Page<Entry>> {
    require_maintainer(actor)?;
    let page = keyset().fetch(db, audit_select(filter), args).await?;
    readable_page(db, actor, page).await
}

/// How many entries of the audit trail match; for network maintainers only.
pub async fn audit_count<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &AuditFilter) -> AppResult<u64> {
    require_maintainer(actor)?;
    Ok(audit_select(filter).count(db).await?)
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    use super::*;

    /// The camelCase name a column has in a logged snapshot.
    fn logged_name(column: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in column.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    fn reference_columns<E: EntityTrait>() -> Vec<String> {
        E::Column::iter()
            .map(|c| c.as_str().to_string())
            .filter(|c| c.ends_with("_id") && c != "id")
            .map(|c| logged_name(&c))
            .collect()
    }

    #[test]
    fn every_reference_a_logged_record_holds_is_known_to_be_public_or_restricted() {
        use entity::*;
        let mut columns = Vec::new();
        columns.extend(reference_columns::<core_function::Entity>());
        columns.extend(reference_columns::<societal_task::Entity>());
        columns.extend(reference_columns::<target_group::Entity>());
        columns.extend(reference_columns::<standard_proposition::Entity>());
        columns.extend(reference_columns::<province::Entity>());
        columns.extend(reference_columns::<municipality::Entity>());
        columns.extend(reference_columns::<organisation::Entity>());
        columns.extend(reference_columns::<branch::Entity>());
        columns.extend(reference_columns::<entity::proposition::Entity>());
        columns.extend(reference_columns::<entity::study::Entity>());
        columns.extend(reference_columns::<entity::journey::Entity>());
        columns.extend(reference_columns::<journey_stage::Entity>());
        columns.extend(reference_columns::<entity::insight::Entity>());
        columns.extend(reference_columns::<entity::idea::Entity>());
        columns.extend(reference_columns::<adoption::Entity>());
        columns.extend(reference_columns::<entity::knowledge_link::Entity>());
        columns.extend(reference_columns::<entity::api_key::Entity>());
        // The lists the services add to snapshots.
        for added in ["targetGroupIds", "branchIds", "partnerOrganisationIds", "societalTaskIds", "insightIds"] {
            columns.push(added.to_string());
        }
        for added in ["standardPropositionIds", "municipalityIds", "propositionIds", "commissionedByIds"] {
            columns.push(added.to_string());
        }
        for added in ["conductedByIds", "provinceIds"] {
            columns.push(added.to_string());
        }
        for column in columns {
            let listed = [
                restricted_reference(&column).is_some(),
                PUBLIC_REFERENCES.contains(&column.as_str()),
                SAME_STUDY_REFERENCES.contains(&column.as_str()),
            ];
            assert_eq!(listed.iter().filter(|l| **l).count(), 1, "{column} must be listed exactly once");
        }
    }

    #[test]
    fn a_hidden_reference_becomes_null_and_leaves_a_list() {
        let readable: HashSet<i64> = [1, 2].into_iter().collect();
        assert_eq!(without_hidden(&serde_json::json!(3), &readable), Value::Null);
        assert_eq!(without_hidden(&serde_json::json!(2), &readable), serde_json::json!(2));
        assert_eq!(without_hidden(&serde_json::json!([1, 3, 2]), &readable), serde_json::json!([1, 2]));
        assert_eq!(without_hidden(&Value::Null, &readable), Value::Null);
    }
}
