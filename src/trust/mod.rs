//! Trust: partner API keys, the limits every document must keep (`limits`), the rate charge (`ratelimit`), the
//! breaker that answers at once while the database is down, idempotent retries, and the audit trail read back
//! as each caller may see it. Who is calling is `identity`, a floor below, since every domain needs it.
//!
//! May use: `kernel`, `identity`, `settings`, `error`. Used by the HTTP edge, the pages and the API.

pub mod api_key;
pub mod audit;
pub mod breaker;
pub mod graphql;
pub mod idempotency;
pub mod limits;
pub mod ratelimit;
