//! Research studies in the API: the type, its filters, the lists, and the mutations.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::study;

use crate::common_model::graphql::{Municipality, Province, TargetGroup};
use crate::common_model::loaders::{MunicipalityKey, ProvinceKey, TargetGroupKey};
use crate::connection;
use crate::error::{AppError, AppResult};
use crate::kernel::enums::{EvidenceStrength, ResearchMethod, Visibility};
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::nested::{ListCount, nested_page};
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::knowledge::graphql::idea::ImprovementIdea;
use crate::knowledge::graphql::insight::Insight;
use crate::knowledge::graphql::journey::CustomerJourney;
use crate::knowledge::graphql::link::KnowledgeLink;
use crate::knowledge::graphql::lists::Studies;
use crate::knowledge::graphql::loaders::{
    StudyCommissioners, StudyConductors, StudyIdeas, StudyInsights, StudyJourneys, StudyLinks, StudyMethods,
    StudyMunicipalities, StudyProvinces, StudyTargetGroups, VisibleStudyKey,
};
use crate::knowledge::scope::KnowledgeParent;
use crate::knowledge::study as svc;
use crate::knowledge::study::{Freshness, StudyFilter, StudyInput, StudySort};
use crate::registry::graphql::loaders::OrganisationKey;
use crate::registry::graphql::organisation::Organisation;
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// A research study: customer research done for one or more libraries, often run by a support
/// organisation, shared with the network as far as its visibility allows.
#[derive(Clone)]
pub struct Study(pub study::Model);

/// A research study: customer research done for one or more libraries, often run by a support
/// organisation, shared with the network as far as its visibility allows.
#[Object]
impl Study {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Study", self.0.id)
    }
    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What was researched, how, and what came out, in a few sentences.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The research methods used.
    async fn methods(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ResearchMethod>> {
        Ok(one(ctx, StudyMethods(self.0.id)).await?.unwrap_or_default().into_iter().map(Into::into).collect())
    }
    /// When the research started.
    async fn period_start(&self) -> NaiveDate {
        self.0.period_start
    }
    /// When the research ended.
    async fn period_end(&self) -> Option<NaiveDate> {
        self.0.period_end
    }
    /// How many people took part (or records were analysed).
    async fn participant_count(&self) -> Option<i32> {
        self.0.participant_count
    }
    /// The libraries the study was done for (at most 20).
    async fn commissioned_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let ids = one(ctx, StudyCommissioners(self.0.id)).await?.unwrap_or_default();
        let list = many(ctx, ids.into_iter().map(OrganisationKey)).await?.into_iter().map(Organisation).collect();
        Ok(cap(list, caps::STUDY_ORGANISATIONS, "Study.commissionedBy"))
    }
    /// The organisations that ran it, often a support organisation (at most 20).
    async fn conducted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let ids = one(ctx, StudyConductors(self.0.id)).await?.unwrap_or_default();
        let list = many(ctx, ids.into_iter().map(OrganisationKey)).await?.into_iter().map(Organisation).collect();
        Ok(cap(list, caps::STUDY_ORGANISATIONS, "Study.conductedBy"))
    }
    /// The target groups it concerns.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let ids = one(ctx, StudyTargetGroups(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(TargetGroupKey)).await?.into_iter().map(TargetGroup).collect())
    }
    /// The municipalities it covers.
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let ids = one(ctx, StudyMunicipalities(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(MunicipalityKey)).await?.into_iter().map(Municipality).collect())
    }
    /// The provinces it covers as a whole.
    async fn provinces(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Province>> {
        let ids = one(ctx, StudyProvinces(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(ProvinceKey)).await?.into_iter().map(Province).collect())
    }
    /// A link to the full report.
    async fn report_url(&self) -> Option<&str> {
        self.0.report_url.as_deref()
    }
    /// Whether participants' quotes are anonymised.
    async fn quotes_anonymised(&self) -> bool {
        self.0.quotes_anonymised
    }
    /// Whether participants' consent was recorded.
    async fn consent_recorded(&self) -> bool {
        self.0.consent_recorded
    }
    /// The day after which the study counts as stale.
    async fn valid_until(&self) -> NaiveDate {
        self.0.valid_until
    }
    /// Whether the study is past its `validUntil` date.
    async fn is_stale(&self) -> bool {
        self.0.valid_until < Utc::now().date_naive()
    }
    /// Who may see the study and everything in it.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }
    /// How strongly its method and size support its findings.
    async fn evidence_strength(&self) -> EvidenceStrength {
        self.0.evidence_strength.into()
    }
    /// The customer journeys mapped in it (at most 20).
    async fn journeys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CustomerJourney>> {
        let list = one(ctx, StudyJourneys(self.0.id)).await?.unwrap_or_default().into_iter().map(CustomerJourney);
        Ok(cap(list.collect(), caps::STUDY_JOURNEYS, "Study.journeys"))
    }
    /// Its insights, strongest evidence first (at most 200).
    async fn insights(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Insight>> {
        let list = one(ctx, StudyInsights(self.0.id)).await?.unwrap_or_default().into_iter().map(Insight);
        Ok(cap(list.collect(), caps::STUDY_PARTS, "Study.insights"))
    }
    /// The improvement ideas that came out of it (at most 200).
    async fn ideas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ImprovementIdea>> {
        let list = one(ctx, StudyIdeas(self.0.id)).await?.unwrap_or_default().into_iter().map(ImprovementIdea);
        Ok(cap(list.collect(), caps::STUDY_PARTS, "Study.ideas"))
    }
    /// Its links to propositions and standard propositions, and those of its insights (at most 200).
    async fn links(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<KnowledgeLink>> {
        let list = one(ctx, StudyLinks(self.0.id)).await?.unwrap_or_default().into_iter().map(KnowledgeLink);
        Ok(cap(list.collect(), caps::STUDY_PARTS, "Study.links"))
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The version, for `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Every change to this record, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        history_page(ctx, RecordKind::Study, self.0.id, first, after).await
    }
}

connection!(StudyConnection, StudyEdge, Study, ListCount<Studies>, "study");

/// Whether research is still current.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum StudyFreshness {
    /// On or before its `validUntil` date.
    Fresh,
    /// Past its `validUntil` date.
    Stale,
}

/// Which studies to list. Values within a field are alternatives; fields all apply.
#[derive(InputObject, Default)]
pub struct StudyFilterInput {
    /// Only studies about these target groups or narrower ones (codes): named on the study, followed
    /// by a journey, or named on an insight.
    pub target_groups: Option<Vec<String>>,
    /// Only studies about these standard propositions (codes): through a journey, an insight or a link.
    pub standard_propositions: Option<Vec<String>>,
    /// Only studies covering these provinces (codes or names), as a whole or through a municipality.
    pub provinces: Option<Vec<String>>,
    /// Only studies covering these municipalities (CBS codes or names).
    pub municipalities: Option<Vec<String>>,
    /// Only studies that used one of these methods.
    pub methods: Option<Vec<ResearchMethod>>,
    /// Only studies run by these organisations (slugs).
    pub conducted_by: Option<Vec<String>>,
    /// Only studies done for these libraries (slugs).
    pub commissioned_by: Option<Vec<String>>,
    /// Only studies naming these organisations in either role (slugs).
    pub organisations: Option<Vec<String>>,
    /// Only studies naming none of these organisations in either role (slugs): research done
    /// elsewhere.
    pub excluding_organisations: Option<Vec<String>>,
    /// Only studies with these visibilities (you only ever see what you may see).
    pub visibilities: Option<Vec<Visibility>>,
    /// Only fresh, or only stale, studies.
    pub freshness: Option<StudyFreshness>,
    /// Only studies linked to, or following in a journey, these propositions.
    pub proposition_ids: Option<Vec<ID>>,
}

impl StudyFilterInput {
    /// The service filter this input asks for.
    pub fn into_filter(self) -> AppResult<StudyFilter> {
        Ok(StudyFilter {
            target_group_codes: self.target_groups.unwrap_or_default(),
            standard_proposition_codes: self.standard_propositions.unwrap_or_default(),
            province_codes: self.provinces.unwrap_or_default(),
            municipality_codes: self.municipalities.unwrap_or_default(),
            methods: self.methods.unwrap_or_default().into_iter().map(Into::into).collect(),
            conducted_by: self.conducted_by.unwrap_or_default(),
            commissioned_by: self.commissioned_by.unwrap_or_default(),
            organisations: self.organisations.unwrap_or_default(),
            excluding_organisations: self.excluding_organisations.unwrap_or_default(),
            visibilities: self.visibilities.unwrap_or_default().into_iter().map(Into::into).collect(),
            freshness: self.freshness.map(|f| match f {
                StudyFreshness::Fresh => Freshness::Fresh,
                StudyFreshness::Stale => Freshness::Stale,
            }),
            proposition_ids: ids::decode_all(
                "filter.propositionIds",
                "Proposition",
                &self.proposition_ids.unwrap_or_default(),
            )?,
        })
    }
}

/// How to order studies.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum StudyOrder {
    /// Most recent research first.
    #[default]
    Newest,
    /// By title.
    Title,
}

/// Loads a page of studies matching the client's filter.
pub async fn study_page(
    ctx: &Context<'_>,
    filter: Option<StudyFilterInput>,
    order_by: Option<StudyOrder>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<StudyConnection> {
    let filters: Vec<StudyFilter> = filter.map(StudyFilterInput::into_filter).transpose()?.into_iter().collect();
    let page = svc::list(db(ctx), actor(ctx), &filters, sort_of(order_by), &PageArgs { first, after }).await?;
    Ok(StudyConnection::new(page, ListCount::Filters(filters), Study))
}

fn sort_of(order_by: Option<StudyOrder>) -> StudySort {
    match order_by.unwrap_or_default() {
        StudyOrder::Newest => StudySort::Newest,
        StudyOrder::Title => StudySort::Title,
    }
}

/// Loads one parent's page of studies, batched with those of its siblings in the same list.
pub async fn scoped_study_page(
    ctx: &Context<'_>,
    parent: KnowledgeParent,
    id: i64,
    filter: Option<StudyFilterInput>,
    order_by: Option<StudyOrder>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<StudyConnection> {
    let filters: Vec<StudyFilter> = filter.map(StudyFilterInput::into_filter).transpose()?.into_iter().collect();
    let (page, count) =
        nested_page::<Studies>(ctx, parent, id, filters, sort_of(order_by), PageArgs { first, after }).await?;
    Ok(StudyConnection::new(page, count, Study))
}

/// Reads of research studies; what you see depends on each study's visibility.
#[derive(Default)]
pub struct StudyQuery;

/// Reads of research studies; what you see depends on each study's visibility.
#[Object]
impl StudyQuery {
    /// Studies the caller may see, filtered, newest first unless asked otherwise.
    async fn studies(
        &self,
        ctx: &Context<'_>,
        filter: Option<StudyFilterInput>,
        order_by: Option<StudyOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<StudyConnection> {
        study_page(ctx, filter, order_by, first, after).await
    }

    /// One study by id; `NOT_FOUND` when it does not exist or the caller may not see it.
    async fn study(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Study> {
        let id = ids::decode("id", "Study", &id)?;
        one(ctx, VisibleStudyKey(id)).await?.map(Study).ok_or_else(|| AppError::NotFound("study".into()).into())
    }
}

/// A new research study. Name your own organisation on it (as commissioner or conductor).
#[derive(InputObject)]
pub struct CreateStudyInput {
    /// The title (at most 300 characters).
    pub title: String,
    /// A summary.
    pub summary: Option<String>,
    /// The methods used; at least one.
    pub methods: Vec<ResearchMethod>,
    /// When the research started.
    pub period_start: NaiveDate,
    /// When it ended; not before the start.
    pub period_end: Option<NaiveDate>,
    /// How many people took part.
    pub participant_count: Option<i32>,
    /// The libraries it was done for.
    pub commissioned_by_ids: Option<Vec<ID>>,
    /// The organisations that ran it.
    pub conducted_by_ids: Option<Vec<ID>>,
    /// The target groups it concerns (codes).
    pub target_group_codes: Option<Vec<String>>,
    /// The municipalities it covers (CBS codes or names).
    pub municipality_codes: Option<Vec<String>>,
    /// The provinces it covers as a whole (codes or names).
    pub province_codes: Option<Vec<String>>,
    /// A link to the full report (http or https).
    pub report_url: Option<String>,
    /// Whether quotes are anonymised; false when left out.
    pub quotes_anonymised: Option<bool>,
    /// Whether consent was recorded; false when left out.
    pub consent_recorded: Option<bool>,
    /// When it turns stale; three years after it ended when left out.
    pub valid_until: Option<NaiveDate>,
    /// Who may see it; PRIVATE when left out.
    pub visibility: Option<Visibility>,
}

/// Changes to a study; absent fields stay as they are, null clears an optional one.
#[derive(InputObject)]
pub struct UpdateStudyInput {
    /// The study.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new title.
    pub title: Option<String>,
    /// A new summary.
    pub summary: Option<String>,
    /// New methods, replacing the old ones.
    pub methods: Option<Vec<ResearchMethod>>,
    /// A new start.
    pub period_start: Option<NaiveDate>,
    /// A new end, or null.
    pub period_end: MaybeUndefined<NaiveDate>,
    /// A new number of participants, or null.
    pub participant_count: MaybeUndefined<i32>,
    /// New commissioning libraries, replacing the old ones.
    pub commissioned_by_ids: Option<Vec<ID>>,
    /// New conducting organisations, replacing the old ones.
    pub conducted_by_ids: Option<Vec<ID>>,
    /// New target groups (codes), replacing the old ones.
    pub target_group_codes: Option<Vec<String>>,
    /// New municipalities (CBS codes or names), replacing the old ones.
    pub municipality_codes: Option<Vec<String>>,
    /// New provinces, replacing the old ones.
    pub province_codes: Option<Vec<String>>,
    /// A new report link, or null.
    pub report_url: MaybeUndefined<String>,
    /// Whether quotes are anonymised.
    pub quotes_anonymised: Option<bool>,
    /// Whether consent was recorded.
    pub consent_recorded: Option<bool>,
    /// A new stale date, or null for the default (three years after the end).
    pub valid_until: MaybeUndefined<NaiveDate>,
    /// A new visibility.
    pub visibility: Option<Visibility>,
}

/// The result of a change to a study.
#[derive(SimpleObject)]
pub struct StudyPayload {
    /// The study as it is now.
    pub study: Study,
}

fn org_ids(field: &str, list: Option<Vec<ID>>) -> AppResult<Option<Vec<i64>>> {
    list.map(|l| ids::decode_all(field, "Organisation", &l)).transpose()
}

/// Changes to research studies, by the organisations named on them (and network maintainers).
#[derive(Default)]
pub struct StudyMutation;

/// Changes to research studies, by the organisations named on them (and network maintainers).
#[Object]
impl StudyMutation {
    /// Records a research study.
    async fn create_study(&self, ctx: &Context<'_>, input: CreateStudyInput) -> async_graphql::Result<StudyPayload> {
        let data = StudyInput {
            title: Some(input.title),
            summary: input.summary,
            methods: Some(input.methods.into_iter().map(Into::into).collect()),
            period_start: Some(input.period_start),
            period_end: Some(input.period_end),
            participant_count: Some(input.participant_count),
            commissioned_by: Some(org_ids("commissionedByIds", input.commissioned_by_ids)?.unwrap_or_default()),
            conducted_by: Some(org_ids("conductedByIds", input.conducted_by_ids)?.unwrap_or_default()),
            target_group_codes: input.target_group_codes,
            municipality_codes: input.municipality_codes,
            province_codes: input.province_codes,
            report_url: Some(input.report_url),
            quotes_anonymised: input.quotes_anonymised,
            consent_recorded: input.consent_recorded,
            valid_until: Some(input.valid_until),
            visibility: input.visibility.map(Into::into),
        };
        let model = svc::create(db(ctx), actor(ctx), data).await?;
        Ok(StudyPayload { study: Study(model) })
    }

    /// Changes a research study.
    async fn update_study(&self, ctx: &Context<'_>, input: UpdateStudyInput) -> async_graphql::Result<StudyPayload> {
        let id = ids::decode("id", "Study", &input.id)?;
        let data = StudyInput {
            title: input.title,
            summary: input.summary,
            methods: input.methods.map(|m| m.into_iter().map(Into::into).collect()),
            period_start: input.period_start,
            period_end: input.period_end.into(),
            participant_count: input.participant_count.into(),
            commissioned_by: org_ids("commissionedByIds", input.commissioned_by_ids)?,
            conducted_by: org_ids("conductedByIds", input.conducted_by_ids)?,
            target_group_codes: input.target_group_codes,
            municipality_codes: input.municipality_codes,
            province_codes: input.province_codes,
            report_url: input.report_url.into(),
            quotes_anonymised: input.quotes_anonymised,
            consent_recorded: input.consent_recorded,
            valid_until: input.valid_until.into(),
            visibility: input.visibility.map(Into::into),
        };
        let model = svc::update(db(ctx), actor(ctx), id, input.expected_version, data).await?;
        Ok(StudyPayload { study: Study(model) })
    }
}
