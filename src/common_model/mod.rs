//! The common model kept by network maintainers: core functions, societal tasks, target groups
//! and standard propositions.

pub mod graphql;
pub mod loaders;
pub mod region;

use std::collections::{HashMap, HashSet};

use entity::enums::StandardStatus;
use entity::{
    core_function, proposition, societal_task, standard_proposition, standard_proposition_societal_task as sp_task,
    standard_proposition_target_group as sp_group, target_group,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::{Patch, check_version, dedup, history, now, require_maintainer, save_versioned, validate};

/// Dutch and English names and descriptions, as sent by a maintainer.
#[derive(Debug, Clone, Default)]
pub struct LabelsInput {
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
}

struct Labels {
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
}

fn labels(input: &LabelsInput, current: Option<&Labels>) -> AppResult<Labels> {
    let pick = |field: &str, v: &Option<String>, cur: Option<&String>, req: bool, max| -> AppResult<String> {
        match (v, cur) {
            (Some(v), _) if req => validate::required(field, v, max),
            (Some(v), _) => validate::text(field, v, max),
            (None, Some(c)) => Ok(c.clone()),
            (None, None) if req => Err(AppError::invalid(field, "is required")),
            (None, None) => Ok(String::new()),
        }
    };
    Ok(Labels {
        name_nl: pick("nameNl", &input.name_nl, current.map(|c| &c.name_nl), true, 200)?,
        name_en: pick("nameEn", &input.name_en, current.map(|c| &c.name_en), true, 200)?,
        description_nl: pick("descriptionNl", &input.description_nl, current.map(|c| &c.description_nl), false, 5000)?,
        description_en: pick("descriptionEn", &input.description_en, current.map(|c| &c.description_en), false, 5000)?,
    })
}

// ---- reads -------------------------------------------------------------------------------------

/// All core functions, in the law's order.
pub async fn core_functions(db: &DatabaseConnection) -> AppResult<Vec<core_function::Model>> {
    Ok(core_function::Entity::find()
        .order_by_asc(core_function::Column::Position)
        .order_by_asc(core_function::Column::Id)
        .all(db)
        .await?)
}

/// All societal tasks, in the network agreement's order.
pub async fn societal_tasks(db: &DatabaseConnection) -> AppResult<Vec<societal_task::Model>> {
    Ok(societal_task::Entity::find()
        .order_by_asc(societal_task::Column::Position)
        .order_by_asc(societal_task::Column::Id)
        .all(db)
        .await?)
}

/// All target groups as a tree walked depth-first: each broader group directly before its narrower
/// ones, siblings by position and age of the record.
pub async fn target_groups(db: &DatabaseConnection) -> AppResult<Vec<target_group::Model>> {
    let all = target_group::Entity::find()
        .order_by_asc(target_group::Column::Position)
        .order_by_asc(target_group::Column::Id)
        .all(db)
        .await?;
    let mut children: HashMap<Option<i64>, Vec<target_group::Model>> = HashMap::new();
    for g in all {
        children.entry(g.parent_id).or_default().push(g);
    }
    let mut ordered = Vec::new();
    let mut stack: Vec<target_group::Model> = children.remove(&None).unwrap_or_default().into_iter().rev().collect();
    while let Some(g) = stack.pop() {
        if let Some(kids) = children.remove(&Some(g.id)) {
            stack.extend(kids.into_iter().rev());
        }
        ordered.push(g);
    }
    Ok(ordered)
}

/// Which standard propositions to list.
#[derive(Debug, Clone, Default)]
pub struct StandardFilter {
    pub status: Option<StandardStatus>,
    pub core_function_codes: Vec<String>,
    pub societal_task_codes: Vec<String>,
    pub target_group_codes: Vec<String>,
}

/// The standard propositions matching a filter, by code.
pub async fn standard_propositions(
    db: &DatabaseConnection,
    filter: &StandardFilter,
) -> AppResult<Vec<standard_proposition::Model>> {
    let mut select = standard_proposition::Entity::find();
    if let Some(status) = filter.status {
        select = select.filter(standard_proposition::Column::Status.eq(status));
    }
    if !filter.core_function_codes.is_empty() {
        let ids = core_function_ids(db, "filter.coreFunctions", &filter.core_function_codes).await?;
        select = select.filter(standard_proposition::Column::CoreFunctionId.is_in(ids));
    }
    if !filter.societal_task_codes.is_empty() {
        let ids = societal_task_ids(db, "filter.societalTasks", &filter.societal_task_codes).await?;
        select = select.filter(
            standard_proposition::Column::Id.in_subquery(
                sp_task::Entity::find()
                    .select_only()
                    .column(sp_task::Column::StandardPropositionId)
                    .filter(sp_task::Column::SocietalTaskId.is_in(ids))
                    .into_query(),
            ),
        );
    }
    if !filter.target_group_codes.is_empty() {
        let ids = target_group_ids_with_descendants(db, "filter.targetGroups", &filter.target_group_codes).await?;
        select = select.filter(
            standard_proposition::Column::Id.in_subquery(
                sp_group::Entity::find()
                    .select_only()
                    .column(sp_group::Column::StandardPropositionId)
                    .filter(sp_group::Column::TargetGroupId.is_in(ids))
                    .into_query(),
            ),
        );
    }
    Ok(select.order_by_asc(standard_proposition::Column::Code).all(db).await?)
}

/// One standard proposition by its code.
pub async fn standard_proposition_by_code(
    db: &DatabaseConnection,
    code: &str,
) -> AppResult<standard_proposition::Model> {
    standard_proposition::Entity::find()
        .filter(standard_proposition::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("standard proposition {code}")))
}

/// One target group by its code.
pub async fn target_group_by_code(db: &DatabaseConnection, code: &str) -> AppResult<target_group::Model> {
    target_group::Entity::find()
        .filter(target_group::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("target group {code}")))
}

// ---- code resolution, shared with other services -----------------------------------------------

macro_rules! resolve_codes {
    ($name:ident, $entity:ident, $what:literal) => {
        /// Resolves codes to ids; an unknown code is a user error naming the field.
        pub async fn $name<C: ConnectionTrait>(db: &C, field: &str, codes: &[String]) -> AppResult<Vec<i64>> {
            let wanted: HashSet<String> = codes.iter().map(|c| c.trim().to_uppercase()).collect();
            let found: Vec<(i64, String)> = $entity::Entity::find()
                .select_only()
                .column($entity::Column::Id)
                .column($entity::Column::Code)
                .filter($entity::Column::Code.is_in(wanted.iter().cloned()))
                .into_tuple()
                .all(db)
                .await?;
            if found.len() != wanted.len() {
                let known: HashSet<&String> = found.iter().map(|(_, c)| c).collect();
                let mut unknown: Vec<&String> = wanted.iter().filter(|c| !known.contains(c)).collect();
                unknown.sort();
                return Err(AppError::invalid(
                    field,
                    format!(
                        "unknown {} code(s): {}",
                        $what,
                        unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            Ok(found.into_iter().map(|(id, _)| id).collect())
        }
    };
}

resolve_codes!(core_function_ids, core_function, "core function");
resolve_codes!(societal_task_ids, societal_task, "societal task");
resolve_codes!(target_group_ids, target_group, "target group");
resolve_codes!(standard_proposition_ids, standard_proposition, "standard proposition");

/// Resolves target group codes to ids, adding every descendant (asking for seniors finds less
/// self-reliant seniors too).
pub async fn target_group_ids_with_descendants<C: ConnectionTrait>(
    db: &C,
    field: &str,
    codes: &[String],
) -> AppResult<Vec<i64>> {
    let roots = target_group_ids(db, field, codes).await?;
    let all: Vec<(i64, Option<i64>)> = target_group::Entity::find()
        .select_only()
        .column(target_group::Column::Id)
        .column(target_group::Column::ParentId)
        .into_tuple()
        .all(db)
        .await?;
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, parent) in all {
        if let Some(p) = parent {
            children.entry(p).or_default().push(id);
        }
    }
    let mut result: HashSet<i64> = HashSet::new();
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if result.insert(id) {
            stack.extend(children.get(&id).into_iter().flatten().copied());
        }
    }
    Ok(result.into_iter().collect())
}

// ---- writes (maintainers) ----------------------------------------------------------------------

/// A new or changed standard proposition.
#[derive(Debug, Clone, Default)]
pub struct StandardInput {
    pub code: Option<String>,
    pub labels: LabelsInput,
    pub core_function_code: Option<String>,
    pub societal_task_codes: Option<Vec<String>>,
    pub target_group_codes: Option<Vec<String>>,
}

/// What a standard proposition looks like in the change log, links included.
async fn standard_snapshot<C: ConnectionTrait>(
    db: &C,
    m: &standard_proposition::Model,
) -> AppResult<serde_json::Value> {
    let (tasks, groups) = standard_links(db, m.id).await?;
    let mut v = history::snapshot(m);
    v["societalTaskIds"] = json!(tasks);
    v["targetGroupIds"] = json!(groups);
    Ok(v)
}

async fn standard_links<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let tasks = linked_ids!(db, sp_task, StandardPropositionId, id, SocietalTaskId);
    let groups = linked_ids!(db, sp_group, StandardPropositionId, id, TargetGroupId);
    Ok((tasks, groups))
}

async fn set_standard_links<C: ConnectionTrait>(
    db: &C,
    id: i64,
    tasks: Option<Vec<i64>>,
    groups: Option<Vec<i64>>,
) -> AppResult<()> {
    if let Some(tasks) = tasks {
        replace_linked!(db, sp_task, StandardPropositionId, id, SocietalTaskId, dedup(tasks));
    }
    if let Some(groups) = groups {
        replace_linked!(db, sp_group, StandardPropositionId, id, TargetGroupId, dedup(groups));
    }
    Ok(())
}

/// Adds a standard proposition to the common model.
pub async fn create_standard(
    db: &DatabaseConnection,
    actor: &Actor,
    input: StandardInput,
) -> AppResult<standard_proposition::Model> {
    require_maintainer(actor)?;
    let code = validate::code("code", input.code.as_deref().unwrap_or_default())?;
    let l = labels(&input.labels, None)?;
    let txn = crate::kernel::begin_write(db).await?;
    if standard_proposition::Entity::find().filter(standard_proposition::Column::Code.eq(&code)).count(&txn).await? > 0
    {
        return Err(AppError::Conflict(format!("a standard proposition with code {code} already exists")));
    }
    let core_code =
        input.core_function_code.clone().ok_or_else(|| AppError::invalid("coreFunctionCode", "is required"))?;
    let core = core_function_ids(&txn, "coreFunctionCode", &[core_code]).await?[0];
    let tasks =
        societal_task_ids(&txn, "societalTaskCodes", input.societal_task_codes.as_deref().unwrap_or_default()).await?;
    let groups =
        target_group_ids(&txn, "targetGroupCodes", input.target_group_codes.as_deref().unwrap_or_default()).await?;
    let ts = now();
    let model = standard_proposition::Entity::insert(standard_proposition::ActiveModel {
        id: NotSet,
        code: Set(code),
        name_nl: Set(l.name_nl),
        name_en: Set(l.name_en),
        description_nl: Set(l.description_nl),
        description_en: Set(l.description_en),
        core_function_id: Set(core),
        status: Set(StandardStatus::Active),
        retired_at: Set(None),
        retirement_note: Set(None),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
    })
    .exec_with_returning(&txn)
    .await?;
    set_standard_links(&txn, model.id, Some(tasks), Some(groups)).await?;
    let after = standard_snapshot(&txn, &model).await?;
    history::record(&txn, actor, Change::created(RecordKind::StandardProposition, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

/// Changes a standard proposition's labels, core function, societal tasks or target groups.
pub async fn update_standard(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: StandardInput,
) -> AppResult<standard_proposition::Model> {
    require_maintainer(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current = standard_proposition::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("standard proposition".into()))?;
    check_version("standard proposition", expected_version, current.version)?;
    if input.code.is_some() {
        return Err(AppError::invalid("code", "a standard proposition's code is stable and cannot change"));
    }
    let cur_labels = Labels {
        name_nl: current.name_nl.clone(),
        name_en: current.name_en.clone(),
        description_nl: current.description_nl.clone(),
        description_en: current.description_en.clone(),
    };
    let l = labels(&input.labels, Some(&cur_labels))?;
    let core = match input.core_function_code.as_deref() {
        Some(code) => core_function_ids(&txn, "coreFunctionCode", &[code.to_string()]).await?[0],
        None => current.core_function_id,
    };
    let tasks = match &input.societal_task_codes {
        Some(codes) => Some(societal_task_ids(&txn, "societalTaskCodes", codes).await?),
        None => None,
    };
    let groups = match &input.target_group_codes {
        Some(codes) => Some(target_group_ids(&txn, "targetGroupCodes", codes).await?),
        None => None,
    };
    let before = standard_snapshot(&txn, &current).await?;
    let mut active: standard_proposition::ActiveModel = current.clone().into();
    active.name_nl = Set(l.name_nl);
    active.name_en = Set(l.name_en);
    active.description_nl = Set(l.description_nl);
    active.description_en = Set(l.description_en);
    active.core_function_id = Set(core);
    let model = bump_standard(&txn, active, current.version).await?;
    set_standard_links(&txn, id, tasks, groups).await?;
    let after = standard_snapshot(&txn, &model).await?;
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::StandardProposition, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

async fn bump_standard<C: ConnectionTrait>(
    db: &C,
    active: standard_proposition::ActiveModel,
    version: i32,
) -> AppResult<standard_proposition::Model> {
    let id = *active.id.as_ref();
    save_versioned::<standard_proposition::Entity, _>(db, active, id, version).await
}

/// Retires a standard proposition; propositions mapped to it keep their mapping. Returns the
/// retired record and how many propositions still map to it.
pub async fn retire_standard(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    note: Option<String>,
) -> AppResult<(standard_proposition::Model, u64)> {
    require_maintainer(actor)?;
    let note = validate::optional("note", note.as_deref(), 2000)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current = standard_proposition::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("standard proposition".into()))?;
    check_version("standard proposition", expected_version, current.version)?;
    if current.status == StandardStatus::Retired {
        return Err(AppError::Conflict(format!("standard proposition {} is already retired", current.code)));
    }
    let before = standard_snapshot(&txn, &current).await?;
    let mut active: standard_proposition::ActiveModel = current.clone().into();
    active.status = Set(StandardStatus::Retired);
    active.retired_at = Set(Some(now()));
    active.retirement_note = Set(note);
    let model = bump_standard(&txn, active, current.version).await?;
    let after = standard_snapshot(&txn, &model).await?;
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::StandardProposition, id, ChangeAction::Retire, model.version, &before, &after),
    )
    .await?;
    let still_mapped =
        proposition::Entity::find().filter(proposition::Column::StandardPropositionId.eq(id)).count(&txn).await?;
    txn.commit().await?;
    Ok((model, still_mapped))
}

/// A new or changed target group.
#[derive(Debug, Clone, Default)]
pub struct TargetGroupInput {
    pub code: Option<String>,
    pub labels: LabelsInput,
    pub parent_code: Patch<String>,
    pub min_age: Patch<i32>,
    pub max_age: Patch<i32>,
}

fn check_ages(min: Option<i32>, max: Option<i32>) -> AppResult<()> {
    for (field, v) in [("minAge", min), ("maxAge", max)] {
        if let Some(v) = v
            && !(0..=120).contains(&v)
        {
            return Err(AppError::invalid(field, "must be between 0 and 120"));
        }
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(AppError::invalid("maxAge", "must not be below minAge"));
    }
    Ok(())
}

/// Adds a target group, optionally under a parent.
pub async fn create_target_group(
    db: &DatabaseConnection,
    actor: &Actor,
    input: TargetGroupInput,
) -> AppResult<target_group::Model> {
    require_maintainer(actor)?;
    let code = validate::code("code", input.code.as_deref().unwrap_or_default())?;
    let l = labels(&input.labels, None)?;
    let (min_age, max_age) = (input.min_age.flatten(), input.max_age.flatten());
    check_ages(min_age, max_age)?;
    let txn = crate::kernel::begin_write(db).await?;
    if target_group::Entity::find().filter(target_group::Column::Code.eq(&code)).count(&txn).await? > 0 {
        return Err(AppError::Conflict(format!("a target group with code {code} already exists")));
    }
    let parent = match input.parent_code.flatten() {
        Some(p) => Some(target_group_ids(&txn, "parentCode", &[p]).await?[0]),
        None => None,
    };
    let ts = now();
    let model = target_group::Entity::insert(target_group::ActiveModel {
        id: NotSet,
        code: Set(code),
        parent_id: Set(parent),
        name_nl: Set(l.name_nl),
        name_en: Set(l.name_en),
        description_nl: Set(l.description_nl),
        description_en: Set(l.description_en),
        min_age: Set(min_age),
        max_age: Set(max_age),
        position: Set(0),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
    })
    .exec_with_returning(&txn)
    .await?;
    let after = history::snapshot(&model);
    history::record(&txn, actor, Change::created(RecordKind::TargetGroup, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

/// Changes a target group's labels, parent or age range.
pub async fn update_target_group(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: TargetGroupInput,
) -> AppResult<target_group::Model> {
    require_maintainer(actor)?;
    if input.code.is_some() {
        return Err(AppError::invalid("code", "a target group's code is stable and cannot change"));
    }
    let txn = crate::kernel::begin_write(db).await?;
    let current = target_group::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("target group".into()))?;
    check_version("target group", expected_version, current.version)?;
    let cur_labels = Labels {
        name_nl: current.name_nl.clone(),
        name_en: current.name_en.clone(),
        description_nl: current.description_nl.clone(),
        description_en: current.description_en.clone(),
    };
    let l = labels(&input.labels, Some(&cur_labels))?;
    let min_age = input.min_age.unwrap_or(current.min_age);
    let max_age = input.max_age.unwrap_or(current.max_age);
    check_ages(min_age, max_age)?;
    let parent = match input.parent_code {
        None => current.parent_id,
        Some(None) => None,
        Some(Some(code)) => {
            let pid = target_group_ids(&txn, "parentCode", &[code]).await?[0];
            ensure_no_cycle(&txn, id, pid).await?;
            Some(pid)
        }
    };
    let before = history::snapshot(&current);
    let mut active: target_group::ActiveModel = current.clone().into();
    active.name_nl = Set(l.name_nl);
    active.name_en = Set(l.name_en);
    active.description_nl = Set(l.description_nl);
    active.description_en = Set(l.description_en);
    active.min_age = Set(min_age);
    active.max_age = Set(max_age);
    active.parent_id = Set(parent);
    let model = save_versioned::<target_group::Entity, _>(&txn, active, id, current.version).await?;
    let after = history::snapshot(&model);
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::TargetGroup, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

async fn ensure_no_cycle<C: ConnectionTrait>(db: &C, id: i64, new_parent: i64) -> AppResult<()> {
    let parents: HashMap<i64, Option<i64>> = target_group::Entity::find()
        .select_only()
        .column(target_group::Column::Id)
        .column(target_group::Column::ParentId)
        .into_tuple::<(i64, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut cursor = Some(new_parent);
    while let Some(c) = cursor {
        if c == id {
            return Err(AppError::invalid("parentCode", "would make the target group its own ancestor"));
        }
        cursor = parents.get(&c).copied().flatten();
    }
    Ok(())
}

/// Which vocabulary a label change applies to.
#[derive(Debug, Clone, Copy)]
pub enum Vocabulary {
    CoreFunction,
    SocietalTask,
}

/// Changes the labels of a core function or societal task; their codes and number are fixed by law
/// and agreement.
pub async fn update_vocabulary_labels(
    db: &DatabaseConnection,
    actor: &Actor,
    which: Vocabulary,
    id: i64,
    expected_version: i32,
    input: LabelsInput,
) -> AppResult<()> {
    require_maintainer(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    macro_rules! update {
        ($m:ident, $kind:expr, $what:literal) => {{
            let current =
                $m::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound($what.into()))?;
            check_version($what, expected_version, current.version)?;
            let cur = Labels {
                name_nl: current.name_nl.clone(),
                name_en: current.name_en.clone(),
                description_nl: current.description_nl.clone(),
                description_en: current.description_en.clone(),
            };
            let l = labels(&input, Some(&cur))?;
            let before = history::snapshot(&current);
            let mut active: $m::ActiveModel = current.clone().into();
            active.name_nl = Set(l.name_nl);
            active.name_en = Set(l.name_en);
            active.description_nl = Set(l.description_nl);
            active.description_en = Set(l.description_en);
            let model = save_versioned::<$m::Entity, _>(&txn, active, id, current.version).await?;
            let after = history::snapshot(&model);
            history::record(
                &txn,
                actor,
                Change::changed($kind, id, ChangeAction::Update, model.version, &before, &after),
            )
            .await?;
        }};
    }
    match which {
        Vocabulary::CoreFunction => update!(core_function, RecordKind::CoreFunction, "core function"),
        Vocabulary::SocietalTask => update!(societal_task, RecordKind::SocietalTask, "societal task"),
    }
    txn.commit().await?;
    Ok(())
}

/// How many rows each directory table holds: what the lists that name every entry of one can
/// return at most (the document limits bound those lists by it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DirectorySizes {
    pub organisations: u64,
    pub municipalities: u64,
    pub provinces: u64,
    pub standard_propositions: u64,
    pub target_groups: u64,
    pub societal_tasks: u64,
    pub core_functions: u64,
    /// Links of standard propositions to the societal tasks they contribute to.
    pub standard_proposition_tasks: u64,
    /// Standard propositions contributing to no societal task.
    pub standard_propositions_without_task: u64,
}

/// Counts the directory tables, in one statement.
pub async fn directory_sizes<C: ConnectionTrait>(db: &C) -> AppResult<DirectorySizes> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Counts {
        organisations: i64,
        municipalities: i64,
        provinces: i64,
        standard_propositions: i64,
        target_groups: i64,
        societal_tasks: i64,
        core_functions: i64,
        standard_proposition_tasks: i64,
        standard_propositions_without_task: i64,
    }
    let sql = "SELECT (SELECT COUNT(*) FROM organisation) AS organisations, \
               (SELECT COUNT(*) FROM municipality) AS municipalities, \
               (SELECT COUNT(*) FROM province) AS provinces, \
               (SELECT COUNT(*) FROM standard_proposition) AS standard_propositions, \
               (SELECT COUNT(*) FROM target_group) AS target_groups, \
               (SELECT COUNT(*) FROM societal_task) AS societal_tasks, \
               (SELECT COUNT(*) FROM core_function) AS core_functions, \
               (SELECT COUNT(*) FROM standard_proposition_societal_task) AS standard_proposition_tasks, \
               (SELECT COUNT(*) FROM standard_proposition s WHERE NOT EXISTS (SELECT 1 FROM \
                 standard_proposition_societal_task l WHERE l.standard_proposition_id = s.id)) \
                 AS standard_propositions_without_task";
    let counts = Counts::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("the directory counts returned no row"))?;
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(DirectorySizes {
        organisations: n(counts.organisations),
        municipalities: n(counts.municipalities),
        provinces: n(counts.provinces),
        standard_propositions: n(counts.standard_propositions),
        target_groups: n(counts.target_groups),
        societal_tasks: n(counts.societal_tasks),
        core_functions: n(counts.core_functions),
        standard_proposition_tasks: n(counts.standard_proposition_tasks),
        standard_propositions_without_task: n(counts.standard_propositions_without_task),
    })
}
