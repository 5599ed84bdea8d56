//! The most items each list of objects in the schema can hold, which the cost of a document is
//! counted by: the page a paged field asks for, the size of a directory table, or a hard cap that
//! the list's resolver cuts at ([`cap`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::common_model::{DirectorySizes, directory_sizes};

/// The hard caps on lists that neither page nor name a directory, cut by their resolvers. Each is
/// far above what a library's real records hold; a cut is logged.
pub mod caps {
    /// Branches of an organisation, of a proposition, or of a provider in a region.
    pub const BRANCHES: usize = 100;
    /// Partners named on a proposition.
    pub const PARTNERS: usize = 50;
    /// An organisation's journeys.
    pub const JOURNEYS: usize = 100;
    /// A study's journeys.
    pub const STUDY_JOURNEYS: usize = 20;
    /// Libraries that adopted one idea.
    pub const IDEA_ADOPTIONS: usize = 200;
    /// Adoptions of ideas by one organisation.
    pub const ADOPTIONS: usize = 500;
    /// Stages of a customer journey.
    pub const STAGES: usize = 20;
    /// Propositions a customer journey names.
    pub const JOURNEY_PROPOSITIONS: usize = 50;
    /// Quotes on an insight or a journey stage.
    pub const QUOTES: usize = 20;
    /// Insights of a stage or an idea; ideas and links of an insight.
    pub const RELATED: usize = 50;
    /// Insights, ideas and knowledge links of one study.
    pub const STUDY_PARTS: usize = 200;
    /// Organisations that commissioned or conducted one study.
    pub const STUDY_ORGANISATIONS: usize = 20;
    /// Studies, insights, links and adopted ideas behind one proposition.
    pub const EVIDENCE: usize = 50;
    /// One organisation's propositions in one row of a comparison, or of a provider in a region.
    pub const OFFER_PROPOSITIONS: usize = 50;
    /// Changed fields in one change log entry.
    pub const CHANGED_FIELDS: usize = 100;
    /// Memberships of one person or organisation (`people::membership::MOST_LISTED`).
    pub const MEMBERSHIPS: usize = 500;
}

/// Lists the registry never builds longer (bounds, not cuts).
pub mod built {
    /// Candidates of a mapping suggestion.
    pub const CANDIDATES: usize = 3;
    /// Kinds in a search's counts: one per kind of record searched.
    pub const SEARCH_KINDS: usize = 10;
    /// Buckets of a figure by an enumeration (channels, lifecycle).
    pub const ENUM_BUCKETS: usize = 10;
    /// Refused cells of one imported row: at most one per column.
    pub const ROW_ERRORS: usize = crate::sheets::COLUMNS.len();
    /// Columns of the proposition sheet.
    pub const SHEET_COLUMNS: usize = crate::sheets::COLUMNS.len();
}

/// Keeps the first `cap` items of a list, logging a cut (the list's bound in the cost model).
pub fn cap<T>(mut items: Vec<T>, cap: usize, list: &'static str) -> Vec<T> {
    if items.len() > cap {
        tracing::warn!(list, items = items.len(), cap, "a list was cut at its hard cap");
        items.truncate(cap);
    }
    items
}

/// A directory table whose size bounds the lists naming its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directory {
    Organisations,
    Municipalities,
    Provinces,
    StandardPropositions,
    TargetGroups,
    SocietalTasks,
    CoreFunctions,
    /// The most rows a comparison holds over all its groups: a row per standard proposition under
    /// each of its societal tasks (or once under none), and a row of local propositions per group.
    ComparisonRows,
}

/// How many items a list of objects holds at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The items of the page its connection was asked for (`first`, or the default page).
    Page,
    /// A hard cap, cut by the resolver ([`cap`]) and named in the field's description.
    Cap(usize),
    /// A number the registry never builds more than (a limit on the input, or an enumeration).
    AtMost(usize),
    /// One item per entry of a directory table, plus `extra` (a "none of them" group or row).
    Directory(Directory, usize),
    /// One item per entry of the largest of these directories (the columns of a coverage matrix).
    Largest(&'static [Directory]),
    /// Groups, one per entry of a directory plus `extra`, that share out what they hold: what the
    /// groups hold together is counted once, not once per group (a comparison's rows are shared
    /// out over its groups, bounded by [`Directory::ComparisonRows`] over them all).
    Groups(Directory, usize),
}

use Bound::{AtMost, Cap, Directory as Dir, Groups, Largest, Page};
use Directory::*;

/// Coverage columns: standard propositions, societal tasks or core functions.
const COLUMNS: &[Directory] = &[StandardPropositions, SocietalTasks, CoreFunctions];

/// Every list of objects in the schema, by parent type and field, with its bound. A test checks
/// that the schema has no other list of objects, and that each entry names one.
pub const BOUNDS: &[(&str, &str, Bound)] = &[
    ("ApiKeyConnection", "edges", Page),
    ("ApiKeyConnection", "nodes", Page),
    ("AuditConnection", "edges", Page),
    ("AuditConnection", "nodes", Page),
    ("ChangeConnection", "edges", Page),
    ("ChangeConnection", "nodes", Page),
    ("IdeaConnection", "edges", Page),
    ("IdeaConnection", "nodes", Page),
    ("InsightConnection", "edges", Page),
    ("InsightConnection", "nodes", Page),
    ("MappingSuggestionConnection", "edges", Page),
    ("MappingSuggestionConnection", "nodes", Page),
    ("OrganisationConnection", "edges", Page),
    ("OrganisationConnection", "nodes", Page),
    ("PropositionConnection", "edges", Page),
    ("PropositionConnection", "nodes", Page),
    ("StudyConnection", "edges", Page),
    ("StudyConnection", "nodes", Page),
    ("SearchResults", "edges", Page),
    ("SearchResults", "nodes", Page),
    ("SearchResults", "countsByKind", AtMost(built::SEARCH_KINDS)),
    ("ChangeEntry", "changes", Cap(caps::CHANGED_FIELDS)),
    ("Me", "memberships", Cap(caps::MEMBERSHIPS)),
    ("Person", "memberships", Cap(caps::MEMBERSHIPS)),
    ("QueryRoot", "memberships", Cap(caps::MEMBERSHIPS)),
    ("Comparison", "organisations", AtMost(crate::network::COMPARE_MAX)),
    ("Comparison", "groups", Groups(SocietalTasks, 1)),
    ("ComparisonGroup", "rows", Dir(ComparisonRows, 0)),
    ("ComparisonRow", "offers", AtMost(crate::network::COMPARE_MAX)),
    ("ComparisonRow", "offeredBy", AtMost(crate::network::COMPARE_MAX)),
    ("ComparisonOffer", "propositions", Cap(caps::OFFER_PROPOSITIONS)),
    ("Coverage", "columns", Largest(COLUMNS)),
    ("Coverage", "rows", Dir(Organisations, 0)),
    ("CoverageRow", "cells", Largest(COLUMNS)),
    ("CustomerJourney", "propositions", Cap(caps::JOURNEY_PROPOSITIONS)),
    ("CustomerJourney", "stages", Cap(caps::STAGES)),
    ("Evidence", "adoptedIdeas", Cap(caps::EVIDENCE)),
    ("Evidence", "insights", Cap(caps::EVIDENCE)),
    ("Evidence", "links", Cap(caps::EVIDENCE)),
    ("Evidence", "studies", Cap(caps::EVIDENCE)),
    ("Gaps", "libraries", Dir(Organisations, 0)),
    ("Gaps", "municipalities", Dir(Municipalities, 0)),
    ("ImprovementIdea", "adoptions", Cap(caps::IDEA_ADOPTIONS)),
    ("ImprovementIdea", "insights", Cap(caps::RELATED)),
    ("Insight", "ideas", Cap(caps::RELATED)),
    ("Insight", "links", Cap(caps::RELATED)),
    ("Insight", "quotes", Cap(caps::QUOTES)),
    ("Insight", "standardPropositions", Dir(StandardPropositions, 0)),
    ("Insight", "targetGroups", Dir(TargetGroups, 0)),
    ("JourneyStage", "insights", Cap(caps::RELATED)),
    ("JourneyStage", "quotes", Cap(caps::QUOTES)),
    ("MappingSuggestion", "candidates", AtMost(built::CANDIDATES)),
    ("ImportReport", "rows", AtMost(crate::sheets::MAX_ROWS)),
    ("ImportRow", "suggestions", AtMost(built::CANDIDATES)),
    ("ImportRow", "errors", AtMost(built::ROW_ERRORS)),
    ("QueryRoot", "propositionSheetColumns", AtMost(built::SHEET_COLUMNS)),
    ("NetworkFigures", "byChannel", AtMost(built::ENUM_BUCKETS)),
    ("NetworkFigures", "byCoreFunction", Dir(CoreFunctions, 0)),
    ("NetworkFigures", "byLifecycle", AtMost(built::ENUM_BUCKETS)),
    ("NetworkFigures", "byProvince", Dir(Provinces, 0)),
    ("NetworkFigures", "bySocietalTask", Dir(SocietalTasks, 0)),
    ("NetworkFigures", "byStandardProposition", Dir(StandardPropositions, 0)),
    ("NetworkFigures", "bySupportOrganisation", Dir(Organisations, 0)),
    ("NetworkFigures", "byTargetGroup", Dir(TargetGroups, 0)),
    ("Organisation", "adoptions", Cap(caps::ADOPTIONS)),
    ("Organisation", "branches", Cap(caps::BRANCHES)),
    ("Organisation", "journeys", Cap(caps::JOURNEYS)),
    ("Organisation", "municipalities", Dir(Municipalities, 0)),
    ("Organisation", "supportedLibraries", Dir(Organisations, 0)),
    ("Proposition", "branches", Cap(caps::BRANCHES)),
    ("Proposition", "partners", Cap(caps::PARTNERS)),
    ("Proposition", "societalTasks", Dir(SocietalTasks, 0)),
    ("Proposition", "targetGroups", Dir(TargetGroups, 0)),
    ("Provider", "branches", Cap(caps::BRANCHES)),
    ("Provider", "municipalities", Dir(Municipalities, 0)),
    ("Provider", "propositions", Cap(caps::OFFER_PROPOSITIONS)),
    ("Province", "municipalities", Dir(Municipalities, 0)),
    ("QueryRoot", "coreFunctions", Dir(CoreFunctions, 0)),
    ("QueryRoot", "municipalities", Dir(Municipalities, 0)),
    ("QueryRoot", "provinces", Dir(Provinces, 0)),
    ("QueryRoot", "societalTasks", Dir(SocietalTasks, 0)),
    ("QueryRoot", "standardPropositions", Dir(StandardPropositions, 0)),
    ("QueryRoot", "targetGroups", Dir(TargetGroups, 0)),
    ("StandardProposition", "societalTasks", Dir(SocietalTasks, 0)),
    ("StandardProposition", "targetGroups", Dir(TargetGroups, 0)),
    ("Study", "commissionedBy", Cap(caps::STUDY_ORGANISATIONS)),
    ("Study", "conductedBy", Cap(caps::STUDY_ORGANISATIONS)),
    ("Study", "ideas", Cap(caps::STUDY_PARTS)),
    ("Study", "insights", Cap(caps::STUDY_PARTS)),
    ("Study", "journeys", Cap(caps::STUDY_JOURNEYS)),
    ("Study", "links", Cap(caps::STUDY_PARTS)),
    ("Study", "municipalities", Dir(Municipalities, 0)),
    ("Study", "provinces", Dir(Provinces, 0)),
    ("Study", "targetGroups", Dir(TargetGroups, 0)),
    ("TargetGroup", "children", Dir(TargetGroups, 0)),
    ("WhoOffers", "providers", Dir(Organisations, 0)),
];

/// The bound of a list field, if it is a list of objects.
pub fn bound_of(parent: &str, field: &str) -> Option<Bound> {
    BOUNDS.iter().find(|(p, f, _)| *p == parent && *f == field).map(|(_, _, b)| *b)
}

/// The sizes of the directory tables, counted at start and again every [`REFRESH`].
#[derive(Debug, Default)]
pub struct Directories {
    sizes: [AtomicU64; 8],
}

/// How often the directory tables are counted again.
pub const REFRESH: Duration = Duration::from_secs(60);

fn slot(directory: Directory) -> usize {
    directory as usize
}

impl Directories {
    /// Sizes as given (tests of the cost model).
    pub fn with(sizes: DirectorySizes) -> Self {
        let directories = Self::default();
        directories.set(sizes);
        directories
    }

    /// Counts the tables now.
    pub async fn load(db: &DatabaseConnection) -> crate::error::AppResult<Self> {
        Ok(Self::with(directory_sizes(db).await?))
    }

    fn set(&self, sizes: DirectorySizes) {
        for (directory, size) in [
            (Organisations, sizes.organisations),
            (Municipalities, sizes.municipalities),
            (Provinces, sizes.provinces),
            (StandardPropositions, sizes.standard_propositions),
            (TargetGroups, sizes.target_groups),
            (SocietalTasks, sizes.societal_tasks),
            (CoreFunctions, sizes.core_functions),
            (
                ComparisonRows,
                sizes
                    .standard_proposition_tasks
                    .saturating_add(sizes.standard_propositions_without_task)
                    .saturating_add(sizes.societal_tasks)
                    .saturating_add(1),
            ),
        ] {
            self.sizes[slot(directory)].store(size, Ordering::Relaxed);
        }
    }

    /// Counts the tables every [`REFRESH`], for as long as the registry serves; a failed count
    /// keeps the last sizes.
    pub async fn keep_fresh(&self, db: DatabaseConnection) -> std::convert::Infallible {
        let mut every = tokio::time::interval(REFRESH);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        every.tick().await; // the first tick is at once, and the sizes were counted at start
        loop {
            every.tick().await;
            match directory_sizes(&db).await {
                Ok(sizes) => self.set(sizes),
                Err(e) => tracing::warn!(error.cause = %e.describe(), "could not count the directory tables"),
            }
        }
    }

    fn size(&self, directory: Directory) -> usize {
        usize::try_from(self.sizes[slot(directory)].load(Ordering::Relaxed)).unwrap_or(usize::MAX)
    }

    /// The most items a list with this bound holds, inside a page of `page` items.
    pub fn items(&self, bound: Bound, page: usize) -> usize {
        match bound {
            Page => page,
            Cap(n) | AtMost(n) => n,
            Dir(directory, extra) | Groups(directory, extra) => self.size(directory).saturating_add(extra),
            Largest(directories) => directories.iter().map(|d| self.size(*d)).max().unwrap_or(0),
        }
    }
}
