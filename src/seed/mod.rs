//! Initial data: the common model every registry starts with, and the demo network of the source
//! documents. Loading is idempotent: what exists (by code, slug or name) is skipped, so an
//! interrupted load completes on the next start.

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{Channel, CostKind, Lifecycle, OrganisationKind, PublicationState, StandardStatus};
use entity::{core_function, municipality, organisation, proposition, province, societal_task};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;

use crate::identity::{Actor, ActorOrganisation, Role};

use crate::common_model;
use crate::error::{AppError, AppResult};
use crate::kernel::history::{Change, RecordKind};
use crate::kernel::{history, now};
use crate::registry::branch;
use crate::registry::organisation as org_service;
use crate::registry::proposition as prop_service;

mod knowledge;

const COMMON_MODEL: &str = include_str!("../../seed/common_model.json");
const DEMO_NETWORK: &str = include_str!("../../seed/demo_network.json");

#[derive(Deserialize)]
struct CommonModel {
    core_functions: Vec<Vocabulary>,
    societal_tasks: Vec<Vocabulary>,
    target_groups: Vec<TargetGroup>,
    standard_propositions: Vec<Standard>,
    provinces: Vec<Province>,
    municipalities: Vec<Municipality>,
}

#[derive(Deserialize)]
struct Vocabulary {
    code: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
}

#[derive(Deserialize)]
struct TargetGroup {
    code: String,
    parent: Option<String>,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
    min_age: Option<i32>,
    max_age: Option<i32>,
}

#[derive(Deserialize)]
struct Standard {
    code: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
    core_function: String,
    societal_tasks: Vec<String>,
    target_groups: Vec<String>,
    status: StandardStatus,
}

#[derive(Deserialize)]
struct Province {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct Municipality {
    code: String,
    name: String,
    province: String,
}

#[derive(Deserialize)]
struct DemoNetwork {
    organisations: Vec<Organisation>,
    branches: Vec<Branch>,
    propositions: Vec<Proposition>,
}

#[derive(Deserialize)]
struct Organisation {
    slug: String,
    kind: OrganisationKind,
    name: String,
    description: String,
    website: Option<String>,
    province: Option<String>,
    support_organisation: Option<String>,
    municipalities: Vec<String>,
}

#[derive(Deserialize)]
struct Branch {
    organisation: String,
    name: String,
    address: String,
    postcode: String,
    municipality: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

#[derive(Deserialize)]
struct Cost {
    kind: CostKind,
    price_cents: Option<i32>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct Contact {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
struct Proposition {
    organisation: String,
    title: String,
    summary: String,
    description: String,
    standard_proposition: Option<String>,
    deviation_note: Option<String>,
    societal_task: Option<String>,
    core_function: Option<String>,
    target_groups: Vec<String>,
    channel: Channel,
    lifecycle: Lifecycle,
    publication_state: PublicationState,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    schedule: Option<String>,
    cost: Cost,
    contact: Contact,
    url: Option<String>,
    verified_at: Option<DateTime<Utc>>,
    branches: Vec<String>,
    partners: Vec<String>,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|e| AppError::internal(format!("seed/{name} is not valid: {e}")))
}

/// Loads the common model (core functions, societal tasks, target groups, standard propositions,
/// provinces and the municipalities the demo needs) where it is missing.
pub async fn load_reference_data(db: &DatabaseConnection) -> AppResult<()> {
    let model: CommonModel = parse("common_model.json", COMMON_MODEL)?;
    let system = Actor::system();
    let txn = crate::kernel::begin_write(db).await?;
    let ts = now();
    for (i, v) in model.core_functions.iter().enumerate() {
        if core_function::Entity::find().filter(core_function::Column::Code.eq(&v.code)).count(&txn).await? == 0 {
            let m = core_function::Entity::insert(core_function::ActiveModel {
                id: NotSet,
                code: Set(v.code.clone()),
                name_nl: Set(v.name_nl.clone()),
                name_en: Set(v.name_en.clone()),
                description_nl: Set(v.description_nl.clone()),
                description_en: Set(v.description_en.clone()),
                position: Set(i as i32),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            })
            .exec_with_returning(&txn)
            .await?;
            log_create(&txn, &system, RecordKind::CoreFunction, m.id, &history::snapshot(&m)).await?;
        }
    }
    for (i, v) in model.societal_tasks.iter().enumerate() {
        if societal_task::Entity::find().filter(societal_task::Column::Code.eq(&v.code)).count(&txn).await? == 0 {
            let m = societal_task::Entity::insert(societal_task::ActiveModel {
                id: NotSet,
                code: Set(v.code.clone()),
                name_nl: Set(v.name_nl.clone()),
                name_en: Set(v.name_en.clone()),
                description_nl: Set(v.description_nl.clone()),
                description_en: Set(v.description_en.clone()),
                position: Set(i as i32),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            })
            .exec_with_returning(&txn)
            .await?;
            log_create(&txn, &system, RecordKind::SocietalTask, m.id, &history::snapshot(&m)).await?;
        }
    }
    for p in &model.provinces {
        if province::Entity::find().filter(province::Column::Code.eq(&p.code)).count(&txn).await? == 0 {
            let m = province::Entity::insert(province::ActiveModel {
                id: NotSet,
                code: Set(p.code.clone()),
                name: Set(p.name.clone()),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            })
            .exec_with_returning(&txn)
            .await?;
            log_create(&txn, &system, RecordKind::Province, m.id, &history::snapshot(&m)).await?;
        }
    }
    for g in &model.municipalities {
        if municipality::Entity::find().filter(municipality::Column::Code.eq(&g.code)).count(&txn).await? == 0 {
            let province = province::Entity::find()
                .filter(province::Column::Code.eq(&g.province))
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::internal(format!("seed: unknown province {}", g.province)))?;
            let m = municipality::Entity::insert(municipality::ActiveModel {
                id: NotSet,
                code: Set(g.code.clone()),
                name: Set(g.name.clone()),
                province_id: Set(province.id),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            })
            .exec_with_returning(&txn)
            .await?;
            log_create(&txn, &system, RecordKind::Municipality, m.id, &history::snapshot(&m)).await?;
        }
    }
    txn.commit().await?;

    let existing_groups: Vec<String> = common_model::target_groups(db).await?.into_iter().map(|g| g.code).collect();
    for g in model.target_groups.into_iter().filter(|g| !existing_groups.contains(&g.code)) {
        common_model::create_target_group(
            db,
            &system,
            common_model::TargetGroupInput {
                code: Some(g.code),
                labels: labels(g.name_nl, g.name_en, g.description_nl, g.description_en),
                parent_code: Some(g.parent),
                min_age: Some(g.min_age),
                max_age: Some(g.max_age),
            },
        )
        .await?;
    }
    for s in model.standard_propositions {
        if common_model::standard_proposition_by_code(db, &s.code).await.is_ok() {
            continue;
        }
        let created = common_model::create_standard(
            db,
            &system,
            common_model::StandardInput {
                code: Some(s.code),
                labels: labels(s.name_nl, s.name_en, s.description_nl, s.description_en),
                core_function_code: Some(s.core_function),
                societal_task_codes: Some(s.societal_tasks),
                target_group_codes: Some(s.target_groups),
            },
        )
        .await?;
        if s.status == StandardStatus::Retired {
            common_model::retire_standard(db, &system, created.id, created.version, None).await?;
        }
    }
    Ok(())
}

fn labels(
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
) -> common_model::LabelsInput {
    common_model::LabelsInput {
        name_nl: Some(name_nl),
        name_en: Some(name_en),
        description_nl: Some(description_nl),
        description_en: Some(description_en),
    }
}

async fn log_create<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: &Actor,
    kind: RecordKind,
    id: i64,
    after: &serde_json::Value,
) -> AppResult<()> {
    history::record(db, actor, Change::created(kind, id, after)).await
}

/// Loads the demo network when the registry holds no organisations yet.
pub async fn load_demo_if_empty(db: &DatabaseConnection) -> AppResult<bool> {
    if organisation::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    load_demo(db).await?;
    tracing::info!("loaded the demo network");
    Ok(true)
}

/// Loads (or completes) the demo network.
pub async fn load_demo(db: &DatabaseConnection) -> AppResult<()> {
    let demo: DemoNetwork = parse("demo_network.json", DEMO_NETWORK)?;
    let system = Actor::system();
    for o in demo.organisations {
        if org_service::by_slug(db, &o.slug).await?.is_some() {
            continue;
        }
        let support = match &o.support_organisation {
            Some(slug) => Some(org_id(db, slug).await?),
            None => None,
        };
        org_service::create(
            db,
            &system,
            org_service::OrganisationInput {
                kind: Some(o.kind),
                name: Some(o.name),
                slug: Some(o.slug),
                description: Some(o.description),
                website: Some(o.website),
                province_code: Some(o.province),
                support_organisation_id: Some(support),
                municipality_codes: Some(o.municipalities),
            },
        )
        .await?;
    }
    for b in demo.branches {
        let org = org_id(db, &b.organisation).await?;
        if branch::of_organisation(db, org).await?.iter().any(|existing| existing.name == b.name) {
            continue;
        }
        branch::create(
            db,
            &system,
            org,
            branch::BranchInput {
                name: Some(b.name),
                address: Some(b.address),
                postcode: Some(b.postcode),
                municipality_code: Some(b.municipality),
                latitude: Some(b.latitude),
                longitude: Some(b.longitude),
            },
        )
        .await?;
    }
    for p in demo.propositions {
        let org = org_service::by_slug(db, &p.organisation)
            .await?
            .ok_or_else(|| AppError::internal(format!("seed: unknown organisation {}", p.organisation)))?;
        let exists = proposition::Entity::find()
            .filter(proposition::Column::OrganisationId.eq(org.id))
            .filter(proposition::Column::Title.eq(&p.title))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        // The library's own editor publishes its offer, through the same rules as the API.
        let editor = Actor {
            subject: Some("demo-loader".into()),
            role: Some(Role::LibraryEditor),
            organisation: Some(ActorOrganisation { id: org.id, kind: org.kind }),
            ..Actor::default()
        };
        let branches = branch::of_organisation(db, org.id).await?;
        let mut branch_ids = Vec::new();
        for name in &p.branches {
            let b = branches
                .iter()
                .find(|b| &b.name == name)
                .ok_or_else(|| AppError::internal(format!("seed: unknown branch {name} of {}", p.organisation)))?;
            branch_ids.push(b.id);
        }
        let mut partner_ids = Vec::new();
        for slug in &p.partners {
            partner_ids.push(org_id(db, slug).await?);
        }
        let created = prop_service::create(
            db,
            &editor,
            org.id,
            prop_service::PropositionInput {
                external_key: None,
                title: Some(p.title),
                summary: Some(p.summary),
                description: Some(p.description),
                standard_proposition_code: Some(p.standard_proposition),
                deviation_note: Some(p.deviation_note),
                societal_task_code: Some(p.societal_task),
                core_function_code: Some(p.core_function),
                target_group_codes: Some(p.target_groups),
                channel: Some(p.channel),
                lifecycle: Some(p.lifecycle),
                start_date: Some(p.start_date),
                end_date: Some(p.end_date),
                schedule: Some(p.schedule),
                cost_kind: Some(p.cost.kind),
                price_cents: Some(p.cost.price_cents),
                cost_note: Some(p.cost.note),
                contact_name: Some(p.contact.name),
                contact_email: Some(p.contact.email),
                contact_phone: Some(p.contact.phone),
                url: Some(p.url),
                verified_at: Some(p.verified_at),
                branch_ids: Some(branch_ids),
                partner_organisation_ids: Some(partner_ids),
            },
        )
        .await?;
        let transition = match p.publication_state {
            PublicationState::Draft => None,
            PublicationState::Published => Some(prop_service::Transition::Publish),
            PublicationState::Archived => Some(prop_service::Transition::Archive),
        };
        if let Some(t) = transition {
            prop_service::transition(db, &editor, created.id, created.version, t).await?;
        }
    }
    knowledge::load(db).await
}

async fn org_id(db: &DatabaseConnection, slug: &str) -> AppResult<i64> {
    org_service::by_slug(db, slug)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| AppError::internal(format!("seed: unknown organisation {slug}")))
}
