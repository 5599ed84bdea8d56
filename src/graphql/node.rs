//! The Relay `Node` interface and `node(id:)`: any record by its global id, visibility respected.

use async_graphql::{Context, ID, Interface, Object};

use crate::common_model::graphql::{
    CoreFunction, Municipality, Province, SocietalTask, StandardProposition, TargetGroup,
};
use crate::common_model::loaders::{
    CoreFunctionKey, MunicipalityKey, ProvinceKey, SocietalTaskKey, StandardPropositionKey, TargetGroupKey,
};
use crate::error::AppError;
use crate::kernel::ids;
use crate::kernel::loaders::one;
use crate::knowledge::graphql::idea::{Adoption, ImprovementIdea};
use crate::knowledge::graphql::insight::Insight;
use crate::knowledge::graphql::journey::{CustomerJourney, JourneyStage};
use crate::knowledge::graphql::link::KnowledgeLink;
use crate::knowledge::graphql::loaders::{
    VisibleAdoptionKey, VisibleIdeaKey, VisibleInsightKey, VisibleJourneyKey, VisibleLinkKey, VisibleStageKey,
    VisibleStudyKey,
};
use crate::knowledge::graphql::study::Study;
use crate::registry::graphql::loaders::{BranchKey, OrganisationKey, VisiblePropositionKey};
use crate::registry::graphql::organisation::{Branch, Organisation};
use crate::registry::graphql::proposition::Proposition;

/// Any record that can be fetched by its global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    Proposition(Proposition),
    Organisation(Organisation),
    Branch(Branch),
    StandardProposition(StandardProposition),
    TargetGroup(TargetGroup),
    CoreFunction(CoreFunction),
    SocietalTask(SocietalTask),
    Province(Province),
    Municipality(Municipality),
    Study(Study),
    CustomerJourney(CustomerJourney),
    JourneyStage(JourneyStage),
    Insight(Insight),
    ImprovementIdea(ImprovementIdea),
    Adoption(Adoption),
    KnowledgeLink(KnowledgeLink),
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

/// The `node` query.
#[Object]
impl NodeQuery {
    /// Any record by its global id; `NOT_FOUND` when it does not exist or the caller may not see it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Node> {
        let (type_name, raw) =
            ids::parse(&id).ok_or_else(|| AppError::invalid("id", "is not an id this registry handed out"))?;
        let node = match type_name.as_str() {
            "Proposition" => one(ctx, VisiblePropositionKey(raw)).await?.map(|m| Node::Proposition(Proposition(m))),
            "Organisation" => one(ctx, OrganisationKey(raw)).await?.map(|m| Node::Organisation(Organisation(m))),
            "Branch" => one(ctx, BranchKey(raw)).await?.map(|m| Node::Branch(Branch(m))),
            "StandardProposition" => {
                one(ctx, StandardPropositionKey(raw)).await?.map(|m| Node::StandardProposition(StandardProposition(m)))
            }
            "TargetGroup" => one(ctx, TargetGroupKey(raw)).await?.map(|m| Node::TargetGroup(TargetGroup(m))),
            "CoreFunction" => one(ctx, CoreFunctionKey(raw)).await?.map(|m| Node::CoreFunction(CoreFunction(m))),
            "SocietalTask" => one(ctx, SocietalTaskKey(raw)).await?.map(|m| Node::SocietalTask(SocietalTask(m))),
            "Province" => one(ctx, ProvinceKey(raw)).await?.map(|m| Node::Province(Province(m))),
            "Municipality" => one(ctx, MunicipalityKey(raw)).await?.map(|m| Node::Municipality(Municipality(m))),
            "Study" => one(ctx, VisibleStudyKey(raw)).await?.map(|m| Node::Study(Study(m))),
            "CustomerJourney" => {
                one(ctx, VisibleJourneyKey(raw)).await?.map(|m| Node::CustomerJourney(CustomerJourney(m)))
            }
            "JourneyStage" => one(ctx, VisibleStageKey(raw)).await?.map(|m| Node::JourneyStage(JourneyStage(m))),
            "Insight" => one(ctx, VisibleInsightKey(raw)).await?.map(|m| Node::Insight(Insight(m))),
            "ImprovementIdea" => {
                one(ctx, VisibleIdeaKey(raw)).await?.map(|m| Node::ImprovementIdea(ImprovementIdea(m)))
            }
            "Adoption" => one(ctx, VisibleAdoptionKey(raw)).await?.map(|m| Node::Adoption(Adoption(m))),
            "KnowledgeLink" => one(ctx, VisibleLinkKey(raw)).await?.map(|m| Node::KnowledgeLink(KnowledgeLink(m))),
            _ => None,
        };
        node.ok_or_else(|| AppError::NotFound("node".into()).into())
    }
}
