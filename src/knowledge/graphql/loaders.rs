//! Batched loading of the shared customer knowledge: every key loads only what the request's actor
//! may see, and a page of studies, insights or ideas costs one query per nested field.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::enums::ResearchMethod;
use entity::{
    adoption, idea, idea_insight, insight, insight_standard_proposition as insight_sp,
    insight_target_group as insight_tg, journey, journey_proposition, journey_stage, knowledge_link, study,
    study_commissioner, study_conductor, study_method, study_municipality, study_province, study_target_group,
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};

use crate::error::AppError;
use crate::kernel::loaders::{DbLoader, LoadError, links};
use crate::knowledge::idea as idea_svc;
use crate::knowledge::insight as insight_svc;
use crate::knowledge::journey as journey_svc;
use crate::knowledge::link as link_svc;
use crate::knowledge::link::Evidence;
use crate::knowledge::study as study_svc;
use crate::registry::proposition as prop_svc;

/// A key per record id whose loader returns only records the actor may see.
macro_rules! visible_by_id {
    ($key:ident, $m:ident, $load:path, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);

        impl Loader<$key> for DbLoader {
            type Value = $m::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $load(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
                Ok(rows.into_iter().map(|m| ($key(m.id), m)).collect())
            }
        }
    };
}

visible_by_id!(VisibleStudyKey, study, study_svc::visible_by_ids, "Key: a study the actor may see.");
visible_by_id!(VisibleJourneyKey, journey, journey_svc::visible_by_ids, "Key: a journey the actor may see.");
visible_by_id!(VisibleStageKey, journey_stage, journey_svc::visible_stages_by_ids, "Key: a stage the actor may see.");
visible_by_id!(VisibleInsightKey, insight, insight_svc::visible_by_ids, "Key: an insight the actor may see.");
visible_by_id!(VisibleIdeaKey, idea, idea_svc::visible_by_ids, "Key: an idea the actor may see.");
visible_by_id!(VisibleAdoptionKey, adoption, idea_svc::visible_adoptions_by_ids, "Key: an adoption the actor may see.");
visible_by_id!(VisibleLinkKey, knowledge_link, link_svc::visible_by_ids, "Key: a knowledge link the actor may see.");

/// A key per parent id whose loader returns the parent's visible children, grouped by `$field`.
macro_rules! children {
    ($key:ident, $m:ident, $field:ident, $col:expr, $load:path, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);

        impl Loader<$key> for DbLoader {
            type Value = Vec<$m::Model>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows =
                    $load(&self.db, &self.actor, Condition::all().add($col.is_in(ids))).await.map_err(Arc::new)?;
                let mut map: HashMap<$key, Vec<$m::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
                for row in rows {
                    if let Some(parent) = Option::<i64>::from(row.$field) {
                        map.entry($key(parent)).or_default().push(row);
                    }
                }
                Ok(map)
            }
        }
    };
}

children!(
    StudyInsights,
    insight,
    study_id,
    insight::Column::StudyId,
    insight_svc::insights_where,
    "Key: a study; loads its insights, strongest first."
);
children!(
    StageInsights,
    insight,
    stage_id,
    insight::Column::StageId,
    insight_svc::insights_where,
    "Key: a journey stage; loads the insights drawn from it."
);
children!(
    StudyIdeas,
    idea,
    study_id,
    idea::Column::StudyId,
    idea_svc::ideas_where,
    "Key: a study; loads its improvement ideas."
);
children!(
    IdeaAdoptions,
    adoption,
    idea_id,
    adoption::Column::IdeaId,
    idea_svc::adoptions_where,
    "Key: an idea; loads the adoptions of it."
);
children!(
    OrganisationAdoptions,
    adoption,
    organisation_id,
    adoption::Column::OrganisationId,
    idea_svc::adoptions_where,
    "Key: a library; loads the ideas it adopted."
);
children!(
    StudyLinks,
    knowledge_link,
    study_id,
    knowledge_link::Column::StudyId,
    link_svc::links_where,
    "Key: a study; loads the links of it and of its insights."
);
children!(
    InsightLinks,
    knowledge_link,
    insight_id,
    knowledge_link::Column::InsightId,
    link_svc::links_where,
    "Key: an insight; loads its links."
);
children!(
    StandardLinks,
    knowledge_link,
    standard_proposition_id,
    knowledge_link::Column::StandardPropositionId,
    link_svc::links_where,
    "Key: a standard proposition; loads the knowledge linked to it."
);

/// Key: a study; loads its journeys in the order they were added.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct StudyJourneys(pub i64);

impl Loader<StudyJourneys> for DbLoader {
    type Value = Vec<journey::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[StudyJourneys]) -> Result<HashMap<StudyJourneys, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = journey_svc::of_studies(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
        let mut map: HashMap<StudyJourneys, Vec<journey::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            map.entry(StudyJourneys(row.study_id)).or_default().push(row);
        }
        Ok(map)
    }
}

/// Key: an organisation; loads the journeys of the studies it is named on.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct OrganisationJourneys(pub i64);

impl Loader<OrganisationJourneys> for DbLoader {
    type Value = Vec<journey::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganisationJourneys],
    ) -> Result<HashMap<OrganisationJourneys, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = journey_svc::of_organisations(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
        let mut map: HashMap<OrganisationJourneys, Vec<journey::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for (org, journey) in rows {
            map.entry(OrganisationJourneys(org)).or_default().push(journey);
        }
        Ok(map)
    }
}

/// Key: a journey; loads its stages in order.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct JourneyStages(pub i64);

impl Loader<JourneyStages> for DbLoader {
    type Value = Vec<journey_stage::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[JourneyStages]) -> Result<HashMap<JourneyStages, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = journey_svc::stages_of(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
        let mut map: HashMap<JourneyStages, Vec<journey_stage::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            map.entry(JourneyStages(row.journey_id)).or_default().push(row);
        }
        Ok(map)
    }
}

/// Key: a study; loads the research methods it used.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct StudyMethods(pub i64);

impl Loader<StudyMethods> for DbLoader {
    type Value = Vec<ResearchMethod>;
    type Error = LoadError;

    async fn load(&self, keys: &[StudyMethods]) -> Result<HashMap<StudyMethods, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows: Vec<(i64, ResearchMethod)> = study_method::Entity::find()
            .select_only()
            .column(study_method::Column::StudyId)
            .column(study_method::Column::Method)
            .filter(study_method::Column::StudyId.is_in(ids))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(AppError::from(e)))?;
        let mut map: HashMap<StudyMethods, Vec<ResearchMethod>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for (study, method) in rows {
            map.entry(StudyMethods(study)).or_default().push(method);
        }
        for list in map.values_mut() {
            list.sort_by_key(|m| *m as u8);
        }
        Ok(map)
    }
}

/// Key: a proposition; loads the evidence behind it (the proposition itself must be visible).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct PropositionEvidence(pub i64);

impl Loader<PropositionEvidence> for DbLoader {
    type Value = Evidence;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PropositionEvidence],
    ) -> Result<HashMap<PropositionEvidence, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let propositions = prop_svc::visible_by_ids(&self.db, &self.actor, &ids).await.map_err(Arc::new)?;
        let evidence = link_svc::evidence_for(&self.db, &self.actor, &propositions).await.map_err(Arc::new)?;
        Ok(evidence.into_iter().map(|(id, e)| (PropositionEvidence(id), e)).collect())
    }
}

links!(
    StudyCommissioners,
    study_commissioner,
    StudyId,
    OrganisationId,
    "Key: a study; loads the ids of the libraries it was done for."
);
links!(
    StudyConductors,
    study_conductor,
    StudyId,
    OrganisationId,
    "Key: a study; loads the ids of the organisations that ran it."
);
links!(StudyTargetGroups, study_target_group, StudyId, TargetGroupId, "Key: a study; loads its target group ids.");
links!(
    StudyMunicipalities,
    study_municipality,
    StudyId,
    MunicipalityId,
    "Key: a study; loads the ids of the municipalities it covers."
);
links!(StudyProvinces, study_province, StudyId, ProvinceId, "Key: a study; loads the ids of the provinces it covers.");
links!(
    JourneyPropositions,
    journey_proposition,
    JourneyId,
    PropositionId,
    "Key: a journey; loads the ids of the propositions it follows."
);
links!(InsightTargetGroups, insight_tg, InsightId, TargetGroupId, "Key: an insight; loads its target group ids.");
links!(
    InsightStandardPropositions,
    insight_sp,
    InsightId,
    StandardPropositionId,
    "Key: an insight; loads the ids of the standard propositions it concerns."
);
links!(IdeaInsights, idea_insight, IdeaId, InsightId, "Key: an idea; loads the ids of the insights it answers.");
links!(InsightIdeas, idea_insight, InsightId, IdeaId, "Key: an insight; loads the ids of the ideas answering it.");
