//! Organisations of the network and the municipalities they serve; maintained by network maintainers.

use entity::enums::OrganisationKind;
use entity::{municipality, organisation, organisation_municipality as org_gm};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::common_model::region::{municipality_ids, province_by_code};
use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::{Patch, check_version, dedup, history, now, require_maintainer, save_versioned, validate};

/// Which organisations to list.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub kinds: Vec<OrganisationKind>,
    pub province_code: Option<String>,
    pub municipality_code: Option<String>,
    pub support_organisation_slug: Option<String>,
    /// Part of the name, case-insensitive.
    pub name_contains: Option<String>,
}

async fn filter_condition(db: &DatabaseConnection, filter: &OrganisationFilter) -> AppResult<Condition> {
    let mut cond = Condition::all();
    if !filter.kinds.is_empty() {
        cond = cond.add(organisation::Column::Kind.is_in(filter.kinds.clone()));
    }
    if let Some(code) = &filter.province_code {
        let p = province_by_code(db, "filter.province", code).await?;
        cond = cond.add(organisation::Column::ProvinceId.eq(p.id));
    }
    if let Some(code) = &filter.municipality_code {
        let ids = municipality_ids(db, "filter.municipality", std::slice::from_ref(code)).await?;
        cond = cond.add(
            organisation::Column::Id.in_subquery(
                org_gm::Entity::find()
                    .select_only()
                    .column(org_gm::Column::OrganisationId)
                    .filter(org_gm::Column::MunicipalityId.is_in(ids))
                    .into_query(),
            ),
        );
    }
    if let Some(slug) = &filter.support_organisation_slug {
        let support = by_slug(db, slug)
            .await?
            .ok_or_else(|| AppError::invalid("filter.supportOrganisation", format!("unknown organisation: {slug}")))?;
        cond = cond.add(organisation::Column::SupportOrganisationId.eq(support.id));
    }
    if let Some(text) = filter.name_contains.as_deref().map(crate::kernel::text::fold).filter(|t| !t.is_empty()) {
        // Folded as people type (fryslan finds Fryslân), the same on both databases: the names are a
        // directory of a few thousand at most, compared here rather than by each database's collation.
        let names: Vec<(i64, String)> = organisation::Entity::find()
            .select_only()
            .columns([organisation::Column::Id, organisation::Column::Name])
            .into_tuple()
            .all(db)
            .await?;
        let matching = names.into_iter().filter(|(_, name)| crate::kernel::text::fold(name).contains(&text));
        cond = cond.add(organisation::Column::Id.is_in(matching.map(|(id, _)| id).collect::<Vec<_>>()));
    }
    Ok(cond)
}

/// Organisations based in, or serving a municipality in, one of these provinces (codes or names).
pub async fn in_provinces<C: ConnectionTrait>(db: &C, codes: &[String]) -> AppResult<Condition> {
    let mut ids = Vec::new();
    for code in codes {
        ids.push(province_by_code(db, "filter.provinces", code).await?.id);
    }
    let serving = org_gm::Entity::find()
        .select_only()
        .column(org_gm::Column::OrganisationId)
        .filter(
            org_gm::Column::MunicipalityId.in_subquery(
                municipality::Entity::find()
                    .select_only()
                    .column(municipality::Column::Id)
                    .filter(municipality::Column::ProvinceId.is_in(ids.clone()))
                    .into_query(),
            ),
        )
        .into_query();
    Ok(Condition::any()
        .add(organisation::Column::ProvinceId.is_in(ids))
        .add(organisation::Column::Id.in_subquery(serving)))
}

/// A page of organisations, by name. Organisations are public.
pub async fn list(
    db: &DatabaseConnection,
    filter: &OrganisationFilter,
    args: &PageArgs,
) -> AppResult<Page<organisation::Model>> {
    let cond = filter_condition(db, filter).await?;
    Keyset::<organisation::Entity, _> {
        sort: Some(organisation::Column::Name),
        id: organisation::Column::Id,
        descending: false,
        key_of: |m: &organisation::Model| (SortValue::Text(m.name.clone()), m.id),
    }
    .fetch(db, organisation::Entity::find().filter(cond), args)
    .await
}

/// How many organisations match a filter.
pub async fn count(db: &DatabaseConnection, filter: &OrganisationFilter) -> AppResult<u64> {
    let cond = filter_condition(db, filter).await?;
    Ok(organisation::Entity::find().filter(cond).count(db).await?)
}

/// An organisation by slug.
pub async fn by_slug<C: ConnectionTrait>(db: &C, slug: &str) -> AppResult<Option<organisation::Model>> {
    Ok(organisation::Entity::find().filter(organisation::Column::Slug.eq(slug.trim())).one(db).await?)
}

/// The id of the organisation with this slug; an unknown slug is a user error naming `field`.
pub async fn id_by_slug<C: ConnectionTrait>(db: &C, field: &str, slug: &str) -> AppResult<i64> {
    by_slug(db, slug)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| AppError::invalid(field, format!("unknown organisation: {}", slug.trim())))
}

/// An organisation by id.
pub async fn by_id<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Option<organisation::Model>> {
    Ok(organisation::Entity::find_by_id(id).one(db).await?)
}

/// A new or changed organisation.
#[derive(Debug, Clone, Default)]
pub struct OrganisationInput {
    pub kind: Option<OrganisationKind>,
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub website: Patch<String>,
    pub province_code: Patch<String>,
    pub support_organisation_id: Patch<i64>,
    pub municipality_codes: Option<Vec<String>>,
}

async fn snapshot<C: ConnectionTrait>(db: &C, m: &organisation::Model) -> AppResult<serde_json::Value> {
    let mut v = history::snapshot(m);
    v["municipalityIds"] = json!(municipality_ids_of(db, m.id).await?);
    Ok(v)
}

/// The ids of the municipalities an organisation serves, sorted.
pub async fn municipality_ids_of<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Vec<i64>> {
    Ok(linked_ids!(db, org_gm, OrganisationId, id, MunicipalityId))
}

async fn check_support<C: ConnectionTrait>(
    db: &C,
    kind: OrganisationKind,
    support: Option<i64>,
    self_id: Option<i64>,
) -> AppResult<()> {
    let Some(support) = support else { return Ok(()) };
    if kind != OrganisationKind::Library {
        return Err(AppError::invalid("supportOrganisationId", "only a library has a support organisation"));
    }
    if Some(support) == self_id {
        return Err(AppError::invalid("supportOrganisationId", "an organisation cannot support itself"));
    }
    match by_id(db, support).await? {
        Some(s) if s.kind == OrganisationKind::SupportOrganisation => Ok(()),
        Some(_) => Err(AppError::invalid("supportOrganisationId", "must be a support organisation")),
        None => Err(AppError::invalid("supportOrganisationId", "no such organisation")),
    }
}

/// Adds an organisation to the registry.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: OrganisationInput,
) -> AppResult<organisation::Model> {
    require_maintainer(actor)?;
    let kind = input.kind.ok_or_else(|| AppError::invalid("kind", "is required"))?;
    let name = validate::required("name", input.name.as_deref().unwrap_or_default(), 200)?;
    let slug = validate::slug("slug", input.slug.as_deref().unwrap_or_default())?;
    let description = validate::text("description", input.description.as_deref().unwrap_or_default(), 5000)?;
    let website = validate::url("website", input.website.flatten().as_deref())?;
    let support = input.support_organisation_id.flatten();
    let txn = crate::kernel::begin_write(db).await?;
    if by_slug(&txn, &slug).await?.is_some() {
        return Err(AppError::Conflict(format!("the slug {slug} is already taken")));
    }
    let province_id = match input.province_code.flatten() {
        Some(code) => Some(province_by_code(&txn, "provinceCode", &code).await?.id),
        None => None,
    };
    check_support(&txn, kind, support, None).await?;
    let gms =
        municipality_ids(&txn, "municipalityCodes", input.municipality_codes.as_deref().unwrap_or_default()).await?;
    let ts = now();
    let model = organisation::Entity::insert(organisation::ActiveModel {
        id: NotSet,
        kind: Set(kind),
        name: Set(name),
        slug: Set(slug),
        description: Set(description),
        website: Set(website),
        province_id: Set(province_id),
        support_organisation_id: Set(support),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
    })
    .exec_with_returning(&txn)
    .await?;
    set_municipalities(&txn, model.id, gms).await?;
    let after = snapshot(&txn, &model).await?;
    history::record(&txn, actor, Change::created(RecordKind::Organisation, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

async fn set_municipalities<C: ConnectionTrait>(db: &C, id: i64, gms: Vec<i64>) -> AppResult<()> {
    replace_linked!(db, org_gm, OrganisationId, id, MunicipalityId, dedup(gms));
    Ok(())
}

/// Changes an organisation.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: OrganisationInput,
) -> AppResult<organisation::Model> {
    require_maintainer(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current = by_id(&txn, id).await?.ok_or_else(|| AppError::NotFound("organisation".into()))?;
    check_version("organisation", expected_version, current.version)?;
    let kind = input.kind.unwrap_or(current.kind);
    if kind != current.kind {
        check_kind_change(&txn, &current, kind).await?;
    }
    let name = match &input.name {
        Some(n) => validate::required("name", n, 200)?,
        None => current.name.clone(),
    };
    let slug = match &input.slug {
        Some(s) => validate::slug("slug", s)?,
        None => current.slug.clone(),
    };
    if slug != current.slug && by_slug(&txn, &slug).await?.is_some() {
        return Err(AppError::Conflict(format!("the slug {slug} is already taken")));
    }
    let description = match &input.description {
        Some(d) => validate::text("description", d, 5000)?,
        None => current.description.clone(),
    };
    let website = match input.website {
        Some(w) => validate::url("website", w.as_deref())?,
        None => current.website.clone(),
    };
    let province_id = match input.province_code {
        Some(Some(code)) => Some(province_by_code(&txn, "provinceCode", &code).await?.id),
        Some(None) => None,
        None => current.province_id,
    };
    let support = input.support_organisation_id.unwrap_or(current.support_organisation_id);
    check_support(&txn, kind, support, Some(id)).await?;
    let gms = match &input.municipality_codes {
        Some(codes) => Some(municipality_ids(&txn, "municipalityCodes", codes).await?),
        None => None,
    };
    let before = snapshot(&txn, &current).await?;
    let mut active: organisation::ActiveModel = current.clone().into();
    active.kind = Set(kind);
    active.name = Set(name);
    active.slug = Set(slug);
    active.description = Set(description);
    active.website = Set(website);
    active.province_id = Set(province_id);
    active.support_organisation_id = Set(support);
    let model = save_versioned::<organisation::Entity, _>(&txn, active, id, current.version).await?;
    if let Some(gms) = gms {
        set_municipalities(&txn, id, gms).await?;
    }
    let after = snapshot(&txn, &model).await?;
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::Organisation, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// A library with propositions or branches cannot stop being a library, and a support organisation
/// that supports libraries cannot stop being one: that would orphan their records.
async fn check_kind_change<C: ConnectionTrait>(
    db: &C,
    current: &organisation::Model,
    _to: OrganisationKind,
) -> AppResult<()> {
    match current.kind {
        OrganisationKind::Library => {
            let props = entity::proposition::Entity::find()
                .filter(entity::proposition::Column::OrganisationId.eq(current.id))
                .count(db)
                .await?;
            let branches = entity::branch::Entity::find()
                .filter(entity::branch::Column::OrganisationId.eq(current.id))
                .count(db)
                .await?;
            if props + branches > 0 {
                return Err(AppError::Conflict(format!(
                    "{} has {props} proposition(s) and {branches} branch(es); it must stay a library",
                    current.name
                )));
            }
            if current.support_organisation_id.is_some() {
                return Err(AppError::invalid("kind", "clear supportOrganisationId before changing a library's kind"));
            }
        }
        OrganisationKind::SupportOrganisation => {
            let supported = organisation::Entity::find()
                .filter(organisation::Column::SupportOrganisationId.eq(current.id))
                .count(db)
                .await?;
            if supported > 0 {
                return Err(AppError::Conflict(format!(
                    "{} supports {supported} librar(ies); it must stay a support organisation",
                    current.name
                )));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Municipalities by id, for a list of ids (used by loaders).
pub async fn municipalities_by_ids<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<municipality::Model>> {
    Ok(municipality::Entity::find().filter(municipality::Column::Id.is_in(ids.to_vec())).all(db).await?)
}
