//! Links between knowledge (a study or one of its insights) and offerings (a proposition or a
//! standard proposition), and the evidence behind a proposition that they add up to.

use entity::enums::LinkRelation;
use entity::{adoption, idea, idea_insight, knowledge_link, proposition};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

use crate::identity::{Actor, Role};

use crate::common_model::standard_proposition_ids;
use crate::error::{AppError, AppResult};
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::{Patch, check_version, history, now, require_signed_in, save_versioned, validate};
use crate::knowledge::idea as idea_service;
use crate::knowledge::{insight, study};
use crate::registry::proposition as prop_service;

/// Links whose knowledge the actor may see, and whose proposition (if any) too.
pub fn visible_to(actor: &Actor) -> Condition {
    Condition::all().add(knowledge_link::Column::StudyId.in_subquery(study::visible_ids(actor))).add(
        Condition::any().add(knowledge_link::Column::PropositionId.is_null()).add(
            knowledge_link::Column::PropositionId.in_subquery(
                proposition::Entity::find()
                    .select_only()
                    .column(proposition::Column::Id)
                    .filter(prop_service::visible_to(actor))
                    .into_query(),
            ),
        ),
    )
}

/// The visible links matching a condition, oldest first.
pub async fn links_where<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    cond: Condition,
) -> AppResult<Vec<knowledge_link::Model>> {
    Ok(knowledge_link::Entity::find()
        .filter(cond)
        .filter(visible_to(actor))
        .order_by_asc(knowledge_link::Column::Id)
        .all(db)
        .await?)
}

/// Links by id that the actor may see.
pub async fn visible_by_ids<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
) -> AppResult<Vec<knowledge_link::Model>> {
    links_where(db, actor, Condition::all().add(knowledge_link::Column::Id.is_in(ids.to_vec()))).await
}

/// What the network knows behind one proposition.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The links to the proposition itself.
    pub links: Vec<knowledge_link::Model>,
    /// The studies behind it: linked themselves, or through one of their insights.
    pub study_ids: Vec<i64>,
    /// The insights linked to it, and the insights of the studies linked to it.
    pub insight_ids: Vec<i64>,
    /// Adoptions recorded for it, and adoptions by its library of ideas answering those insights.
    pub adoptions: Vec<adoption::Model>,
}

/// The evidence behind each of several propositions the actor may see, in a fixed number of statements.
pub async fn evidence_for<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    propositions: &[proposition::Model],
) -> AppResult<Vec<(i64, Evidence)>> {
    let ids: Vec<i64> = propositions.iter().map(|p| p.id).collect();
    // The propositions are visible already (they are the caller's), so only the studies are checked.
    let links = knowledge_link::Entity::find()
        .filter(knowledge_link::Column::PropositionId.is_in(ids.clone()))
        .filter(knowledge_link::Column::StudyId.in_subquery(study::visible_ids(actor)))
        .order_by_asc(knowledge_link::Column::Id)
        .all(db)
        .await?;
    let linked_studies: Vec<i64> = links.iter().filter(|l| l.insight_id.is_none()).map(|l| l.study_id).collect();
    // Insights of studies linked as a whole belong to the evidence too.
    let study_insights: Vec<(i64, i64)> = if linked_studies.is_empty() {
        vec![]
    } else {
        entity::insight::Entity::find()
            .select_only()
            .column(entity::insight::Column::StudyId)
            .column(entity::insight::Column::Id)
            .filter(entity::insight::Column::StudyId.is_in(linked_studies))
            .filter(insight::visible_to(actor))
            .into_tuple()
            .all(db)
            .await?
    };
    let mut per: Vec<(i64, Evidence)> = ids.iter().map(|id| (*id, Evidence::default())).collect();
    for (pid, ev) in per.iter_mut() {
        for l in links.iter().filter(|l| l.proposition_id == Some(*pid)) {
            ev.study_ids.push(l.study_id);
            match l.insight_id {
                Some(i) => ev.insight_ids.push(i),
                None => ev.insight_ids.extend(study_insights.iter().filter(|(s, _)| *s == l.study_id).map(|(_, i)| *i)),
            }
            ev.links.push(l.clone());
        }
        ev.study_ids.sort_unstable();
        ev.study_ids.dedup();
        ev.insight_ids.sort_unstable();
        ev.insight_ids.dedup();
    }
    let all_insights: Vec<i64> = per.iter().flat_map(|(_, e)| e.insight_ids.iter().copied()).collect();
    let answering: Vec<(i64, i64)> = if all_insights.is_empty() {
        vec![]
    } else {
        idea_insight::Entity::find()
            .select_only()
            .column(idea_insight::Column::IdeaId)
            .column(idea_insight::Column::InsightId)
            .filter(idea_insight::Column::InsightId.is_in(all_insights))
            .into_tuple()
            .all(db)
            .await?
    };
    let owners: Vec<i64> = propositions.iter().map(|p| p.organisation_id).collect();
    let idea_ids: Vec<i64> = answering.iter().map(|(i, _)| *i).collect();
    let adoptions = idea_service::adoptions_where(
        db,
        actor,
        Condition::any().add(adoption::Column::PropositionId.is_in(ids.clone())).add(
            Condition::all()
                .add(adoption::Column::IdeaId.is_in(idea_ids))
                .add(adoption::Column::OrganisationId.is_in(owners)),
        ),
    )
    .await?;
    for (pid, ev) in per.iter_mut() {
        let owner = propositions.iter().find(|p| p.id == *pid).map(|p| p.organisation_id);
        let ideas: Vec<i64> =
            answering.iter().filter(|(_, ins)| ev.insight_ids.contains(ins)).map(|(idea, _)| *idea).collect();
        ev.adoptions = adoptions
            .iter()
            .filter(|a| {
                a.proposition_id == Some(*pid) || (Some(a.organisation_id) == owner && ideas.contains(&a.idea_id))
            })
            .cloned()
            .collect();
    }
    Ok(per)
}

/// The ideas answering an insight, for lists of insights.
pub async fn ideas_of_insights<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    insight_ids: &[i64],
) -> AppResult<Vec<(i64, idea::Model)>> {
    let pairs: Vec<(i64, i64)> = idea_insight::Entity::find()
        .select_only()
        .column(idea_insight::Column::InsightId)
        .column(idea_insight::Column::IdeaId)
        .filter(idea_insight::Column::InsightId.is_in(insight_ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let ideas = idea_service::visible_by_ids(db, actor, &pairs.iter().map(|(_, i)| *i).collect::<Vec<_>>()).await?;
    Ok(pairs.into_iter().filter_map(|(ins, id)| ideas.iter().find(|i| i.id == id).map(|i| (ins, i.clone()))).collect())
}

// ---- writing -----------------------------------------------------------------------------------

/// What a link connects.
#[derive(Debug, Clone)]
pub enum Source {
    Study(i64),
    Insight(i64),
}

/// What a link points at.
#[derive(Debug, Clone)]
pub enum Target {
    Proposition(i64),
    StandardProposition(String),
}

/// A new link.
#[derive(Debug, Clone)]
pub struct LinkInput {
    pub source: Source,
    pub target: Target,
    pub relation: LinkRelation,
    pub note: Option<String>,
}

/// May the actor link this study to this target (or unlink it)? The owner of a proposition links
/// knowledge it can see to it; the organisations named on a study link it to anything they can see.
async fn require_linker<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    study_id: i64,
    proposition_owner: Option<i64>,
) -> AppResult<()> {
    require_signed_in(actor)?;
    let owner_editor = proposition_owner.is_some()
        && actor.role == Some(Role::LibraryEditor)
        && actor.organisation_id() == proposition_owner;
    if owner_editor {
        return Ok(());
    }
    study::require_editable(db, actor, study_id).await.map(|_| ()).map_err(|e| match e {
        AppError::Forbidden(_) => AppError::Forbidden(
            "links are made by the proposition's library or by the organisations named on the study".into(),
        ),
        other => other,
    })
}

/// The unique key of a link, e.g. `I12>P34:EVIDENCE_FOR` or `S5>S3:IMPROVES` (the generator
/// writes links with the same key).
pub fn link_key(study_id: i64, insight_id: Option<i64>, target: (&str, i64), relation: LinkRelation) -> String {
    let source = match insight_id {
        Some(i) => format!("I{i}"),
        None => format!("S{study_id}"),
    };
    format!("{source}>{}{}:{}", target.0, target.1, sea_orm::ActiveEnum::to_value(&relation))
}

async fn log<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: ChangeAction,
    before: Option<&knowledge_link::Model>,
    after: Option<&knowledge_link::Model>,
) -> AppResult<()> {
    let (b, a) = (before.map(history::snapshot), after.map(history::snapshot));
    let subject = after.or(before).expect("a change has a record");
    history::record(
        db,
        actor,
        Change {
            kind: RecordKind::KnowledgeLink,
            id: subject.id,
            action,
            version: subject.version,
            before: b.as_ref(),
            after: a.as_ref(),
        },
    )
    .await
}

/// Links a study or insight to a proposition or standard proposition. The same link twice is a
/// `CONFLICT`.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: LinkInput) -> AppResult<knowledge_link::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let (study_id, insight_id) = match input.source {
        Source::Study(id) => match study::get(&txn, actor, id).await? {
            Some(s) => (s.id, None),
            None => return Err(AppError::NotFound("study".into())),
        },
        Source::Insight(id) => match insight::visible_by_ids(&txn, actor, &[id]).await?.pop() {
            Some(i) => (i.study_id, Some(i.id)),
            None => return Err(AppError::NotFound("insight".into())),
        },
    };
    let (proposition_id, standard_id, owner) = match &input.target {
        Target::Proposition(id) => match prop_service::get(&txn, actor, *id).await? {
            Some(p) => (Some(p.id), None, Some(p.organisation_id)),
            None => return Err(AppError::NotFound("proposition".into())),
        },
        Target::StandardProposition(code) => {
            let id =
                standard_proposition_ids(&txn, "target.standardPropositionCode", std::slice::from_ref(code)).await?[0];
            (None, Some(id), None)
        }
    };
    require_linker(&txn, actor, study_id, owner).await?;
    let note = validate::optional("note", input.note.as_deref(), 2000)?;
    let target = match (proposition_id, standard_id) {
        (Some(p), _) => ("P", p),
        (None, Some(s)) => ("S", s),
        (None, None) => unreachable!("a link always has a target"),
    };
    let key = link_key(study_id, insight_id, target, input.relation);
    if knowledge_link::Entity::find().filter(knowledge_link::Column::LinkKey.eq(&key)).one(&txn).await?.is_some() {
        return Err(AppError::Conflict("this link already exists".into()));
    }
    let ts = now();
    let model = knowledge_link::Entity::insert(knowledge_link::ActiveModel {
        id: NotSet,
        study_id: Set(study_id),
        insight_id: Set(insight_id),
        proposition_id: Set(proposition_id),
        standard_proposition_id: Set(standard_id),
        relation: Set(input.relation),
        note: Set(note),
        link_key: Set(key),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
    })
    .exec_with_returning(&txn)
    .await?;
    log(&txn, actor, ChangeAction::Create, None, Some(&model)).await?;
    txn.commit().await?;
    Ok(model)
}

async fn for_write<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    expected_version: i32,
) -> AppResult<knowledge_link::Model> {
    require_signed_in(actor)?;
    let Some(current) = visible_by_ids(db, actor, &[id]).await?.pop() else {
        return Err(AppError::NotFound("link".into()));
    };
    let owner = match current.proposition_id {
        Some(p) => prop_service::get(db, actor, p).await?.map(|p| p.organisation_id),
        None => None,
    };
    require_linker(db, actor, current.study_id, owner).await?;
    check_version("link", expected_version, current.version)?;
    Ok(current)
}

/// Changes a link's relation or note.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    relation: Option<LinkRelation>,
    note: Patch<String>,
) -> AppResult<knowledge_link::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = for_write(&txn, actor, id, expected_version).await?;
    let mut active: knowledge_link::ActiveModel = current.clone().into();
    if let Some(r) = relation {
        let target = match (current.proposition_id, current.standard_proposition_id) {
            (Some(p), _) => ("P", p),
            (None, Some(s)) => ("S", s),
            (None, None) => return Err(AppError::internal("a link without a target")),
        };
        let key = link_key(current.study_id, current.insight_id, target, r);
        if key != current.link_key
            && knowledge_link::Entity::find()
                .filter(knowledge_link::Column::LinkKey.eq(&key))
                .one(&txn)
                .await?
                .is_some()
        {
            return Err(AppError::Conflict("an identical link already exists".into()));
        }
        active.relation = Set(r);
        active.link_key = Set(key);
    }
    if let Some(n) = &note {
        active.note = Set(validate::optional("note", n.as_deref(), 2000)?);
    }
    let model = save_versioned::<knowledge_link::Entity, _>(&txn, active, id, current.version).await?;
    log(&txn, actor, ChangeAction::Update, Some(&current), Some(&model)).await?;
    txn.commit().await?;
    Ok(model)
}

/// Removes a link; its history stays.
pub async fn remove(db: &DatabaseConnection, actor: &Actor, id: i64, expected_version: i32) -> AppResult<()> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = for_write(&txn, actor, id, expected_version).await?;
    knowledge_link::Entity::delete_by_id(id).exec(&txn).await?;
    log(&txn, actor, ChangeAction::Delete, Some(&current), None).await?;
    txn.commit().await?;
    Ok(())
}
