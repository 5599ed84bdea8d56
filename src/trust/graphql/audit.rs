//! The audit trail in the API: every change to every record, for network maintainers, read-only.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use crate::connection;
use crate::error::AppError;
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::trust::audit as history;
use crate::trust::audit::AuditFilter;
use crate::trust::graphql::history::{ChangeEntry, kind_of_api_type};

/// What to narrow the audit trail to.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    /// The API type of the records, e.g. `Proposition`, `ImprovementIdea`, `ApiKey`.
    pub record_type: Option<String>,
    /// One record, by its global id.
    pub record: Option<ID>,
    /// Changes by this user (token subject, or `api-key:<id>`).
    pub actor_subject: Option<String>,
    /// Changes made for this organisation.
    pub actor_organisation: Option<ID>,
    /// Changes made with this credential (`token:<id>` or `api-key:<id>`).
    pub credential: Option<String>,
    /// Changes made in this request (its `x-request-id`).
    pub request_id: Option<String>,
    /// From this moment (inclusive).
    pub since: Option<DateTime<Utc>>,
    /// Until this moment (exclusive).
    pub until: Option<DateTime<Utc>>,
}

impl AuditFilterInput {
    fn into_filter(self) -> async_graphql::Result<AuditFilter> {
        let named_type = match &self.record_type {
            Some(name) => Some(kind_of_api_type(name).ok_or_else(|| {
                AppError::invalid("recordType", format!("{name} is not a kind of record the audit trail holds"))
            })?),
            None => None,
        };
        let record = match &self.record {
            Some(id) => {
                let (type_name, id) =
                    ids::parse(id).ok_or_else(|| AppError::invalid("record", "is not a global id"))?;
                let kind = kind_of_api_type(&type_name)
                    .ok_or_else(|| AppError::invalid("record", format!("a {type_name} has no audit trail")))?;
                if named_type.is_some_and(|named| named != kind) {
                    return Err(AppError::invalid("recordType", "does not match the type of `record`").into());
                }
                Some((kind, id))
            }
            None => None,
        };
        let record_type = record.map(|(kind, _)| kind).or(named_type).map(|k| k.as_str().to_string());
        let record_id = record.map(|(_, id)| id);
        let actor_organisation_id =
            self.actor_organisation.map(|id| ids::decode("actorOrganisation", "Organisation", &id)).transpose()?;
        Ok(AuditFilter {
            record_type,
            record_id,
            actor_subject: self.actor_subject,
            actor_organisation_id,
            credential: self.credential,
            request_id: self.request_id,
            since: self.since,
            until: self.until,
        })
    }
}

/// Counts the entries of an audit query on demand.
#[derive(Clone)]
pub struct AuditCount(AuditFilter);

impl AuditCount {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(history::audit_count(db(ctx), actor(ctx), &self.0).await?)
    }
}

connection!(AuditConnection, AuditEdge, ChangeEntry, AuditCount, "audit entry");

/// The audit trail query.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every change to every record, newest first, with who made it, with which credential, in
    /// which request, and each field before and after. Network maintainers only; it cannot be
    /// changed through the API (or, by trigger, at all). A change to a record the maintainer may
    /// not read (another library's draft, a private study) shows that it happened and by whom,
    /// but none of its values (`valuesWithheld`).
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<AuditConnection> {
        let filter = filter.unwrap_or_default().into_filter()?;
        let page = history::audit_page(db(ctx), actor(ctx), &filter, &PageArgs { first, after }).await?;
        Ok(AuditConnection::new(page, AuditCount(filter), ChangeEntry))
    }
}
