//! Research studies: who may see and change them, how they are filtered, and how strong their
//! evidence is. Everything inside a study (journeys, insights, ideas, links) inherits its visibility.

use chrono::{Datelike, NaiveDate};
use entity::enums::{EvidenceStrength, OrganisationKind, ResearchMethod, Visibility};
use entity::{
    insight, journey, knowledge_link, municipality, organisation, study, study_commissioner, study_conductor,
    study_method, study_municipality, study_province, study_target_group,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};
use serde_json::json;

use crate::identity::{Actor, Role};

use crate::common_model::region::{municipality_ids, province_by_code};
use crate::common_model::{standard_proposition_ids, target_group_ids};
use crate::error::{AppError, AppResult};
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::links::{linked_ids, replace_linked};
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::{Patch, check_version, dedup, history, now, require_signed_in, save_versioned, validate};
use crate::knowledge::scope;
use crate::knowledge::scope::KnowledgeParent;
use crate::registry::organisation as org_service;

// ---- visibility --------------------------------------------------------------------------------

/// The studies an organisation is named on, as commissioner or as conductor.
pub fn studies_of_organisation(org: i64) -> SelectStatement {
    scope::items(scope::study_organisations(KnowledgeParent::Organisation, &[org]))
}

/// Public studies are for everyone; network studies for every signed-in organisation; private ones
/// only for the organisations named on them. An API key reads network research only with the
/// scope for it; its own organisation's studies it always sees.
pub fn visible_to(actor: &Actor) -> Condition {
    let mut cond = Condition::any().add(study::Column::Visibility.eq(Visibility::Public));
    let network_member = actor.organisation_id().is_some() || actor.is_maintainer();
    if network_member && actor.reads_network_research() {
        cond = cond.add(study::Column::Visibility.eq(Visibility::Network));
    }
    if let Some(org) = actor.organisation_id() {
        cond = cond.add(study::Column::Id.in_subquery(studies_of_organisation(org)));
    }
    cond
}

/// The ids of the studies the actor may see, for scoping everything that lives inside a study.
pub fn visible_ids(actor: &Actor) -> SelectStatement {
    study::Entity::find().select_only().column(study::Column::Id).filter(visible_to(actor)).into_query()
}

/// A study the actor may see, or `None` (whether it is missing or hidden is not revealed).
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> AppResult<Option<study::Model>> {
    Ok(study::Entity::find_by_id(id).filter(visible_to(actor)).one(db).await?)
}

/// Studies by id that the actor may see (for loaders).
pub async fn visible_by_ids<C: ConnectionTrait>(db: &C, actor: &Actor, ids: &[i64]) -> AppResult<Vec<study::Model>> {
    Ok(study::Entity::find().filter(study::Column::Id.is_in(ids.to_vec())).filter(visible_to(actor)).all(db).await?)
}

/// The organisations named on a study (commissioners and conductors).
pub async fn organisation_ids<C: ConnectionTrait>(db: &C, study_id: i64) -> AppResult<Vec<i64>> {
    let mut ids = linked_ids!(db, study_commissioner, StudyId, study_id, OrganisationId);
    ids.extend(linked_ids!(db, study_conductor, StudyId, study_id, OrganisationId));
    Ok(dedup(ids))
}

/// Whether the actor works for an organisation that may write on behalf of a study it is named on.
fn is_writer_role(actor: &Actor) -> bool {
    matches!(actor.role, Some(Role::LibraryEditor | Role::SupportEditor))
}

/// Loads a study for a change to it or to anything inside it: hidden is `NOT_FOUND`; visible but
/// not named on it (and not a maintainer) is `FORBIDDEN`.
pub async fn require_editable<C: ConnectionTrait>(db: &C, actor: &Actor, study_id: i64) -> AppResult<study::Model> {
    require_signed_in(actor)?;
    let Some(study) = get(db, actor, study_id).await? else {
        return Err(AppError::NotFound("study".into()));
    };
    if actor.is_maintainer() {
        return Ok(study);
    }
    let named = match actor.organisation_id() {
        Some(org) if is_writer_role(actor) => organisation_ids(db, study_id).await?.contains(&org),
        _ => false,
    };
    if named {
        Ok(study)
    } else {
        Err(AppError::Forbidden(
            "only the organisations named on a study (and network maintainers) may change it".into(),
        ))
    }
}

// ---- evidence ----------------------------------------------------------------------------------

/// Methods in which researchers meet customers themselves.
fn involves_customers(m: ResearchMethod) -> bool {
    matches!(
        m,
        ResearchMethod::Interviews
            | ResearchMethod::Survey
            | ResearchMethod::Observation
            | ResearchMethod::CoCreation
            | ResearchMethod::CustomerJourney
    )
}

/// How strongly a study's method and size support its findings:
/// STRONG: a survey or data analysis over at least 100 people, or at least three methods of which
/// one meets customers, with at least 20 participants;
/// MODERATE: a method that meets customers with at least 8 participants, or two or more methods;
/// LIMITED: anything less (desk research alone, or a handful of conversations).
pub fn evidence_strength(methods: &[ResearchMethod], participants: Option<i32>) -> EvidenceStrength {
    let n = participants.unwrap_or(0);
    let quantitative = methods.iter().any(|m| matches!(m, ResearchMethod::Survey | ResearchMethod::DataAnalysis));
    let meets_customers = methods.iter().any(|m| involves_customers(*m));
    let distinct = {
        let mut m = methods.to_vec();
        m.sort_by_key(|x| *x as u8);
        m.dedup();
        m.len()
    };
    if (quantitative && n >= 100) || (distinct >= 3 && meets_customers && n >= 20) {
        EvidenceStrength::Strong
    } else if (meets_customers && n >= 8) || distinct >= 2 {
        EvidenceStrength::Moderate
    } else {
        EvidenceStrength::Limited
    }
}

/// When a study counts as stale if nobody says otherwise: three years after it ended.
pub fn default_valid_until(start: NaiveDate, end: Option<NaiveDate>) -> NaiveDate {
    let base = end.unwrap_or(start);
    base.with_year(base.year() + 3).unwrap_or(base + chrono::Duration::days(3 * 365))
}

// ---- listing -----------------------------------------------------------------------------------

/// Whether a study's findings are still considered current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Freshness {
    Fresh,
    Stale,
}

/// Which studies to list. Values within a field are alternatives; fields all apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StudyFilter {
    pub target_group_codes: Vec<String>,
    pub standard_proposition_codes: Vec<String>,
    pub province_codes: Vec<String>,
    pub municipality_codes: Vec<String>,
    pub methods: Vec<ResearchMethod>,
    /// Slugs of organisations that ran it.
    pub conducted_by: Vec<String>,
    /// Slugs of libraries it was done for.
    pub commissioned_by: Vec<String>,
    /// Slugs of organisations named on it in either role.
    pub organisations: Vec<String>,
    /// Slugs of organisations none of which may be named on it, in either role.
    pub excluding_organisations: Vec<String>,
    pub visibilities: Vec<Visibility>,
    pub freshness: Option<Freshness>,
    /// Studies linked to, or following in a journey, one of these propositions.
    pub proposition_ids: Vec<i64>,
}

/// How studies are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StudySort {
    /// Most recent research first.
    #[default]
    Newest,
    Title,
}

pub(crate) async fn organisation_ids_by_slugs<C: ConnectionTrait>(
    db: &C,
    field: &str,
    slugs: &[String],
) -> AppResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let org = org_service::by_slug(db, slug)
            .await?
            .ok_or_else(|| AppError::invalid(field, format!("unknown organisation: {}", slug.trim())))?;
        ids.push(org.id);
    }
    Ok(dedup(ids))
}

pub(crate) async fn filter_condition<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    f: &StudyFilter,
) -> AppResult<Condition> {
    use study::Column as S;
    let mut cond = Condition::all();
    if !f.target_group_codes.is_empty() {
        let ids = target_group_ids(db, "filter.targetGroups", &f.target_group_codes).await?;
        cond = cond
            .add(S::Id.in_subquery(scope::items(scope::studies(db, actor, KnowledgeParent::TargetGroup, &ids).await?)));
    }
    if !f.standard_proposition_codes.is_empty() {
        let ids = standard_proposition_ids(db, "filter.standardPropositions", &f.standard_proposition_codes).await?;
        cond = cond
            .add(S::Id.in_subquery(scope::items(scope::studies(db, actor, KnowledgeParent::Standard, &ids).await?)));
    }
    if !f.province_codes.is_empty() {
        let mut ids = Vec::new();
        for code in &f.province_codes {
            ids.push(province_by_code(db, "filter.provinces", code).await?.id);
        }
        let in_province = study_province::Entity::find()
            .select_only()
            .column(study_province::Column::StudyId)
            .filter(study_province::Column::ProvinceId.is_in(ids.clone()))
            .into_query();
        let in_municipality = study_municipality::Entity::find()
            .select_only()
            .column(study_municipality::Column::StudyId)
            .filter(
                study_municipality::Column::MunicipalityId.in_subquery(
                    municipality::Entity::find()
                        .select_only()
                        .column(municipality::Column::Id)
                        .filter(municipality::Column::ProvinceId.is_in(ids))
                        .into_query(),
                ),
            )
            .into_query();
        cond = cond.add(Condition::any().add(S::Id.in_subquery(in_province)).add(S::Id.in_subquery(in_municipality)));
    }
    if !f.municipality_codes.is_empty() {
        let ids = municipality_ids(db, "filter.municipalities", &f.municipality_codes).await?;
        cond = cond.add(
            S::Id.in_subquery(
                study_municipality::Entity::find()
                    .select_only()
                    .column(study_municipality::Column::StudyId)
                    .filter(study_municipality::Column::MunicipalityId.is_in(ids))
                    .into_query(),
            ),
        );
    }
    if !f.methods.is_empty() {
        cond = cond.add(
            S::Id.in_subquery(
                study_method::Entity::find()
                    .select_only()
                    .column(study_method::Column::StudyId)
                    .filter(study_method::Column::Method.is_in(f.methods.clone()))
                    .into_query(),
            ),
        );
    }
    if !f.conducted_by.is_empty() {
        let ids = organisation_ids_by_slugs(db, "filter.conductedBy", &f.conducted_by).await?;
        cond = cond.add(S::Id.in_subquery(scope::items(scope::study_organisations(KnowledgeParent::Conductor, &ids))));
    }
    if !f.commissioned_by.is_empty() {
        let ids = organisation_ids_by_slugs(db, "filter.commissionedBy", &f.commissioned_by).await?;
        cond =
            cond.add(S::Id.in_subquery(scope::items(scope::study_organisations(KnowledgeParent::Commissioner, &ids))));
    }
    if !f.organisations.is_empty() {
        let ids = organisation_ids_by_slugs(db, "filter.organisations", &f.organisations).await?;
        let scope = scope::study_organisations(KnowledgeParent::Organisation, &ids);
        cond = cond.add(S::Id.in_subquery(scope::items(scope)));
    }
    if !f.excluding_organisations.is_empty() {
        let ids = organisation_ids_by_slugs(db, "filter.excludingOrganisations", &f.excluding_organisations).await?;
        let scope = scope::study_organisations(KnowledgeParent::Organisation, &ids);
        cond = cond.add(S::Id.not_in_subquery(scope::items(scope)));
    }
    if !f.visibilities.is_empty() {
        cond = cond.add(S::Visibility.is_in(f.visibilities.clone()));
    }
    match f.freshness {
        Some(Freshness::Fresh) => cond = cond.add(S::ValidUntil.gte(chrono::Utc::now().date_naive())),
        Some(Freshness::Stale) => cond = cond.add(S::ValidUntil.lt(chrono::Utc::now().date_naive())),
        None => {}
    }
    if !f.proposition_ids.is_empty() {
        // Only propositions the actor may see: a filter must not tell what a draft is linked to.
        let visible = entity::proposition::Entity::find()
            .select_only()
            .column(entity::proposition::Column::Id)
            .filter(entity::proposition::Column::Id.is_in(f.proposition_ids.clone()))
            .filter(crate::registry::proposition::visible_to(actor))
            .into_query();
        let linked = knowledge_link::Entity::find()
            .select_only()
            .column(knowledge_link::Column::StudyId)
            .filter(knowledge_link::Column::PropositionId.in_subquery(visible.clone()))
            .into_query();
        let followed = journey::Entity::find()
            .select_only()
            .column(journey::Column::StudyId)
            .filter(
                journey::Column::Id.in_subquery(
                    entity::journey_proposition::Entity::find()
                        .select_only()
                        .column(entity::journey_proposition::Column::JourneyId)
                        .filter(entity::journey_proposition::Column::PropositionId.in_subquery(visible))
                        .into_query(),
                ),
            )
            .into_query();
        cond = cond.add(Condition::any().add(S::Id.in_subquery(linked)).add(S::Id.in_subquery(followed)));
    }
    Ok(cond)
}

/// The ids of the studies matching a filter (visibility is the caller's concern).
pub async fn filtered_ids<C: ConnectionTrait>(db: &C, actor: &Actor, f: &StudyFilter) -> AppResult<SelectStatement> {
    let cond = filter_condition(db, actor, f).await?;
    Ok(study::Entity::find().select_only().column(study::Column::Id).filter(cond).into_query())
}

type KeyOf = fn(&study::Model) -> (SortValue, i64);

fn keyset(sort: StudySort) -> Keyset<study::Entity, KeyOf> {
    match sort {
        StudySort::Newest => Keyset {
            sort: Some(study::Column::PeriodStart),
            id: study::Column::Id,
            descending: true,
            key_of: |m| (SortValue::Date(m.period_start), m.id),
        },
        StudySort::Title => Keyset {
            sort: Some(study::Column::Title),
            id: study::Column::Id,
            descending: false,
            key_of: |m| (SortValue::Text(m.title.clone()), m.id),
        },
    }
}

async fn select(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[StudyFilter],
) -> AppResult<sea_orm::Select<study::Entity>> {
    let mut select = study::Entity::find().filter(visible_to(actor));
    for f in filters {
        select = select.filter(filter_condition(db, actor, f).await?);
    }
    Ok(select)
}

/// A page of the studies the actor may see that match every filter.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[StudyFilter],
    sort: StudySort,
    args: &PageArgs,
) -> AppResult<Page<study::Model>> {
    let select = select(db, actor, filters).await?;
    keyset(sort).fetch(db, select, args).await
}

/// How many studies the actor may see match every filter.
pub async fn count(db: &DatabaseConnection, actor: &Actor, filters: &[StudyFilter]) -> AppResult<u64> {
    Ok(select(db, actor, filters).await?.count(db).await?)
}

// ---- writing -----------------------------------------------------------------------------------

/// The fields of a study as a client sends them; on update, absent means "leave as is".
#[derive(Debug, Clone, Default)]
pub struct StudyInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub methods: Option<Vec<ResearchMethod>>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Patch<NaiveDate>,
    pub participant_count: Patch<i32>,
    pub commissioned_by: Option<Vec<i64>>,
    pub conducted_by: Option<Vec<i64>>,
    pub target_group_codes: Option<Vec<String>>,
    pub municipality_codes: Option<Vec<String>>,
    pub province_codes: Option<Vec<String>>,
    pub report_url: Patch<String>,
    pub quotes_anonymised: Option<bool>,
    pub consent_recorded: Option<bool>,
    pub valid_until: Patch<NaiveDate>,
    pub visibility: Option<Visibility>,
}

/// The links of a study, as stored.
#[derive(Debug, Clone, Default)]
struct StudyLinks {
    methods: Vec<ResearchMethod>,
    commissioned_by: Vec<i64>,
    conducted_by: Vec<i64>,
    target_groups: Vec<i64>,
    municipalities: Vec<i64>,
    provinces: Vec<i64>,
}

async fn links_of<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<StudyLinks> {
    let mut methods: Vec<ResearchMethod> = study_method::Entity::find()
        .select_only()
        .column(study_method::Column::Method)
        .filter(study_method::Column::StudyId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    methods.sort_by_key(|m| *m as u8);
    Ok(StudyLinks {
        methods,
        commissioned_by: linked_ids!(db, study_commissioner, StudyId, id, OrganisationId),
        conducted_by: linked_ids!(db, study_conductor, StudyId, id, OrganisationId),
        target_groups: linked_ids!(db, study_target_group, StudyId, id, TargetGroupId),
        municipalities: linked_ids!(db, study_municipality, StudyId, id, MunicipalityId),
        provinces: linked_ids!(db, study_province, StudyId, id, ProvinceId),
    })
}

async fn write_links<C: ConnectionTrait>(db: &C, id: i64, links: &StudyLinks) -> AppResult<()> {
    replace_linked!(db, study_method, StudyId, id, Method, links.methods.clone());
    replace_linked!(db, study_commissioner, StudyId, id, OrganisationId, links.commissioned_by.clone());
    replace_linked!(db, study_conductor, StudyId, id, OrganisationId, links.conducted_by.clone());
    replace_linked!(db, study_target_group, StudyId, id, TargetGroupId, links.target_groups.clone());
    replace_linked!(db, study_municipality, StudyId, id, MunicipalityId, links.municipalities.clone());
    replace_linked!(db, study_province, StudyId, id, ProvinceId, links.provinces.clone());
    Ok(())
}

fn snapshot(m: &study::Model, links: &StudyLinks) -> serde_json::Value {
    let mut v = history::snapshot(m);
    v["methods"] = json!(links.methods);
    v["commissionedByIds"] = json!(links.commissioned_by);
    v["conductedByIds"] = json!(links.conducted_by);
    v["targetGroupIds"] = json!(links.target_groups);
    v["municipalityIds"] = json!(links.municipalities);
    v["provinceIds"] = json!(links.provinces);
    v
}

async fn organisations_checked<C: ConnectionTrait>(
    db: &C,
    field: &str,
    ids: Vec<i64>,
    libraries_only: bool,
) -> AppResult<Vec<i64>> {
    let ids = dedup(ids);
    let found = organisation::Entity::find().filter(organisation::Column::Id.is_in(ids.clone())).all(db).await?;
    if found.len() != ids.len() {
        return Err(AppError::invalid(field, "every organisation must be one in the registry"));
    }
    if libraries_only && found.iter().any(|o| o.kind != OrganisationKind::Library) {
        return Err(AppError::invalid(field, "a study is commissioned by libraries only"));
    }
    Ok(ids)
}

/// Applies input to a study (new when `cur` is `None`), checking every field; returns its links.
async fn apply<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    cur: Option<(&study::Model, &StudyLinks)>,
    input: &StudyInput,
    active: &mut study::ActiveModel,
) -> AppResult<StudyLinks> {
    let (cur_m, cur_l) = (cur.map(|c| c.0), cur.map(|c| c.1));
    let title = match (&input.title, cur_m) {
        (Some(t), _) => validate::required("title", t, 300)?,
        (None, Some(c)) => c.title.clone(),
        (None, None) => return Err(AppError::invalid("title", "is required")),
    };
    let summary = match (&input.summary, cur_m) {
        (Some(s), _) => validate::text("summary", s, 10_000)?,
        (None, Some(c)) => c.summary.clone(),
        (None, None) => String::new(),
    };
    let methods = match (&input.methods, cur_l) {
        (Some(m), _) => {
            let mut m = m.clone();
            m.sort_by_key(|x| *x as u8);
            m.dedup();
            m
        }
        (None, Some(l)) => l.methods.clone(),
        (None, None) => vec![],
    };
    if methods.is_empty() {
        return Err(AppError::invalid("methods", "name at least one research method"));
    }
    let period_start = input
        .period_start
        .or(cur_m.map(|c| c.period_start))
        .ok_or_else(|| AppError::invalid("periodStart", "is required"))?;
    let period_end = match &input.period_end {
        None => cur_m.and_then(|c| c.period_end),
        Some(v) => *v,
    };
    if period_end.is_some_and(|e| e < period_start) {
        return Err(AppError::invalid("periodEnd", "must not be before periodStart"));
    }
    let participant_count = match &input.participant_count {
        None => cur_m.and_then(|c| c.participant_count),
        Some(v) => *v,
    };
    if participant_count.is_some_and(|n| !(0..=10_000_000).contains(&n)) {
        return Err(AppError::invalid("participantCount", "must be between 0 and 10000000"));
    }
    let report_url = match &input.report_url {
        None => cur_m.and_then(|c| c.report_url.clone()),
        Some(v) => validate::url("reportUrl", v.as_deref())?,
    };
    let valid_until = match &input.valid_until {
        Some(Some(v)) => *v,
        Some(None) => default_valid_until(period_start, period_end),
        None => match cur_m {
            Some(c) => c.valid_until,
            None => default_valid_until(period_start, period_end),
        },
    };
    if valid_until < period_start {
        return Err(AppError::invalid("validUntil", "must not be before periodStart"));
    }

    let commissioned_by = match (&input.commissioned_by, cur_l) {
        (Some(ids), _) => organisations_checked(db, "commissionedByIds", ids.clone(), true).await?,
        (None, Some(l)) => l.commissioned_by.clone(),
        (None, None) => vec![],
    };
    let conducted_by = match (&input.conducted_by, cur_l) {
        (Some(ids), _) => organisations_checked(db, "conductedByIds", ids.clone(), false).await?,
        (None, Some(l)) => l.conducted_by.clone(),
        (None, None) => vec![],
    };
    if commissioned_by.is_empty() && conducted_by.is_empty() {
        return Err(AppError::invalid(
            "conductedByIds",
            "name the organisations that ran the study or it was done for",
        ));
    }
    if !actor.is_maintainer() {
        let own = actor.organisation_id();
        if !own.is_some_and(|o| commissioned_by.contains(&o) || conducted_by.contains(&o)) {
            return Err(AppError::invalid(
                "conductedByIds",
                "name your own organisation on the study, as commissioner or as conductor",
            ));
        }
    }
    let target_groups = match (&input.target_group_codes, cur_l) {
        (Some(codes), _) => dedup(target_group_ids(db, "targetGroupCodes", codes).await?),
        (None, Some(l)) => l.target_groups.clone(),
        (None, None) => vec![],
    };
    let municipalities = match (&input.municipality_codes, cur_l) {
        (Some(codes), _) => dedup(municipality_ids(db, "municipalityCodes", codes).await?),
        (None, Some(l)) => l.municipalities.clone(),
        (None, None) => vec![],
    };
    let provinces = match (&input.province_codes, cur_l) {
        (Some(codes), _) => {
            let mut ids = Vec::new();
            for code in codes {
                ids.push(province_by_code(db, "provinceCodes", code).await?.id);
            }
            dedup(ids)
        }
        (None, Some(l)) => l.provinces.clone(),
        (None, None) => vec![],
    };

    active.title = Set(title);
    active.summary = Set(summary);
    active.period_start = Set(period_start);
    active.period_end = Set(period_end);
    active.participant_count = Set(participant_count);
    active.report_url = Set(report_url);
    active.quotes_anonymised = Set(input.quotes_anonymised.or(cur_m.map(|c| c.quotes_anonymised)).unwrap_or(false));
    active.consent_recorded = Set(input.consent_recorded.or(cur_m.map(|c| c.consent_recorded)).unwrap_or(false));
    active.valid_until = Set(valid_until);
    active.visibility = Set(input.visibility.or(cur_m.map(|c| c.visibility)).unwrap_or(Visibility::Private));
    active.evidence_strength = Set(evidence_strength(&methods, participant_count));
    Ok(StudyLinks { methods, commissioned_by, conducted_by, target_groups, municipalities, provinces })
}

/// Records a new study. Libraries and support organisations record studies they are named on;
/// maintainers any.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: StudyInput) -> AppResult<study::Model> {
    require_signed_in(actor)?;
    if !(actor.is_maintainer() || is_writer_role(actor)) {
        return Err(AppError::Forbidden("only libraries, support organisations and maintainers record studies".into()));
    }
    let txn = crate::kernel::begin_write(db).await?;
    let ts = now();
    let mut active = study::ActiveModel {
        id: NotSet,
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        ..Default::default()
    };
    let links = apply(&txn, actor, None, &input, &mut active).await?;
    let model = study::Entity::insert(active).exec_with_returning(&txn).await?;
    write_links(&txn, model.id, &links).await?;
    let after = snapshot(&model, &links);
    history::record(&txn, actor, Change::created(RecordKind::Study, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

/// Changes a study; its insights follow a change in evidence strength.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: StudyInput,
) -> AppResult<study::Model> {
    let txn = crate::kernel::begin_write(db).await?;
    let current = require_editable(&txn, actor, id).await?;
    check_version("study", expected_version, current.version)?;
    let cur_links = links_of(&txn, id).await?;
    let mut active: study::ActiveModel = current.clone().into();
    let links = apply(&txn, actor, Some((&current, &cur_links)), &input, &mut active).await?;
    let model = save_versioned::<study::Entity, _>(&txn, active, id, current.version).await?;
    write_links(&txn, id, &links).await?;
    if model.evidence_strength != current.evidence_strength {
        insight::Entity::update_many()
            .col_expr(insight::Column::EvidenceStrength, model.evidence_strength.into())
            .col_expr(insight::Column::EvidenceRank, model.evidence_strength.rank().into())
            .filter(insight::Column::StudyId.eq(id))
            .exec(&txn)
            .await?;
    }
    let (before, after) = (snapshot(&current, &cur_links), snapshot(&model, &links));
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::Study, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// One page of studies per parent (organisation, standard proposition, target group), in one
/// statement, for nested lists under many parents.
pub async fn list_scoped(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: KnowledgeParent,
    parent_ids: &[i64],
    filters: &[StudyFilter],
    sort: StudySort,
    args: &PageArgs,
) -> AppResult<std::collections::HashMap<i64, Page<study::Model>>> {
    let select = select(db, actor, filters).await?;
    let scope = scope::studies(db, actor, parent, parent_ids).await?;
    keyset(sort).fetch_scoped(db, select, scope, args).await
}

/// How many studies each parent has that the actor may see and that match.
pub async fn count_scoped(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: KnowledgeParent,
    parent_ids: &[i64],
    filters: &[StudyFilter],
) -> AppResult<std::collections::HashMap<i64, u64>> {
    let select = select(db, actor, filters).await?;
    let scope = scope::studies(db, actor, parent, parent_ids).await?;
    crate::kernel::page::count_scoped(db, select, study::Column::Id, scope).await
}
