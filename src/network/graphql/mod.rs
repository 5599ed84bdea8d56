//! The network view in GraphQL: who offers what where, coverage, comparison, national figures and
//! mapping help. Thin: each field calls one function of `network`.

pub mod search;

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, OneofObject, SimpleObject};

use crate::common_model::graphql::{Municipality, SocietalTask, StandardProposition};

use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::network as svc;
use crate::network::{Axis, Offering, Region};
use crate::registry::graphql::organisation::{Branch, Organisation};
use crate::registry::graphql::proposition::{Proposition, PropositionFilterInput};
use crate::registry::proposition as prop_service;
use crate::registry::proposition::PropositionFilter;
use crate::trust::limits::bounds::{cap, caps};

/// What is offered: exactly one of these codes.
#[derive(OneofObject)]
pub enum OfferingInput {
    /// A standard proposition (code).
    StandardProposition(String),
    /// Anything contributing to a societal task (code).
    SocietalTask(String),
    /// Anything serving a core function (code).
    CoreFunction(String),
    /// Anything for a target group or a narrower one (code).
    TargetGroup(String),
    /// Any of these standard propositions (codes): digital skills in any form is
    /// `["DIGISTERKER", "KLIK_EN_TIK"]`. Gaps are the libraries offering none of them.
    AnyStandardProposition(Vec<String>),
    /// What the common model describes: every list given must hold, any value within a list will
    /// do. A meeting programme for seniors is `{coreFunctions: ["MEETING_DEBATE"], targetGroups:
    /// ["SENIORS"]}`.
    Combination(OfferingCombinationInput),
}

/// An offering described by the common model's codes; give at least one (at most 50 in all).
#[derive(InputObject)]
pub struct OfferingCombinationInput {
    /// Any of these standard propositions (codes).
    pub standard_propositions: Option<Vec<String>>,
    /// Contributing to any of these societal tasks (codes).
    pub societal_tasks: Option<Vec<String>>,
    /// Serving any of these core functions (codes).
    pub core_functions: Option<Vec<String>>,
    /// For any of these target groups or a narrower one (codes).
    pub target_groups: Option<Vec<String>>,
}

impl From<OfferingInput> for Offering {
    fn from(o: OfferingInput) -> Self {
        match o {
            OfferingInput::StandardProposition(c) => Offering::StandardProposition(c),
            OfferingInput::SocietalTask(c) => Offering::SocietalTask(c),
            OfferingInput::CoreFunction(c) => Offering::CoreFunction(c),
            OfferingInput::TargetGroup(c) => Offering::TargetGroup(c),
            OfferingInput::AnyStandardProposition(codes) => Offering::AnyStandardProposition(codes),
            OfferingInput::Combination(c) => Offering::Combination(svc::Combination {
                standard_propositions: c.standard_propositions.unwrap_or_default(),
                societal_tasks: c.societal_tasks.unwrap_or_default(),
                core_functions: c.core_functions.unwrap_or_default(),
                target_groups: c.target_groups.unwrap_or_default(),
            }),
        }
    }
}

/// Where to look: exactly one of these; leave the region out for the whole country.
#[derive(OneofObject)]
pub enum RegionInput {
    /// A province (CBS code such as `PV28`, or its name).
    Province(String),
    /// A municipality (CBS code such as `GM0637`, or its name: Zoetermeer).
    Municipality(String),
    /// The libraries a support organisation supports (its slug).
    SupportOrganisation(String),
}

fn region(r: Option<RegionInput>) -> Region {
    match r {
        None => Region::Country,
        Some(RegionInput::Province(c)) => Region::Province(c),
        Some(RegionInput::Municipality(c)) => Region::Municipality(c),
        Some(RegionInput::SupportOrganisation(s)) => Region::SupportOrganisation(s),
    }
}

/// A library that offers it, with what, where and for which municipalities.
pub struct Provider(svc::Provider);

/// A library that offers it, with what, where and for which municipalities.
#[Object]
impl Provider {
    /// The library.
    async fn organisation(&self) -> Organisation {
        Organisation(self.0.organisation.clone())
    }
    /// Its published propositions that match, by title (at most 50).
    async fn propositions(&self) -> Vec<Proposition> {
        let list = self.0.propositions.iter().cloned().map(Proposition).collect();
        cap(list, caps::OFFER_PROPOSITIONS, "Provider.propositions")
    }
    /// The region's branches where it is offered: those named on the propositions, or all branches
    /// for a proposition offered library-wide (at most 100).
    async fn branches(&self) -> Vec<Branch> {
        cap(self.0.branches.iter().cloned().map(Branch).collect(), caps::BRANCHES, "Provider.branches")
    }
    /// The region's municipalities it reaches: those of the branches, and those the library serves
    /// when a proposition is offered library-wide.
    async fn municipalities(&self) -> Vec<Municipality> {
        self.0.municipalities.iter().cloned().map(Municipality).collect()
    }
}

/// The gaps: who and where in the region goes without.
pub struct Gaps(svc::WhoOffers);

/// The gaps: who and where in the region goes without.
#[Object]
impl Gaps {
    /// Libraries of the region that offer nothing that matches, by name.
    async fn libraries(&self) -> Vec<Organisation> {
        self.0.libraries_without.iter().cloned().map(Organisation).collect()
    }
    /// Municipalities of the region that no provider reaches, by name.
    async fn municipalities(&self) -> Vec<Municipality> {
        self.0.municipalities_without.iter().cloned().map(Municipality).collect()
    }
}

/// Who offers it in a region, and the gaps, in one answer.
pub struct WhoOffers(svc::WhoOffers);

/// Who offers it in a region, and the gaps, in one answer.
#[Object]
impl WhoOffers {
    /// The libraries that offer it, by name.
    async fn providers(&self) -> Vec<Provider> {
        self.0.providers.iter().cloned().map(Provider).collect()
    }
    /// The libraries and municipalities that go without.
    async fn gaps(&self) -> Gaps {
        Gaps(self.0.clone())
    }
    /// How many libraries the region has.
    async fn library_count(&self) -> usize {
        self.0.library_count
    }
    /// How many municipalities the region has.
    async fn municipality_count(&self) -> usize {
        self.0.municipality_count
    }
}

/// What the columns of a coverage matrix are.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum CoverageAxis {
    /// Standard propositions, by code.
    #[default]
    StandardProposition,
    /// Societal tasks; a proposition counts under each task of its standard proposition.
    SocietalTask,
    /// Core functions.
    CoreFunction,
}

/// A column of the matrix: one entry of the common model.
#[derive(SimpleObject)]
pub struct CoverageColumn {
    /// Its code.
    pub code: String,
    /// Its Dutch name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// Published propositions in this column.
    pub total: usize,
    /// Libraries with at least one proposition in this column.
    pub libraries: usize,
}

/// A non-empty cell.
#[derive(SimpleObject)]
pub struct CoverageCell {
    /// The column's index in `columns`.
    pub column: usize,
    /// How many published propositions.
    pub count: usize,
    /// Their ids.
    pub proposition_ids: ids::IdList,
}

/// A row of the matrix: one library.
pub struct CoverageRow {
    matrix: Arc<svc::Coverage>,
    index: usize,
}

impl CoverageRow {
    fn row(&self) -> &svc::CoverageRow {
        &self.matrix.rows[self.index]
    }
}

/// A row of the matrix: one library.
#[Object]
impl CoverageRow {
    /// The library.
    async fn organisation(&self) -> Organisation {
        Organisation(self.row().organisation.clone())
    }
    /// The non-empty cells, by column.
    async fn cells(&self) -> Vec<CoverageCell> {
        self.row()
            .cells
            .iter()
            .map(|c| CoverageCell {
                column: c.column,
                count: c.proposition_ids.len(),
                proposition_ids: ids::IdList::new("Proposition", c.proposition_ids.clone()),
            })
            .collect()
    }
    /// The count of every column, in order (zero for an empty cell).
    async fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.matrix.columns.len()];
        for c in &self.row().cells {
            counts[c.column] = c.proposition_ids.len();
        }
        counts
    }
    /// Its published propositions in at least one column.
    async fn total(&self) -> usize {
        self.row().total
    }
    /// Its published propositions in no column (local ones without that task or function).
    async fn unplaced(&self) -> usize {
        self.row().unplaced
    }
}

/// A coverage matrix: libraries as rows, the common model as columns.
pub struct Coverage(Arc<svc::Coverage>);

/// A coverage matrix: libraries as rows, the common model as columns.
#[Object]
impl Coverage {
    /// The columns, in order.
    async fn columns(&self) -> Vec<CoverageColumn> {
        self.0
            .columns
            .iter()
            .map(|c| CoverageColumn {
                code: c.code.clone(),
                name: c.name_nl.clone(),
                name_en: c.name_en.clone(),
                total: c.total,
                libraries: c.libraries,
            })
            .collect()
    }
    /// The libraries of the region, by name.
    async fn rows(&self) -> Vec<CoverageRow> {
        (0..self.0.rows.len()).map(|index| CoverageRow { matrix: self.0.clone(), index }).collect()
    }
    /// Published propositions in at least one column.
    async fn total(&self) -> usize {
        self.0.total
    }
}

/// One standard proposition (or the local propositions of a task) across the compared organisations.
pub struct ComparisonRow {
    row: svc::CompareRow,
    organisations: Vec<entity::organisation::Model>,
}

/// What one organisation offers in a comparison row.
pub struct ComparisonOffer {
    organisation: entity::organisation::Model,
    propositions: Vec<entity::proposition::Model>,
}

/// What one organisation offers in a comparison row.
#[Object]
impl ComparisonOffer {
    /// The organisation.
    async fn organisation(&self) -> Organisation {
        Organisation(self.organisation.clone())
    }
    /// Its published propositions here (empty: it does not offer this; at most 50); ask for their
    /// `evidence`.
    async fn propositions(&self) -> Vec<Proposition> {
        let list = self.propositions.iter().cloned().map(Proposition).collect();
        cap(list, caps::OFFER_PROPOSITIONS, "ComparisonOffer.propositions")
    }
    /// Whether it offers anything here.
    async fn offers(&self) -> bool {
        !self.propositions.is_empty()
    }
}

/// One standard proposition (or the local propositions of a task) across the compared organisations.
#[Object]
impl ComparisonRow {
    /// The standard proposition; null for the local propositions of this task.
    async fn standard_proposition(&self) -> Option<StandardProposition> {
        self.row.standard.clone().map(StandardProposition)
    }
    /// Every compared organisation, in the order asked, with what it offers here.
    async fn offers(&self) -> Vec<ComparisonOffer> {
        self.organisations
            .iter()
            .zip(&self.row.offers)
            .map(|(o, p)| ComparisonOffer { organisation: o.clone(), propositions: p.clone() })
            .collect()
    }
    /// The organisations that offer something here.
    async fn offered_by(&self) -> Vec<Organisation> {
        self.row.offered_by().into_iter().map(|i| Organisation(self.organisations[i].clone())).collect()
    }
    /// The one organisation that alone offers this; null when several (or none) do.
    async fn only_offered_by(&self) -> Option<Organisation> {
        match self.row.offered_by()[..] {
            [i] => Some(Organisation(self.organisations[i].clone())),
            _ => None,
        }
    }
}

/// The rows under one societal task.
pub struct ComparisonGroup {
    group: svc::CompareGroup,
    organisations: Vec<entity::organisation::Model>,
}

/// The rows under one societal task.
#[Object]
impl ComparisonGroup {
    /// The societal task; null for propositions that contribute to none.
    async fn societal_task(&self) -> Option<SocietalTask> {
        self.group.societal_task.clone().map(SocietalTask)
    }
    /// Standard propositions by Dutch name; the local propositions last.
    async fn rows(&self) -> Vec<ComparisonRow> {
        self.group
            .rows
            .iter()
            .cloned()
            .map(|row| ComparisonRow { row, organisations: self.organisations.clone() })
            .collect()
    }
}

/// What a comparison is about. Values within a list are alternatives (OR); lists given together all
/// apply (AND).
#[derive(InputObject, Default)]
pub struct CompareFilterInput {
    /// Only these societal tasks (codes): their groups, and what contributes to them.
    pub societal_tasks: Option<Vec<String>>,
    /// Only what serves these core functions (codes).
    pub core_functions: Option<Vec<String>>,
    /// Only what is for these target groups or narrower ones (codes).
    pub target_groups: Option<Vec<String>>,
}

impl From<CompareFilterInput> for svc::CompareFilter {
    fn from(f: CompareFilterInput) -> Self {
        svc::CompareFilter {
            societal_task_codes: f.societal_tasks.unwrap_or_default(),
            core_function_codes: f.core_functions.unwrap_or_default(),
            target_group_codes: f.target_groups.unwrap_or_default(),
        }
    }
}

/// Organisations side by side.
pub struct Comparison(svc::Comparison);

/// Organisations side by side.
#[Object]
impl Comparison {
    /// The compared organisations, in the order asked.
    async fn organisations(&self) -> Vec<Organisation> {
        self.0.organisations.iter().cloned().map(Organisation).collect()
    }
    /// By societal task (in the network's order), then standard proposition.
    async fn groups(&self) -> Vec<ComparisonGroup> {
        self.0
            .groups
            .iter()
            .cloned()
            .map(|group| ComparisonGroup { group, organisations: self.0.organisations.clone() })
            .collect()
    }
}

/// One count of a figure.
#[derive(SimpleObject)]
pub struct FigureBucket {
    /// What it counts: a code, slug or enum value; `NONE` (or `LOCAL` for standard propositions) for
    /// propositions without one.
    pub key: String,
    /// The Dutch label.
    pub label: String,
    /// How many published propositions.
    pub proposition_count: u64,
    /// How many organisations publish at least one of them (a library with two counts once).
    pub organisation_count: u64,
    /// How many published propositions (the same as `propositionCount`).
    #[graphql(deprecation = "Read `propositionCount`, or `organisationCount` for how many libraries offer this.")]
    pub count: u64,
}

fn figure(buckets: &[svc::Bucket]) -> Vec<FigureBucket> {
    buckets
        .iter()
        .map(|b| FigureBucket {
            key: b.key.clone(),
            label: b.label.clone(),
            proposition_count: b.propositions,
            organisation_count: b.organisations,
            count: b.propositions,
        })
        .collect()
}

/// Counts of published propositions and of the organisations publishing them, most propositions
/// first, for a national report.
pub struct NetworkFigures(svc::Figures);

/// Counts of published propositions and of the organisations publishing them, most propositions
/// first, for a national report.
#[Object]
impl NetworkFigures {
    /// All published propositions that match.
    async fn total(&self) -> u64 {
        self.0.total
    }
    /// The organisations publishing at least one of them.
    async fn organisation_count(&self) -> u64 {
        self.0.organisations
    }
    /// By standard proposition (`LOCAL`: not mapped).
    async fn by_standard_proposition(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_standard_proposition)
    }
    /// By societal task: a proposition counts under its own task and each task of its standard
    /// proposition.
    async fn by_societal_task(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_societal_task)
    }
    /// By core function.
    async fn by_core_function(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_core_function)
    }
    /// By target group named on the proposition (a proposition counts under each of its groups).
    async fn by_target_group(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_target_group)
    }
    /// By channel.
    async fn by_channel(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_channel)
    }
    /// By lifecycle stage.
    async fn by_lifecycle(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_lifecycle)
    }
    /// By the province the library is based in.
    async fn by_province(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_province)
    }
    /// By the support organisation of the library.
    async fn by_support_organisation(&self) -> Vec<FigureBucket> {
        figure(&self.0.by_support_organisation)
    }
}

/// A standard proposition a local one resembles.
pub struct MappingCandidate(pub(crate) svc::Candidate);

/// A standard proposition a local one resembles.
#[Object]
impl MappingCandidate {
    /// The standard proposition.
    async fn standard_proposition(&self) -> StandardProposition {
        StandardProposition(self.0.standard.clone())
    }
    /// How much it resembles it, from 0 to 1.
    async fn score(&self) -> f64 {
        (self.0.score * 1000.0).round() / 1000.0
    }
    /// The proposition's words it shares with the standard proposition, most telling first.
    async fn shared_terms(&self) -> &[String] {
        &self.0.shared_terms
    }
}

/// A local proposition with the standard propositions it most resembles.
#[derive(Clone)]
pub struct MappingSuggestion {
    proposition: entity::proposition::Model,
    candidates: Vec<svc::Candidate>,
}

/// A local proposition with the standard propositions it most resembles.
#[Object]
impl MappingSuggestion {
    /// The local proposition.
    async fn proposition(&self) -> Proposition {
        Proposition(self.proposition.clone())
    }
    /// Up to three standard propositions, best first; empty when none resembles it.
    async fn candidates(&self) -> Vec<MappingCandidate> {
        self.candidates.iter().cloned().map(MappingCandidate).collect()
    }
}

/// Counts local propositions for `MappingSuggestionConnection.totalCount`.
pub struct MappingCount(Vec<PropositionFilter>);

impl MappingCount {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(prop_service::count(db(ctx), actor(ctx), &self.0).await?)
    }
}

crate::connection!(
    MappingSuggestionConnection,
    MappingSuggestionEdge,
    MappingSuggestion,
    MappingCount,
    "mapping suggestion"
);

/// The network view.
#[derive(Default)]
pub struct NetworkQuery;

/// The network view.
#[Object]
impl NetworkQuery {
    /// The libraries of a region (the whole country when left out) that offer something, with
    /// their propositions, branches and municipalities, and the libraries and municipalities that
    /// do not. Counts published propositions only.
    async fn who_offers(
        &self,
        ctx: &Context<'_>,
        offering: OfferingInput,
        region: Option<RegionInput>,
    ) -> async_graphql::Result<WhoOffers> {
        Ok(WhoOffers(svc::who_offers(db(ctx), &offering.into(), &self::region(region)).await?))
    }

    /// A matrix of the libraries of a region against the common model (standard propositions
    /// unless `columns` says otherwise), with row and column totals. Counts published propositions only.
    async fn coverage(
        &self,
        ctx: &Context<'_>,
        region: Option<RegionInput>,
        columns: Option<CoverageAxis>,
    ) -> async_graphql::Result<Coverage> {
        let axis = match columns.unwrap_or_default() {
            CoverageAxis::StandardProposition => Axis::StandardProposition,
            CoverageAxis::SocietalTask => Axis::SocietalTask,
            CoverageAxis::CoreFunction => Axis::CoreFunction,
        };
        let cache = ctx.data_unchecked::<svc::CoverageCache>();
        Ok(Coverage(svc::coverage_cached(db(ctx), cache, &self::region(region), axis).await?))
    }

    /// Two to ten organisations (slugs) side by side: what each publishes, grouped by societal task
    /// and standard proposition, and what only one offers. A standard proposition appears under
    /// every societal task it contributes to, as in `propositions` and `coverage`; the filter
    /// narrows the comparison to some tasks, core functions or target groups.
    async fn compare(
        &self,
        ctx: &Context<'_>,
        organisations: Vec<String>,
        filter: Option<CompareFilterInput>,
    ) -> async_graphql::Result<Comparison> {
        let filter = filter.map(svc::CompareFilter::from).unwrap_or_default();
        Ok(Comparison(svc::compare(db(ctx), &organisations, &filter).await?))
    }

    /// Counts of published propositions by the common model, channel, lifecycle, province and
    /// support organisation; the filter narrows what is counted.
    async fn network_figures(
        &self,
        ctx: &Context<'_>,
        filter: Option<PropositionFilterInput>,
    ) -> async_graphql::Result<NetworkFigures> {
        let filter = filter.map(PropositionFilterInput::into_filter).transpose()?.unwrap_or_default();
        Ok(NetworkFigures(svc::figures(db(ctx), &filter).await?))
    }

    /// One proposition you may see with the standard propositions it most resembles (for a local
    /// one, what to map it onto; for a mapped one, whether its mapping is the best fit); null when
    /// it does not exist or is hidden from you.
    async fn mapping_suggestion(
        &self,
        ctx: &Context<'_>,
        proposition_id: ID,
    ) -> async_graphql::Result<Option<MappingSuggestion>> {
        let id = ids::decode("propositionId", "Proposition", &proposition_id)?;
        let found = svc::suggestion_for(db(ctx), actor(ctx), id).await?;
        Ok(found.map(|(proposition, candidates)| MappingSuggestion { proposition, candidates }))
    }

    /// Local propositions (not mapped onto a standard proposition) that you may see, by title, each
    /// with the standard propositions it most resembles.
    async fn mapping_suggestions(
        &self,
        ctx: &Context<'_>,
        filter: Option<PropositionFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<MappingSuggestionConnection> {
        let filters = svc::local_propositions(filter.map(PropositionFilterInput::into_filter).transpose()?);
        let page = svc::suggestion_page(db(ctx), actor(ctx), &filters, &PageArgs { first, after }).await?;
        let page = page.map(|(proposition, candidates)| MappingSuggestion { proposition, candidates });
        Ok(MappingSuggestionConnection::new(page, MappingCount(filters), |s| s))
    }
}
