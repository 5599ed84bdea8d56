//! Insights in the API: the type, the list (strongest evidence first) and the mutations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::insight;

use crate::common_model::graphql::{StandardProposition, TargetGroup};
use crate::common_model::loaders::{StandardPropositionKey, TargetGroupKey};
use crate::connection;
use crate::error::{AppError, AppResult};
use crate::kernel::enums::{EvidenceStrength, InsightState};
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::nested::{ListCount, nested_page};
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::knowledge::graphql::idea::ImprovementIdea;
use crate::knowledge::graphql::journey::{JourneyStage, Quote, quotes_in};
use crate::knowledge::graphql::link::KnowledgeLink;
use crate::knowledge::graphql::lists::Insights;
use crate::knowledge::graphql::loaders::{
    InsightIdeas, InsightLinks, InsightStandardPropositions, InsightTargetGroups, VisibleIdeaKey, VisibleInsightKey,
    VisibleStageKey, VisibleStudyKey,
};
use crate::knowledge::graphql::study::{Study, StudyFilterInput};
use crate::knowledge::insight as svc;
use crate::knowledge::insight::{InsightFilter, InsightInput};
use crate::knowledge::scope::KnowledgeParent;
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// An insight (inzicht) drawn from a study: a statement, its explanation and supporting quotes.
#[derive(Clone)]
pub struct Insight(pub insight::Model);

/// An insight (inzicht) drawn from a study: a statement, its explanation and supporting quotes.
#[Object]
impl Insight {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Insight", self.0.id)
    }
    /// The insight in one sentence.
    async fn statement(&self) -> &str {
        &self.0.statement
    }
    /// What lies behind it.
    async fn explanation(&self) -> &str {
        &self.0.explanation
    }
    /// Participants' words that support it (at most 20).
    async fn quotes(&self) -> Vec<Quote> {
        self.0.quotes.0.iter().take(caps::QUOTES).cloned().map(Into::into).collect()
    }
    /// The study it comes from.
    async fn study(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Study>> {
        Ok(one(ctx, VisibleStudyKey(self.0.study_id)).await?.map(Study))
    }
    /// The journey stage it was drawn from, if any.
    async fn stage(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<JourneyStage>> {
        match self.0.stage_id {
            Some(id) => Ok(one(ctx, VisibleStageKey(id)).await?.map(JourneyStage)),
            None => Ok(None),
        }
    }
    /// The target groups it concerns.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let ids = one(ctx, InsightTargetGroups(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(TargetGroupKey)).await?.into_iter().map(TargetGroup).collect())
    }
    /// The standard propositions it concerns.
    async fn standard_propositions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StandardProposition>> {
        let ids = one(ctx, InsightStandardPropositions(self.0.id)).await?.unwrap_or_default();
        Ok(many(ctx, ids.into_iter().map(StandardPropositionKey)).await?.into_iter().map(StandardProposition).collect())
    }
    /// How strongly its study's method and size support it.
    async fn evidence_strength(&self) -> EvidenceStrength {
        self.0.evidence_strength.into()
    }
    /// Whether it still holds.
    async fn state(&self) -> InsightState {
        self.0.state.into()
    }
    /// The insight that replaced it, when superseded.
    async fn superseded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Insight>> {
        match self.0.superseded_by_id {
            Some(id) => Ok(one(ctx, VisibleInsightKey(id)).await?.map(Insight)),
            None => Ok(None),
        }
    }
    /// The improvement ideas that answer it (at most 50).
    async fn ideas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ImprovementIdea>> {
        let ids = one(ctx, InsightIdeas(self.0.id)).await?.unwrap_or_default();
        let list = many(ctx, ids.into_iter().map(VisibleIdeaKey)).await?.into_iter().map(ImprovementIdea).collect();
        Ok(cap(list, caps::RELATED, "Insight.ideas"))
    }
    /// Its links to propositions and standard propositions (at most 50).
    async fn links(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<KnowledgeLink>> {
        let list =
            one(ctx, InsightLinks(self.0.id)).await?.unwrap_or_default().into_iter().map(KnowledgeLink).collect();
        Ok(cap(list, caps::RELATED, "Insight.links"))
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
        history_page(ctx, RecordKind::Insight, self.0.id, first, after).await
    }
}

connection!(InsightConnection, InsightEdge, Insight, ListCount<Insights>, "insight");

/// Which insights to list. Values within a field are alternatives; fields all apply.
#[derive(InputObject, Default)]
pub struct InsightFilterInput {
    /// Only insights about these target groups or narrower ones (codes).
    pub target_groups: Option<Vec<String>>,
    /// Only insights about these standard propositions (codes).
    pub standard_propositions: Option<Vec<String>>,
    /// Only insights in these states; all when left out.
    pub states: Option<Vec<InsightState>>,
    /// Only insights of these studies.
    pub study_ids: Option<Vec<ID>>,
    /// Only insights of studies matching this filter.
    pub study: Option<StudyFilterInput>,
}

impl InsightFilterInput {
    /// The service filter this input asks for.
    pub fn into_filter(self) -> AppResult<InsightFilter> {
        let study = self.study.map(StudyFilterInput::into_filter).transpose()?;
        Ok(InsightFilter {
            study_ids: ids::decode_all("filter.studyIds", "Study", &self.study_ids.unwrap_or_default())?,
            target_group_codes: self.target_groups.unwrap_or_default(),
            standard_proposition_codes: self.standard_propositions.unwrap_or_default(),
            states: self.states.unwrap_or_default().into_iter().map(Into::into).collect(),
            study,
        })
    }
}

/// Loads a page of insights matching the client's filter, strongest first.
pub async fn insight_page(
    ctx: &Context<'_>,
    filter: Option<InsightFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<InsightConnection> {
    let filters: Vec<InsightFilter> = filter.map(InsightFilterInput::into_filter).transpose()?.into_iter().collect();
    let page = svc::list(db(ctx), actor(ctx), &filters, &PageArgs { first, after }).await?;
    Ok(InsightConnection::new(page, ListCount::Filters(filters), Insight))
}

/// Loads one parent's page of insights (strongest first), batched with its siblings' pages; `base`
/// and the client's filter both apply.
pub async fn scoped_insight_page(
    ctx: &Context<'_>,
    parent: KnowledgeParent,
    id: i64,
    base: Option<InsightFilter>,
    filter: Option<InsightFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<InsightConnection> {
    let mut filters: Vec<InsightFilter> = base.into_iter().collect();
    filters.extend(filter.map(InsightFilterInput::into_filter).transpose()?);
    let (page, count) = nested_page::<Insights>(ctx, parent, id, filters, (), PageArgs { first, after }).await?;
    Ok(InsightConnection::new(page, count, Insight))
}

/// Reads of insights; what you see depends on their study's visibility.
#[derive(Default)]
pub struct InsightQuery;

/// Reads of insights; what you see depends on their study's visibility.
#[Object]
impl InsightQuery {
    /// Insights the caller may see, strongest evidence first, then newest.
    async fn insights(
        &self,
        ctx: &Context<'_>,
        filter: Option<InsightFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InsightConnection> {
        insight_page(ctx, filter, first, after).await
    }

    /// One insight by id; `NOT_FOUND` when it does not exist or the caller may not see it.
    async fn insight(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Insight> {
        let id = ids::decode("id", "Insight", &id)?;
        one(ctx, VisibleInsightKey(id)).await?.map(Insight).ok_or_else(|| AppError::NotFound("insight".into()).into())
    }
}

/// A new insight of a study.
#[derive(InputObject)]
pub struct CreateInsightInput {
    /// The study it comes from.
    pub study_id: ID,
    /// The journey stage it was drawn from (a stage of a journey in the same study).
    pub stage_id: Option<ID>,
    /// The insight in one sentence (at most 500 characters).
    pub statement: String,
    /// What lies behind it.
    pub explanation: Option<String>,
    /// Supporting quotes.
    pub quotes: Option<Vec<Quote>>,
    /// The target groups it concerns (codes).
    pub target_group_codes: Option<Vec<String>>,
    /// The standard propositions it concerns (codes).
    pub standard_proposition_codes: Option<Vec<String>>,
}

/// Changes to an insight; absent fields stay as they are, null clears an optional one.
#[derive(InputObject)]
pub struct UpdateInsightInput {
    /// The insight.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new stage, or null.
    pub stage_id: MaybeUndefined<ID>,
    /// A new statement.
    pub statement: Option<String>,
    /// A new explanation.
    pub explanation: Option<String>,
    /// New quotes, replacing the old ones.
    pub quotes: Option<Vec<Quote>>,
    /// New target groups, replacing the old ones.
    pub target_group_codes: Option<Vec<String>>,
    /// New standard propositions, replacing the old ones.
    pub standard_proposition_codes: Option<Vec<String>>,
}

/// Marks an insight as superseded by a newer one.
#[derive(InputObject)]
pub struct SupersedeInsightInput {
    /// The insight that no longer holds.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// The current insight that replaces it.
    pub superseded_by_id: ID,
}

/// The result of a change to an insight.
#[derive(SimpleObject)]
pub struct InsightPayload {
    /// The insight as it is now.
    pub insight: Insight,
}

/// Changes to insights, by the organisations named on their study.
#[derive(Default)]
pub struct InsightMutation;

/// Changes to insights, by the organisations named on their study.
#[Object]
impl InsightMutation {
    /// Records an insight of a study; its evidence strength follows from the study.
    async fn create_insight(
        &self,
        ctx: &Context<'_>,
        input: CreateInsightInput,
    ) -> async_graphql::Result<InsightPayload> {
        let study = ids::decode("studyId", "Study", &input.study_id)?;
        let stage = input.stage_id.as_ref().map(|s| ids::decode("stageId", "JourneyStage", s)).transpose()?;
        let data = InsightInput {
            stage_id: Some(stage),
            statement: Some(input.statement),
            explanation: input.explanation,
            quotes: quotes_in(input.quotes),
            target_group_codes: input.target_group_codes,
            standard_proposition_codes: input.standard_proposition_codes,
        };
        let model = svc::create(db(ctx), actor(ctx), study, data).await?;
        Ok(InsightPayload { insight: Insight(model) })
    }

    /// Changes an insight.
    async fn update_insight(
        &self,
        ctx: &Context<'_>,
        input: UpdateInsightInput,
    ) -> async_graphql::Result<InsightPayload> {
        let id = ids::decode("id", "Insight", &input.id)?;
        let stage = match input.stage_id.into() {
            None => None,
            Some(None) => Some(None),
            Some(Some(s)) => Some(Some(ids::decode("stageId", "JourneyStage", &s)?)),
        };
        let data = InsightInput {
            stage_id: stage,
            statement: input.statement,
            explanation: input.explanation,
            quotes: quotes_in(input.quotes),
            target_group_codes: input.target_group_codes,
            standard_proposition_codes: input.standard_proposition_codes,
        };
        let model = svc::update(db(ctx), actor(ctx), id, input.expected_version, data).await?;
        Ok(InsightPayload { insight: Insight(model) })
    }

    /// Marks an insight as superseded by a newer one; it stays readable, no longer current.
    async fn supersede_insight(
        &self,
        ctx: &Context<'_>,
        input: SupersedeInsightInput,
    ) -> async_graphql::Result<InsightPayload> {
        let id = ids::decode("id", "Insight", &input.id)?;
        let by = ids::decode("supersededById", "Insight", &input.superseded_by_id)?;
        let model = svc::supersede(db(ctx), actor(ctx), id, input.expected_version, by).await?;
        Ok(InsightPayload { insight: Insight(model) })
    }
}
