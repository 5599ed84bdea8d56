//! Improvement ideas that answer a study's insights, and the libraries that adopted them.

use chrono::NaiveDate;
use entity::enums::{AdoptionStatus, IdeaPriority, OrganisationKind};
use entity::{adoption, idea, idea_insight, insight, organisation, proposition};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::identity::{Actor, Role};

use crate::error::{AppError, AppResult};
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::{Patch, check_version, dedup, history, now, require_signed_in, save_versioned, validate};
use crate::knowledge::insight as insight_service;
use crate::knowledge::insight::InsightFilter;
use crate::knowledge::scope::KnowledgeParent;
use crate::knowledge::{scope, study};

/// Ideas of studies the actor may see.
pub fn visible_to(actor: &Actor) -> Condition {
    Condition::all().add(idea::Column::StudyId.in_subquery(study::visible_ids(actor)))
}

fn visible_idea_ids(actor: &Actor) -> SelectStatement {
    idea::Entity::find().select_only().column(idea::Column::Id).filter(visible_to(actor)).into_query()
}

/// Adoptions of ideas the actor may see.
pub fn adoption_visible_to(actor: &Actor) -> Condition {
    Condition::all().add(adoption::Column::IdeaId.in_subquery(visible_idea_ids(actor)))
}

/// Ideas by id that the actor may see.
pub async fn visible_by_ids<C: ConnectionTrait>(db: &C, actor: &Actor, ids: &[i64]) -> AppResult<Vec<idea::Model>> {
    Ok(idea::Entity::find().filter(idea::Column::Id.is_in(ids.to_vec())).filter(visible_to(actor)).all(db).await?)
}

/// Adoptions by id that the actor may see.
pub async fn visible_adoptions_by_ids<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
) -> AppResult<Vec<adoption::Model>> {
    Ok(adoption::Entity::find()
        .filter(adoption::Column::Id.is_in(ids.to_vec()))
        .filter(adoption_visible_to(actor))
        .all(db)
        .await?)
}

/// The visible adoptions of several ideas, or of several organisations.
pub async fn adoptions_where<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    cond: Condition,
) -> AppResult<Vec<adoption::Model>> {
    use sea_orm::QueryOrder;
    Ok(adoption::Entity::find()
        .filter(cond)
        .filter(adoption_visible_to(actor))
        .order_by_asc(adoption::Column::Id)
        .all(db)
        .await?)
}

/// Whether an adoption means the library took the idea up: planned, in progress or done count,
/// dropped ones do not.
pub fn counts_as_adopted(a: &adoption::Model) -> bool {
    a.status != AdoptionStatus::Dropped
}

// ---- listing -----------------------------------------------------------------------------------

/// Which ideas to list. Values within a field are alternatives; fields all apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IdeaFilter {
    pub study_ids: Vec<i64>,
    pub priorities: Vec<IdeaPriority>,
    /// Only ideas answering an insight that matches this filter.
    pub insights: Option<InsightFilter>,
    /// Only ideas adopted by one of these libraries (slugs).
    pub adopted_by: Vec<String>,
    /// `true`: only ideas some organisation not named on their study adopted (the learning loop:
    /// what others took up); `false`: only ideas nobody else adopted.
    pub adopted_elsewhere: Option<bool>,
}

pub(crate) async fn filter_condition<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    f: &IdeaFilter,
) -> AppResult<Condition> {
    let mut cond = Condition::all();
    if !f.study_ids.is_empty() {
        cond = cond.add(idea::Column::StudyId.is_in(f.study_ids.clone()));
    }
    if !f.priorities.is_empty() {
        cond = cond.add(idea::Column::Priority.is_in(f.priorities.clone()));
    }
    if let Some(inf) = &f.insights {
        let insights = insight::Entity::find()
            .select_only()
            .column(insight::Column::Id)
            .filter(insight_service::filter_condition(db, actor, inf).await?)
            .into_query();
        cond = cond.add(
            idea::Column::Id.in_subquery(
                idea_insight::Entity::find()
                    .select_only()
                    .column(idea_insight::Column::IdeaId)
                    .filter(idea_insight::Column::InsightId.in_subquery(insights))
                    .into_query(),
            ),
        );
    }
    if !f.adopted_by.is_empty() {
        let ids = study::organisation_ids_by_slugs(db, "filter.adoptedBy", &f.adopted_by).await?;
        cond = cond.add(
            idea::Column::Id.in_subquery(
                adoption::Entity::find()
                    .select_only()
                    .column(adoption::Column::IdeaId)
                    .filter(adoption::Column::OrganisationId.is_in(ids))
                    .into_query(),
            ),
        );
    }
    if let Some(elsewhere) = f.adopted_elsewhere {
        let adopted = Expr::exists(adopted_elsewhere());
        cond = cond.add(if elsewhere { adopted } else { adopted.not() });
    }
    Ok(cond)
}

/// Whether the idea (the outer query's row) was taken up (not dropped) by an organisation that
/// neither ran nor commissioned its study: one probe of the adoption index per idea.
fn adopted_elsewhere() -> SelectStatement {
    use entity::{study_commissioner as commissioner, study_conductor as conductor};
    let conductors = Query::select()
        .expr(Expr::val(1))
        .from(conductor::Entity)
        .and_where(
            Expr::col((conductor::Entity, conductor::Column::StudyId)).equals((idea::Entity, idea::Column::StudyId)),
        )
        .and_where(
            Expr::col((conductor::Entity, conductor::Column::OrganisationId))
                .equals((adoption::Entity, adoption::Column::OrganisationId)),
        )
        .to_owned();
    let commissioners = Query::select()
        .expr(Expr::val(1))
        .from(commissioner::Entity)
        .and_where(
            Expr::col((commissioner::Entity, commissioner::Column::StudyId))
                .equals((idea::Entity, idea::Column::StudyId)),
        )
        .and_where(
            Expr::col((commissioner::Entity, commissioner::Column::OrganisationId))
                .equals((adoption::Entity, adoption::Column::OrganisationId)),
        )
        .to_owned();
    Query::select()
        .expr(Expr::val(1))
        .from(adoption::Entity)
        .and_where(Expr::col((adoption::Entity, adoption::Column::IdeaId)).equals((idea::Entity, idea::Column::Id)))
        .and_where(adoption::Column::Status.ne(AdoptionStatus::Dropped))
        .and_where(Expr::exists(conductors).not())
        .and_where(Expr::exists(commissioners).not())
        .to_owned()
}

async fn select(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[IdeaFilter],
) -> AppResult<sea_orm::Select<idea::Entity>> {
    let mut select = idea::Entity::find().filter(visible_to(actor));
    for f in filters {
        select = select.filter(filter_condition(db, actor, f).await?);
    }
    Ok(select)
}

/// A page of the ideas the actor may see that match every filter, in the order they were recorded.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[IdeaFilter],
    args: &PageArgs,
) -> AppResult<Page<idea::Model>> {
    let select = select(db, actor, filters).await?;
    keyset().fetch(db, select, args).await
}

/// How many ideas the actor may see match every filter.
pub async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[IdeaFilter]) -> AppResult<u64> {
    Ok(select(db, actor, filters).await?.count(db).await?)
}

// ---- ideas -------------------------------------------------------------------------------------

/// A new or changed idea; on update, absent means "leave as is".
#[derive(Debug, Clone, Default)]
pub struct IdeaInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub priority: Option<IdeaPriority>,
    pub insight_ids: Option<Vec<i64>>,
}

fn snapshot(m: &idea::Model, insights: &[i64]) -> serde_json::Value {
    let mut v = history::snapshot(m);
    v["insightIds"] = json!(insights);
    v
}

async fn apply<C: ConnectionTrait>(
    db: &C,
    study_id: i64,
    cur: Option<(&idea::Model, &[i64])>,
    input: &IdeaInput,
    active: &mut idea::ActiveModel,
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
    let priority = input
        .priority
        .or(cur_m.map(|c| c.priority))
        .ok_or_else(|| AppError::invalid("priority", "is required: DO_NOW, LATER or CONSIDER"))?;
    let insights = match (&input.insight_ids, cur) {
        (Some(ids), _) => {
            let ids = dedup(ids.clone());
            let of_study = insight::Entity::find()
                .filter(insight::Column::Id.is_in(ids.clone()))
                .filter(insight::Column::StudyId.eq(study_id))
                .count(db)
                .await?;
            if of_study as usize != ids.len() {
                return Err(AppError::invalid("insightIds", "every insight must be one of the same study"));
            }
            ids
        }
        (None, Some((_, ids))) => ids.to_vec(),
        (None, None) => vec![],
    };
    active.title = Set(title);
    active.description = Set(description);
    active.priority = Set(priority);
    Ok(insights)
}

/// Records an improvement idea of a study.
pub async fn create(db: &DatabaseConnection, actor: &Actor, study_id: i64, input: IdeaInput) -> AppResult<idea::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    study::require_editable(&txn, actor, study_id).await?;
    let ts = now();
    let mut active = idea::ActiveModel {
        id: NotSet,
        study_id: Set(study_id),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    let insights = apply(&txn, study_id, None, &input, &mut active).await?;
    let model = idea::Entity::insert(active).exec_with_returning(&txn).await?;
    replace_linked!(&txn, idea_insight, IdeaId, model.id, InsightId, insights.clone());
    let after = snapshot(&model, &insights);
    history::record(&txn, actor, Change::created(RecordKind::Idea, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

/// Changes an idea.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: IdeaInput,
) -> AppResult<idea::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let found = idea::Entity::find_by_id(id).filter(visible_to(actor)).one(&txn).await?;
    let Some(current) = found else { return Err(AppError::NotFound("idea".into())) };
    study::require_editable(&txn, actor, current.study_id).await?;
    check_version("idea", expected_version, current.version)?;
    let cur_insights = linked_ids!(&txn, idea_insight, IdeaId, id, InsightId);
    let mut active: idea::ActiveModel = current.clone().into();
    let insights = apply(&txn, current.study_id, Some((&current, &cur_insights)), &input, &mut active).await?;
    let model = save_versioned::<idea::Entity, _>(&txn, active, id, current.version).await?;
    replace_linked!(&txn, idea_insight, IdeaId, id, InsightId, insights.clone());
    let (before, after) = (snapshot(&current, &cur_insights), snapshot(&model, &insights));
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::Idea, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

// ---- adoptions ---------------------------------------------------------------------------------

/// A library's adoption of an idea; on update, absent means "leave as is".
#[derive(Debug, Clone, Default)]
pub struct AdoptionInput {
    pub status: Option<AdoptionStatus>,
    pub started_on: Patch<NaiveDate>,
    pub completed_on: Patch<NaiveDate>,
    pub effect_note: Patch<String>,
    pub proposition_id: Patch<i64>,
}

/// Only a library's own editors record its adoptions (maintainers may correct any).
fn require_adopter(actor: &Actor, organisation_id: i64) -> AppResult<()> {
    require_signed_in(actor)?;
    let own = actor.role == Some(Role::LibraryEditor) && actor.organisation_id() == Some(organisation_id);
    if own || actor.is_maintainer() {
        Ok(())
    } else {
        Err(AppError::Forbidden("a library records its own adoptions".into()))
    }
}

async fn apply_adoption<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
    cur: Option<&adoption::Model>,
    input: &AdoptionInput,
    active: &mut adoption::ActiveModel,
) -> AppResult<()> {
    let status = input.status.or(cur.map(|c| c.status)).unwrap_or(AdoptionStatus::Planned);
    let pick = |given: &Patch<NaiveDate>, old: Option<NaiveDate>| match given {
        None => old,
        Some(v) => *v,
    };
    let started_on = pick(&input.started_on, cur.and_then(|c| c.started_on));
    let completed_on = pick(&input.completed_on, cur.and_then(|c| c.completed_on));
    if let (Some(s), Some(c)) = (started_on, completed_on)
        && c < s
    {
        return Err(AppError::invalid("completedOn", "must not be before startedOn"));
    }
    if completed_on.is_some() && !matches!(status, AdoptionStatus::Done | AdoptionStatus::Dropped) {
        return Err(AppError::invalid("completedOn", "is set only when the adoption is DONE or DROPPED"));
    }
    let effect_note = match &input.effect_note {
        None => cur.and_then(|c| c.effect_note.clone()),
        Some(v) => validate::optional("effectNote", v.as_deref(), 5000)?,
    };
    let proposition_id = match &input.proposition_id {
        None => cur.and_then(|c| c.proposition_id),
        Some(None) => None,
        Some(Some(id)) => {
            let own = proposition::Entity::find_by_id(*id)
                .filter(proposition::Column::OrganisationId.eq(organisation_id))
                .count(db)
                .await?;
            if own == 0 {
                return Err(AppError::invalid("propositionId", "must be a proposition of the adopting library"));
            }
            Some(*id)
        }
    };
    active.status = Set(status);
    active.started_on = Set(started_on);
    active.completed_on = Set(completed_on);
    active.effect_note = Set(effect_note);
    active.proposition_id = Set(proposition_id);
    Ok(())
}

async fn log_adoption<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: ChangeAction,
    before: Option<&adoption::Model>,
    after: &adoption::Model,
) -> AppResult<()> {
    let (b, a) = (before.map(history::snapshot), history::snapshot(after));
    history::record(
        db,
        actor,
        Change {
            kind: RecordKind::Adoption,
            id: after.id,
            action,
            version: after.version,
            before: b.as_ref(),
            after: Some(&a),
        },
    )
    .await
}

/// Records that a library took up an idea it can see. A library adopts an idea once; a second
/// record is a `CONFLICT` (update the first instead).
pub async fn adopt(
    db: &DatabaseConnection,
    actor: &Actor,
    idea_id: i64,
    organisation_id: i64,
    input: AdoptionInput,
) -> AppResult<adoption::Model> {
    require_adopter(actor, organisation_id)?;
    let txn = crate::kernel::begin_write(db).await?;
    if idea::Entity::find_by_id(idea_id).filter(visible_to(actor)).count(&txn).await? == 0 {
        return Err(AppError::NotFound("idea".into()));
    }
    let org = organisation::Entity::find_by_id(organisation_id).one(&txn).await?;
    match org {
        Some(o) if o.kind == OrganisationKind::Library => {}
        Some(_) => return Err(AppError::invalid("organisationId", "only libraries adopt ideas")),
        None => return Err(AppError::NotFound("organisation".into())),
    }
    let existing = adoption::Entity::find()
        .filter(adoption::Column::IdeaId.eq(idea_id))
        .filter(adoption::Column::OrganisationId.eq(organisation_id))
        .count(&txn)
        .await?;
    if existing > 0 {
        return Err(AppError::Conflict("this library already adopted the idea; update that adoption".into()));
    }
    let ts = now();
    let mut active = adoption::ActiveModel {
        id: NotSet,
        idea_id: Set(idea_id),
        organisation_id: Set(organisation_id),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    apply_adoption(&txn, organisation_id, None, &input, &mut active).await?;
    let model = adoption::Entity::insert(active).exec_with_returning(&txn).await?;
    log_adoption(&txn, actor, ChangeAction::Create, None, &model).await?;
    txn.commit().await?;
    Ok(model)
}

/// Changes an adoption: its status, dates, effect or proposition.
pub async fn update_adoption(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: AdoptionInput,
) -> AppResult<adoption::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let found = adoption::Entity::find_by_id(id).filter(adoption_visible_to(actor)).one(&txn).await?;
    let Some(current) = found else { return Err(AppError::NotFound("adoption".into())) };
    require_adopter(actor, current.organisation_id)?;
    check_version("adoption", expected_version, current.version)?;
    let mut active: adoption::ActiveModel = current.clone().into();
    apply_adoption(&txn, current.organisation_id, Some(&current), &input, &mut active).await?;
    let model = save_versioned::<adoption::Entity, _>(&txn, active, id, current.version).await?;
    log_adoption(&txn, actor, ChangeAction::Update, Some(&current), &model).await?;
    txn.commit().await?;
    Ok(model)
}

/// The visible ideas matching a condition, in the order they were recorded (for loaders).
pub async fn ideas_where<C: ConnectionTrait>(db: &C, actor: &Actor, cond: Condition) -> AppResult<Vec<idea::Model>> {
    use sea_orm::QueryOrder;
    Ok(idea::Entity::find().filter(cond).filter(visible_to(actor)).order_by_asc(idea::Column::Id).all(db).await?)
}

type KeyOf = fn(&idea::Model) -> (SortValue, i64);

fn keyset() -> Keyset<idea::Entity, KeyOf> {
    Keyset { sort: None, id: idea::Column::Id, descending: false, key_of: |m| (SortValue::Int(m.id), m.id) }
}

/// One page of ideas per parent, in one statement, for nested lists under many parents.
pub async fn list_scoped(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: KnowledgeParent,
    parent_ids: &[i64],
    filters: &[IdeaFilter],
    args: &PageArgs,
) -> AppResult<std::collections::HashMap<i64, Page<idea::Model>>> {
    let select = select(db, actor, filters).await?;
    let scope = scope::ideas(db, actor, parent, parent_ids).await?;
    keyset().fetch_scoped(db, select, scope, args).await
}

/// How many ideas each parent has that the actor may see and that match.
pub async fn count_scoped(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: KnowledgeParent,
    parent_ids: &[i64],
    filters: &[IdeaFilter],
) -> AppResult<std::collections::HashMap<i64, u64>> {
    let select = select(db, actor, filters).await?;
    let scope = scope::ideas(db, actor, parent, parent_ids).await?;
    crate::kernel::page::count_scoped(db, select, idea::Column::Id, scope).await
}
