//! The fixed set of GraphQL requests, and the records they ask for, chosen from the database in a
//! fixed order so that every run sends the same requests.

use anyhow::{Context, Result, bail};
use entity::enums::{OrganisationKind, PublicationState};
use entity::{organisation, proposition, province, standard_proposition};
use registry::identity::{JwtKeys, Role};
use registry::kernel::ids;
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};

use crate::pages::{PageTarget, PageTargets};

/// One kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// (a) One proposition by id with its organisation, standard proposition and target groups.
    #[value(name = "propositionById")]
    PropositionById,
    /// (b) A page of 20 propositions filtered by province and channel, newest change first.
    #[value(name = "page")]
    Page,
    /// (c) An organisation with 10 propositions and the evidence behind each.
    #[value(name = "organisationEvidence")]
    OrganisationEvidence,
    /// (d) Who offers a standard proposition in a province, and where it is missing.
    #[value(name = "whoOffers")]
    WhoOffers,
    /// (e) The national coverage matrix: libraries by standard proposition.
    #[value(name = "coverage")]
    Coverage,
    /// (f) Full-text search.
    #[value(name = "search")]
    Search,
    /// (g) An update of a proposition's summary by its library's editor.
    #[value(name = "update")]
    Update,
    /// (h) A library's page on the site, `GET /bibliotheken/{slug}`.
    #[value(name = "libraryPage")]
    LibraryPage,
    /// (i) A standard proposition's page, `GET /standaardproposities/{CODE}`.
    #[value(name = "standardPage")]
    StandardPage,
    /// (j) The coverage of a province, `GET /dekking?provincie={code}`.
    #[value(name = "coveragePage")]
    CoveragePage,
    /// (k) A study with its customer journeys, `GET /onderzoek/{n}`.
    #[value(name = "journeyPage")]
    JourneyPage,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::PropositionById,
        Kind::Page,
        Kind::OrganisationEvidence,
        Kind::WhoOffers,
        Kind::Coverage,
        Kind::Search,
        Kind::Update,
        Kind::LibraryPage,
        Kind::StandardPage,
        Kind::CoveragePage,
        Kind::JourneyPage,
    ];

    /// The kinds that are pages of the site rather than GraphQL requests.
    pub const PAGES: [Kind; 4] = [Kind::LibraryPage, Kind::StandardPage, Kind::CoveragePage, Kind::JourneyPage];

    pub fn name(self) -> &'static str {
        match self {
            Kind::PropositionById => "propositionById",
            Kind::Page => "page",
            Kind::OrganisationEvidence => "organisationEvidence",
            Kind::WhoOffers => "whoOffers",
            Kind::Coverage => "coverage",
            Kind::Search => "search",
            Kind::Update => "update",
            Kind::LibraryPage => "libraryPage",
            Kind::StandardPage => "standardPage",
            Kind::CoveragePage => "coveragePage",
            Kind::JourneyPage => "journeyPage",
        }
    }
}

const PROPOSITION: &str = "query($id: ID!) { proposition(id: $id) { title organisation { name } \
     standardProposition { code } targetGroups { code } } }";

const PAGE: &str = "query($provinces: [String!], $channels: [Channel!]) { \
     propositions(filter: { provinces: $provinces, channels: $channels }, \
     orderBy: { field: UPDATED_AT, direction: DESC }, first: 20) { \
     edges { cursor node { id title updatedAt organisation { name } } } } }";

const ORGANISATION: &str = "query($slug: String!) { organisation(slug: $slug) { name \
     propositions(first: 10) { nodes { title evidence { insights { statement evidenceStrength } \
     studies { title } } } } } }";

const COVERAGE: &str = "{ coverage(columns: STANDARD_PROPOSITION) { columns { code total } \
     rows { organisation { slug } total cells { column count propositionIds } } total } }";

const SEARCH: &str =
    r#"{ search(query: "ontmoeten ouderen", first: 20) { edges { node { kind title snippet score } } } }"#;

const UPDATE: &str = "mutation($input: UpdatePropositionInput!) { updateProposition(input: $input) { \
     proposition { id version } } }";

const VERSION: &str = "query($id: ID!) { proposition(id: $id) { version } }";

/// (d) with the codes written into the document, exactly in the shape the API is being built to.
fn who_offers(standard: &str, province: &str) -> String {
    format!(
        r#"{{ whoOffers(offering: {{ standardProposition: "{standard}" }}, region: {{ province: "{province}" }}) {{ providers {{ organisation {{ name }} propositions {{ id title }} branches {{ name }} municipalities {{ name }} }} gaps {{ libraries {{ name }} municipalities {{ name }} }} }} }}"#
    )
}

/// A library editor with the proposition of its own that it keeps updating.
#[derive(Debug, Clone)]
pub struct Editor {
    pub token: String,
    pub proposition_id: i64,
    pub global_id: String,
    pub summary: String,
}

/// The records requests are about.
#[derive(Debug, Clone)]
pub struct Targets {
    pub propositions: Vec<String>,
    pub provinces: Vec<String>,
    pub libraries: Vec<String>,
    pub standards: Vec<String>,
    pub editors: Vec<Editor>,
    /// The site's pages, for the page kinds.
    pub pages: PageTargets,
}

const CHANNELS: [&[&str]; 3] = [&["ON_SITE"], &["ONLINE", "HYBRID"], &["HYBRID"]];

impl Targets {
    /// Picks the records from the database, in id or code order, and mints the editors' tokens.
    pub async fn load(database_url: &str, keys: &JwtKeys, editors: usize) -> Result<Self> {
        let db = Database::connect(database_url).await?;
        let published: Vec<i64> = proposition::Entity::find()
            .select_only()
            .column(proposition::Column::Id)
            .filter(proposition::Column::PublicationState.eq(PublicationState::Published))
            .order_by_asc(proposition::Column::Id)
            .into_tuple()
            .all(&db)
            .await?;
        if published.is_empty() {
            bail!("the database holds no published propositions");
        }
        let step = (published.len() / 64).max(1);
        let propositions =
            published.iter().step_by(step).take(64).map(|id| ids::encode("Proposition", *id).0).collect();
        let provinces: Vec<String> = province::Entity::find()
            .order_by_asc(province::Column::Code)
            .all(&db)
            .await?
            .into_iter()
            .map(|p| p.code)
            .collect();
        let libraries: Vec<organisation::Model> = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq(OrganisationKind::Library))
            .filter(organisation::Column::Slug.starts_with("bibliotheek-gen-"))
            .order_by_asc(organisation::Column::Slug)
            .all(&db)
            .await?;
        // The well-known standard propositions of the common model, not the generated ones.
        let standards: Vec<String> = standard_proposition::Entity::find()
            .filter(standard_proposition::Column::Code.not_like("GEN_SP_%"))
            .order_by_asc(standard_proposition::Column::Code)
            .all(&db)
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        let mut chosen = Vec::new();
        for library in libraries.iter().take(editors) {
            let own = proposition::Entity::find()
                .filter(proposition::Column::OrganisationId.eq(library.id))
                .filter(proposition::Column::PublicationState.eq(PublicationState::Published))
                .order_by_asc(proposition::Column::Id)
                .one(&db)
                .await?
                .with_context(|| format!("{} has no published proposition", library.slug))?;
            let token = keys
                .issue("bench-editor", Some(&library.slug), Role::LibraryEditor, chrono::Duration::hours(12))
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            chosen.push(Editor {
                token,
                proposition_id: own.id,
                global_id: ids::encode("Proposition", own.id).0,
                // The update toggles a suffix, so the text the generator wrote stays in place.
                summary: own.summary.trim_end_matches(SUFFIX).to_string(),
            });
        }
        if chosen.len() < editors || provinces.is_empty() || standards.is_empty() {
            bail!("the database holds too small a network for the benchmark");
        }
        let pages = PageTargets::load(&db).await?;
        db.close().await?;
        Ok(Self {
            propositions,
            provinces,
            libraries: libraries.into_iter().map(|l| l.slug).collect(),
            standards,
            editors: chosen,
            pages,
        })
    }

    /// The current versions of the editors' propositions.
    pub async fn versions(&self, database_url: &str) -> Result<Vec<i32>> {
        let db = Database::connect(database_url).await?;
        let mut versions = Vec::new();
        for e in &self.editors {
            let p = proposition::Entity::find_by_id(e.proposition_id).one(&db).await?.context("proposition gone")?;
            versions.push(p.version);
        }
        db.close().await?;
        Ok(versions)
    }
}

const SUFFIX: &str = " (bijgewerkt)";

/// One request to send: a GraphQL body (with the token to send it with), or a page to get.
pub enum Request<'a> {
    Graphql(Value, Option<&'a str>),
    Page(&'a PageTarget),
}

/// Request number `n` of client `client`.
pub fn request<'a>(kind: Kind, t: &'a Targets, client: usize, n: u64, version: i32) -> Request<'a> {
    // Clients start at different places in the lists, and each walks through them in order.
    let i = client * 7 + n as usize;
    let pick = |list: &'a [String]| &list[i % list.len()];
    let anonymous = |body: Value| Request::Graphql(body, None);
    match kind {
        Kind::PropositionById => {
            anonymous(json!({ "query": PROPOSITION, "variables": { "id": pick(&t.propositions) } }))
        }
        Kind::Page => anonymous(json!({ "query": PAGE, "variables": {
            "provinces": [pick(&t.provinces)], "channels": CHANNELS[i % CHANNELS.len()] } })),
        Kind::OrganisationEvidence => {
            anonymous(json!({ "query": ORGANISATION, "variables": { "slug": pick(&t.libraries) } }))
        }
        Kind::WhoOffers => {
            let standard = &t.standards[i % t.standards.len()];
            let province = &t.provinces[(i / t.standards.len()) % t.provinces.len()];
            anonymous(json!({ "query": who_offers(standard, province) }))
        }
        Kind::Coverage => anonymous(json!({ "query": COVERAGE })),
        Kind::Search => anonymous(json!({ "query": SEARCH })),
        Kind::Update => {
            let e = &t.editors[client];
            let summary = if n.is_multiple_of(2) { format!("{}{SUFFIX}", e.summary) } else { e.summary.clone() };
            let input = json!({ "id": e.global_id, "expectedVersion": version, "summary": summary });
            Request::Graphql(json!({ "query": UPDATE, "variables": { "input": input } }), Some(e.token.as_str()))
        }
        Kind::LibraryPage | Kind::StandardPage | Kind::CoveragePage | Kind::JourneyPage => {
            let pages = t.pages.of(kind);
            Request::Page(&pages[i % pages.len()])
        }
    }
}

/// The body that re-reads an editor's proposition version after a `CONFLICT`.
pub fn version_request(t: &Targets, client: usize) -> (Value, &str) {
    let e = &t.editors[client];
    (json!({ "query": VERSION, "variables": { "id": e.global_id } }), e.token.as_str())
}

/// What a response says: the error message if any, and the proposition version it carries.
pub struct Outcome {
    pub error: Option<String>,
    pub conflict: bool,
    pub version: Option<i32>,
}

/// The parts of a response the load generator reads; the rest is skipped without being built,
/// so that reading a large answer costs the shared CPU as little as it can.
#[derive(serde::Deserialize)]
struct Reply {
    #[serde(default)]
    errors: Vec<ReplyError>,
    data: Option<ReplyData>,
}

#[derive(serde::Deserialize)]
struct ReplyError {
    message: Option<String>,
    extensions: Option<ReplyCode>,
}

#[derive(serde::Deserialize)]
struct ReplyCode {
    code: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReplyData {
    update_proposition: Option<ReplyUpdate>,
    proposition: Option<ReplyVersion>,
}

#[derive(serde::Deserialize)]
struct ReplyUpdate {
    proposition: Option<ReplyVersion>,
}

#[derive(serde::Deserialize)]
struct ReplyVersion {
    version: Option<i32>,
}

/// Reads a 200 response: an `errors` list that is not empty makes it a failure.
pub fn outcome(body: &[u8]) -> Outcome {
    let reply: Reply = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return Outcome { error: Some(format!("response is not JSON: {e}")), conflict: false, version: None },
    };
    if let Some(first) = reply.errors.into_iter().next() {
        let code = first.extensions.and_then(|e| e.code).unwrap_or_default();
        let message = first.message.unwrap_or_else(|| "(no message)".into());
        return Outcome {
            error: Some(if code.is_empty() { message } else { format!("{code}: {message}") }),
            conflict: code == "CONFLICT",
            version: None,
        };
    }
    let version = reply
        .data
        .and_then(|d| d.update_proposition.and_then(|u| u.proposition).or(d.proposition).and_then(|p| p.version));
    Outcome { error: None, conflict: false, version }
}
