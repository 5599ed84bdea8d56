//! Propositions: what a library offers. Visibility, validation, versioning and publication rules.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::{Channel, CostKind, Lifecycle, OrganisationKind, PublicationState, StandardStatus};
use entity::{
    branch, municipality, organisation, organisation_municipality as org_gm, proposition, proposition_branch,
    proposition_partner, proposition_target_group, standard_proposition, standard_proposition_societal_task as sp_task,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, QueryTrait,
};
use serde_json::json;

use crate::common_model::region::{municipality_ids, province_by_code};
use crate::common_model::{
    core_function_ids, societal_task_ids, standard_proposition_ids, target_group_ids, target_group_ids_with_descendants,
};
use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::{Patch, check_version, dedup, history, now, require_signed_in, save_versioned, validate};
use crate::registry::organisation as org_service;

// ---- visibility --------------------------------------------------------------------------------

/// Published propositions are public; a library's editors also see its drafts and archive, and a
/// support organisation sees those of the libraries it supports.
pub fn visible_to(actor: &Actor) -> Condition {
    let mut cond = Condition::any().add(proposition::Column::PublicationState.eq(PublicationState::Published));
    if let Some(library) = actor.edited_library() {
        cond = cond.add(proposition::Column::OrganisationId.eq(library));
    }
    if let Some(support) = actor.support_organisation() {
        cond = cond.add(
            proposition::Column::OrganisationId.in_subquery(
                organisation::Entity::find()
                    .select_only()
                    .column(organisation::Column::Id)
                    .filter(organisation::Column::SupportOrganisationId.eq(support))
                    .into_query(),
            ),
        );
    }
    cond
}

/// Whether this actor may see a proposition of this organisation in this state.
async fn can_see<C: ConnectionTrait>(db: &C, actor: &Actor, p: &proposition::Model) -> AppResult<bool> {
    if p.publication_state == PublicationState::Published || actor.edited_library() == Some(p.organisation_id) {
        return Ok(true);
    }
    match actor.support_organisation() {
        Some(support) => Ok(org_service::by_id(db, p.organisation_id)
            .await?
            .is_some_and(|o| o.support_organisation_id == Some(support))),
        None => Ok(false),
    }
}

/// A proposition the actor may see, or `None` (whether it is missing or hidden is not revealed).
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> AppResult<Option<proposition::Model>> {
    Ok(proposition::Entity::find_by_id(id).filter(visible_to(actor)).one(db).await?)
}

/// Propositions by id that the actor may see (for loaders).
pub async fn visible_by_ids<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
) -> AppResult<Vec<proposition::Model>> {
    Ok(proposition::Entity::find()
        .filter(proposition::Column::Id.is_in(ids.to_vec()))
        .filter(visible_to(actor))
        .all(db)
        .await?)
}

// ---- listing -----------------------------------------------------------------------------------

/// Which propositions to list; codes are the common model's, slugs the organisations'. Within one
/// field the values are alternatives (OR); fields, and several filters given together, all apply (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PropositionFilter {
    pub organisation_ids: Vec<i64>,
    pub organisation_slugs: Vec<String>,
    pub standard_proposition_codes: Vec<String>,
    pub societal_task_codes: Vec<String>,
    pub core_function_codes: Vec<String>,
    pub target_group_codes: Vec<String>,
    pub channels: Vec<Channel>,
    pub lifecycles: Vec<Lifecycle>,
    pub publication_states: Vec<PublicationState>,
    pub province_codes: Vec<String>,
    pub municipality_codes: Vec<String>,
    /// `true`: only local propositions (no standard); `false`: only mapped ones.
    pub local: Option<bool>,
}

/// The sort orders of proposition lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PropositionSort {
    #[default]
    Title,
    CreatedAt,
    UpdatedAt,
}

/// A sort order and direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PropositionOrder {
    pub sort: PropositionSort,
    pub descending: bool,
}

/// Propositions offered in some municipalities: by a library based in `province_ids` or serving
/// one of them, or at a branch in one of them. The small lists (municipalities, organisations) are
/// read first and the branch test is a correlated `EXISTS`, so that a filtered page reads only the
/// rows it walks through, whatever the size of the network.
async fn offered_in<C: ConnectionTrait>(
    db: &C,
    municipality_ids: Vec<i64>,
    province_ids: Vec<i64>,
) -> AppResult<Condition> {
    use sea_orm::sea_query::{Expr, Query};
    let mut libraries: Vec<i64> = org_gm::Entity::find()
        .select_only()
        .column(org_gm::Column::OrganisationId)
        .filter(org_gm::Column::MunicipalityId.is_in(municipality_ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    if !province_ids.is_empty() {
        libraries.extend(
            organisation::Entity::find()
                .select_only()
                .column(organisation::Column::Id)
                .filter(organisation::Column::ProvinceId.is_in(province_ids))
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
    }
    let mut at_branch = Query::select()
        .expr(Expr::val(1))
        .from(proposition_branch::Entity)
        .inner_join(
            branch::Entity,
            Expr::col((branch::Entity, branch::Column::Id))
                .equals((proposition_branch::Entity, proposition_branch::Column::BranchId)),
        )
        .and_where(
            Expr::col((proposition_branch::Entity, proposition_branch::Column::PropositionId))
                .equals((proposition::Entity, proposition::Column::Id)),
        )
        .and_where(Expr::col((branch::Entity, branch::Column::MunicipalityId)).is_in(municipality_ids))
        .to_owned();
    if db.get_database_backend() == DbBackend::Postgres {
        // PostgreSQL would turn this EXISTS into a hashed set of every proposition offered at a
        // branch in the region, built by scanning the whole branch link table before the first row
        // (36 ms of a 46 ms page at scale 10), because it does not count on the LIMIT to stop the
        // walk early. An OFFSET keeps the subquery as it is written: a probe of two indexes per
        // walked row, so a page costs the rows it walks, whatever the size of the network.
        at_branch.offset(0);
    }
    Ok(Condition::any().add(proposition::Column::OrganisationId.is_in(dedup(libraries))).add(Expr::exists(at_branch)))
}

pub(crate) async fn filter_condition<C: ConnectionTrait>(db: &C, f: &PropositionFilter) -> AppResult<Condition> {
    use proposition::Column as P;
    let mut cond = Condition::all();
    if !f.organisation_ids.is_empty() || !f.organisation_slugs.is_empty() {
        let mut ids = f.organisation_ids.clone();
        for slug in &f.organisation_slugs {
            let org = org_service::by_slug(db, slug).await?.ok_or_else(|| {
                AppError::invalid("filter.organisationSlugs", format!("unknown organisation: {slug}"))
            })?;
            ids.push(org.id);
        }
        cond = cond.add(P::OrganisationId.is_in(ids));
    }
    if !f.standard_proposition_codes.is_empty() {
        let ids = standard_proposition_ids(db, "filter.standardPropositions", &f.standard_proposition_codes).await?;
        cond = cond.add(P::StandardPropositionId.is_in(ids));
    }
    if !f.societal_task_codes.is_empty() {
        let ids = societal_task_ids(db, "filter.societalTasks", &f.societal_task_codes).await?;
        let via_standard = sp_task::Entity::find()
            .select_only()
            .column(sp_task::Column::StandardPropositionId)
            .filter(sp_task::Column::SocietalTaskId.is_in(ids.clone()))
            .into_query();
        cond = cond.add(
            Condition::any().add(P::SocietalTaskId.is_in(ids)).add(P::StandardPropositionId.in_subquery(via_standard)),
        );
    }
    if !f.core_function_codes.is_empty() {
        let ids = core_function_ids(db, "filter.coreFunctions", &f.core_function_codes).await?;
        let via_standard = standard_proposition::Entity::find()
            .select_only()
            .column(standard_proposition::Column::Id)
            .filter(standard_proposition::Column::CoreFunctionId.is_in(ids.clone()))
            .into_query();
        cond = cond.add(
            Condition::any().add(P::CoreFunctionId.is_in(ids)).add(P::StandardPropositionId.in_subquery(via_standard)),
        );
    }
    if !f.target_group_codes.is_empty() {
        let ids = target_group_ids_with_descendants(db, "filter.targetGroups", &f.target_group_codes).await?;
        cond = cond.add(
            P::Id.in_subquery(
                proposition_target_group::Entity::find()
                    .select_only()
                    .column(proposition_target_group::Column::PropositionId)
                    .filter(proposition_target_group::Column::TargetGroupId.is_in(ids))
                    .into_query(),
            ),
        );
    }
    if !f.channels.is_empty() {
        cond = cond.add(P::Channel.is_in(f.channels.clone()));
    }
    if !f.lifecycles.is_empty() {
        cond = cond.add(P::Lifecycle.is_in(f.lifecycles.clone()));
    }
    if !f.publication_states.is_empty() {
        cond = cond.add(P::PublicationState.is_in(f.publication_states.clone()));
    }
    if !f.province_codes.is_empty() {
        let mut ids = Vec::new();
        for code in &f.province_codes {
            ids.push(province_by_code(db, "filter.provinces", code).await?.id);
        }
        let municipalities: Vec<i64> = municipality::Entity::find()
            .select_only()
            .column(municipality::Column::Id)
            .filter(municipality::Column::ProvinceId.is_in(ids.clone()))
            .into_tuple()
            .all(db)
            .await?;
        cond = cond.add(offered_in(db, municipalities, ids).await?);
    }
    if !f.municipality_codes.is_empty() {
        let ids = municipality_ids(db, "filter.municipalities", &f.municipality_codes).await?;
        cond = cond.add(offered_in(db, ids, Vec::new()).await?);
    }
    match f.local {
        Some(true) => cond = cond.add(P::StandardPropositionId.is_null()),
        Some(false) => cond = cond.add(P::StandardPropositionId.is_not_null()),
        None => {}
    }
    Ok(cond)
}

/// The conjunction of several filters (a nested list's parent and the client's filter).
async fn all_conditions<C: ConnectionTrait>(db: &C, filters: &[PropositionFilter]) -> AppResult<Condition> {
    let mut cond = Condition::all();
    for f in filters {
        cond = cond.add(filter_condition(db, f).await?);
    }
    Ok(cond)
}

type KeyOf = fn(&proposition::Model) -> (SortValue, i64);

/// The keyset (sort column, direction, cursor key) of an order.
fn keyset(order: PropositionOrder) -> Keyset<proposition::Entity, KeyOf> {
    let (sort, key_of): (Option<proposition::Column>, KeyOf) = match order.sort {
        PropositionSort::Title => (Some(proposition::Column::Title), |m| (SortValue::Text(m.title.clone()), m.id)),
        PropositionSort::CreatedAt => (None, |m| (SortValue::Int(m.id), m.id)),
        PropositionSort::UpdatedAt => (Some(proposition::Column::UpdatedAt), |m| (SortValue::Time(m.updated_at), m.id)),
    };
    Keyset { sort, id: proposition::Column::Id, descending: order.descending, key_of }
}

/// A page of the propositions the actor may see that match every filter.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[PropositionFilter],
    order: PropositionOrder,
    args: &PageArgs,
) -> AppResult<Page<proposition::Model>> {
    let cond = all_conditions(db, filters).await?;
    let select = proposition::Entity::find().filter(visible_to(actor)).filter(cond);
    keyset(order).fetch(db, select, args).await
}

/// How many propositions the actor may see that match every filter.
pub async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[PropositionFilter]) -> AppResult<u64> {
    let cond = all_conditions(db, filters).await?;
    Ok(proposition::Entity::find().filter(visible_to(actor)).filter(cond).count(db).await?)
}

/// The parent a nested proposition list belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    Organisation,
    StandardProposition,
}

impl Parent {
    fn column(self) -> proposition::Column {
        match self {
            Parent::Organisation => proposition::Column::OrganisationId,
            Parent::StandardProposition => proposition::Column::StandardPropositionId,
        }
    }

    fn of(self, m: &proposition::Model) -> i64 {
        match self {
            Parent::Organisation => m.organisation_id,
            Parent::StandardProposition => m.standard_proposition_id.unwrap_or_default(),
        }
    }
}

/// One page of propositions for each of several parents (organisations or standard propositions),
/// in one statement: what a list of parents with their propositions needs.
pub async fn list_per_parent(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: Parent,
    parent_ids: &[i64],
    filters: &[PropositionFilter],
    order: PropositionOrder,
    args: &PageArgs,
) -> AppResult<HashMap<i64, Page<proposition::Model>>> {
    let cond = all_conditions(db, filters).await?;
    let select = proposition::Entity::find()
        .filter(parent.column().is_in(parent_ids.to_vec()))
        .filter(visible_to(actor))
        .filter(cond);
    keyset(order).fetch_partitioned(db, select, parent.column(), |m| parent.of(m), args).await
}

/// How many propositions each of several parents has that the actor may see and that match.
pub async fn count_per_parent(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: Parent,
    parent_ids: &[i64],
    filters: &[PropositionFilter],
) -> AppResult<HashMap<i64, u64>> {
    let cond = all_conditions(db, filters).await?;
    let counts: Vec<(i64, i64)> = proposition::Entity::find()
        .select_only()
        .column(parent.column())
        .column_as(proposition::Column::Id.count(), "n")
        .filter(parent.column().is_in(parent_ids.to_vec()))
        .filter(visible_to(actor))
        .filter(cond)
        .group_by(parent.column())
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|(id, n)| (id, n as u64)).collect())
}

// ---- writing -----------------------------------------------------------------------------------

/// The fields of a proposition as a client sends them. On create, absent means "not given";
/// on update, absent means "leave as is" and `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default)]
pub struct PropositionInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub standard_proposition_code: Patch<String>,
    pub deviation_note: Patch<String>,
    pub societal_task_code: Patch<String>,
    pub core_function_code: Patch<String>,
    pub target_group_codes: Option<Vec<String>>,
    pub channel: Option<Channel>,
    pub lifecycle: Option<Lifecycle>,
    pub start_date: Patch<NaiveDate>,
    pub end_date: Patch<NaiveDate>,
    pub schedule: Patch<String>,
    pub cost_kind: Option<CostKind>,
    pub price_cents: Patch<i32>,
    pub cost_note: Patch<String>,
    pub contact_name: Patch<String>,
    pub contact_email: Patch<String>,
    pub contact_phone: Patch<String>,
    pub url: Patch<String>,
    /// The library's own key for it, unique within the library.
    pub external_key: Patch<String>,
    pub verified_at: Patch<DateTime<Utc>>,
    pub branch_ids: Option<Vec<i64>>,
    pub partner_organisation_ids: Option<Vec<i64>>,
}

/// The proposition's links as they will be after a write.
struct Links {
    target_groups: Option<Vec<i64>>,
    branches: Option<Vec<i64>>,
    partners: Option<Vec<i64>>,
}

/// Whether the actor may change the propositions of this organisation: only a library's own
/// editors may (the one rule behind the API's mutations and the site's forms).
pub fn may_edit(actor: &Actor, organisation_id: i64) -> bool {
    actor.is_signed_in() && actor.edited_library() == Some(organisation_id)
}

/// Only a library's own editors write its propositions.
fn require_editor(actor: &Actor, organisation_id: i64) -> AppResult<()> {
    require_signed_in(actor)?;
    if may_edit(actor, organisation_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only the library's own editors may change its propositions".into()))
    }
}

fn patched<T: Clone>(patch: &Patch<T>, current: &Option<T>) -> Option<T> {
    match patch {
        None => current.clone(),
        Some(v) => v.clone(),
    }
}

/// Validates the whole record as it would be after applying `input` to `current` (or to nothing),
/// and writes the validated values into `active`.
async fn apply<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
    current: Option<&proposition::Model>,
    input: &PropositionInput,
    active: &mut proposition::ActiveModel,
) -> AppResult<Links> {
    let cur = current;
    let text_patch =
        |field: &str, patch: &Patch<String>, now: Option<&Option<String>>, max: usize| -> AppResult<Option<String>> {
            match patch {
                None => Ok(now.cloned().flatten()),
                Some(v) => validate::optional(field, v.as_deref(), max),
            }
        };
    let title = match (&input.title, cur) {
        (Some(t), _) => validate::required("title", t, 200)?,
        (None, Some(c)) => c.title.clone(),
        (None, None) => return Err(AppError::invalid("title", "is required")),
    };
    let summary = match (&input.summary, cur) {
        (Some(s), _) => validate::required("summary", s, 500)?,
        (None, Some(c)) => c.summary.clone(),
        (None, None) => return Err(AppError::invalid("summary", "is required")),
    };
    let description = match (&input.description, cur) {
        (Some(d), _) => validate::text("description", d, 20_000)?,
        (None, Some(c)) => c.description.clone(),
        (None, None) => String::new(),
    };

    // Mapping onto the common model.
    let standard_id = match &input.standard_proposition_code {
        None => cur.and_then(|c| c.standard_proposition_id),
        Some(None) => None,
        Some(Some(code)) => {
            let id = standard_proposition_ids(db, "standardPropositionCode", std::slice::from_ref(code)).await?[0];
            let changed = cur.and_then(|c| c.standard_proposition_id) != Some(id);
            if changed {
                let sp = standard_proposition::Entity::find_by_id(id).one(db).await?;
                if sp.is_some_and(|sp| sp.status == StandardStatus::Retired) {
                    return Err(AppError::invalid(
                        "standardPropositionCode",
                        format!("{code} is retired; map the proposition onto an active standard proposition"),
                    ));
                }
            }
            Some(id)
        }
    };
    let deviation_note = text_patch("deviationNote", &input.deviation_note, cur.map(|c| &c.deviation_note), 2000)?;
    let (societal_task_id, core_function_id) = if standard_id.is_some() {
        for (field, given) in
            [("societalTaskCode", &input.societal_task_code), ("coreFunctionCode", &input.core_function_code)]
        {
            if matches!(given, Some(Some(_))) {
                return Err(AppError::invalid(
                    field,
                    "comes from the standard proposition; set it only on a local proposition",
                ));
            }
        }
        (None, None)
    } else {
        if input.deviation_note.as_ref().is_some_and(|n| n.is_some()) && deviation_note.is_some() {
            return Err(AppError::invalid(
                "deviationNote",
                "applies only to a proposition mapped onto a standard proposition",
            ));
        }
        let task = match &input.societal_task_code {
            None => cur.and_then(|c| c.societal_task_id),
            Some(None) => None,
            Some(Some(code)) => Some(societal_task_ids(db, "societalTaskCode", std::slice::from_ref(code)).await?[0]),
        };
        let function = match &input.core_function_code {
            None => cur.and_then(|c| c.core_function_id),
            Some(None) => None,
            Some(Some(code)) => Some(core_function_ids(db, "coreFunctionCode", std::slice::from_ref(code)).await?[0]),
        };
        if function.is_none() {
            return Err(AppError::invalid(
                "coreFunctionCode",
                "is required for a local proposition (one without a standard proposition)",
            ));
        }
        (task, function)
    };
    let deviation_note = if standard_id.is_some() { deviation_note } else { None };

    let channel =
        input.channel.or(cur.map(|c| c.channel)).ok_or_else(|| AppError::invalid("channel", "is required"))?;
    let lifecycle = input.lifecycle.or(cur.map(|c| c.lifecycle)).unwrap_or(Lifecycle::Regular);

    let start_date = patched(&input.start_date, &cur.and_then(|c| c.start_date));
    let end_date = patched(&input.end_date, &cur.and_then(|c| c.end_date));
    if let (Some(s), Some(e)) = (start_date, end_date)
        && e < s
    {
        return Err(AppError::invalid("endDate", "must not be before startDate"));
    }
    let schedule = text_patch("schedule", &input.schedule, cur.map(|c| &c.schedule), 500)?;

    let cost_kind = input.cost_kind.or(cur.map(|c| c.cost_kind)).unwrap_or(CostKind::Free);
    let price_cents = patched(&input.price_cents, &cur.and_then(|c| c.price_cents));
    let price_cents = match cost_kind {
        CostKind::Free if input.price_cents.as_ref().is_some_and(|p| p.is_some()) => {
            return Err(AppError::invalid("priceCents", "must be empty for a free proposition"));
        }
        CostKind::Free => None,
        CostKind::Paid => match price_cents {
            Some(p) if (1..=1_000_000).contains(&p) => Some(p),
            Some(_) => return Err(AppError::invalid("priceCents", "must be between 1 and 1000000 cents")),
            None => return Err(AppError::invalid("priceCents", "is required for a paid proposition")),
        },
    };
    let cost_note = text_patch("costNote", &input.cost_note, cur.map(|c| &c.cost_note), 500)?;
    let contact_name = text_patch("contactName", &input.contact_name, cur.map(|c| &c.contact_name), 200)?;
    let contact_email = match &input.contact_email {
        None => cur.and_then(|c| c.contact_email.clone()),
        Some(v) => validate::email("contactEmail", v.as_deref())?,
    };
    let contact_phone = text_patch("contactPhone", &input.contact_phone, cur.map(|c| &c.contact_phone), 40)?;
    let url = match &input.url {
        None => cur.and_then(|c| c.url.clone()),
        Some(v) => validate::url("url", v.as_deref())?,
    };
    let external_key = match &input.external_key {
        None => cur.and_then(|c| c.external_key.clone()),
        Some(v) => validate::optional("externalKey", v.as_deref(), 100)?,
    };
    if let Some(key) = &external_key
        && cur.and_then(|c| c.external_key.as_ref()) != Some(key)
    {
        let taken = proposition::Entity::find()
            .filter(proposition::Column::OrganisationId.eq(organisation_id))
            .filter(proposition::Column::ExternalKey.eq(key.as_str()))
            .one(db)
            .await?;
        if let Some(other) = taken {
            return Err(AppError::invalid(
                "externalKey",
                format!("is already the key of another proposition of the library ({})", other.id),
            ));
        }
    }
    let verified_at = patched(&input.verified_at, &cur.and_then(|c| c.verified_at));
    if let Some(v) = verified_at
        && v > Utc::now() + Duration::minutes(5)
    {
        return Err(AppError::invalid("verifiedAt", "must not be in the future"));
    }

    let target_groups = match &input.target_group_codes {
        Some(codes) => Some(target_group_ids(db, "targetGroupCodes", codes).await?),
        None => None,
    };
    let branches = match &input.branch_ids {
        Some(ids) => {
            let ids = dedup(ids.clone());
            let owned = branch::Entity::find()
                .filter(branch::Column::Id.is_in(ids.clone()))
                .filter(branch::Column::OrganisationId.eq(organisation_id))
                .count(db)
                .await?;
            if owned as usize != ids.len() {
                return Err(AppError::invalid("branchIds", "every branch must be one of the library's own branches"));
            }
            Some(ids)
        }
        None => None,
    };
    let partners = match &input.partner_organisation_ids {
        Some(ids) => {
            let ids = dedup(ids.clone());
            if ids.contains(&organisation_id) {
                return Err(AppError::invalid("partnerOrganisationIds", "a library is not its own partner"));
            }
            let found =
                organisation::Entity::find().filter(organisation::Column::Id.is_in(ids.clone())).count(db).await?;
            if found as usize != ids.len() {
                return Err(AppError::invalid(
                    "partnerOrganisationIds",
                    "every partner must be an organisation in the registry",
                ));
            }
            Some(ids)
        }
        None => None,
    };

    active.title = Set(title);
    active.summary = Set(summary);
    active.description = Set(description);
    active.standard_proposition_id = Set(standard_id);
    active.deviation_note = Set(deviation_note);
    active.societal_task_id = Set(societal_task_id);
    active.core_function_id = Set(core_function_id);
    active.channel = Set(channel);
    active.lifecycle = Set(lifecycle);
    active.start_date = Set(start_date);
    active.end_date = Set(end_date);
    active.schedule = Set(schedule);
    active.cost_kind = Set(cost_kind);
    active.price_cents = Set(price_cents);
    active.cost_note = Set(cost_note);
    active.contact_name = Set(contact_name);
    active.contact_email = Set(contact_email);
    active.contact_phone = Set(contact_phone);
    active.url = Set(url);
    active.external_key = Set(external_key);
    active.verified_at = Set(verified_at);
    Ok(Links { target_groups, branches, partners })
}

async fn write_links<C: ConnectionTrait>(db: &C, id: i64, links: Links) -> AppResult<()> {
    if let Some(ids) = links.target_groups {
        replace_linked!(db, proposition_target_group, PropositionId, id, TargetGroupId, dedup(ids));
    }
    if let Some(ids) = links.branches {
        replace_linked!(db, proposition_branch, PropositionId, id, BranchId, dedup(ids));
    }
    if let Some(ids) = links.partners {
        replace_linked!(db, proposition_partner, PropositionId, id, OrganisationId, dedup(ids));
    }
    Ok(())
}

/// What a proposition looks like in the change log, links included.
async fn snapshot<C: ConnectionTrait>(db: &C, m: &proposition::Model) -> AppResult<serde_json::Value> {
    let mut v = history::snapshot(m);
    v["targetGroupIds"] = json!(linked_ids!(db, proposition_target_group, PropositionId, m.id, TargetGroupId));
    v["branchIds"] = json!(linked_ids!(db, proposition_branch, PropositionId, m.id, BranchId));
    v["partnerOrganisationIds"] = json!(linked_ids!(db, proposition_partner, PropositionId, m.id, OrganisationId));
    Ok(v)
}

/// Creates a proposition as a draft of the actor's library.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    organisation_id: i64,
    input: PropositionInput,
) -> AppResult<proposition::Model> {
    require_signed_in(actor)?;
    let org = org_service::by_id(db, organisation_id).await?;
    let org = match org {
        Some(o) => o,
        None => return Err(AppError::NotFound("organisation".into())),
    };
    require_editor(actor, org.id)?;
    if org.kind != OrganisationKind::Library {
        return Err(AppError::invalid("organisationId", "only libraries publish propositions"));
    }
    let txn = crate::kernel::begin_write(db).await?;
    let model = create_in(&txn, actor, org.id, &input).await?;
    txn.commit().await?;
    Ok(model)
}

/// Creates a draft of a library whose editor the actor is, within the caller's transaction.
pub(crate) async fn create_in<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    organisation_id: i64,
    input: &PropositionInput,
) -> AppResult<proposition::Model> {
    let ts = now();
    let mut active = proposition::ActiveModel {
        id: NotSet,
        organisation_id: Set(organisation_id),
        publication_state: Set(PublicationState::Draft),
        published_at: Set(None),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    let links = apply(txn, organisation_id, None, input, &mut active).await?;
    let model = proposition::Entity::insert(active).exec_with_returning(txn).await?;
    write_links(txn, model.id, links).await?;
    let after = snapshot(txn, &model).await?;
    history::record(txn, actor, Change::created(RecordKind::Proposition, model.id, &after)).await?;
    Ok(model)
}

/// Loads a proposition for writing: hidden ones are `NOT_FOUND`, visible ones of another library
/// are `FORBIDDEN`, and a stale version is a `CONFLICT`.
async fn load_for_write<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
) -> AppResult<proposition::Model> {
    require_signed_in(actor)?;
    let current = proposition::Entity::find_by_id(id).one(db).await?;
    let current = match current {
        Some(c) if can_see(db, actor, &c).await? => c,
        _ => return Err(AppError::NotFound("proposition".into())),
    };
    require_editor(actor, current.organisation_id)?;
    if let Some(expected) = expected_version {
        check_version("proposition", expected, current.version)?;
    }
    Ok(current)
}

async fn save<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &proposition::Model,
    active: proposition::ActiveModel,
    links: Links,
    action: ChangeAction,
) -> AppResult<(proposition::Model, Vec<String>)> {
    let before = snapshot(db, current).await?;
    let model = save_versioned::<proposition::Entity, _>(db, active, current.id, current.version).await?;
    write_links(db, current.id, links).await?;
    let after = snapshot(db, &model).await?;
    let changed = history::diff(Some(&before), Some(&after)).keys().cloned().collect();
    history::record(
        db,
        actor,
        Change::changed(RecordKind::Proposition, model.id, action, model.version, &before, &after),
    )
    .await?;
    Ok((model, changed))
}

/// Changes a proposition.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: PropositionInput,
) -> AppResult<proposition::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let (model, _) = update_in(&txn, actor, id, Some(expected_version), &input).await?;
    txn.commit().await?;
    Ok(model)
}

/// Changes a proposition within the caller's transaction, at `expected_version` when given: the
/// proposition after, and the names of the fields that changed (as the change log names them).
pub(crate) async fn update_in<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    input: &PropositionInput,
) -> AppResult<(proposition::Model, Vec<String>)> {
    let current = load_for_write(txn, actor, id, expected_version).await?;
    let mut active: proposition::ActiveModel = current.clone().into();
    let links = apply(txn, current.organisation_id, Some(&current), input, &mut active).await?;
    save(txn, actor, &current, active, links, ChangeAction::Update).await
}

/// A change of publication state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Publish,
    Unpublish,
    Archive,
}

/// Publishes, unpublishes (back to draft) or archives a proposition.
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    to: Transition,
) -> AppResult<proposition::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = load_for_write(&txn, actor, id, Some(expected_version)).await?;
    let (target, action) = match to {
        Transition::Publish => (PublicationState::Published, ChangeAction::Publish),
        Transition::Unpublish => (PublicationState::Draft, ChangeAction::Unpublish),
        Transition::Archive => (PublicationState::Archived, ChangeAction::Archive),
    };
    let allowed = match to {
        Transition::Publish => current.publication_state != PublicationState::Published,
        Transition::Unpublish => current.publication_state == PublicationState::Published,
        Transition::Archive => current.publication_state != PublicationState::Archived,
    };
    if !allowed {
        return Err(AppError::Conflict(format!(
            "the proposition is {}; it cannot be {}",
            format!("{:?}", current.publication_state).to_lowercase(),
            match to {
                Transition::Publish => "published again",
                Transition::Unpublish => "unpublished",
                Transition::Archive => "archived again",
            }
        )));
    }
    let mut active: proposition::ActiveModel = current.clone().into();
    active.publication_state = Set(target);
    if to == Transition::Publish {
        active.published_at = Set(Some(now()));
    }
    let links = Links { target_groups: None, branches: None, partners: None };
    let (model, _) = save(&txn, actor, &current, active, links, action).await?;
    txn.commit().await?;
    Ok(model)
}
