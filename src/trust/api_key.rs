//! Partner API keys: created (shown once), listed, revoked, and checked on every request.

use chrono::{DateTime, Duration, Utc};
use entity::enums::OrganisationKind;
use entity::{api_key, organisation};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};

use crate::identity::{Actor, KeyScopes};

use crate::error::{AppError, AppResult};
use crate::identity::api_key as key_format;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::page::{Keyset, Page, PageArgs, SortValue};
use crate::kernel::{history, now, require_signed_in, validate};
use crate::registry::organisation as org_service;

/// What a key may be given. Reading published data is what every key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    ReadPublished,
    ReadNetworkResearch,
    WriteOwnOrganisation,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadPublished => "READ_PUBLISHED",
            Self::ReadNetworkResearch => "READ_NETWORK_RESEARCH",
            Self::WriteOwnOrganisation => "WRITE_OWN_ORGANISATION",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Self::ReadPublished, Self::ReadNetworkResearch, Self::WriteOwnOrganisation]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// The scopes stored on a key.
pub fn scopes_of(model: &api_key::Model) -> Vec<Scope> {
    model.scopes.split(',').filter_map(Scope::parse).collect()
}

/// How long `lastUsedAt` may lag: it is written at most once a minute per key, not on every request.
const LAST_USED_RESOLUTION: Duration = Duration::seconds(60);

/// A key that opened a request.
pub struct AuthenticatedKey {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_kind: OrganisationKind,
    pub scopes: KeyScopes,
}

/// Whether a key works at `at`: not revoked and not expired.
pub fn is_active(key: &api_key::Model, at: DateTime<Utc>) -> bool {
    key.revoked_at.is_none() && key.expires_at.is_none_or(|e| e > at)
}

/// Finds the key with this hash, with its organisation in the same statement, and checks it is
/// live; notes its use.
pub async fn authenticate(db: &DatabaseConnection, hash: &str) -> AppResult<AuthenticatedKey> {
    let found = api_key::Entity::find()
        .filter(api_key::Column::SecretHash.eq(hash))
        .find_also_related(organisation::Entity)
        .one(db)
        .await?;
    // The foreign key cascades, so a key always has its organisation.
    let Some((key, Some(organisation))) = found else {
        return Err(AppError::Unauthenticated("the API key is not valid".into()));
    };
    let at = now();
    if !is_active(&key, at) {
        let why = if key.revoked_at.is_some() { "has been revoked" } else { "has expired" };
        return Err(AppError::Unauthenticated(format!("the API key {why}")));
    }
    if key.last_used_at.is_none_or(|t| t < at - LAST_USED_RESOLUTION) {
        note_use(db, key.id, at).await;
    }
    let scopes = scopes_of(&key);
    Ok(AuthenticatedKey {
        id: key.id,
        organisation_id: key.organisation_id,
        organisation_kind: organisation.kind,
        scopes: KeyScopes {
            network_research: scopes.contains(&Scope::ReadNetworkResearch),
            write_own_organisation: scopes.contains(&Scope::WriteOwnOrganisation),
        },
    })
}

/// Records that a key was used. Bookkeeping only: when it fails (a busy database, say) the request
/// goes on, and the next one a minute later tries again.
async fn note_use(db: &DatabaseConnection, id: i64, at: DateTime<Utc>) {
    // Conditional, so that concurrent requests with one key write it once.
    let written = api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(at))
        .filter(api_key::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(api_key::Column::LastUsedAt.is_null())
                .add(api_key::Column::LastUsedAt.lt(at - LAST_USED_RESOLUTION)),
        )
        .exec(db)
        .await;
    if let Err(e) = written {
        tracing::warn!(error.cause = %e, api_key.id = id, "could not record the API key's last use");
    }
}

/// Maintainers manage every key; an organisation's administrator manages its own. Keys never
/// manage keys, so a leaked key cannot mint more.
fn require_key_manager(actor: &Actor, organisation_id: i64) -> AppResult<()> {
    require_signed_in(actor)?;
    if actor.is_api_key() {
        return Err(AppError::Forbidden("API keys cannot manage API keys; sign in as a person".into()));
    }
    if actor.is_maintainer() || (actor.admin && actor.organisation_id() == Some(organisation_id)) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only network maintainers and the organisation's administrators manage its keys".into(),
        ))
    }
}

/// What a new key is for.
pub struct NewApiKey {
    pub organisation_id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates a key; the returned text is the only time anyone sees it.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewApiKey) -> AppResult<(api_key::Model, String)> {
    require_key_manager(actor, input.organisation_id)?;
    let name = validate::required("name", &input.name, 100)?;
    let organisation = org_service::by_id(db, input.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("organisation".into()))?;
    let mut scopes = input.scopes;
    scopes.push(Scope::ReadPublished);
    scopes.sort();
    scopes.dedup();
    let writes = matches!(organisation.kind, OrganisationKind::Library | OrganisationKind::SupportOrganisation);
    if scopes.contains(&Scope::WriteOwnOrganisation) && !writes {
        return Err(AppError::invalid(
            "scopes",
            "WRITE_OWN_ORGANISATION is only for libraries and support organisations, which have records to write",
        ));
    }
    let at = now();
    if input.expires_at.is_some_and(|e| e <= at) {
        return Err(AppError::invalid("expiresAt", "must be in the future"));
    }
    let generated = key_format::generate();
    let txn = crate::kernel::begin_write(db).await?;
    let model = api_key::Entity::insert(api_key::ActiveModel {
        organisation_id: Set(organisation.id),
        name: Set(name),
        hint: Set(generated.hint),
        secret_hash: Set(generated.hash),
        scopes: Set(scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")),
        created_by: Set(actor.subject.clone().unwrap_or_default()),
        created_at: Set(at),
        expires_at: Set(input.expires_at),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    let after = history::snapshot(&model);
    history::record(&txn, actor, Change::created(RecordKind::ApiKey, model.id, &after)).await?;
    txn.commit().await?;
    Ok((model, generated.text))
}

/// Revokes a key at once; a revoked key stays listed, and cannot be revived.
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<api_key::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current =
        api_key::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("API key".into()))?;
    if !actor.is_maintainer() && actor.organisation_id() != Some(current.organisation_id) {
        // Another organisation's key is as good as absent.
        return Err(AppError::NotFound("API key".into()));
    }
    require_key_manager(actor, current.organisation_id)?;
    if current.revoked_at.is_some() {
        return Err(AppError::Conflict("the API key is already revoked".into()));
    }
    let result = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now()))
        .col_expr(api_key::Column::RevokedBy, Expr::value(actor.subject.clone()))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict("the API key is already revoked".into()));
    }
    let model = api_key::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("API key".into()))?;
    let (before, after) = (history::snapshot(&current), history::snapshot(&model));
    history::record(&txn, actor, Change::changed(RecordKind::ApiKey, id, ChangeAction::Revoke, 1, &before, &after))
        .await?;
    txn.commit().await?;
    Ok(model)
}

/// Which organisation's keys an actor may list: maintainers any (or all, `None`); an
/// administrator only their own.
fn listed_organisation(actor: &Actor, organisation_id: Option<i64>) -> AppResult<Option<i64>> {
    if actor.is_maintainer() {
        require_key_manager(actor, organisation_id.unwrap_or_default())?;
        return Ok(organisation_id);
    }
    let own = actor.organisation_id().unwrap_or_default();
    require_key_manager(actor, own)?;
    if organisation_id.is_some_and(|f| f != own) {
        return Err(AppError::Forbidden("administrators see only their own organisation's keys".into()));
    }
    Ok(Some(own))
}

/// The ids among `ids` of keys the actor may manage (and so read the history of).
pub async fn manageable_ids<C: sea_orm::ConnectionTrait>(db: &C, actor: &Actor, ids: &[i64]) -> AppResult<Vec<i64>> {
    use sea_orm::QuerySelect;
    let Ok(organisation_id) = listed_organisation(actor, None) else {
        return Ok(Vec::new());
    };
    Ok(listed(organisation_id)
        .select_only()
        .column(api_key::Column::Id)
        .filter(api_key::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?)
}

fn listed(organisation_id: Option<i64>) -> sea_orm::Select<api_key::Entity> {
    let select = api_key::Entity::find();
    match organisation_id {
        Some(org) => select.filter(api_key::Column::OrganisationId.eq(org)),
        None => select,
    }
}

/// The keys an actor may manage, newest first; maintainers may narrow to one organisation.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    organisation_id: Option<i64>,
    args: &PageArgs,
) -> AppResult<Page<api_key::Model>> {
    let organisation_id = listed_organisation(actor, organisation_id)?;
    Keyset::<api_key::Entity, _> {
        sort: None,
        id: api_key::Column::Id,
        descending: true,
        key_of: |m: &api_key::Model| (SortValue::Int(m.id), m.id),
    }
    .fetch(db, listed(organisation_id), args)
    .await
}

/// How many keys [`list`] would list.
pub async fn count(db: &DatabaseConnection, actor: &Actor, organisation_id: Option<i64>) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    let organisation_id = listed_organisation(actor, organisation_id)?;
    Ok(listed(organisation_id).count(db).await?)
}
