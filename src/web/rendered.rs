//! Whole public pages as an anonymous visitor sees them, kept while the change log says nothing has
//! changed.
//!
//! The answer cache already spares a page's questions their statements, but a page still costs its
//! rendering: parsing the answers, building the view, escaping and writing the HTML (2.5–6 ms of
//! CPU on the larger pages), which under load queues visitors behind each other. An anonymous
//! visitor's page depends only on its address and the data (its language is in the address, its
//! absolute links come from the configured public address), so it is kept under its address with
//! the change log's last id read before it was made, and given to the next anonymous visitor, for
//! one indexed statement, while that id is still the last. Visitors asking for the same page together wait for one rendering
//! (`crate::cache`). A signed-in person's pages are never kept nor served from here.
//!
//! A kept page costs a visitor's rate budget what it cost when it was made (each question's point
//! and objects), so the cache changes how fast pages are, not who may fetch how many.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use moka::future::Cache;

use crate::cache::{self, Shared};
use crate::http::AppState;
use crate::kernel::history::last_change_id;
use crate::web::page::PageError;
use crate::web::{Site, Visitor};

/// The largest page kept (the largest today is about 100 KB; a larger one is sent, not kept).
const MOST_BYTES: usize = 16 * 1024 * 1024;

/// What an entry costs besides its address and page: the cache's own bookkeeping.
const ENTRY_OVERHEAD: usize = 512;

/// A kept page: the state of the data it shows, what was sent, and the rate points it cost.
#[derive(Clone)]
struct Kept {
    stamp: i64,
    headers: HeaderMap,
    body: Bytes,
    points: u64,
}

/// The kept pages, by path and query as asked (another order of the same parameters only misses);
/// [`PageCache::new`] gives none when the cache is turned off.
///
/// An address keeps its entry across changes (a stale page is replaced, not added beside), so the
/// cache's admission by frequency knows the popular pages: addresses asked for once (a crawler's
/// or an attacker's made-up query strings) do not push them out.
pub struct PageCache {
    pages: Cache<String, Kept>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("pages", &self.pages.entry_count()).finish()
    }
}

impl PageCache {
    /// A cache holding up to `max_bytes` of pages, each used for at most `lifetime`.
    pub fn new(max_bytes: u64, lifetime: Duration) -> Option<Arc<Self>> {
        (max_bytes > 0).then(|| {
            Arc::new(Self {
                pages: Cache::builder()
                    .max_capacity(max_bytes)
                    .weigher(|address: &String, kept: &Kept| {
                        u32::try_from(ENTRY_OVERHEAD + address.len() + kept.body.len()).unwrap_or(u32::MAX)
                    })
                    .time_to_live(lifetime)
                    .build(),
            })
        })
    }
}

tokio::task_local! {
    /// The rate points the page being made has cost so far.
    static CHARGED: Arc<AtomicU64>;
}

/// Notes what one of a page's questions cost the visitor's budget (see [`crate::web::ask`]).
pub fn charged(points: u64) {
    let _ = CHARGED.try_with(|charged| charged.fetch_add(points, Ordering::Relaxed));
}

/// The layer on the public pages: an anonymous visitor's `GET` is answered from the cache when the
/// data has not changed since the page was made, else made (once for all who ask together) and kept
/// when it is a plain 200.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(pages) = request.extensions().get::<Site>().and_then(|s| s.pages.clone()) else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    let Ok(visitor) = Visitor::from_request_parts(&mut parts, &state).await;
    let request = Request::from_parts(parts, body);
    if request.method() != Method::GET || !visitor.actor.is_anonymous() {
        return next.run(request).await;
    }
    let stamp = match last_change_id(&state.db).await {
        Ok(stamp) => stamp,
        // The page itself meets the same failure and answers it as pages do.
        Err(_) => return next.run(request).await,
    };
    // The address as asked: inside `/en` the router sees the path without its language.
    let uri = request.extensions().get::<OriginalUri>().map_or(request.uri(), |original| &original.0);
    let address = uri.path_and_query().map_or_else(|| uri.path().to_string(), |p| p.to_string());
    let got = match pages.pages.get(&address).await {
        Some(kept) if kept.stamp == stamp => Shared::Value { value: kept, computed: false },
        stale => {
            if stale.is_some() {
                pages.pages.invalidate(&address).await;
            }
            cache::get_or_compute(&pages.pages, &address, || async {
                let charged = Arc::new(AtomicU64::new(0));
                let response = CHARGED.scope(charged.clone(), next.run(request)).await;
                keep(response, stamp, charged.load(Ordering::Relaxed)).await
            })
            .await
        }
    };
    match got {
        Shared::Value { value, computed: true } => {
            state.metrics.page(false);
            sent(value)
        }
        Shared::Value { value, computed: false } => {
            state.metrics.page(true);
            // What the page cost when it was made, charged as a made page is: one point up front,
            // refused on an empty bucket, and the rest settled after, into debt if need be.
            if state.limiter.enabled() {
                let caller = visitor.caller();
                if state.limiter.check(&caller).retry_after_secs.is_some() {
                    return PageError::RateLimited.into_response();
                }
                state.limiter.settle(&caller, 0, value.points.saturating_sub(1));
            }
            sent(value)
        }
        Shared::Own(response) => response,
    }
}

/// A page as made, to keep when it is a plain 200 that sets no cookie; otherwise the visitor's own.
async fn keep(response: Response, stamp: i64, points: u64) -> Result<Kept, Response> {
    let too_large = response.body().size_hint().upper().is_none_or(|bytes| bytes > MOST_BYTES as u64);
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) || too_large {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MOST_BYTES).await {
        Ok(body) => Ok(Kept { stamp, headers: parts.headers, body, points }),
        Err(e) => {
            tracing::error!(error.cause = %e, "a page could not be read to keep it");
            Err(PageError::Internal.into_response())
        }
    }
}

fn sent(kept: Kept) -> Response {
    let mut response = Response::new(Body::from(kept.body));
    *response.headers_mut() = kept.headers;
    response
}
