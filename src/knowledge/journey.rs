//! Customer journeys within a study, and their ordered stages: added, edited, reordered, removed.

use entity::json::{Quote, QuoteList, TextList};
use entity::{insight, journey, journey_proposition, journey_stage};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::common_model::{standard_proposition_ids, target_group_ids};
use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::page::{SCOPE_ITEM, SCOPE_PARENT};
use crate::kernel::{Patch, check_version, dedup, history, now, require_signed_in, save_versioned, validate};
use crate::knowledge::scope::KnowledgeParent;
use crate::knowledge::{scope, study};
use crate::registry::proposition;

/// Journeys of studies the actor may see.
pub fn visible_to(actor: &Actor) -> Condition {
    Condition::all().add(journey::Column::StudyId.in_subquery(study::visible_ids(actor)))
}

/// Stages of journeys the actor may see.
pub fn stage_visible_to(actor: &Actor) -> Condition {
    Condition::all().add(journey_stage::Column::JourneyId.in_subquery(
        journey::Entity::find().select_only().column(journey::Column::Id).filter(visible_to(actor)).into_query(),
    ))
}

/// Journeys by id that the actor may see.
pub async fn visible_by_ids<C: ConnectionTrait>(db: &C, actor: &Actor, ids: &[i64]) -> AppResult<Vec<journey::Model>> {
    Ok(journey::Entity::find()
        .filter(journey::Column::Id.is_in(ids.to_vec()))
        .filter(visible_to(actor))
        .all(db)
        .await?)
}

/// Stages by id that the actor may see.
pub async fn visible_stages_by_ids<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
) -> AppResult<Vec<journey_stage::Model>> {
    Ok(journey_stage::Entity::find()
        .filter(journey_stage::Column::Id.is_in(ids.to_vec()))
        .filter(stage_visible_to(actor))
        .all(db)
        .await?)
}

/// The journeys of several studies (visible ones only), by study, in the order they were added.
pub async fn of_studies<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    study_ids: &[i64],
) -> AppResult<Vec<journey::Model>> {
    Ok(journey::Entity::find()
        .filter(journey::Column::StudyId.is_in(study_ids.to_vec()))
        .filter(visible_to(actor))
        .order_by_asc(journey::Column::Id)
        .all(db)
        .await?)
}

/// The stages of several journeys (visible ones only), in journey order.
pub async fn stages_of<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    journey_ids: &[i64],
) -> AppResult<Vec<journey_stage::Model>> {
    Ok(journey_stage::Entity::find()
        .filter(journey_stage::Column::JourneyId.is_in(journey_ids.to_vec()))
        .filter(stage_visible_to(actor))
        .order_by_asc(journey_stage::Column::Position)
        .order_by_asc(journey_stage::Column::Id)
        .all(db)
        .await?)
}

// ---- journeys ----------------------------------------------------------------------------------

/// A new or changed journey; on update, absent means "leave as is".
#[derive(Debug, Clone, Default)]
pub struct JourneyInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub target_group_code: Option<String>,
    pub standard_proposition_code: Patch<String>,
    pub proposition_ids: Option<Vec<i64>>,
}

fn journey_snapshot(m: &journey::Model, propositions: &[i64]) -> serde_json::Value {
    let mut v = history::snapshot(m);
    v["propositionIds"] = json!(propositions);
    v
}

async fn apply_journey<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    cur: Option<(&journey::Model, &[i64])>,
    input: &JourneyInput,
    active: &mut journey::ActiveModel,
) -> AppResult<Vec<i64>> {
    let cur_m = cur.map(|c| c.0);
    let title = match (&input.title, cur_m) {
        (Some(t), _) => validate::required("title", t, 300)?,
        (None, Some(c)) => c.title.clone(),
        (None, None) => return Err(AppError::invalid("title", "is required")),
    };
    let description = match (&input.description, cur_m) {
        (Some(d), _) => validate::text("description", d, 10_000)?,
        (None, Some(c)) => c.description.clone(),
        (None, None) => String::new(),
    };
    let target_group_id = match (&input.target_group_code, cur_m) {
        (Some(code), _) => target_group_ids(db, "targetGroupCode", std::slice::from_ref(code)).await?[0],
        (None, Some(c)) => c.target_group_id,
        (None, None) => return Err(AppError::invalid("targetGroupCode", "is required")),
    };
    let standard_id = match &input.standard_proposition_code {
        None => cur_m.and_then(|c| c.standard_proposition_id),
        Some(None) => None,
        Some(Some(code)) => {
            Some(standard_proposition_ids(db, "standardPropositionCode", std::slice::from_ref(code)).await?[0])
        }
    };
    let propositions = match (&input.proposition_ids, cur) {
        (Some(ids), _) => {
            let ids = dedup(ids.clone());
            let found = proposition::visible_by_ids(db, actor, &ids).await?;
            if found.len() != ids.len() {
                return Err(AppError::invalid("propositionIds", "every proposition must be one you can see"));
            }
            ids
        }
        (None, Some((_, p))) => p.to_vec(),
        (None, None) => vec![],
    };
    if standard_id.is_none() && propositions.is_empty() {
        return Err(AppError::invalid(
            "standardPropositionCode",
            "name the service the journey follows: a standard proposition, propositions, or both",
        ));
    }
    active.title = Set(title);
    active.description = Set(description);
    active.target_group_id = Set(target_group_id);
    active.standard_proposition_id = Set(standard_id);
    Ok(propositions)
}

/// Adds a customer journey to a study.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    study_id: i64,
    input: JourneyInput,
) -> AppResult<journey::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    study::require_editable(&txn, actor, study_id).await?;
    let ts = now();
    let mut active = journey::ActiveModel {
        id: NotSet,
        study_id: Set(study_id),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    let propositions = apply_journey(&txn, actor, None, &input, &mut active).await?;
    let model = journey::Entity::insert(active).exec_with_returning(&txn).await?;
    replace_linked!(&txn, journey_proposition, JourneyId, model.id, PropositionId, propositions.clone());
    let after = journey_snapshot(&model, &propositions);
    history::record(&txn, actor, Change::created(RecordKind::Journey, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

/// Loads a journey for a change: hidden is `NOT_FOUND`, not the actor's study is `FORBIDDEN`.
async fn journey_for_write<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> AppResult<journey::Model> {
    require_signed_in(actor)?;
    let found = journey::Entity::find_by_id(id).filter(visible_to(actor)).one(db).await?;
    let Some(j) = found else { return Err(AppError::NotFound("journey".into())) };
    study::require_editable(db, actor, j.study_id).await?;
    Ok(j)
}

/// Changes a journey.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: JourneyInput,
) -> AppResult<journey::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = journey_for_write(&txn, actor, id).await?;
    check_version("journey", expected_version, current.version)?;
    let cur_props = linked_ids!(&txn, journey_proposition, JourneyId, id, PropositionId);
    let mut active: journey::ActiveModel = current.clone().into();
    let propositions = apply_journey(&txn, actor, Some((&current, &cur_props)), &input, &mut active).await?;
    let model = save_versioned::<journey::Entity, _>(&txn, active, id, current.version).await?;
    replace_linked!(&txn, journey_proposition, JourneyId, id, PropositionId, propositions.clone());
    let (before, after) = (journey_snapshot(&current, &cur_props), journey_snapshot(&model, &propositions));
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::Journey, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

// ---- stages ------------------------------------------------------------------------------------

/// A new or changed stage; on update, absent means "leave as is".
#[derive(Debug, Clone, Default)]
pub struct StageInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub touchpoints: Option<Vec<String>>,
    pub pains: Option<Vec<String>>,
    pub gains: Option<Vec<String>>,
    pub emotion_score: Patch<i32>,
    pub quotes: Option<Vec<Quote>>,
}

fn apply_stage(
    cur: Option<&journey_stage::Model>,
    input: &StageInput,
    active: &mut journey_stage::ActiveModel,
) -> AppResult<()> {
    let name = match (&input.name, cur) {
        (Some(n), _) => validate::required("stage.name", n, 200)?,
        (None, Some(c)) => c.name.clone(),
        (None, None) => return Err(AppError::invalid("stage.name", "is required")),
    };
    let description = match (&input.description, cur) {
        (Some(d), _) => validate::text("stage.description", d, 5000)?,
        (None, Some(c)) => c.description.clone(),
        (None, None) => String::new(),
    };
    let list = |field: &str, given: &Option<Vec<String>>, old: Option<&TextList>| -> AppResult<TextList> {
        match (given, old) {
            (Some(v), _) => Ok(TextList(validate::text_list(field, v, 500)?)),
            (None, Some(o)) => Ok(o.clone()),
            (None, None) => Ok(TextList::default()),
        }
    };
    let emotion = match &input.emotion_score {
        None => cur.and_then(|c| c.emotion_score),
        Some(v) => *v,
    };
    if emotion.is_some_and(|e| !(-2..=2).contains(&e)) {
        return Err(AppError::invalid("stage.emotionScore", "must be between -2 and 2"));
    }
    let quotes = match (&input.quotes, cur) {
        (Some(q), _) => QuoteList(validate::quotes("stage.quotes", q)?),
        (None, Some(c)) => c.quotes.clone(),
        (None, None) => QuoteList::default(),
    };
    active.name = Set(name);
    active.description = Set(description);
    active.touchpoints = Set(list("stage.touchpoints", &input.touchpoints, cur.map(|c| &c.touchpoints))?);
    active.pains = Set(list("stage.pains", &input.pains, cur.map(|c| &c.pains))?);
    active.gains = Set(list("stage.gains", &input.gains, cur.map(|c| &c.gains))?);
    active.emotion_score = Set(emotion);
    active.quotes = Set(quotes);
    Ok(())
}

async fn stage_change<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: ChangeAction,
    before: Option<&journey_stage::Model>,
    after: &journey_stage::Model,
) -> AppResult<()> {
    let (b, a) = (before.map(history::snapshot), history::snapshot(after));
    history::record(
        db,
        actor,
        Change {
            kind: RecordKind::JourneyStage,
            id: after.id,
            action,
            version: after.version,
            before: b.as_ref(),
            after: Some(&a),
        },
    )
    .await
}

/// Moves stages so that positions run 1..n in the given order, logging each move.
async fn renumber<C: ConnectionTrait>(db: &C, actor: &Actor, ordered: Vec<journey_stage::Model>) -> AppResult<()> {
    for (i, stage) in ordered.into_iter().enumerate() {
        let position = i as i32 + 1;
        if stage.position != position {
            let mut active: journey_stage::ActiveModel = stage.clone().into();
            active.position = Set(position);
            let moved = save_versioned::<journey_stage::Entity, _>(db, active, stage.id, stage.version).await?;
            stage_change(db, actor, ChangeAction::Reorder, Some(&stage), &moved).await?;
        }
    }
    Ok(())
}

async fn stages_in_order<C: ConnectionTrait>(db: &C, journey_id: i64) -> AppResult<Vec<journey_stage::Model>> {
    Ok(journey_stage::Entity::find()
        .filter(journey_stage::Column::JourneyId.eq(journey_id))
        .order_by_asc(journey_stage::Column::Position)
        .order_by_asc(journey_stage::Column::Id)
        .all(db)
        .await?)
}

/// Adds a stage to a journey, at the end or at a position (1 is first); later stages move down.
pub async fn add_stage(
    db: &DatabaseConnection,
    actor: &Actor,
    journey_id: i64,
    position: Option<i32>,
    input: StageInput,
) -> AppResult<journey_stage::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    journey_for_write(&txn, actor, journey_id).await?;
    let existing = stages_in_order(&txn, journey_id).await?;
    if existing.len() >= 30 {
        return Err(AppError::invalid("journeyId", "a journey has at most 30 stages"));
    }
    let last = existing.len() as i32 + 1;
    let position = position.unwrap_or(last);
    if !(1..=last).contains(&position) {
        return Err(AppError::invalid("position", format!("must be between 1 and {last}")));
    }
    // Later stages move down one place to make room.
    for (i, stage) in existing.into_iter().enumerate() {
        let target = if (i as i32 + 1) < position { i as i32 + 1 } else { i as i32 + 2 };
        if stage.position != target {
            let mut active: journey_stage::ActiveModel = stage.clone().into();
            active.position = Set(target);
            let moved = save_versioned::<journey_stage::Entity, _>(&txn, active, stage.id, stage.version).await?;
            stage_change(&txn, actor, ChangeAction::Reorder, Some(&stage), &moved).await?;
        }
    }
    let ts = now();
    let mut active = journey_stage::ActiveModel {
        id: NotSet,
        journey_id: Set(journey_id),
        position: Set(position),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    apply_stage(None, &input, &mut active)?;
    let model = journey_stage::Entity::insert(active).exec_with_returning(&txn).await?;
    stage_change(&txn, actor, ChangeAction::Create, None, &model).await?;
    txn.commit().await?;
    Ok(model)
}

async fn stage_for_write<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    expected_version: i32,
) -> AppResult<journey_stage::Model> {
    require_signed_in(actor)?;
    let found = journey_stage::Entity::find_by_id(id).filter(stage_visible_to(actor)).one(db).await?;
    let Some(stage) = found else { return Err(AppError::NotFound("stage".into())) };
    journey_for_write(db, actor, stage.journey_id).await?;
    check_version("stage", expected_version, stage.version)?;
    Ok(stage)
}

/// Changes a stage's contents.
pub async fn update_stage(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: StageInput,
) -> AppResult<journey_stage::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = stage_for_write(&txn, actor, id, expected_version).await?;
    let mut active: journey_stage::ActiveModel = current.clone().into();
    apply_stage(Some(&current), &input, &mut active)?;
    let model = save_versioned::<journey_stage::Entity, _>(&txn, active, id, current.version).await?;
    stage_change(&txn, actor, ChangeAction::Update, Some(&current), &model).await?;
    txn.commit().await?;
    Ok(model)
}

/// Removes a stage. Insights drawn from it stay with their study, no longer tied to a stage; the
/// later stages move up. Returns the id of the journey it belonged to.
pub async fn remove_stage(db: &DatabaseConnection, actor: &Actor, id: i64, expected_version: i32) -> AppResult<i64> {
    let txn = crate::kernel::begin_write(db).await?;
    let stage = stage_for_write(&txn, actor, id, expected_version).await?;
    let attached = insight::Entity::find().filter(insight::Column::StageId.eq(id)).all(&txn).await?;
    for ins in attached {
        let mut active: insight::ActiveModel = ins.clone().into();
        active.stage_id = Set(None);
        let detached = save_versioned::<insight::Entity, _>(&txn, active, ins.id, ins.version).await?;
        let (b, a) = (history::snapshot(&ins), history::snapshot(&detached));
        history::record(
            &txn,
            actor,
            Change::changed(RecordKind::Insight, ins.id, ChangeAction::Update, detached.version, &b, &a),
        )
        .await?;
    }
    journey_stage::Entity::delete_by_id(id).exec(&txn).await?;
    let before = history::snapshot(&stage);
    history::record(&txn, actor, Change::deleted(RecordKind::JourneyStage, id, stage.version, &before)).await?;
    let rest = stages_in_order(&txn, stage.journey_id).await?;
    renumber(&txn, actor, rest).await?;
    txn.commit().await?;
    Ok(stage.journey_id)
}

/// Puts a journey's stages in a new order; `stage_ids` must name each of its stages once. The
/// journey's version guards against reordering a list someone else just changed.
pub async fn reorder_stages(
    db: &DatabaseConnection,
    actor: &Actor,
    journey_id: i64,
    expected_version: i32,
    stage_ids: &[i64],
) -> AppResult<journey::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = journey_for_write(&txn, actor, journey_id).await?;
    check_version("journey", expected_version, current.version)?;
    let stages = stages_in_order(&txn, journey_id).await?;
    let mut given = stage_ids.to_vec();
    given.sort_unstable();
    let mut have: Vec<i64> = stages.iter().map(|s| s.id).collect();
    have.sort_unstable();
    if given != have {
        return Err(AppError::invalid("stageIds", "must name every stage of the journey exactly once"));
    }
    let ordered: Vec<journey_stage::Model> =
        stage_ids.iter().filter_map(|id| stages.iter().find(|s| s.id == *id).cloned()).collect();
    renumber(&txn, actor, ordered).await?;
    let active: journey::ActiveModel = current.clone().into();
    let model = save_versioned::<journey::Entity, _>(&txn, active, journey_id, current.version).await?;
    let before = json!({ "stageIds": stages.iter().map(|s| s.id).collect::<Vec<_>>() });
    let after = json!({ "stageIds": stage_ids });
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::Journey, journey_id, ChangeAction::Reorder, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// The visible journeys of the studies each of several organisations is named on, as
/// (organisation id, journey) pairs: two statements however many organisations.
pub async fn of_organisations<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    org_ids: &[i64],
) -> AppResult<Vec<(i64, journey::Model)>> {
    let pairs = db.query_all(&scope::study_organisations(KnowledgeParent::Organisation, org_ids)).await?;
    let mut named: Vec<(i64, i64)> = Vec::with_capacity(pairs.len());
    for row in pairs {
        named.push((row.try_get("", SCOPE_ITEM)?, row.try_get("", SCOPE_PARENT)?));
    }
    let studies = dedup(named.iter().map(|(study, _)| *study).collect());
    let journeys = of_studies(db, actor, &studies).await?;
    let mut out = Vec::new();
    for (study, org) in named {
        out.extend(journeys.iter().filter(|j| j.study_id == study).map(|j| (org, j.clone())));
    }
    out.sort_by_key(|(org, j)| (*org, j.id));
    Ok(out)
}
