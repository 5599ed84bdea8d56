//! Partner API keys in the API: list, create (the key is shown once) and revoke.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::api_key;

use crate::connection;
use crate::kernel::loaders::one;
use crate::kernel::page::PageArgs;
use crate::kernel::{actor, db, ids};
use crate::registry::graphql::loaders::OrganisationKey;
use crate::registry::graphql::organisation::Organisation;
use crate::trust::api_key as svc;
use crate::trust::api_key::{NewApiKey, Scope};

/// What an API key may do. Every key reads published data.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ApiKeyScope {
    /// Read published propositions, public studies and everything else anyone may read.
    ReadPublished,
    /// Also read studies, insights and ideas shared with the network.
    ReadNetworkResearch,
    /// Write the key's own organisation's records (libraries and support organisations only).
    WriteOwnOrganisation,
}

impl From<ApiKeyScope> for Scope {
    fn from(s: ApiKeyScope) -> Self {
        match s {
            ApiKeyScope::ReadPublished => Scope::ReadPublished,
            ApiKeyScope::ReadNetworkResearch => Scope::ReadNetworkResearch,
            ApiKeyScope::WriteOwnOrganisation => Scope::WriteOwnOrganisation,
        }
    }
}

impl From<Scope> for ApiKeyScope {
    fn from(s: Scope) -> Self {
        match s {
            Scope::ReadPublished => ApiKeyScope::ReadPublished,
            Scope::ReadNetworkResearch => ApiKeyScope::ReadNetworkResearch,
            Scope::WriteOwnOrganisation => ApiKeyScope::WriteOwnOrganisation,
        }
    }
}

/// A partner system's API key. The key itself is never shown again after creation.
#[derive(Clone)]
pub struct ApiKey(pub api_key::Model);

/// A partner system's API key. The key itself is never shown again after creation.
#[Object]
impl ApiKey {
    /// The global id.
    async fn id(&self) -> ID {
        ids::encode("ApiKey", self.0.id)
    }
    /// What the key is for, e.g. "Website of Bibliotheek Zoetermeer".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The first characters of the key, to tell keys apart.
    async fn hint(&self) -> &str {
        &self.0.hint
    }
    /// The organisation the key acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        Ok(one(ctx, OrganisationKey(self.0.organisation_id)).await?.map(Organisation))
    }
    /// What the key may do.
    async fn scopes(&self) -> Vec<ApiKeyScope> {
        svc::scopes_of(&self.0).into_iter().map(Into::into).collect()
    }
    /// Who created the key.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }
    /// When the key was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the key stops working, if ever.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// When the key was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// When the key was last used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    /// Whether the key works now: not revoked and not expired.
    async fn active(&self) -> bool {
        svc::is_active(&self.0, Utc::now())
    }
}

/// Counts the keys of a list on demand.
#[derive(Clone)]
pub struct ApiKeyCount(Option<i64>);

impl ApiKeyCount {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(svc::count(db(ctx), actor(ctx), self.0).await?)
    }
}

connection!(ApiKeyConnection, ApiKeyEdge, ApiKey, ApiKeyCount, "API key");

/// A new API key.
#[derive(InputObject)]
pub struct CreateApiKeyInput {
    /// The organisation the key acts for.
    pub organisation: ID,
    /// What the key is for.
    pub name: String,
    /// What the key may do besides reading published data.
    pub scopes: Vec<ApiKeyScope>,
    /// When the key stops working; leave out for a key that works until revoked.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A created key, with the key itself.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The key's record.
    pub api_key: ApiKey,
    /// The key: send it as `Authorization: Bearer <key>`. It is shown only now; store it safely.
    pub key: String,
}

/// Queries about API keys.
#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// API keys, newest first: maintainers see all (or one organisation's), an organisation's
    /// administrators see their own.
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        organisation: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ApiKeyConnection> {
        let organisation = organisation.map(|id| ids::decode("organisation", "Organisation", &id)).transpose()?;
        let page = svc::list(db(ctx), actor(ctx), organisation, &PageArgs { first, after }).await?;
        Ok(ApiKeyConnection::new(page, ApiKeyCount(organisation), ApiKey))
    }
}

/// Mutations of API keys.
#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates an API key for an organisation; the answer holds the key, shown only this once.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> async_graphql::Result<CreateApiKeyPayload> {
        let organisation_id = ids::decode("organisation", "Organisation", &input.organisation)?;
        let new = NewApiKey {
            organisation_id,
            name: input.name,
            scopes: input.scopes.into_iter().map(Into::into).collect(),
            expires_at: input.expires_at,
        };
        let (model, key) = svc::create(db(ctx), actor(ctx), new).await?;
        Ok(CreateApiKeyPayload { api_key: ApiKey(model), key })
    }

    /// Revokes an API key at once.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiKey> {
        let id = ids::decode("id", "ApiKey", &id)?;
        Ok(ApiKey(svc::revoke(db(ctx), actor(ctx), id).await?))
    }
}
