//! Search in GraphQL: one ranked Dutch search over propositions, organisations, studies, insights
//! and ideas, with highlighted snippets, within what the caller may see.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, Union};

use crate::error::AppError;
use crate::kernel::connection::PageInfo;
use crate::kernel::loaders::one;
use crate::kernel::page::{Page, page_size, position_after, position_cursor};
use crate::kernel::{actor, db};
use crate::knowledge::graphql::idea::ImprovementIdea;
use crate::knowledge::graphql::insight::Insight;
use crate::knowledge::graphql::loaders::{VisibleIdeaKey, VisibleInsightKey, VisibleStudyKey};
use crate::knowledge::graphql::study::Study;
use crate::network::search as svc;
use crate::network::search::SearchFilter;
use crate::registry::graphql::loaders::{OrganisationKey, VisiblePropositionKey};
use crate::registry::graphql::organisation::Organisation;
use crate::registry::graphql::proposition::Proposition;

/// What a search result is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchKind {
    /// A library's proposition.
    Proposition,
    /// An organisation.
    Organisation,
    /// A research study.
    Study,
    /// An insight.
    Insight,
    /// An improvement idea.
    ImprovementIdea,
}

impl From<SearchKind> for svc::SearchKind {
    fn from(k: SearchKind) -> Self {
        match k {
            SearchKind::Proposition => svc::SearchKind::Proposition,
            SearchKind::Organisation => svc::SearchKind::Organisation,
            SearchKind::Study => svc::SearchKind::Study,
            SearchKind::Insight => svc::SearchKind::Insight,
            SearchKind::ImprovementIdea => svc::SearchKind::Idea,
        }
    }
}

impl From<svc::SearchKind> for SearchKind {
    fn from(k: svc::SearchKind) -> Self {
        match k {
            svc::SearchKind::Proposition => SearchKind::Proposition,
            svc::SearchKind::Organisation => SearchKind::Organisation,
            svc::SearchKind::Study => SearchKind::Study,
            svc::SearchKind::Insight => SearchKind::Insight,
            svc::SearchKind::Idea => SearchKind::ImprovementIdea,
        }
    }
}

/// Narrows a search. Fields combine with AND; values within a field with OR.
#[derive(InputObject, Default)]
pub struct SearchFilterInput {
    /// Only these kinds of result.
    pub kinds: Option<Vec<SearchKind>>,
    /// Organisations (slugs): their propositions, the organisations themselves, and research naming them.
    pub organisations: Option<Vec<String>>,
    /// Standard propositions (codes): propositions mapped onto them, libraries offering them, and
    /// research about them.
    pub standard_propositions: Option<Vec<String>>,
    /// Target groups (codes), narrower groups included.
    pub target_groups: Option<Vec<String>>,
    /// Provinces (CBS codes or names).
    pub provinces: Option<Vec<String>>,
}

impl From<SearchFilterInput> for SearchFilter {
    fn from(f: SearchFilterInput) -> Self {
        SearchFilter {
            kinds: f.kinds.unwrap_or_default().into_iter().map(Into::into).collect(),
            organisation_slugs: f.organisations.unwrap_or_default(),
            standard_proposition_codes: f.standard_propositions.unwrap_or_default(),
            target_group_codes: f.target_groups.unwrap_or_default(),
            province_codes: f.provinces.unwrap_or_default(),
        }
    }
}

/// The record a search result points to.
// Lives only while one hit is resolved, so its size does not matter (as with `Node`).
#[allow(clippy::large_enum_variant)]
#[derive(Union)]
pub enum SearchRecord {
    Proposition(Proposition),
    Organisation(Organisation),
    Study(Study),
    Insight(Insight),
    ImprovementIdea(ImprovementIdea),
}

/// One search result.
pub struct SearchHit(svc::SearchHit);

/// One search result.
#[Object]
impl SearchHit {
    /// What it is.
    async fn kind(&self) -> SearchKind {
        self.0.kind.into()
    }
    /// How well it matched; higher is better. Comparable within one search only.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// Its title (or name, or statement).
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// An excerpt around the first match: HTML-escaped text with every matching word in
    /// `<mark>…</mark>`.
    async fn snippet(&self) -> &str {
        &self.0.snippet
    }
    /// The record itself.
    async fn record(&self, ctx: &Context<'_>) -> async_graphql::Result<SearchRecord> {
        let id = self.0.id;
        let record = match self.0.kind {
            svc::SearchKind::Proposition => one(ctx, VisiblePropositionKey(id)).await?.map(|m| Proposition(m).into()),
            svc::SearchKind::Organisation => one(ctx, OrganisationKey(id)).await?.map(|m| Organisation(m).into()),
            svc::SearchKind::Study => one(ctx, VisibleStudyKey(id)).await?.map(|m| Study(m).into()),
            svc::SearchKind::Insight => one(ctx, VisibleInsightKey(id)).await?.map(|m| Insight(m).into()),
            svc::SearchKind::Idea => one(ctx, VisibleIdeaKey(id)).await?.map(|m| ImprovementIdea(m).into()),
        };
        record.ok_or_else(|| AppError::NotFound("search result".into()).into())
    }
}

/// One search result with its cursor.
#[derive(SimpleObject)]
pub struct SearchEdge {
    /// The result.
    pub node: SearchHit,
    /// Pass it as `after` to continue after this result.
    pub cursor: String,
}

/// How many results one kind has.
#[derive(SimpleObject)]
pub struct SearchKindCount {
    /// The kind.
    pub kind: SearchKind,
    /// How many of its records match.
    pub count: u64,
}

/// A page of search results, best first.
pub struct SearchResults {
    edges: Vec<SearchEdge>,
    page_info: PageInfo,
    counts: Vec<(svc::SearchKind, u64)>,
}

/// A page of search results, best first.
#[Object]
impl SearchResults {
    /// The results on this page, with cursors.
    async fn edges(&self) -> &[SearchEdge] {
        &self.edges
    }
    /// The results on this page.
    async fn nodes(&self) -> Vec<&SearchHit> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    /// Where this page sits among all results.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many records match in all.
    async fn total_count(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
    /// How many records of each kind searched match.
    async fn counts_by_kind(&self) -> Vec<SearchKindCount> {
        self.counts.iter().map(|(k, n)| SearchKindCount { kind: (*k).into(), count: *n }).collect()
    }
}

/// Search.
#[derive(Default)]
pub struct SearchQuery;

/// Search.
#[Object]
impl SearchQuery {
    /// Searches propositions, organisations, studies, insights and ideas by Dutch words: every word
    /// must match, in any of its forms (*ontmoeten* finds *ontmoeting*), and a word also matches
    /// longer words it starts (*taal* finds *taalhuis*). Common words such as *de* and *het* are
    /// ignored. Best matches first; you only find what you may see.
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        filter: Option<SearchFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<SearchResults> {
        let size = page_size(first)?;
        let position = position_after(after.as_deref())?;
        let filter: SearchFilter = filter.map(Into::into).unwrap_or_default();
        let results = svc::search(db(ctx), actor(ctx), &query, &filter, position, size).await?;
        let page = Page {
            items: results.hits.into_iter().map(|(i, h)| (position_cursor(i), h)).collect(),
            has_next_page: results.has_next_page,
            has_previous_page: position > 0,
        };
        let page_info = PageInfo::of(&page);
        let edges = page.items.into_iter().map(|(cursor, h)| SearchEdge { node: SearchHit(h), cursor }).collect();
        Ok(SearchResults { edges, page_info, counts: results.counts })
    }
}
