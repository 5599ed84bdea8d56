//! The demo network's shared customer knowledge: the studies, journeys, insights, ideas, adoptions
//! and links of the source documents, loaded through the same services and rules as the API.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{AdoptionStatus, IdeaPriority, LinkRelation, OrganisationKind, ResearchMethod, Visibility};
use entity::json::Quote;
use entity::{proposition, study};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;

use crate::identity::{Actor, ActorOrganisation, Role};

use crate::error::{AppError, AppResult};
use crate::knowledge::study as study_service;
use crate::knowledge::{idea, insight, journey, link};
use crate::registry::organisation as org_service;

const DEMO_KNOWLEDGE: &str = include_str!("../../seed/demo_knowledge.json");

#[derive(Deserialize)]
struct DemoKnowledge {
    studies: Vec<Study>,
}

#[derive(Deserialize)]
struct Study {
    title: String,
    summary: String,
    methods: Vec<ResearchMethod>,
    period_start: NaiveDate,
    period_end: Option<NaiveDate>,
    participant_count: Option<i32>,
    commissioned_by: Vec<String>,
    conducted_by: Vec<String>,
    target_groups: Vec<String>,
    municipalities: Vec<String>,
    provinces: Vec<String>,
    report_url: Option<String>,
    quotes_anonymised: bool,
    consent_recorded: bool,
    valid_until: Option<NaiveDate>,
    visibility: Visibility,
    journeys: Vec<Journey>,
    insights: Vec<Insight>,
    ideas: Vec<Idea>,
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct PropositionRef {
    organisation: String,
    title: String,
}

#[derive(Deserialize)]
struct Journey {
    key: String,
    title: String,
    description: String,
    target_group: String,
    standard_proposition: Option<String>,
    propositions: Vec<PropositionRef>,
    stages: Vec<Stage>,
}

#[derive(Deserialize)]
struct Stage {
    name: String,
    description: String,
    touchpoints: Vec<String>,
    pains: Vec<String>,
    gains: Vec<String>,
    emotion_score: Option<i32>,
    quotes: Vec<Quote>,
}

#[derive(Deserialize)]
struct StageRef {
    journey: String,
    stage: String,
}

#[derive(Deserialize)]
struct Insight {
    key: String,
    statement: String,
    explanation: String,
    quotes: Vec<Quote>,
    stage: Option<StageRef>,
    target_groups: Vec<String>,
    standard_propositions: Vec<String>,
}

#[derive(Deserialize)]
struct Idea {
    title: String,
    description: String,
    priority: IdeaPriority,
    insights: Vec<String>,
    adoptions: Vec<Adoption>,
}

#[derive(Deserialize)]
struct Adoption {
    organisation: String,
    status: AdoptionStatus,
    started_on: Option<NaiveDate>,
    completed_on: Option<NaiveDate>,
    effect_note: Option<String>,
    proposition: Option<PropositionRef>,
}

#[derive(Deserialize)]
struct Link {
    insight: Option<String>,
    proposition: Option<PropositionRef>,
    standard_proposition: Option<String>,
    relation: LinkRelation,
    note: Option<String>,
}

fn seed_error(what: String) -> AppError {
    AppError::internal(format!("seed/demo_knowledge.json: {what}"))
}

/// An editor acting for an organisation of the demo network.
async fn editor_of(db: &DatabaseConnection, slug: &str) -> AppResult<(i64, Actor)> {
    let org =
        org_service::by_slug(db, slug).await?.ok_or_else(|| seed_error(format!("unknown organisation {slug}")))?;
    let role = match org.kind {
        OrganisationKind::Library => Role::LibraryEditor,
        OrganisationKind::SupportOrganisation => Role::SupportEditor,
        _ => return Err(seed_error(format!("{slug} cannot record research"))),
    };
    let actor = Actor {
        subject: Some("demo-loader".into()),
        role: Some(role),
        organisation: Some(ActorOrganisation { id: org.id, kind: org.kind }),
        ..Actor::default()
    };
    Ok((org.id, actor))
}

async fn proposition_id(db: &DatabaseConnection, r: &PropositionRef) -> AppResult<i64> {
    let org = org_service::by_slug(db, &r.organisation)
        .await?
        .ok_or_else(|| seed_error(format!("unknown organisation {}", r.organisation)))?;
    proposition::Entity::find()
        .filter(proposition::Column::OrganisationId.eq(org.id))
        .filter(proposition::Column::Title.eq(&r.title))
        .one(db)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| seed_error(format!("unknown proposition {} of {}", r.title, r.organisation)))
}

async fn organisation_ids(db: &DatabaseConnection, slugs: &[String]) -> AppResult<Vec<i64>> {
    let mut ids = Vec::new();
    for slug in slugs {
        ids.push(
            org_service::by_slug(db, slug).await?.ok_or_else(|| seed_error(format!("unknown organisation {slug}")))?.id,
        );
    }
    Ok(ids)
}

/// Loads the demo knowledge; studies that exist already (by title) are skipped.
pub async fn load(db: &DatabaseConnection) -> AppResult<()> {
    let demo: DemoKnowledge = serde_json::from_str(DEMO_KNOWLEDGE).map_err(|e| seed_error(e.to_string()))?;
    for s in demo.studies {
        if study::Entity::find().filter(study::Column::Title.eq(&s.title)).count(db).await? > 0 {
            continue;
        }
        load_study(db, s).await?;
    }
    Ok(())
}

async fn load_study(db: &DatabaseConnection, s: Study) -> AppResult<()> {
    let lead = s.commissioned_by.first().or(s.conducted_by.first()).cloned().unwrap_or_default();
    let (_, author) = editor_of(db, &lead).await?;
    let created = study_service::create(
        db,
        &author,
        study_service::StudyInput {
            title: Some(s.title),
            summary: Some(s.summary),
            methods: Some(s.methods),
            period_start: Some(s.period_start),
            period_end: Some(s.period_end),
            participant_count: Some(s.participant_count),
            commissioned_by: Some(organisation_ids(db, &s.commissioned_by).await?),
            conducted_by: Some(organisation_ids(db, &s.conducted_by).await?),
            target_group_codes: Some(s.target_groups),
            municipality_codes: Some(s.municipalities),
            province_codes: Some(s.provinces),
            report_url: Some(s.report_url),
            quotes_anonymised: Some(s.quotes_anonymised),
            consent_recorded: Some(s.consent_recorded),
            valid_until: Some(s.valid_until),
            visibility: Some(s.visibility),
        },
    )
    .await?;

    let mut stages: HashMap<(String, String), i64> = HashMap::new();
    for j in s.journeys {
        let mut props = Vec::new();
        for r in &j.propositions {
            props.push(proposition_id(db, r).await?);
        }
        let made = journey::create(
            db,
            &author,
            created.id,
            journey::JourneyInput {
                title: Some(j.title),
                description: Some(j.description),
                target_group_code: Some(j.target_group),
                standard_proposition_code: Some(j.standard_proposition),
                proposition_ids: Some(props),
            },
        )
        .await?;
        for st in j.stages {
            let name = st.name.clone();
            let stage = journey::add_stage(
                db,
                &author,
                made.id,
                None,
                journey::StageInput {
                    name: Some(st.name),
                    description: Some(st.description),
                    touchpoints: Some(st.touchpoints),
                    pains: Some(st.pains),
                    gains: Some(st.gains),
                    emotion_score: Some(st.emotion_score),
                    quotes: Some(st.quotes),
                },
            )
            .await?;
            stages.insert((j.key.clone(), name), stage.id);
        }
    }

    let mut insights: HashMap<String, i64> = HashMap::new();
    for i in s.insights {
        let stage = match &i.stage {
            Some(r) => Some(
                *stages
                    .get(&(r.journey.clone(), r.stage.clone()))
                    .ok_or_else(|| seed_error(format!("unknown stage {} of {}", r.stage, r.journey)))?,
            ),
            None => None,
        };
        let made = insight::create(
            db,
            &author,
            created.id,
            insight::InsightInput {
                stage_id: Some(stage),
                statement: Some(i.statement),
                explanation: Some(i.explanation),
                quotes: Some(i.quotes),
                target_group_codes: Some(i.target_groups),
                standard_proposition_codes: Some(i.standard_propositions),
            },
        )
        .await?;
        insights.insert(i.key, made.id);
    }
    let insight_id = |key: &str| insights.get(key).copied().ok_or_else(|| seed_error(format!("unknown insight {key}")));

    for d in s.ideas {
        let ids = d.insights.iter().map(|k| insight_id(k)).collect::<AppResult<Vec<_>>>()?;
        let made = idea::create(
            db,
            &author,
            created.id,
            idea::IdeaInput {
                title: Some(d.title),
                description: Some(d.description),
                priority: Some(d.priority),
                insight_ids: Some(ids),
            },
        )
        .await?;
        for a in d.adoptions {
            let (org, adopter) = editor_of(db, &a.organisation).await?;
            let proposition = match &a.proposition {
                Some(r) => Some(proposition_id(db, r).await?),
                None => None,
            };
            idea::adopt(
                db,
                &adopter,
                made.id,
                org,
                idea::AdoptionInput {
                    status: Some(a.status),
                    started_on: Some(a.started_on),
                    completed_on: Some(a.completed_on),
                    effect_note: Some(a.effect_note),
                    proposition_id: Some(proposition),
                },
            )
            .await?;
        }
    }

    for l in s.links {
        let source = match &l.insight {
            Some(key) => link::Source::Insight(insight_id(key)?),
            None => link::Source::Study(created.id),
        };
        // A proposition's own library links knowledge to it; the study's lead links to standards.
        let (target, linker) = match (&l.proposition, &l.standard_proposition) {
            (Some(r), _) => {
                (link::Target::Proposition(proposition_id(db, r).await?), editor_of(db, &r.organisation).await?.1)
            }
            (None, Some(code)) => (link::Target::StandardProposition(code.clone()), author.clone()),
            (None, None) => return Err(seed_error("a link without a target".into())),
        };
        link::create(db, &linker, link::LinkInput { source, target, relation: l.relation, note: l.note }).await?;
    }
    Ok(())
}
