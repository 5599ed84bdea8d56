//! Organisations and branches in the API, with the queries and mutations that manage them.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{branch, organisation};

use crate::common_model::graphql::{Municipality, Province};
use crate::common_model::loaders::{MunicipalityKey, ProvinceKey};
use crate::connection;
use crate::error::{AppError, AppResult};
use crate::kernel::enums::OrganisationKind;
use crate::kernel::history::RecordKind;
use crate::kernel::loaders::{many, one};
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::knowledge::graphql::idea::Adoption;
use crate::knowledge::graphql::insight::{InsightConnection, InsightFilterInput, scoped_insight_page};
use crate::knowledge::graphql::journey::CustomerJourney;
use crate::knowledge::graphql::loaders::{OrganisationAdoptions, OrganisationJourneys};
use crate::knowledge::graphql::study::{StudyConnection, StudyFilterInput, StudyOrder, scoped_study_page};
use crate::knowledge::scope::KnowledgeParent;
use crate::registry::branch as branch_svc;
use crate::registry::branch::BranchInput;
use crate::registry::graphql::loaders::{
    OrganisationBranches, OrganisationKey, OrganisationMunicipalities, SupportedLibraries,
};
use crate::registry::graphql::proposition::{
    PropositionConnection, PropositionFilterInput, PropositionOrderInput, child_proposition_page,
};
use crate::registry::organisation as svc;
use crate::registry::organisation::{OrganisationFilter, OrganisationInput};
use crate::registry::proposition::Parent;
use crate::trust::graphql::history::{ChangeConnection, history_page};
use crate::trust::limits::bounds::{cap, caps};

/// An organisation in the network: a library, a support organisation, a national body or a partner.
#[derive(Clone)]
pub struct Organisation(pub organisation::Model);

/// An organisation in the network: a library, a support organisation, a national body or a partner.
#[Object]
impl Organisation {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Organisation", self.0.id)
    }
    /// The unique, readable key, e.g. `bibliotheek-zoetermeer`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of organisation it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }
    /// A short description.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The province it is based in.
    async fn province(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Province>> {
        match self.0.province_id {
            Some(id) => Ok(one(ctx, ProvinceKey(id)).await?.map(Province)),
            None => Ok(None),
        }
    }
    /// For a library: the support organisation (POI) that supports it.
    async fn support_organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        match self.0.support_organisation_id {
            Some(id) => Ok(one(ctx, OrganisationKey(id)).await?.map(Organisation)),
            None => Ok(None),
        }
    }
    /// For a support organisation: the libraries it supports, by name.
    async fn supported_libraries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        Ok(one(ctx, SupportedLibraries(self.0.id)).await?.unwrap_or_default().into_iter().map(Organisation).collect())
    }
    /// The municipalities it serves.
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let ids = one(ctx, OrganisationMunicipalities(self.0.id)).await?.unwrap_or_default();
        let mut list: Vec<Municipality> =
            many(ctx, ids.into_iter().map(MunicipalityKey)).await?.into_iter().map(Municipality).collect();
        list.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(list)
    }
    /// Its branches (vestigingen), by name (at most 100).
    async fn branches(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Branch>> {
        let list =
            one(ctx, OrganisationBranches(self.0.id)).await?.unwrap_or_default().into_iter().map(Branch).collect();
        Ok(cap(list, caps::BRANCHES, "Organisation.branches"))
    }
    /// Its propositions that the caller may see.
    async fn propositions(
        &self,
        ctx: &Context<'_>,
        filter: Option<PropositionFilterInput>,
        order_by: Option<PropositionOrderInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<PropositionConnection> {
        child_proposition_page(ctx, Parent::Organisation, self.0.id, filter, order_by, first, after).await
    }
    /// Studies it ran or commissioned (as far as you may see them), newest first.
    async fn studies(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] role: StudyRole,
        filter: Option<StudyFilterInput>,
        order_by: Option<StudyOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<StudyConnection> {
        let parent = match role {
            StudyRole::Any => KnowledgeParent::Organisation,
            StudyRole::Conducted => KnowledgeParent::Conductor,
            StudyRole::Commissioned => KnowledgeParent::Commissioner,
        };
        scoped_study_page(ctx, parent, self.0.id, filter, order_by, first, after).await
    }
    /// The customer journeys of the studies it is named on (at most 100).
    async fn journeys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CustomerJourney>> {
        let list = one(ctx, OrganisationJourneys(self.0.id)).await?.unwrap_or_default();
        Ok(cap(list.into_iter().map(CustomerJourney).collect(), caps::JOURNEYS, "Organisation.journeys"))
    }
    /// The insights of the studies it is named on, strongest first.
    async fn insights(
        &self,
        ctx: &Context<'_>,
        filter: Option<InsightFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<InsightConnection> {
        scoped_insight_page(ctx, KnowledgeParent::Organisation, self.0.id, None, filter, first, after).await
    }
    /// The improvement ideas this library adopted, with status and effect (at most 500).
    async fn adoptions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Adoption>> {
        let list =
            one(ctx, OrganisationAdoptions(self.0.id)).await?.unwrap_or_default().into_iter().map(Adoption).collect();
        Ok(cap(list, caps::ADOPTIONS, "Organisation.adoptions"))
    }
    /// When it was added.
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
        history_page(ctx, RecordKind::Organisation, self.0.id, first, after).await
    }
}

/// Which part an organisation played in a study.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum StudyRole {
    /// Either part.
    #[default]
    Any,
    /// It ran the study.
    Conducted,
    /// The study was done for it.
    Commissioned,
}

/// A branch (vestiging) of a library.
#[derive(Clone)]
pub struct Branch(pub branch::Model);

/// A branch (vestiging) of a library.
#[Object]
impl Branch {
    /// The global id.
    pub async fn id(&self) -> ID {
        ids::encode("Branch", self.0.id)
    }
    /// The name, e.g. Bibliotheek Seghwaert.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Street and number.
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// The postcode, e.g. 2711 AB.
    async fn postcode(&self) -> &str {
        &self.0.postcode
    }
    /// The municipality it lies in.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        Ok(one(ctx, MunicipalityKey(self.0.municipality_id)).await?.map(Municipality))
    }
    /// Latitude (WGS 84), if known.
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }
    /// Longitude (WGS 84), if known.
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }
    /// The library it belongs to.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(one(ctx, OrganisationKey(self.0.organisation_id)).await?.map(Organisation))
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
        history_page(ctx, RecordKind::Branch, self.0.id, first, after).await
    }
}

/// Counts organisations on demand.
pub struct OrganisationCount(pub OrganisationFilter);

impl OrganisationCount {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(svc::count(db(ctx), &self.0).await?)
    }
}

connection!(OrganisationConnection, OrganisationEdge, Organisation, OrganisationCount, "organisation");

/// Which organisations to list.
#[derive(InputObject, Default)]
pub struct OrganisationFilterInput {
    /// Only these kinds.
    pub kinds: Option<Vec<OrganisationKind>>,
    /// Only those based in this province (CBS code such as PV28, or name).
    pub province: Option<String>,
    /// Only those serving this municipality (CBS code such as GM0637, or its name).
    pub municipality: Option<String>,
    /// Only libraries supported by this support organisation (slug).
    pub support_organisation: Option<String>,
    /// Only those whose name contains this text, case and accents folded (`fryslan` finds Fryslân).
    pub name_contains: Option<String>,
}

/// Reads of organisations and branches; open to everyone.
#[derive(Default)]
pub struct OrganisationQuery;

/// Reads of organisations and branches; open to everyone.
#[Object]
impl OrganisationQuery {
    /// Organisations by name.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrganisationFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<OrganisationConnection> {
        let f = filter.unwrap_or_default();
        let filter = OrganisationFilter {
            kinds: f.kinds.unwrap_or_default().into_iter().map(Into::into).collect(),
            province_code: f.province,
            municipality_code: f.municipality,
            support_organisation_slug: f.support_organisation,
            name_contains: f.name_contains,
        };
        let page = svc::list(db(ctx), &filter, &PageArgs { first, after }).await?;
        Ok(OrganisationConnection::new(page, OrganisationCount(filter), Organisation))
    }

    /// One organisation by slug.
    async fn organisation(&self, ctx: &Context<'_>, slug: String) -> async_graphql::Result<Organisation> {
        svc::by_slug(db(ctx), &slug)
            .await?
            .map(Organisation)
            .ok_or_else(|| AppError::NotFound(format!("organisation {slug}")).into())
    }
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganisationInput {
    /// What kind of organisation it is.
    pub kind: OrganisationKind,
    /// The name.
    pub name: String,
    /// The unique key: lower-case letters, digits and hyphens.
    pub slug: String,
    /// A short description.
    pub description: Option<String>,
    /// The website (http or https).
    pub website: Option<String>,
    /// The province it is based in (CBS code or name).
    pub province_code: Option<String>,
    /// For a library: its support organisation.
    pub support_organisation_id: Option<ID>,
    /// The municipalities it serves (CBS codes or names).
    pub municipality_codes: Option<Vec<String>>,
}

/// Changes to an organisation; absent fields stay as they are, null clears.
#[derive(InputObject)]
pub struct UpdateOrganisationInput {
    /// The organisation.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new kind.
    pub kind: Option<OrganisationKind>,
    /// A new name.
    pub name: Option<String>,
    /// A new slug; tokens naming the old slug stop working.
    pub slug: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// A new website, or null.
    pub website: MaybeUndefined<String>,
    /// A new province, or null.
    pub province_code: MaybeUndefined<String>,
    /// A new support organisation, or null.
    pub support_organisation_id: MaybeUndefined<ID>,
    /// The municipalities it serves (CBS codes or names), replacing the old list.
    pub municipality_codes: Option<Vec<String>>,
}

/// A new branch of a library.
#[derive(InputObject)]
pub struct CreateBranchInput {
    /// The library.
    pub organisation_id: ID,
    /// The name.
    pub name: String,
    /// Street and number.
    pub address: String,
    /// The postcode, e.g. 2711 AB.
    pub postcode: String,
    /// The municipality (CBS code).
    pub municipality_code: String,
    /// Latitude (WGS 84); give both or neither.
    pub latitude: Option<f64>,
    /// Longitude (WGS 84); give both or neither.
    pub longitude: Option<f64>,
}

/// Changes to a branch; absent fields stay as they are, null clears.
#[derive(InputObject)]
pub struct UpdateBranchInput {
    /// The branch.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
    /// A new name.
    pub name: Option<String>,
    /// A new address.
    pub address: Option<String>,
    /// A new postcode.
    pub postcode: Option<String>,
    /// A new municipality (CBS code or name).
    pub municipality_code: Option<String>,
    /// A new latitude, or null.
    pub latitude: MaybeUndefined<f64>,
    /// A new longitude, or null.
    pub longitude: MaybeUndefined<f64>,
}

/// Removes a branch.
#[derive(InputObject)]
pub struct DeleteBranchInput {
    /// The branch.
    pub id: ID,
    /// The version last read; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// The result of changing an organisation.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    /// The organisation as it is now.
    pub organisation: Organisation,
}

/// The result of changing a branch.
#[derive(SimpleObject)]
pub struct BranchPayload {
    /// The branch as it is now.
    pub branch: Branch,
}

/// The result of removing a branch.
#[derive(SimpleObject)]
pub struct DeleteBranchPayload {
    /// The id of the removed branch.
    pub deleted_branch_id: ID,
}

fn optional_id(field: &str, type_name: &str, id: Option<ID>) -> AppResult<Option<i64>> {
    id.map(|id| ids::decode(field, type_name, &id)).transpose()
}

/// Changes to organisations (maintainers) and branches (the library's editors and maintainers).
#[derive(Default)]
pub struct OrganisationMutation;

/// Changes to organisations (maintainers) and branches (the library's editors and maintainers).
#[Object]
impl OrganisationMutation {
    /// Adds an organisation. Network maintainers only.
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let support = optional_id("supportOrganisationId", "Organisation", input.support_organisation_id)?;
        let model = svc::create(
            db(ctx),
            actor(ctx),
            OrganisationInput {
                kind: Some(input.kind.into()),
                name: Some(input.name),
                slug: Some(input.slug),
                description: input.description,
                website: Some(input.website),
                province_code: Some(input.province_code),
                support_organisation_id: Some(support),
                municipality_codes: input.municipality_codes,
            },
        )
        .await?;
        Ok(OrganisationPayload { organisation: Organisation(model) })
    }

    /// Changes an organisation. Network maintainers only.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let id = ids::decode("id", "Organisation", &input.id)?;
        let support = match input.support_organisation_id.into() {
            None => None,
            Some(None) => Some(None),
            Some(Some(s)) => Some(Some(ids::decode("supportOrganisationId", "Organisation", &s)?)),
        };
        let model = svc::update(
            db(ctx),
            actor(ctx),
            id,
            input.expected_version,
            OrganisationInput {
                kind: input.kind.map(Into::into),
                name: input.name,
                slug: input.slug,
                description: input.description,
                website: input.website.into(),
                province_code: input.province_code.into(),
                support_organisation_id: support,
                municipality_codes: input.municipality_codes,
            },
        )
        .await?;
        Ok(OrganisationPayload { organisation: Organisation(model) })
    }

    /// Adds a branch to a library. The library's editors and network maintainers.
    async fn create_branch(&self, ctx: &Context<'_>, input: CreateBranchInput) -> async_graphql::Result<BranchPayload> {
        let org = ids::decode("organisationId", "Organisation", &input.organisation_id)?;
        let model = branch_svc::create(
            db(ctx),
            actor(ctx),
            org,
            BranchInput {
                name: Some(input.name),
                address: Some(input.address),
                postcode: Some(input.postcode),
                municipality_code: Some(input.municipality_code),
                latitude: Some(input.latitude),
                longitude: Some(input.longitude),
            },
        )
        .await?;
        Ok(BranchPayload { branch: Branch(model) })
    }

    /// Changes a branch. The library's editors and network maintainers.
    async fn update_branch(&self, ctx: &Context<'_>, input: UpdateBranchInput) -> async_graphql::Result<BranchPayload> {
        let id = ids::decode("id", "Branch", &input.id)?;
        let model = branch_svc::update(
            db(ctx),
            actor(ctx),
            id,
            input.expected_version,
            BranchInput {
                name: input.name,
                address: input.address,
                postcode: input.postcode,
                municipality_code: input.municipality_code,
                latitude: input.latitude.into(),
                longitude: input.longitude.into(),
            },
        )
        .await?;
        Ok(BranchPayload { branch: Branch(model) })
    }

    /// Removes a branch where no proposition runs any more; its last state stays in the history.
    /// The library's editors and network maintainers.
    async fn delete_branch(
        &self,
        ctx: &Context<'_>,
        input: DeleteBranchInput,
    ) -> async_graphql::Result<DeleteBranchPayload> {
        let id = ids::decode("id", "Branch", &input.id)?;
        branch_svc::delete(db(ctx), actor(ctx), id, input.expected_version).await?;
        Ok(DeleteBranchPayload { deleted_branch_id: input.id })
    }
}
