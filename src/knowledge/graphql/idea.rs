//! Improvement ideas and their adoptions in the API.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{adoption, idea};

use crate::connection;
use crate::error::{AppError, AppResult};
use crate::kernel::enums::{AdoptionStatus, IdeaPriority};
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::nested::{ListCount, nested_page};
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::knowledge::graphql::insight::{Insight, InsightFilterInput};
use crate::knowledge::graphql::lists::Ideas;
use crate::knowledge::graphql::loaders::{
    IdeaAdoptions, IdeaInsights, VisibleIdeaKey, VisibleInsightKey, VisibleStudyKey,
};
use crate::knowledge::graphql::study::Study;
use crate::knowledge::idea as svc;
use crate::knowledge::idea::{AdoptionInput, IdeaFilter, IdeaInput};
use crate::knowledge::scope::KnowledgeParent;
use crate::registry::graphql::loaders::{OrganisationKey, VisiblePropositionKey};
use crate::registry::graphql::organisation::Organisation;
use crate::registry::graphql::proposition::Proposition;
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// An improvement idea (verbeteridee) that answers insights of a study, ranked in a bucket.
#[derive(Clone)]
pub struct ImprovementIdea(pub idea::Model);

/// An improvement idea (verbeteridee) that answers insights of a study, ranked in a bucket.
#[Object]
impl ImprovementIdea {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("ImprovementIdea", self.0.id)
    }
    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the idea is.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The bucket it was ranked in: do now, later, or consider.
    async fn priority(&self) -> IdeaPriority {
        self.0.priority.into()
    }
    /// The study it came out of.
    async fn study(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Study>> {
        Ok(one(ctx, VisibleStudyKey(self.0.study_id)).await?.map(Study))
    }
    /// The insights it answers (at most 50).
    async fn insights(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Insight>> {
        let ids = one(ctx, IdeaInsights(self.0.id)).await?.unwrap_or_default();
        let list = many(ctx, ids.into_iter().map(VisibleInsightKey)).await?.into_iter().map(Insight).collect();
        Ok(cap(list, caps::RELATED, "ImprovementIdea.insights"))
    }
    /// The libraries that took it up, with status and effect (at most 200).
    async fn adoptions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Adoption>> {
        let list = one(ctx, IdeaAdoptions(self.0.id)).await?.unwrap_or_default().into_iter().map(Adoption).collect();
        Ok(cap(list, caps::IDEA_ADOPTIONS, "ImprovementIdea.adoptions"))
    }
    /// How many libraries took it up (planned, in progress or done; dropped ones do not count).
    async fn adoption_count(&self, ctx: &Context<'_>) -> async_graphql::Result<usize> {
        let list = one(ctx, IdeaAdoptions(self.0.id)).await?.unwrap_or_default();
        Ok(list.iter().filter(|a| svc::counts_as_adopted(a)).count())
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
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
        history_page(ctx, RecordKind::Idea, self.0.id, first, after).await
    }
}

/// A library taking up an improvement idea (e.g. Zoetermeer's activity punch card).
#[derive(Clone)]
pub struct Adoption(pub adoption::Model);

/// A library taking up an improvement idea (e.g. Zoetermeer's activity punch card).
#[Object]
impl Adoption {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Adoption", self.0.id)
    }
    /// The idea taken up.
    async fn idea(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ImprovementIdea>> {
        Ok(one(ctx, VisibleIdeaKey(self.0.idea_id)).await?.map(ImprovementIdea))
    }
    /// The library that took it up.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(one(ctx, OrganisationKey(self.0.organisation_id)).await?.map(Organisation))
    }
    /// The library's proposition it was carried out in, if any (and if you may see it).
    async fn proposition(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Proposition>> {
        match self.0.proposition_id {
            Some(id) => Ok(one(ctx, VisiblePropositionKey(id)).await?.map(Proposition)),
            None => Ok(None),
        }
    }
    /// How far the library is.
    async fn status(&self) -> AdoptionStatus {
        self.0.status.into()
    }
    /// When it started.
    async fn started_on(&self) -> Option<NaiveDate> {
        self.0.started_on
    }
    /// When it was done (or dropped).
    async fn completed_on(&self) -> Option<NaiveDate> {
        self.0.completed_on
    }
    /// What it brought about.
    async fn effect_note(&self) -> Option<&str> {
        self.0.effect_note.as_deref()
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
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
        history_page(ctx, RecordKind::Adoption, self.0.id, first, after).await
    }
}

connection!(IdeaConnection, IdeaEdge, ImprovementIdea, ListCount<Ideas>, "idea");

/// Which ideas to list. Values within a field are alternatives; fields all apply.
#[derive(InputObject, Default)]
pub struct IdeaFilterInput {
    /// Only ideas in these buckets.
    pub priorities: Option<Vec<IdeaPriority>>,
    /// Only ideas of these studies.
    pub study_ids: Option<Vec<ID>>,
    /// Only ideas answering an insight that matches this filter.
    pub insights: Option<InsightFilterInput>,
    /// Only ideas adopted by these libraries (slugs).
    pub adopted_by: Option<Vec<String>>,
    /// `true`: only ideas that an organisation not named on their study adopted (which ideas from
    /// one library's journey did others take up); `false`: only ideas no other organisation adopted.
    pub adopted_elsewhere: Option<bool>,
}

impl IdeaFilterInput {
    fn into_filter(self) -> AppResult<IdeaFilter> {
        let insights = self.insights.map(InsightFilterInput::into_filter).transpose()?;
        Ok(IdeaFilter {
            study_ids: ids::decode_all("filter.studyIds", "Study", &self.study_ids.unwrap_or_default())?,
            priorities: self.priorities.unwrap_or_default().into_iter().map(Into::into).collect(),
            insights,
            adopted_by: self.adopted_by.unwrap_or_default(),
            adopted_elsewhere: self.adopted_elsewhere,
        })
    }
}

/// Loads a page of ideas matching the client's filter.
pub async fn idea_page(
    ctx: &Context<'_>,
    filter: Option<IdeaFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<IdeaConnection> {
    let filters: Vec<IdeaFilter> = filter.map(IdeaFilterInput::into_filter).transpose()?.into_iter().collect();
    let page = svc::list(db(ctx), actor(ctx), &filters, &PageArgs { first, after }).await?;
    Ok(IdeaConnection::new(page, ListCount::Filters(filters), ImprovementIdea))
}

/// Loads one parent's page of ideas (those answering its insights), batched with its siblings'.
pub async fn scoped_idea_page(
    ctx: &Context<'_>,
    parent: KnowledgeParent,
    id: i64,
    filter: Option<IdeaFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<IdeaConnection> {
    let filters: Vec<IdeaFilter> = filter.map(IdeaFilterInput::into_filter).transpose()?.into_iter().collect();
    let (page, count) = nested_page::<Ideas>(ctx, parent, id, filters, (), PageArgs { first, after }).await?;
    Ok(IdeaConnection::new(page, count, ImprovementIdea))
}

/// Reads of improvement ideas; what you see depends on their study's visibility.
#[derive(Default)]
pub struct IdeaQuery;

/// Reads of improvement ideas; what you see depends on their study's visibility.
#[Object]
impl IdeaQuery {
    /// Improvement ideas the caller may see, in the order they were recorded.
    async fn improvement_ideas(
        &self,
        ctx: &Context<'_>,
        filter: Option<IdeaFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<IdeaConnection> {
        idea_page(ctx, filter, first, after).await
    }

    /// One improvement idea by id; `NOT_FOUND` when it does not exist or the caller may not see it.
    async fn improvement_idea(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ImprovementIdea> {
        let id = ids::decode("id", "ImprovementIdea", &id)?;
        one(ctx, VisibleIdeaKey(id))
            .await?
            .map(ImprovementIdea)
            .ok_or_else(|| AppError::NotFound("improvement idea".into()).into())
    }
}

/// A new improvement idea of a study.
#[derive(InputObject)]
pub struct CreateIdeaInput {
    /// The study it came out of.
    pub study_id: ID,
    /// The title (at most 300 characters).
    pub title: String,
    /// What the idea is.
    pub description: Option<String>,
    /// The bucket it was ranked in.
    pub priority: IdeaPriority,
    /// The insights of the same study it answers.
    pub insight_ids: Option<Vec<ID>>,
}

/// Changes to an idea; absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateIdeaInput {
    /// The idea.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new title.
    pub title: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// A new bucket.
    pub priority: Option<IdeaPriority>,
    /// New insights, replacing the old ones.
    pub insight_ids: Option<Vec<ID>>,
}

/// A library taking up an idea.
#[derive(InputObject)]
pub struct AdoptIdeaInput {
    /// The idea.
    pub idea_id: ID,
    /// The library that takes it up (your own).
    pub organisation_id: ID,
    /// How far it is; PLANNED when left out.
    pub status: Option<AdoptionStatus>,
    /// When it started.
    pub started_on: Option<NaiveDate>,
    /// When it was done or dropped.
    pub completed_on: Option<NaiveDate>,
    /// What it brought about.
    pub effect_note: Option<String>,
    /// The library's proposition it is carried out in.
    pub proposition_id: Option<ID>,
}

/// Changes to an adoption; absent fields stay as they are, null clears an optional one.
#[derive(InputObject)]
pub struct UpdateAdoptionInput {
    /// The adoption.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new status.
    pub status: Option<AdoptionStatus>,
    /// A new start date, or null.
    pub started_on: MaybeUndefined<NaiveDate>,
    /// A new completion date, or null.
    pub completed_on: MaybeUndefined<NaiveDate>,
    /// A new effect note, or null.
    pub effect_note: MaybeUndefined<String>,
    /// A new proposition, or null.
    pub proposition_id: MaybeUndefined<ID>,
}

/// The result of a change to an idea.
#[derive(SimpleObject)]
pub struct IdeaPayload {
    /// The idea as it is now.
    pub idea: ImprovementIdea,
}

/// The result of a change to an adoption.
#[derive(SimpleObject)]
pub struct AdoptionPayload {
    /// The adoption as it is now.
    pub adoption: Adoption,
}

fn insight_ids(list: Option<Vec<ID>>) -> AppResult<Option<Vec<i64>>> {
    list.map(|l| ids::decode_all("insightIds", "Insight", &l)).transpose()
}

/// Changes to ideas (by the organisations named on their study) and adoptions (by the library).
#[derive(Default)]
pub struct IdeaMutation;

/// Changes to ideas (by the organisations named on their study) and adoptions (by the library).
#[Object]
impl IdeaMutation {
    /// Records an improvement idea of a study.
    async fn create_improvement_idea(
        &self,
        ctx: &Context<'_>,
        input: CreateIdeaInput,
    ) -> async_graphql::Result<IdeaPayload> {
        let study = ids::decode("studyId", "Study", &input.study_id)?;
        let data = IdeaInput {
            title: Some(input.title),
            description: input.description,
            priority: Some(input.priority.into()),
            insight_ids: insight_ids(input.insight_ids)?,
        };
        let model = svc::create(db(ctx), actor(ctx), study, data).await?;
        Ok(IdeaPayload { idea: ImprovementIdea(model) })
    }

    /// Changes an improvement idea.
    async fn update_improvement_idea(
        &self,
        ctx: &Context<'_>,
        input: UpdateIdeaInput,
    ) -> async_graphql::Result<IdeaPayload> {
        let id = ids::decode("id", "ImprovementIdea", &input.id)?;
        let data = IdeaInput {
            title: input.title,
            description: input.description,
            priority: input.priority.map(Into::into),
            insight_ids: insight_ids(input.insight_ids)?,
        };
        let model = svc::update(db(ctx), actor(ctx), id, input.expected_version, data).await?;
        Ok(IdeaPayload { idea: ImprovementIdea(model) })
    }

    /// Records that your library took up an idea; once per idea (`CONFLICT` the second time).
    async fn adopt_improvement_idea(
        &self,
        ctx: &Context<'_>,
        input: AdoptIdeaInput,
    ) -> async_graphql::Result<AdoptionPayload> {
        let idea = ids::decode("ideaId", "ImprovementIdea", &input.idea_id)?;
        let org = ids::decode("organisationId", "Organisation", &input.organisation_id)?;
        let proposition =
            input.proposition_id.as_ref().map(|p| ids::decode("propositionId", "Proposition", p)).transpose()?;
        let data = AdoptionInput {
            status: input.status.map(Into::into),
            started_on: Some(input.started_on),
            completed_on: Some(input.completed_on),
            effect_note: Some(input.effect_note),
            proposition_id: Some(proposition),
        };
        let model = svc::adopt(db(ctx), actor(ctx), idea, org, data).await?;
        Ok(AdoptionPayload { adoption: Adoption(model) })
    }

    /// Changes your library's adoption of an idea: status, dates, effect.
    async fn update_adoption(
        &self,
        ctx: &Context<'_>,
        input: UpdateAdoptionInput,
    ) -> async_graphql::Result<AdoptionPayload> {
        let id = ids::decode("id", "Adoption", &input.id)?;
        let proposition = match input.proposition_id.into() {
            None => None,
            Some(None) => Some(None),
            Some(Some(p)) => Some(Some(ids::decode("propositionId", "Proposition", &p)?)),
        };
        let data = AdoptionInput {
            status: input.status.map(Into::into),
            started_on: input.started_on.into(),
            completed_on: input.completed_on.into(),
            effect_note: input.effect_note.into(),
            proposition_id: proposition,
        };
        let model = svc::update_adoption(db(ctx), actor(ctx), id, input.expected_version, data).await?;
        Ok(AdoptionPayload { adoption: Adoption(model) })
    }
}
