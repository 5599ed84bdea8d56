//! Trust: who is calling (`identity`: tokens, API key format, the `Actor`), partner API keys, the limits every
//! document must keep (`limits`), the rate charge (`ratelimit`), the breaker that answers at once while the
//! database is down, idempotent retries, and the audit trail read back as each caller may see it.
//!
//! May use: `kernel`, `settings`, `error`. `identity` is used by every domain; the rest by the HTTP edge and the
//! API.

pub mod api_key;
pub mod audit;
pub mod breaker;
pub mod graphql;
pub mod idempotency;
pub mod identity;
pub mod limits;
pub mod ratelimit;
