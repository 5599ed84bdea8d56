//! Trust in the API: partner API keys, the audit trail and every record's change history.

pub mod api_key;
pub mod audit;
pub mod history;
