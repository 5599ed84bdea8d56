//! Insights drawn from studies: what they say, whom and what they concern, how strong the evidence
//! is, and whether a later insight superseded them.

use entity::enums::InsightState;
use entity::json::{Quote, QuoteList};
use entity::{
    insight, insight_standard_proposition as insight_sp, insight_target_group as insight_tg, journey, journey_stage,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::common_model::{standard_proposition_ids, target_group_ids};
use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::{Patch, check_version, dedup, history, now, require_signed_in, save_versioned, validate};
use crate::knowledge::scope::KnowledgeParent;
use crate::knowledge::study::StudyFilter;
use crate::knowledge::{scope, study};

/// Insights of studies the actor may see.
pub fn visible_to(actor: &Actor) -> Condition {
    Condition::all().add(insight::Column::StudyId.in_subquery(study::visible_ids(actor)))
}

/// The ids of the insights the actor may see.
pub fn visible_ids(actor: &Actor) -> SelectStatement {
    insight::Entity::find().select_only().column(insight::Column::Id).filter(visible_to(actor)).into_query()
}

/// Insights by id that the actor may see.
pub async fn visible_by_ids<C: ConnectionTrait>(db: &C, actor: &Actor, ids: &[i64]) -> AppResult<Vec<insight::Model>> {
    Ok(insight::Entity::find()
        .filter(insight::Column::Id.is_in(ids.to_vec()))
        .filter(visible_to(actor))
        .all(db)
        .await?)
}

// ---- listing -----------------------------------------------------------------------------------

/// Which insights to list. Values within a field are alternatives; fields all apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct InsightFilter {
    pub study_ids: Vec<i64>,
    pub target_group_codes: Vec<String>,
    pub standard_proposition_codes: Vec<String>,
    pub states: Vec<InsightState>,
    /// Only insights of studies that match this filter.
    pub study: Option<StudyFilter>,
}

pub(crate) async fn filter_condition<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    f: &InsightFilter,
) -> AppResult<Condition> {
    use insight::Column as I;
    let mut cond = Condition::all();
    if !f.study_ids.is_empty() {
        cond = cond.add(I::StudyId.is_in(f.study_ids.clone()));
    }
    if !f.target_group_codes.is_empty() {
        let ids = target_group_ids(db, "filter.targetGroups", &f.target_group_codes).await?;
        cond = cond.add(
            I::Id.in_subquery(scope::items(scope::insights(db, actor, KnowledgeParent::TargetGroup, &ids).await?)),
        );
    }
    if !f.standard_proposition_codes.is_empty() {
        let ids = standard_proposition_ids(db, "filter.standardPropositions", &f.standard_proposition_codes).await?;
        cond = cond
            .add(I::Id.in_subquery(scope::items(scope::insights(db, actor, KnowledgeParent::Standard, &ids).await?)));
    }
    if !f.states.is_empty() {
        cond = cond.add(I::State.is_in(f.states.clone()));
    }
    if let Some(sf) = &f.study {
        let studies = study::filtered_ids(db, actor, sf).await?;
        cond = cond.add(I::StudyId.in_subquery(studies));
    }
    Ok(cond)
}

type KeyOf = fn(&insight::Model) -> (SortValue, i64);

/// Strongest evidence first, then newest.
pub(crate) fn keyset() -> Keyset<insight::Entity, KeyOf> {
    Keyset {
        sort: Some(insight::Column::EvidenceRank),
        id: insight::Column::Id,
        descending: true,
        key_of: |m| (SortValue::Int(m.evidence_rank as i64), m.id),
    }
}

async fn select(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[InsightFilter],
) -> AppResult<sea_orm::Select<insight::Entity>> {
    let mut select = insight::Entity::find().filter(visible_to(actor));
    for f in filters {
        select = select.filter(filter_condition(db, actor, f).await?);
    }
    Ok(select)
}

/// A page of the insights the actor may see that match every filter, strongest evidence first.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[InsightFilter],
    args: &PageArgs,
) -> AppResult<Page<insight::Model>> {
    let select = select(db, actor, filters).await?;
    keyset().fetch(db, select, args).await
}

/// How many insights the actor may see match every filter.
pub async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[InsightFilter]) -> AppResult<u64> {
    Ok(select(db, actor, filters).await?.count(db).await?)
}

// ---- writing -----------------------------------------------------------------------------------

/// A new or changed insight; on update, absent means "leave as is".
#[derive(Debug, Clone, Default)]
pub struct InsightInput {
    pub stage_id: Patch<i64>,
    pub statement: Option<String>,
    pub explanation: Option<String>,
    pub quotes: Option<Vec<Quote>>,
    pub target_group_codes: Option<Vec<String>>,
    pub standard_proposition_codes: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default)]
struct InsightLinks {
    target_groups: Vec<i64>,
    standards: Vec<i64>,
}

fn snapshot(m: &insight::Model, links: &InsightLinks) -> serde_json::Value {
    let mut v = history::snapshot(m);
    v["targetGroupIds"] = json!(links.target_groups);
    v["standardPropositionIds"] = json!(links.standards);
    v
}

async fn links_of<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<InsightLinks> {
    Ok(InsightLinks {
        target_groups: linked_ids!(db, insight_tg, InsightId, id, TargetGroupId),
        standards: linked_ids!(db, insight_sp, InsightId, id, StandardPropositionId),
    })
}

async fn apply<C: ConnectionTrait>(
    db: &C,
    study_id: i64,
    cur: Option<(&insight::Model, &InsightLinks)>,
    input: &InsightInput,
    active: &mut insight::ActiveModel,
) -> AppResult<InsightLinks> {
    let (cur_m, cur_l) = (cur.map(|c| c.0), cur.map(|c| c.1));
    let statement = match (&input.statement, cur_m) {
        (Some(s), _) => validate::required("statement", s, 500)?,
        (None, Some(c)) => c.statement.clone(),
        (None, None) => return Err(AppError::invalid("statement", "is required")),
    };
    let explanation = match (&input.explanation, cur_m) {
        (Some(e), _) => validate::text("explanation", e, 10_000)?,
        (None, Some(c)) => c.explanation.clone(),
        (None, None) => String::new(),
    };
    let quotes = match (&input.quotes, cur_m) {
        (Some(q), _) => QuoteList(validate::quotes("quotes", q)?),
        (None, Some(c)) => c.quotes.clone(),
        (None, None) => QuoteList::default(),
    };
    let stage_id = match &input.stage_id {
        None => cur_m.and_then(|c| c.stage_id),
        Some(None) => None,
        Some(Some(id)) => {
            let of_study = journey_stage::Entity::find_by_id(*id)
                .filter(
                    journey_stage::Column::JourneyId.in_subquery(
                        journey::Entity::find()
                            .select_only()
                            .column(journey::Column::Id)
                            .filter(journey::Column::StudyId.eq(study_id))
                            .into_query(),
                    ),
                )
                .count(db)
                .await?;
            if of_study == 0 {
                return Err(AppError::invalid("stageId", "must be a stage of a journey in the same study"));
            }
            Some(*id)
        }
    };
    let target_groups = match (&input.target_group_codes, cur_l) {
        (Some(codes), _) => dedup(target_group_ids(db, "targetGroupCodes", codes).await?),
        (None, Some(l)) => l.target_groups.clone(),
        (None, None) => vec![],
    };
    let standards = match (&input.standard_proposition_codes, cur_l) {
        (Some(codes), _) => dedup(standard_proposition_ids(db, "standardPropositionCodes", codes).await?),
        (None, Some(l)) => l.standards.clone(),
        (None, None) => vec![],
    };
    active.statement = Set(statement);
    active.explanation = Set(explanation);
    active.quotes = Set(quotes);
    active.stage_id = Set(stage_id);
    Ok(InsightLinks { target_groups, standards })
}

async fn write_links<C: ConnectionTrait>(db: &C, id: i64, links: &InsightLinks) -> AppResult<()> {
    replace_linked!(db, insight_tg, InsightId, id, TargetGroupId, links.target_groups.clone());
    replace_linked!(db, insight_sp, InsightId, id, StandardPropositionId, links.standards.clone());
    Ok(())
}

/// Records an insight of a study; its evidence strength is the study's.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    study_id: i64,
    input: InsightInput,
) -> AppResult<insight::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let study = study::require_editable(&txn, actor, study_id).await?;
    let ts = now();
    let mut active = insight::ActiveModel {
        id: NotSet,
        study_id: Set(study_id),
        evidence_strength: Set(study.evidence_strength),
        evidence_rank: Set(study.evidence_strength.rank()),
        state: Set(InsightState::Current),
        superseded_by_id: Set(None),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    let links = apply(&txn, study_id, None, &input, &mut active).await?;
    let model = insight::Entity::insert(active).exec_with_returning(&txn).await?;
    write_links(&txn, model.id, &links).await?;
    let after = snapshot(&model, &links);
    history::record(&txn, actor, Change::created(RecordKind::Insight, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

async fn for_write<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    expected_version: i32,
) -> AppResult<insight::Model> {
    require_signed_in(actor)?;
    let found = insight::Entity::find_by_id(id).filter(visible_to(actor)).one(db).await?;
    let Some(current) = found else { return Err(AppError::NotFound("insight".into())) };
    study::require_editable(db, actor, current.study_id).await?;
    check_version("insight", expected_version, current.version)?;
    Ok(current)
}

async fn save<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &insight::Model,
    active: insight::ActiveModel,
    links: (&InsightLinks, &InsightLinks),
    action: ChangeAction,
) -> AppResult<insight::Model> {
    let model = save_versioned::<insight::Entity, _>(db, active, current.id, current.version).await?;
    write_links(db, current.id, links.1).await?;
    let (before, after) = (snapshot(current, links.0), snapshot(&model, links.1));
    history::record(db, actor, Change::changed(RecordKind::Insight, model.id, action, model.version, &before, &after))
        .await?;
    Ok(model)
}

/// Changes an insight.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: InsightInput,
) -> AppResult<insight::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = for_write(&txn, actor, id, expected_version).await?;
    let cur_links = links_of(&txn, id).await?;
    let mut active: insight::ActiveModel = current.clone().into();
    let links = apply(&txn, current.study_id, Some((&current, &cur_links)), &input, &mut active).await?;
    let model = save(&txn, actor, &current, active, (&cur_links, &links), ChangeAction::Update).await?;
    txn.commit().await?;
    Ok(model)
}

/// Marks an insight as superseded by a newer one the actor can see (from any study).
pub async fn supersede(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    by: i64,
) -> AppResult<insight::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = for_write(&txn, actor, id, expected_version).await?;
    if by == id {
        return Err(AppError::invalid("supersededById", "an insight cannot supersede itself"));
    }
    let newer = insight::Entity::find_by_id(by).filter(visible_to(actor)).one(&txn).await?;
    match newer {
        None => return Err(AppError::invalid("supersededById", "must be an insight you can see")),
        Some(n) if n.state != InsightState::Current => {
            return Err(AppError::invalid("supersededById", "must be a current insight"));
        }
        Some(_) => {}
    }
    if current.state == InsightState::Superseded {
        return Err(AppError::Conflict("the insight is already superseded".into()));
    }
    let links = links_of(&txn, id).await?;
    let mut active: insight::ActiveModel = current.clone().into();
    active.state = Set(InsightState::Superseded);
    active.superseded_by_id = Set(Some(by));
    let model = save(&txn, actor, &current, active, (&links, &links), ChangeAction::Supersede).await?;
    txn.commit().await?;
    Ok(model)
}

/// The visible insights matching a condition, strongest evidence first (for loaders).
pub async fn insights_where<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    cond: Condition,
) -> AppResult<Vec<insight::Model>> {
    use sea_orm::QueryOrder;
    Ok(insight::Entity::find()
        .filter(cond)
        .filter(visible_to(actor))
        .order_by_desc(insight::Column::EvidenceRank)
        .order_by_desc(insight::Column::Id)
        .all(db)
        .await?)
}

/// One page of insights per parent, in one statement, for nested lists under many parents.
pub async fn list_scoped(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: KnowledgeParent,
    parent_ids: &[i64],
    filters: &[InsightFilter],
    args: &PageArgs,
) -> AppResult<std::collections::HashMap<i64, Page<insight::Model>>> {
    let select = select(db, actor, filters).await?;
    let scope = scope::insights(db, actor, parent, parent_ids).await?;
    keyset().fetch_scoped(db, select, scope, args).await
}

/// How many insights each parent has that the actor may see and that match.
pub async fn count_scoped(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: KnowledgeParent,
    parent_ids: &[i64],
    filters: &[InsightFilter],
) -> AppResult<std::collections::HashMap<i64, u64>> {
    let select = select(db, actor, filters).await?;
    let scope = scope::insights(db, actor, parent, parent_ids).await?;
    crate::kernel::page::count_scoped(db, select, insight::Column::Id, scope).await
}
