//! The network view: which libraries offer what, where, for whom; coverage and gaps, comparison,
//! national figures and help with mapping local propositions. Offers are published propositions.

mod cache;
mod compare;
mod coverage;
mod figures;
pub mod graphql;
mod mapping;
pub mod search;
mod who_offers;

use entity::enums::{OrganisationKind, PublicationState};
use entity::{branch, municipality, organisation, organisation_municipality as org_gm};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use crate::common_model::region::{municipality_ids, province_by_code};
use crate::error::{AppError, AppResult};
use crate::registry::organisation as org_service;
use crate::registry::proposition::PropositionFilter;

pub use cache::ViewCache;
pub use compare::{COMPARE_MAX, CompareFilter, CompareGroup, CompareRow, Comparison, compare};
pub use coverage::{
    Axis, Coverage, CoverageCache, CoverageCell, CoverageColumn, CoverageRow, coverage, coverage_cached,
};
pub use figures::{Bucket, Figures, figures};
pub use mapping::{Candidate, local_propositions, suggestion_for, suggestion_page, suggestions};
pub use who_offers::{Provider, WhoOffers, who_offers};

/// Where to look: the whole country, a province, a municipality, or the libraries one support
/// organisation supports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Region {
    #[default]
    Country,
    Province(String),
    Municipality(String),
    SupportOrganisation(String),
}

/// What is offered: a standard proposition, or anything for a societal task, core function or
/// target group (narrower groups included), by code; or any of several standard propositions; or a
/// combination (every list given applies, any value within a list).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Offering {
    StandardProposition(String),
    SocietalTask(String),
    CoreFunction(String),
    TargetGroup(String),
    AnyStandardProposition(Vec<String>),
    Combination(Combination),
}

/// Offerings described by the common model: each non-empty list must hold (AND), any of its values
/// will do (OR).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Combination {
    pub standard_propositions: Vec<String>,
    pub societal_tasks: Vec<String>,
    pub core_functions: Vec<String>,
    pub target_groups: Vec<String>,
}

/// The most codes one offering names.
pub const OFFERING_MAX_CODES: usize = 50;

impl Offering {
    /// The published propositions that count as offering it; an offering that names nothing, or
    /// too much, is refused.
    fn filter(&self) -> AppResult<PropositionFilter> {
        let mut f = PropositionFilter { publication_states: vec![PublicationState::Published], ..Default::default() };
        match self {
            Offering::StandardProposition(c) => f.standard_proposition_codes = vec![c.clone()],
            Offering::SocietalTask(c) => f.societal_task_codes = vec![c.clone()],
            Offering::CoreFunction(c) => f.core_function_codes = vec![c.clone()],
            Offering::TargetGroup(c) => f.target_group_codes = vec![c.clone()],
            Offering::AnyStandardProposition(codes) => {
                f.standard_proposition_codes = codes.clone();
            }
            Offering::Combination(c) => {
                f.standard_proposition_codes = c.standard_propositions.clone();
                f.societal_task_codes = c.societal_tasks.clone();
                f.core_function_codes = c.core_functions.clone();
                f.target_group_codes = c.target_groups.clone();
            }
        }
        let named =
            [&f.standard_proposition_codes, &f.societal_task_codes, &f.core_function_codes, &f.target_group_codes];
        let count: usize = named.iter().map(|codes| codes.len()).sum();
        if count == 0 {
            return Err(AppError::invalid("offering", "name at least one code"));
        }
        if count > OFFERING_MAX_CODES {
            return Err(AppError::invalid("offering", format!("name at most {OFFERING_MAX_CODES} codes")));
        }
        Ok(f)
    }
}

/// The libraries and municipalities of a region, each by name.
#[derive(Debug, Clone)]
pub struct Area {
    pub libraries: Vec<organisation::Model>,
    pub municipalities: Vec<municipality::Model>,
}

impl Area {
    fn library_ids(&self) -> Vec<i64> {
        self.libraries.iter().map(|l| l.id).collect()
    }
}

fn organisations_serving(municipalities: Condition) -> Condition {
    let served = org_gm::Entity::find()
        .select_only()
        .column(org_gm::Column::OrganisationId)
        .filter(
            org_gm::Column::MunicipalityId.in_subquery(
                municipality::Entity::find()
                    .select_only()
                    .column(municipality::Column::Id)
                    .filter(municipalities.clone())
                    .into_query(),
            ),
        )
        .into_query();
    let with_branch = branch::Entity::find()
        .select_only()
        .column(branch::Column::OrganisationId)
        .filter(
            branch::Column::MunicipalityId.in_subquery(
                municipality::Entity::find()
                    .select_only()
                    .column(municipality::Column::Id)
                    .filter(municipalities)
                    .into_query(),
            ),
        )
        .into_query();
    Condition::any()
        .add(organisation::Column::Id.in_subquery(served))
        .add(organisation::Column::Id.in_subquery(with_branch))
}

/// Resolves a region to its libraries (based there, serving a municipality there, or with a branch
/// there) and its municipalities. Unknown codes are `BAD_USER_INPUT` naming `region.*`.
pub async fn area<C: ConnectionTrait>(db: &C, region: &Region) -> AppResult<Area> {
    let (libraries, municipalities) = match region {
        Region::Country => (Condition::all(), Condition::all()),
        Region::Province(code) => {
            let p = province_by_code(db, "region.province", code).await?;
            let here = Condition::all().add(municipality::Column::ProvinceId.eq(p.id));
            (
                Condition::any()
                    .add(organisation::Column::ProvinceId.eq(p.id))
                    .add(organisations_serving(here.clone())),
                here,
            )
        }
        Region::Municipality(code) => {
            let ids = municipality_ids(db, "region.municipality", std::slice::from_ref(code)).await?;
            let here = Condition::all().add(municipality::Column::Id.is_in(ids));
            (organisations_serving(here.clone()), here)
        }
        Region::SupportOrganisation(slug) => {
            let support = org_service::by_slug(db, slug)
                .await?
                .filter(|o| o.kind == OrganisationKind::SupportOrganisation)
                .ok_or_else(|| {
                    AppError::invalid(
                        "region.supportOrganisation",
                        format!("no support organisation has the slug {slug}"),
                    )
                })?;
            let supported = || {
                organisation::Entity::find()
                    .select_only()
                    .column(organisation::Column::Id)
                    .filter(organisation::Column::SupportOrganisationId.eq(support.id))
                    .into_query()
            };
            let served = org_gm::Entity::find()
                .select_only()
                .column(org_gm::Column::MunicipalityId)
                .filter(org_gm::Column::OrganisationId.in_subquery(supported()))
                .into_query();
            let branches = branch::Entity::find()
                .select_only()
                .column(branch::Column::MunicipalityId)
                .filter(branch::Column::OrganisationId.in_subquery(supported()))
                .into_query();
            (
                Condition::all().add(organisation::Column::SupportOrganisationId.eq(support.id)),
                Condition::any()
                    .add(municipality::Column::Id.in_subquery(served))
                    .add(municipality::Column::Id.in_subquery(branches)),
            )
        }
    };
    let libraries = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::Library))
        .filter(libraries)
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    let municipalities = municipality::Entity::find()
        .filter(municipalities)
        .order_by_asc(municipality::Column::Name)
        .order_by_asc(municipality::Column::Id)
        .all(db)
        .await?;
    Ok(Area { libraries, municipalities })
}
