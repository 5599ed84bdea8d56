//! Links from knowledge to offerings in the API, and the two views they feed: the evidence behind a
//! proposition, and everything the network knows about a standard proposition or target group.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, OneofObject, SimpleObject};
use chrono::{DateTime, Utc};
use entity::knowledge_link;

use crate::common_model::graphql::StandardProposition;

use crate::common_model::loaders::StandardPropositionKey;
use crate::kernel::enums::LinkRelation;
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::{actor, db, ids};
use crate::knowledge::graphql::idea::{Adoption, IdeaConnection, IdeaFilterInput, scoped_idea_page};
use crate::knowledge::graphql::insight::{Insight, InsightConnection, InsightFilterInput, scoped_insight_page};
use crate::knowledge::graphql::loaders::{PropositionEvidence, VisibleInsightKey, VisibleStudyKey};
use crate::knowledge::graphql::study::{Study, StudyConnection, StudyFilterInput, StudyOrder, scoped_study_page};
use crate::knowledge::insight::InsightFilter;
use crate::knowledge::link as svc;
use crate::knowledge::link::{LinkInput, Source, Target};
use crate::knowledge::scope::KnowledgeParent;
use crate::registry::graphql::loaders::VisiblePropositionKey;
use crate::registry::graphql::proposition::Proposition;
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// A link from a study or one of its insights to a proposition or a standard proposition.
#[derive(Clone)]
pub struct KnowledgeLink(pub knowledge_link::Model);

/// A link from a study or one of its insights to a proposition or a standard proposition.
#[Object]
impl KnowledgeLink {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("KnowledgeLink", self.0.id)
    }
    /// How the knowledge relates to the offering.
    async fn relation(&self) -> LinkRelation {
        self.0.relation.into()
    }
    /// A note on the link.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The study linked (or the study of the insight linked).
    async fn study(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Study>> {
        Ok(one(ctx, VisibleStudyKey(self.0.study_id)).await?.map(Study))
    }
    /// The insight linked, when the link is from one insight rather than the whole study.
    async fn insight(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Insight>> {
        match self.0.insight_id {
            Some(id) => Ok(one(ctx, VisibleInsightKey(id)).await?.map(Insight)),
            None => Ok(None),
        }
    }
    /// The proposition linked to, if the link is to a proposition.
    async fn proposition(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Proposition>> {
        match self.0.proposition_id {
            Some(id) => Ok(one(ctx, VisiblePropositionKey(id)).await?.map(Proposition)),
            None => Ok(None),
        }
    }
    /// The standard proposition linked to, if the link is to a standard proposition.
    async fn standard_proposition(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StandardProposition>> {
        match self.0.standard_proposition_id {
            Some(id) => Ok(one(ctx, StandardPropositionKey(id)).await?.map(StandardProposition)),
            None => Ok(None),
        }
    }
    /// When it was made.
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
        history_page(ctx, RecordKind::KnowledgeLink, self.0.id, first, after).await
    }
}

/// The research, insights and adopted ideas behind one proposition (what you may see of them).
pub struct Evidence(pub i64);

/// The research, insights and adopted ideas behind one proposition (what you may see of them).
#[Object]
impl Evidence {
    /// The links from studies and insights to this proposition (at most 50).
    async fn links(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<KnowledgeLink>> {
        let ev = one(ctx, PropositionEvidence(self.0)).await?.unwrap_or_default();
        Ok(cap(ev.links.into_iter().map(KnowledgeLink).collect(), caps::EVIDENCE, "Evidence.links"))
    }
    /// The studies behind it: linked themselves or through one of their insights (at most 50).
    async fn studies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Study>> {
        let ev = one(ctx, PropositionEvidence(self.0)).await?.unwrap_or_default();
        let list = many(ctx, ev.study_ids.into_iter().map(VisibleStudyKey)).await?.into_iter().map(Study).collect();
        Ok(cap(list, caps::EVIDENCE, "Evidence.studies"))
    }
    /// The insights behind it (linked, or of a linked study), strongest first (at most 50).
    async fn insights(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Insight>> {
        let ev = one(ctx, PropositionEvidence(self.0)).await?.unwrap_or_default();
        let mut list: Vec<Insight> =
            many(ctx, ev.insight_ids.into_iter().map(VisibleInsightKey)).await?.into_iter().map(Insight).collect();
        list.sort_by(|a, b| b.0.evidence_rank.cmp(&a.0.evidence_rank).then(b.0.id.cmp(&a.0.id)));
        Ok(cap(list, caps::EVIDENCE, "Evidence.insights"))
    }
    /// The ideas its library adopted for it: recorded on this proposition, or answering its insights
    /// (at most 50).
    async fn adopted_ideas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Adoption>> {
        let ev = one(ctx, PropositionEvidence(self.0)).await?.unwrap_or_default();
        Ok(cap(ev.adoptions.into_iter().map(Adoption).collect(), caps::EVIDENCE, "Evidence.adoptedIdeas"))
    }
}

/// Everything the network knows about a standard proposition or a target group, as far as you may
/// see it: studies, current insights strongest first, and the ideas answering them.
pub struct Knowledge {
    pub parent: KnowledgeParent,
    pub id: i64,
}

impl Knowledge {
    /// What is known about a standard proposition.
    pub fn of_standard(id: i64) -> Self {
        Self { parent: KnowledgeParent::Standard, id }
    }

    /// What is known about a target group or a narrower one.
    pub fn of_target_group(id: i64) -> Self {
        Self { parent: KnowledgeParent::TargetGroup, id }
    }
}

/// Everything the network knows about a standard proposition or a target group, as far as you may
/// see it: studies, current insights strongest first, and the ideas answering them. Lists under many
/// parents load together, one statement per list.
#[Object]
impl Knowledge {
    /// The studies about it, newest first unless asked otherwise.
    async fn studies(
        &self,
        ctx: &Context<'_>,
        filter: Option<StudyFilterInput>,
        order_by: Option<StudyOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<StudyConnection> {
        scoped_study_page(ctx, self.parent, self.id, filter, order_by, first, after).await
    }

    /// The insights about it, strongest evidence first; only current ones unless asked otherwise.
    async fn insights(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_superseded: bool,
        filter: Option<InsightFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InsightConnection> {
        let base = (!include_superseded)
            .then(|| InsightFilter { states: vec![entity::enums::InsightState::Current], ..Default::default() });
        scoped_insight_page(ctx, self.parent, self.id, base, filter, first, after).await
    }

    /// The improvement ideas answering its current insights, each with its adoptions.
    async fn ideas(
        &self,
        ctx: &Context<'_>,
        filter: Option<IdeaFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<IdeaConnection> {
        scoped_idea_page(ctx, self.parent, self.id, filter, first, after).await
    }
}

/// What a link starts from: a whole study, or one insight.
#[derive(OneofObject)]
pub enum KnowledgeSourceInput {
    /// A study as a whole.
    StudyId(ID),
    /// One insight.
    InsightId(ID),
}

/// What a link points at: a library's proposition, or a standard proposition.
#[derive(OneofObject)]
pub enum KnowledgeTargetInput {
    /// A proposition.
    PropositionId(ID),
    /// A standard proposition (code).
    StandardPropositionCode(String),
}

/// A new link from knowledge to an offering.
#[derive(InputObject)]
pub struct LinkKnowledgeInput {
    /// The study or insight.
    pub source: KnowledgeSourceInput,
    /// The proposition or standard proposition.
    pub target: KnowledgeTargetInput,
    /// How they relate.
    pub relation: LinkRelation,
    /// A note.
    pub note: Option<String>,
}

/// Changes to a link; absent fields stay as they are, null clears the note.
#[derive(InputObject)]
pub struct UpdateKnowledgeLinkInput {
    /// The link.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new relation.
    pub relation: Option<LinkRelation>,
    /// A new note, or null.
    pub note: MaybeUndefined<String>,
}

/// Removes a link.
#[derive(InputObject)]
pub struct UnlinkKnowledgeInput {
    /// The link.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// The result of a change to a link.
#[derive(SimpleObject)]
pub struct KnowledgeLinkPayload {
    /// The link as it is now.
    pub link: KnowledgeLink,
}

/// The result of removing a link.
#[derive(SimpleObject)]
pub struct UnlinkKnowledgePayload {
    /// The id of the link that was removed.
    pub removed_link_id: ID,
}

/// Linking knowledge to offerings: by the proposition's library, or by the organisations named on
/// the study (who also link to standard propositions), or by network maintainers.
#[derive(Default)]
pub struct KnowledgeLinkMutation;

/// Linking knowledge to offerings: by the proposition's library, or by the organisations named on
/// the study (who also link to standard propositions), or by network maintainers.
#[Object]
impl KnowledgeLinkMutation {
    /// Links a study or insight to a proposition or standard proposition; the same link twice is a
    /// `CONFLICT`.
    async fn link_knowledge(
        &self,
        ctx: &Context<'_>,
        input: LinkKnowledgeInput,
    ) -> async_graphql::Result<KnowledgeLinkPayload> {
        let source = match &input.source {
            KnowledgeSourceInput::StudyId(id) => Source::Study(ids::decode("source.studyId", "Study", id)?),
            KnowledgeSourceInput::InsightId(id) => Source::Insight(ids::decode("source.insightId", "Insight", id)?),
        };
        let target = match input.target {
            KnowledgeTargetInput::PropositionId(id) => {
                Target::Proposition(ids::decode("target.propositionId", "Proposition", &id)?)
            }
            KnowledgeTargetInput::StandardPropositionCode(code) => Target::StandardProposition(code),
        };
        let data = LinkInput { source, target, relation: input.relation.into(), note: input.note };
        let model = svc::create(db(ctx), actor(ctx), data).await?;
        Ok(KnowledgeLinkPayload { link: KnowledgeLink(model) })
    }

    /// Changes a link's relation or note.
    async fn update_knowledge_link(
        &self,
        ctx: &Context<'_>,
        input: UpdateKnowledgeLinkInput,
    ) -> async_graphql::Result<KnowledgeLinkPayload> {
        let id = ids::decode("id", "KnowledgeLink", &input.id)?;
        let model = svc::update(
            db(ctx),
            actor(ctx),
            id,
            input.expected_version,
            input.relation.map(Into::into),
            input.note.into(),
        )
        .await?;
        Ok(KnowledgeLinkPayload { link: KnowledgeLink(model) })
    }

    /// Removes a link; its history stays readable through the change log.
    async fn unlink_knowledge(
        &self,
        ctx: &Context<'_>,
        input: UnlinkKnowledgeInput,
    ) -> async_graphql::Result<UnlinkKnowledgePayload> {
        let id = ids::decode("id", "KnowledgeLink", &input.id)?;
        svc::remove(db(ctx), actor(ctx), id, input.expected_version).await?;
        Ok(UnlinkKnowledgePayload { removed_link_id: input.id })
    }
}
