//! One Dutch search over propositions, organisations, studies, insights and ideas: ranked, with
//! highlighted snippets, within what the caller may see, and combinable with the usual filters.

pub(crate) mod text;

use entity::enums::PublicationState;
use entity::{organisation, proposition};
use sea_orm::sea_query::{Alias, Expr, JoinType, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::knowledge::idea as idea_service;
use crate::knowledge::idea::IdeaFilter;
use crate::knowledge::insight as insight_service;
use crate::knowledge::insight::InsightFilter;
use crate::knowledge::study as study_service;
use crate::knowledge::study::StudyFilter;
use crate::registry::organisation as org_service;
use crate::registry::proposition as prop_service;
use crate::registry::proposition::PropositionFilter;
pub use text::Terms;

/// The most words a query may hold; more are ignored.
const MAX_QUERY_WORDS: usize = 12;
/// The longest query accepted, in characters.
const MAX_QUERY_CHARS: usize = 200;
/// How deep a search may page: ranked results are read from the top.
const MAX_POSITION: u64 = 1_000;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    Proposition,
    Organisation,
    Study,
    Insight,
    Idea,
}

impl SearchKind {
    pub const ALL: [SearchKind; 5] =
        [SearchKind::Proposition, SearchKind::Organisation, SearchKind::Study, SearchKind::Insight, SearchKind::Idea];

    /// The table searched, its title column, its body expression, and its number in SQLite's index
    /// (as the search migration defines them).
    fn source(self) -> (&'static str, &'static str, &'static str, i64) {
        match self {
            SearchKind::Proposition => {
                ("proposition", "title", "proposition.summary || ' ' || proposition.description", 1)
            }
            SearchKind::Organisation => ("organisation", "name", "organisation.description", 2),
            SearchKind::Study => ("study", "title", "study.summary", 3),
            SearchKind::Insight => ("insight", "statement", "insight.explanation", 4),
            SearchKind::Idea => ("idea", "title", "idea.description", 5),
        }
    }
}

/// Narrows a search; every field given applies (AND), values within a field are alternatives (OR).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchFilter {
    /// Only these kinds of result (all when empty).
    pub kinds: Vec<SearchKind>,
    /// Organisations (slugs): their propositions, themselves, and knowledge naming them.
    pub organisation_slugs: Vec<String>,
    /// Standard propositions (codes).
    pub standard_proposition_codes: Vec<String>,
    /// Target groups (codes), narrower groups included.
    pub target_group_codes: Vec<String>,
    /// Provinces (codes or names).
    pub province_codes: Vec<String>,
}

impl SearchFilter {
    fn about_offer(&self) -> bool {
        !self.standard_proposition_codes.is_empty() || !self.target_group_codes.is_empty()
    }

    fn propositions(&self) -> PropositionFilter {
        PropositionFilter {
            organisation_slugs: self.organisation_slugs.clone(),
            standard_proposition_codes: self.standard_proposition_codes.clone(),
            target_group_codes: self.target_group_codes.clone(),
            province_codes: self.province_codes.clone(),
            ..Default::default()
        }
    }

    fn studies(&self) -> StudyFilter {
        StudyFilter {
            organisations: self.organisation_slugs.clone(),
            standard_proposition_codes: self.standard_proposition_codes.clone(),
            target_group_codes: self.target_group_codes.clone(),
            province_codes: self.province_codes.clone(),
            ..Default::default()
        }
    }

    fn insights(&self) -> InsightFilter {
        InsightFilter {
            standard_proposition_codes: self.standard_proposition_codes.clone(),
            target_group_codes: self.target_group_codes.clone(),
            study: Some(StudyFilter {
                organisations: self.organisation_slugs.clone(),
                province_codes: self.province_codes.clone(),
                ..Default::default()
            }),
            ..Default::default()
        }
    }
}

/// One result: what it is, how well it matched, its title and a highlighted snippet.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: i64,
    pub score: f64,
    pub title: String,
    /// HTML-escaped text with each matching word in `<mark>…</mark>`.
    pub snippet: String,
}

/// A match before it is known to be on the page: snippets are built for the page only.
struct Candidate {
    kind: SearchKind,
    id: i64,
    score: f64,
    title: String,
    body: String,
}

impl Candidate {
    fn into_hit(self, terms: &Terms) -> SearchHit {
        let snippet = text::highlight(&self.body, terms)
            .or_else(|| text::highlight(&self.title, terms))
            .unwrap_or_else(|| text::opening(&self.body));
        SearchHit { kind: self.kind, id: self.id, score: self.score, title: self.title, snippet }
    }
}

/// One page of results, best first, with the number of matches of each kind.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Each hit with its position in the whole ranking.
    pub hits: Vec<(u64, SearchHit)>,
    pub counts: Vec<(SearchKind, u64)>,
    pub has_next_page: bool,
}

/// Searches everything the actor may see. `position` is where the page starts in the ranking.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    query: &str,
    filter: &SearchFilter,
    position: u64,
    size: u64,
) -> AppResult<SearchResults> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid("query", format!("may hold at most {MAX_QUERY_CHARS} characters")));
    }
    if position + size > MAX_POSITION {
        return Err(AppError::invalid("after", format!("search results go {MAX_POSITION} deep; refine the query")));
    }
    let terms = Terms::parse(query, MAX_QUERY_WORDS);
    if query.trim().is_empty() {
        return Err(AppError::invalid("query", "type at least one word"));
    }
    // Unknown organisations are the client's mistake whatever kinds it asks for (each kind's scope
    // would otherwise answer differently: an error naming another field, or silently nothing).
    crate::knowledge::study::organisation_ids_by_slugs(db, "filter.organisations", &filter.organisation_slugs).await?;
    // Each kind once, in the fixed order, however the client listed them.
    let kinds: Vec<SearchKind> =
        SearchKind::ALL.into_iter().filter(|k| filter.kinds.is_empty() || filter.kinds.contains(k)).collect();
    let mut hits = Vec::new();
    let mut counts = Vec::new();
    if !terms.is_empty() {
        for kind in kinds {
            let cond = scope(db, actor, kind, filter).await?;
            let (found, total) = matches(db, kind, &terms, cond, position + size + 1).await?;
            counts.push((kind, total));
            hits.extend(found);
        }
    }
    // Best first; ties in a stable order so that pages do not overlap.
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then((a.kind as u8).cmp(&(b.kind as u8))).then(a.id.cmp(&b.id)));
    let has_next_page = hits.len() as u64 > position + size;
    let hits = hits
        .into_iter()
        .enumerate()
        .skip(position as usize)
        .take(size as usize)
        .map(|(i, candidate)| (i as u64, candidate.into_hit(&terms)));
    Ok(SearchResults { hits: hits.collect(), counts, has_next_page })
}

/// What the actor may see of one kind, narrowed by the filter: conditions that must all hold.
/// (Visibility is an ANY; the conditions stay separate so that nothing can widen it.)
async fn scope<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    kind: SearchKind,
    f: &SearchFilter,
) -> AppResult<Vec<Condition>> {
    Ok(match kind {
        SearchKind::Proposition => {
            vec![prop_service::visible_to(actor), prop_service::filter_condition(db, &f.propositions()).await?]
        }
        SearchKind::Organisation => {
            let mut cond = Condition::all();
            if !f.organisation_slugs.is_empty() {
                cond = cond.add(organisation::Column::Slug.is_in(f.organisation_slugs.clone()));
            }
            if f.about_offer() || !f.province_codes.is_empty() {
                // Organisations offering something that matches: published propositions only.
                let offering = PropositionFilter {
                    publication_states: vec![PublicationState::Published],
                    organisation_slugs: vec![],
                    ..f.propositions()
                };
                let cond_offer = prop_service::filter_condition(db, &offering).await?;
                let mut any = Condition::any().add(
                    organisation::Column::Id.in_subquery(
                        proposition::Entity::find()
                            .select_only()
                            .column(proposition::Column::OrganisationId)
                            .filter(cond_offer)
                            .into_query(),
                    ),
                );
                if !f.about_offer() {
                    any = any.add(org_service::in_provinces(db, &f.province_codes).await?);
                }
                cond = cond.add(any);
            }
            vec![cond]
        }
        SearchKind::Study => {
            vec![study_service::visible_to(actor), study_service::filter_condition(db, actor, &f.studies()).await?]
        }
        SearchKind::Insight => {
            vec![insight_service::visible_to(actor), insight_service::filter_condition(db, actor, &f.insights()).await?]
        }
        SearchKind::Idea => vec![
            idea_service::visible_to(actor),
            idea_service::filter_condition(
                db,
                actor,
                &IdeaFilter { insights: Some(f.insights()), ..Default::default() },
            )
            .await?,
        ],
    })
}

/// The best `limit` matches of one kind within the condition, and how many match in all.
async fn matches<C: ConnectionTrait>(
    db: &C,
    kind: SearchKind,
    terms: &Terms,
    conditions: Vec<Condition>,
    limit: u64,
) -> AppResult<(Vec<Candidate>, u64)> {
    let (table, title, body, number) = kind.source();
    let mut q = Query::select();
    q.from(Alias::new(table))
        .expr_as(Expr::col((Alias::new(table), Alias::new("id"))), Alias::new("id"))
        .expr_as(Expr::col((Alias::new(table), Alias::new(title))), Alias::new("title"))
        .expr_as(Expr::cust(body), Alias::new("body"))
        .expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new("total"));
    let matched = match db.get_database_backend() {
        DbBackend::Postgres => {
            let (tsquery, words) = terms.tsquery();
            q.expr_as(
                Expr::cust_with_values(format!("ts_rank_cd({table}.search_vector, {tsquery})::float8"), words.clone()),
                Alias::new("score"),
            );
            Some(Expr::cust_with_values(format!("{table}.search_vector @@ ({tsquery})"), words))
        }
        _ => {
            // FTS5 ranks only inside its own full-text query, so the index is read in a subquery
            // whose rowids (id * 8 + kind) lead to the records by primary key.
            let hits = Query::select()
                .expr_as(Expr::cust("rowid"), Alias::new("hit"))
                .expr_as(Expr::cust("bm25(search_index, 4.0, 1.0)"), Alias::new("rank"))
                .from(Alias::new("search_index"))
                .and_where(Expr::cust_with_values("search_index MATCH ?", [terms.fts5()]))
                .and_where(Expr::cust(format!("rowid % 8 = {number}")))
                .to_owned();
            q.join_subquery(
                JoinType::InnerJoin,
                hits,
                Alias::new("hits"),
                Expr::cust(format!("{table}.id = hits.hit / 8")),
            )
            .expr_as(Expr::cust("-hits.rank"), Alias::new("score"));
            None
        }
    };
    if let Some(matched) = matched {
        q.and_where(matched);
    }
    for c in conditions {
        q.cond_where(c);
    }
    q.order_by_expr(Expr::cust("score"), Order::Desc)
        .order_by((Alias::new(table), Alias::new("id")), Order::Asc)
        .limit(limit);
    let rows = db.query_all(&q as &SelectStatement).await?;
    let mut total = 0;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        total = row.try_get::<i64>("", "total")? as u64;
        hits.push(Candidate {
            kind,
            id: row.try_get("", "id")?,
            score: row.try_get("", "score")?,
            title: row.try_get("", "title")?,
            body: row.try_get("", "body")?,
        });
    }
    Ok((hits, total))
}
