//! Customer journeys and their stages in the API, with the mutations that shape them.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{journey, journey_stage};

use crate::common_model::graphql::{StandardProposition, TargetGroup};
use crate::common_model::loaders::{StandardPropositionKey, TargetGroupKey};
use crate::error::AppResult;
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::{actor, db, ids};
use crate::knowledge::graphql::insight::Insight;
use crate::knowledge::graphql::loaders::{
    JourneyPropositions, JourneyStages, StageInsights, VisibleJourneyKey, VisibleStudyKey,
};
use crate::knowledge::graphql::study::Study;
use crate::knowledge::journey as svc;
use crate::knowledge::journey::{JourneyInput, StageInput};
use crate::registry::graphql::loaders::VisiblePropositionKey;
use crate::registry::graphql::proposition::Proposition;
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// What a participant said.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "QuoteInput")]
pub struct Quote {
    /// The words, as said.
    pub text: String,
    /// Who said it, in anonymised words, e.g. "een deelnemer van het onderzoek".
    pub attribution: Option<String>,
}

impl From<entity::json::Quote> for Quote {
    fn from(q: entity::json::Quote) -> Self {
        Self { text: q.text, attribution: q.attribution }
    }
}

impl From<Quote> for entity::json::Quote {
    fn from(q: Quote) -> Self {
        Self { text: q.text, attribution: q.attribution }
    }
}

/// Converts API quotes into stored ones.
pub fn quotes_in(list: Option<Vec<Quote>>) -> Option<Vec<entity::json::Quote>> {
    list.map(|l| l.into_iter().map(Into::into).collect())
}

/// A customer journey (klantreis): one target group following one service through ordered stages.
#[derive(Clone)]
pub struct CustomerJourney(pub journey::Model);

/// A customer journey (klantreis): one target group following one service through ordered stages.
#[Object]
impl CustomerJourney {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("CustomerJourney", self.0.id)
    }
    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the journey looked at and why.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The study it belongs to.
    async fn study(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Study>> {
        Ok(one(ctx, VisibleStudyKey(self.0.study_id)).await?.map(Study))
    }
    /// The target group it follows.
    async fn target_group(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TargetGroup>> {
        Ok(one(ctx, TargetGroupKey(self.0.target_group_id)).await?.map(TargetGroup))
    }
    /// The standard proposition whose service it follows.
    async fn standard_proposition(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StandardProposition>> {
        match self.0.standard_proposition_id {
            Some(id) => Ok(one(ctx, StandardPropositionKey(id)).await?.map(StandardProposition)),
            None => Ok(None),
        }
    }
    /// The propositions it follows (those you may see; at most 50).
    async fn propositions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Proposition>> {
        let ids = one(ctx, JourneyPropositions(self.0.id)).await?.unwrap_or_default();
        let list = many(ctx, ids.into_iter().map(VisiblePropositionKey)).await?.into_iter().map(Proposition).collect();
        Ok(cap(list, caps::JOURNEY_PROPOSITIONS, "CustomerJourney.propositions"))
    }
    /// Its stages, in order (at most 20).
    async fn stages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<JourneyStage>> {
        let list =
            one(ctx, JourneyStages(self.0.id)).await?.unwrap_or_default().into_iter().map(JourneyStage).collect();
        Ok(cap(list, caps::STAGES, "CustomerJourney.stages"))
    }
    /// The version, for `expectedVersion` (reordering stages changes it too).
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every change to this record, newest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        history_page(ctx, RecordKind::Journey, self.0.id, first, after).await
    }
}

/// One stage of a customer journey (e.g. orientation, sign-up, before, during, after).
#[derive(Clone)]
pub struct JourneyStage(pub journey_stage::Model);

/// One stage of a customer journey (e.g. orientation, sign-up, before, during, after).
#[Object]
impl JourneyStage {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("JourneyStage", self.0.id)
    }
    /// Its place in the journey, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// The name, e.g. "Oriëntatie".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What happens in this stage.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The contact moments (contactmomenten) in this stage.
    async fn touchpoints(&self) -> &[String] {
        &self.0.touchpoints.0
    }
    /// What goes wrong or hurts (pijnen).
    async fn pains(&self) -> &[String] {
        &self.0.pains.0
    }
    /// What goes well or delights (winsten).
    async fn gains(&self) -> &[String] {
        &self.0.gains.0
    }
    /// How customers feel here, from -2 (very negative) to +2 (very positive).
    async fn emotion_score(&self) -> Option<i32> {
        self.0.emotion_score
    }
    /// What participants said about this stage (at most 20).
    async fn quotes(&self) -> Vec<Quote> {
        self.0.quotes.0.iter().take(caps::QUOTES).cloned().map(Into::into).collect()
    }
    /// The journey it belongs to.
    async fn journey(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CustomerJourney>> {
        Ok(one(ctx, VisibleJourneyKey(self.0.journey_id)).await?.map(CustomerJourney))
    }
    /// The insights drawn from this stage, strongest first (at most 50).
    async fn insights(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Insight>> {
        let list = one(ctx, StageInsights(self.0.id)).await?.unwrap_or_default().into_iter().map(Insight).collect();
        Ok(cap(list, caps::RELATED, "JourneyStage.insights"))
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
        history_page(ctx, RecordKind::JourneyStage, self.0.id, first, after).await
    }
}

/// A new customer journey in a study.
#[derive(InputObject)]
pub struct CreateJourneyInput {
    /// The study it belongs to.
    pub study_id: ID,
    /// The title.
    pub title: String,
    /// What it looks at and why.
    pub description: Option<String>,
    /// The target group it follows (code).
    pub target_group_code: String,
    /// The standard proposition whose service it follows (code); this and/or `propositionIds`.
    pub standard_proposition_code: Option<String>,
    /// The propositions it follows.
    pub proposition_ids: Option<Vec<ID>>,
}

/// Changes to a journey; absent fields stay as they are, null clears an optional one.
#[derive(InputObject)]
pub struct UpdateJourneyInput {
    /// The journey.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new title.
    pub title: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// A new target group (code).
    pub target_group_code: Option<String>,
    /// A new standard proposition (code), or null.
    pub standard_proposition_code: MaybeUndefined<String>,
    /// New propositions, replacing the old ones.
    pub proposition_ids: Option<Vec<ID>>,
}

/// The contents of a stage.
#[derive(InputObject, Default)]
pub struct StageFieldsInput {
    /// The name (required when adding).
    pub name: Option<String>,
    /// What happens in this stage.
    pub description: Option<String>,
    /// The contact moments, replacing the old ones.
    pub touchpoints: Option<Vec<String>>,
    /// The pains, replacing the old ones.
    pub pains: Option<Vec<String>>,
    /// The gains, replacing the old ones.
    pub gains: Option<Vec<String>>,
    /// The emotion, from -2 to +2, or null.
    pub emotion_score: MaybeUndefined<i32>,
    /// Participants' quotes, replacing the old ones.
    pub quotes: Option<Vec<Quote>>,
}

impl From<StageFieldsInput> for StageInput {
    fn from(f: StageFieldsInput) -> Self {
        StageInput {
            name: f.name,
            description: f.description,
            touchpoints: f.touchpoints,
            pains: f.pains,
            gains: f.gains,
            emotion_score: f.emotion_score.into(),
            quotes: quotes_in(f.quotes),
        }
    }
}

/// A new stage of a journey.
#[derive(InputObject)]
pub struct AddJourneyStageInput {
    /// The journey.
    pub journey_id: ID,
    /// Where to put it (1 is first); at the end when left out.
    pub position: Option<i32>,
    /// Its contents.
    pub stage: StageFieldsInput,
}

/// Changes to a stage.
#[derive(InputObject)]
pub struct UpdateJourneyStageInput {
    /// The stage.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// The changes.
    pub stage: StageFieldsInput,
}

/// Removes a stage.
#[derive(InputObject)]
pub struct RemoveJourneyStageInput {
    /// The stage.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Puts a journey's stages in a new order.
#[derive(InputObject)]
pub struct ReorderJourneyStagesInput {
    /// The journey.
    pub journey_id: ID,
    /// The journey's version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// Every stage of the journey, once, in the new order.
    pub stage_ids: Vec<ID>,
}

/// The result of a change to a journey or its stages.
#[derive(SimpleObject)]
pub struct JourneyPayload {
    /// The journey as it is now, with its stages.
    pub journey: CustomerJourney,
}

/// The result of a change to one stage.
#[derive(SimpleObject)]
pub struct JourneyStagePayload {
    /// The stage as it is now.
    pub stage: JourneyStage,
}

fn proposition_ids(list: Option<Vec<ID>>) -> AppResult<Option<Vec<i64>>> {
    list.map(|l| ids::decode_all("propositionIds", "Proposition", &l)).transpose()
}

async fn journey_payload(ctx: &Context<'_>, id: i64) -> async_graphql::Result<JourneyPayload> {
    let journey = svc::visible_by_ids(db(ctx), actor(ctx), &[id]).await?.pop();
    let journey = journey.ok_or_else(|| crate::error::AppError::NotFound("journey".into()).to_graphql())?;
    Ok(JourneyPayload { journey: CustomerJourney(journey) })
}

/// Changes to customer journeys, by the organisations named on their study.
#[derive(Default)]
pub struct JourneyMutation;

/// Changes to customer journeys, by the organisations named on their study.
#[Object]
impl JourneyMutation {
    /// Adds a customer journey to a study.
    async fn create_journey(
        &self,
        ctx: &Context<'_>,
        input: CreateJourneyInput,
    ) -> async_graphql::Result<JourneyPayload> {
        let study = ids::decode("studyId", "Study", &input.study_id)?;
        let data = JourneyInput {
            title: Some(input.title),
            description: input.description,
            target_group_code: Some(input.target_group_code),
            standard_proposition_code: Some(input.standard_proposition_code),
            proposition_ids: proposition_ids(input.proposition_ids)?,
        };
        let model = svc::create(db(ctx), actor(ctx), study, data).await?;
        Ok(JourneyPayload { journey: CustomerJourney(model) })
    }

    /// Changes a customer journey.
    async fn update_journey(
        &self,
        ctx: &Context<'_>,
        input: UpdateJourneyInput,
    ) -> async_graphql::Result<JourneyPayload> {
        let id = ids::decode("id", "CustomerJourney", &input.id)?;
        let data = JourneyInput {
            title: input.title,
            description: input.description,
            target_group_code: input.target_group_code,
            standard_proposition_code: input.standard_proposition_code.into(),
            proposition_ids: proposition_ids(input.proposition_ids)?,
        };
        let model = svc::update(db(ctx), actor(ctx), id, input.expected_version, data).await?;
        Ok(JourneyPayload { journey: CustomerJourney(model) })
    }

    /// Adds a stage to a journey, at the end or at a position; later stages move down.
    async fn add_journey_stage(
        &self,
        ctx: &Context<'_>,
        input: AddJourneyStageInput,
    ) -> async_graphql::Result<JourneyStagePayload> {
        let journey = ids::decode("journeyId", "CustomerJourney", &input.journey_id)?;
        let model = svc::add_stage(db(ctx), actor(ctx), journey, input.position, input.stage.into()).await?;
        Ok(JourneyStagePayload { stage: JourneyStage(model) })
    }

    /// Changes a stage's contents.
    async fn update_journey_stage(
        &self,
        ctx: &Context<'_>,
        input: UpdateJourneyStageInput,
    ) -> async_graphql::Result<JourneyStagePayload> {
        let id = ids::decode("id", "JourneyStage", &input.id)?;
        let model = svc::update_stage(db(ctx), actor(ctx), id, input.expected_version, input.stage.into()).await?;
        Ok(JourneyStagePayload { stage: JourneyStage(model) })
    }

    /// Removes a stage; insights drawn from it stay with the study, later stages move up.
    async fn remove_journey_stage(
        &self,
        ctx: &Context<'_>,
        input: RemoveJourneyStageInput,
    ) -> async_graphql::Result<JourneyPayload> {
        let id = ids::decode("id", "JourneyStage", &input.id)?;
        let journey = svc::remove_stage(db(ctx), actor(ctx), id, input.expected_version).await?;
        journey_payload(ctx, journey).await
    }

    /// Puts a journey's stages in a new order.
    async fn reorder_journey_stages(
        &self,
        ctx: &Context<'_>,
        input: ReorderJourneyStagesInput,
    ) -> async_graphql::Result<JourneyPayload> {
        let journey = ids::decode("journeyId", "CustomerJourney", &input.journey_id)?;
        let stages = ids::decode_all("stageIds", "JourneyStage", &input.stage_ids)?;
        let model = svc::reorder_stages(db(ctx), actor(ctx), journey, input.expected_version, &stages).await?;
        Ok(JourneyPayload { journey: CustomerJourney(model) })
    }
}
