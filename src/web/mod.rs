//! The registry on the web: server-rendered pages for people, each asking the registry's own GraphQL
//! schema in-process as the visitor, so that a page never shows what the API would hide.
//!
//! May use: `http` (the in-process answer, the state), `identity` (the visitor's actor), `kernel::ids`.
//! The domain is reached only through GraphQL, as any client reaches it.

pub mod account;
mod ask;
pub mod assets;
mod forms;
pub mod graphiql;
mod labels;
pub mod lang;
mod page;
mod pages;
pub mod rendered;
mod staff;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use tower_http::request_id::RequestId;

use crate::http::AppState;
use crate::identity::Actor;
use crate::settings::PublicUrl;
use crate::web::lang::{ENGLISH_PREFIX, Here};

pub use page::PageError;

/// Who is looking at a page: anonymous, or a person signed in to the site, whose actor (from the
/// session) every page asks the registry as, so that it shows what that person may see.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub actor: Actor,
    /// The request's session, read before the page ran ([`account::with_session`]).
    pub current: account::Current,
    /// The address the per-address limits count against (behind trusted proxies, the client's).
    pub client: IpAddr,
    pub request_id: String,
    /// The page's language and address.
    pub here: Here,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer =
            parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let client = state.edge.trusted_proxies.client_ip(peer, &parts.headers);
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("unknown")
            .to_string();
        let here = Here::from_request_parts(parts, state).await?;
        let current = parts.extensions.get::<account::Current>().cloned().unwrap_or_default();
        let actor = current.signed_in.as_ref().map_or_else(Actor::anonymous, |s| s.actor.clone());
        Ok(Self { actor, current, client, request_id, here })
    }
}

impl Visitor {
    /// Whose rate budget the visitor's pages spend: a signed-in person's own, or their address's.
    pub fn caller(&self) -> crate::trust::ratelimit::Caller {
        match (self.actor.person, &self.actor.subject) {
            (Some(_), Some(subject)) => crate::trust::ratelimit::Caller::Token(subject.clone()),
            _ => crate::trust::ratelimit::Caller::Anonymous(self.client),
        }
    }
}

/// The most a page's form may send (a proposition's form with a long description is well below).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The site's settings the pages need.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The configured public address, if any.
    pub public_url: Option<PublicUrl>,
    /// Anonymous visitors' pages kept while nothing changes; `None` when turned off.
    pub pages: Option<std::sync::Arc<rendered::PageCache>>,
}

/// The pages, in Dutch at their own addresses and in English under `/en`, each behind the same
/// guard as `/graphql`: the breaker, the request timeout, and the cancel of a timed-out page's
/// statements.
pub fn routes(state: AppState, site: Site) -> Router<AppState> {
    Router::new()
        .merge(pages(&state))
        .nest(ENGLISH_PREFIX, pages(&state))
        .route("/en/", get(|| async { Redirect::permanent(ENGLISH_PREFIX) }))
        .route("/robots.txt", get(pages::robots))
        .route("/sitemap.xml", get(pages::sitemap::sitemap))
        .fallback(pages::not_found)
        // A page's form is small; the sheet import sets its own, larger limit.
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(middleware::from_fn_with_state(state, guard))
        .layer(Extension(site))
        .route(&format!("{}{{*file}}", assets::PREFIX), get(assets::serve))
        .route("/graphiql", get(graphiql::page))
}

/// Every page, by its Dutch address: the public ones behind the cache of anonymous visitors' pages,
/// the signed-in side (account, staff) never.
fn pages(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home::page))
        .route("/bibliotheken", get(pages::libraries::page))
        .route("/bibliotheken/{slug}", get(pages::organisation::library))
        .route("/organisaties/{slug}", get(pages::organisation::organisation))
        .route("/aanbod/{id}", get(pages::proposition::page))
        .route("/standaardproposities", get(pages::standards::page))
        .route("/standaardproposities/{code}", get(pages::standard::page))
        .route("/dekking", get(pages::coverage::page))
        .route("/dekking.csv", get(pages::coverage::csv))
        .route("/vergelijk", get(pages::compare::page))
        .route("/zoeken", get(pages::search::page))
        .route("/onderzoek/{id}", get(pages::study::page))
        .route("/doelgroepen/{code}", get(pages::target_group::page))
        .route_layer(middleware::from_fn_with_state(state.clone(), rendered::layer))
        .merge(account::routes())
        .merge(staff::routes())
}

/// Runs a page within the request timeout, cancelling its statements when it runs over, and
/// answers at once while the breaker is open (the database is unreachable). The page, and an error
/// page in its place, know the language and address of the request.
async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let mut here = Here::of(request.uri());
    here.origin =
        request.extensions().get::<Site>().and_then(|s| s.public_url.as_ref()).map(|u| u.as_str().to_string());
    request.extensions_mut().insert(here.clone());
    lang::within(here, guarded(state, request, next)).await
}

async fn guarded(state: AppState, request: Request, next: Next) -> Response {
    let page = account::with_session(&state, request, next);
    crate::http::guard::run_guarded(&state, page, |_| PageError::Unavailable.into_response()).await
}
