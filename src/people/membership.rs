//! Persons and their memberships: who may grant what, and what a person's membership lets them do.
//!
//! A membership is granted (or changed) and revoked by network maintainers, anywhere, and by an
//! organisation's administrators, in their own organisation and never as network maintainer. API
//! keys never manage memberships. A role must fit the organisation's kind, as for tokens.

use entity::{membership, organisation, person};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::identity::{Actor, Role};

use crate::error::{AppError, AppResult};
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::{history, now, require_signed_in, save_versioned};
use crate::registry::organisation as org_service;

/// The most memberships one list holds (a person's, or an organisation's).
pub const MOST_LISTED: u64 = 500;

/// Every role, by its stable name.
const ROLES: [Role; 4] = [Role::Partner, Role::LibraryEditor, Role::SupportEditor, Role::NetworkMaintainer];

/// The role of a stored membership.
pub fn role_of(model: &membership::Model) -> AppResult<Role> {
    ROLES
        .into_iter()
        .find(|r| r.as_str() == model.role)
        .ok_or_else(|| AppError::internal(format!("membership {} has an unknown role {}", model.id, model.role)))
}

/// Refuses API keys and anonymous callers, and anyone but maintainers and the organisation's
/// administrators; an administrator who is not a maintainer never grants the maintainer role.
fn require_manager(actor: &Actor, organisation_id: i64, role: Option<Role>) -> AppResult<()> {
    require_signed_in(actor)?;
    if actor.is_api_key() {
        return Err(AppError::Forbidden("API keys cannot manage memberships; sign in as a person".into()));
    }
    if actor.is_maintainer() {
        return Ok(());
    }
    if actor.admin && actor.organisation_id() == Some(organisation_id) {
        if role == Some(Role::NetworkMaintainer) {
            return Err(AppError::Forbidden("only network maintainers grant the network maintainer role".into()));
        }
        return Ok(());
    }
    Err(AppError::Forbidden(
        "only network maintainers and the organisation's administrators manage its memberships".into(),
    ))
}

/// A membership to grant: a person, an organisation, a role, and whether they administer it.
pub struct Grant {
    pub person_id: i64,
    pub organisation_id: i64,
    pub role: Role,
    pub admin: bool,
}

/// Grants a membership, or changes the role and admin flag of the one the person already holds in
/// that organisation; logged in the same transaction.
pub async fn grant(db: &DatabaseConnection, actor: &Actor, grant: Grant) -> AppResult<membership::Model> {
    require_manager(actor, grant.organisation_id, Some(grant.role))?;
    let organisation = org_service::by_id(db, grant.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound("organisation".into()))?;
    let fits = grant.role.permitted_organisation_kind();
    if organisation.kind != fits {
        return Err(AppError::invalid(
            "role",
            format!("a {} works at an organisation of kind {fits:?}, not {:?}", grant.role.as_str(), organisation.kind),
        ));
    }
    let txn = crate::kernel::begin_write(db).await?;
    person::Entity::find_by_id(grant.person_id).one(&txn).await?.ok_or_else(|| AppError::NotFound("person".into()))?;
    let existing = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(grant.person_id))
        .filter(membership::Column::OrganisationId.eq(grant.organisation_id))
        .one(&txn)
        .await?;
    let granted_by = actor.subject.clone().unwrap_or_default();
    let model = match existing {
        Some(current) => {
            let active = membership::ActiveModel {
                role: Set(grant.role.as_str().to_string()),
                admin: Set(grant.admin),
                granted_by: Set(granted_by),
                ..Default::default()
            };
            let updated = save_versioned::<membership::Entity, _>(&txn, active, current.id, current.version).await?;
            let (before, after) = (history::snapshot(&current), history::snapshot(&updated));
            history::record(
                &txn,
                actor,
                Change::changed(
                    RecordKind::Membership,
                    updated.id,
                    ChangeAction::Update,
                    updated.version,
                    &before,
                    &after,
                ),
            )
            .await?;
            updated
        }
        None => {
            let at = now();
            let created = membership::ActiveModel {
                person_id: Set(grant.person_id),
                organisation_id: Set(grant.organisation_id),
                role: Set(grant.role.as_str().to_string()),
                admin: Set(grant.admin),
                granted_by: Set(granted_by),
                version: Set(1),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let after = history::snapshot(&created);
            history::record(&txn, actor, Change::created(RecordKind::Membership, created.id, &after)).await?;
            created
        }
    };
    txn.commit().await?;
    Ok(model)
}

/// Revokes a membership at once: sessions acting in it lose its rights on their next request. A
/// membership of an organisation the caller does not manage is as good as absent.
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<membership::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current =
        membership::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("membership".into()))?;
    if !actor.is_maintainer() && actor.organisation_id() != Some(current.organisation_id) {
        return Err(AppError::NotFound("membership".into()));
    }
    require_manager(actor, current.organisation_id, Some(role_of(&current)?))?;
    // A person who administers the organisation on the site does not leave it without an
    // administrator (they could not grant one again); a network maintainer may, and so may a
    // token's administrator, whose authority does not come from a membership.
    if current.admin && !actor.is_maintainer() && actor.person.is_some() {
        let administrators = membership::Entity::find()
            .filter(membership::Column::OrganisationId.eq(current.organisation_id))
            .filter(membership::Column::Admin.eq(true))
            .count(&txn)
            .await?;
        if administrators <= 1 {
            return Err(AppError::Conflict(
                "this is the organisation's last administrator; grant another administrator first, or ask a network maintainer".into(),
            ));
        }
    }
    membership::Entity::delete_by_id(id).exec(&txn).await?;
    let before = history::snapshot(&current);
    history::record(&txn, actor, Change::deleted(RecordKind::Membership, id, current.version, &before)).await?;
    txn.commit().await?;
    Ok(current)
}

/// Whose memberships a caller asks for.
#[derive(Debug, Default, Clone, Copy)]
pub struct MembershipFilter {
    pub organisation_id: Option<i64>,
    pub person_id: Option<i64>,
}

/// The memberships a caller may see, oldest first, at most [`MOST_LISTED`]: maintainers any;
/// an administrator their organisation's; a person their own.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: MembershipFilter,
) -> AppResult<Vec<membership::Model>> {
    let me = actor.person.map(|p| p.id);
    let own_only = filter.person_id.is_some() && filter.person_id == me;
    let filter = if actor.is_api_key() {
        return Err(AppError::Forbidden("API keys cannot read memberships".into()));
    } else if actor.is_maintainer() || own_only {
        filter
    } else if actor.admin {
        if filter.organisation_id.is_some_and(|o| Some(o) != actor.organisation_id()) {
            return Err(AppError::Forbidden("administrators see only their own organisation's memberships".into()));
        }
        MembershipFilter { organisation_id: actor.organisation_id(), ..filter }
    } else if me.is_some() {
        if filter.person_id.is_some() {
            return Err(AppError::Forbidden(
                "only network maintainers and an organisation's administrators see others' memberships".into(),
            ));
        }
        MembershipFilter { person_id: me, ..filter }
    } else {
        require_signed_in(actor)?;
        return Err(AppError::Forbidden(
            "only network maintainers, an organisation's administrators and the person see memberships".into(),
        ));
    };
    let mut select = membership::Entity::find();
    if let Some(o) = filter.organisation_id {
        select = select.filter(membership::Column::OrganisationId.eq(o));
    }
    if let Some(p) = filter.person_id {
        select = select.filter(membership::Column::PersonId.eq(p));
    }
    Ok(select.order_by_asc(membership::Column::Id).limit(MOST_LISTED).all(db).await?)
}

/// A person's own memberships with their organisations, oldest first.
pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    person_id: i64,
) -> AppResult<Vec<(membership::Model, organisation::Model)>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(person_id))
        .find_also_related(organisation::Entity)
        .order_by_asc(membership::Column::Id)
        .limit(MOST_LISTED)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(m, o)| o.map(|o| (m, o))).collect())
}

/// Whether the caller may read a person's e-mail address: maintainers, the person, and the
/// administrators of an organisation (who look people up to grant them a membership).
pub fn may_read_email(actor: &Actor, person_id: i64) -> bool {
    !actor.is_api_key() && (actor.is_maintainer() || actor.admin || actor.person.is_some_and(|p| p.id == person_id))
}

/// Whether the caller may read people's names: anyone signed in to the network (staff), and the
/// person themselves; not anonymous callers and API keys, so that a public record's history does
/// not name the people who wrote it.
pub fn may_read_names(actor: &Actor) -> bool {
    !actor.is_api_key() && (actor.is_signed_in() || actor.person.is_some())
}

/// A person by id.
pub async fn person_by_id<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Option<person::Model>> {
    Ok(person::Entity::find_by_id(id).one(db).await?)
}

/// A person by e-mail address (exactly, ignoring case), for maintainers and administrators who
/// grant memberships; `None` for anyone else, and when nobody with it has signed in yet.
pub async fn person_by_email(db: &DatabaseConnection, actor: &Actor, email: &str) -> AppResult<Option<person::Model>> {
    require_signed_in(actor)?;
    if actor.is_api_key() || !(actor.is_maintainer() || actor.admin) {
        return Err(AppError::Forbidden("only network maintainers and administrators look people up".into()));
    }
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", "must not be empty"));
    }
    Ok(person::Entity::find().filter(person::Column::Email.eq(email)).order_by_asc(person::Column::Id).one(db).await?)
}

/// What an identity provider (or the demo) says about a person who signs in.
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub name: String,
    pub email: Option<String>,
}

/// Records a person's sign-in: created the first time, name and e-mail refreshed after.
pub async fn signed_in(db: &DatabaseConnection, identity: Identity) -> AppResult<person::Model> {
    let at = now();
    let name: String = identity.name.trim().chars().take(200).collect();
    let name = if name.is_empty() { identity.subject.chars().take(200).collect() } else { name };
    let email = identity.email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty() && e.len() <= 320);
    let txn = crate::kernel::begin_write(db).await?;
    let existing = person::Entity::find()
        .filter(person::Column::Issuer.eq(&identity.issuer))
        .filter(person::Column::Subject.eq(&identity.subject))
        .one(&txn)
        .await?;
    let model = match existing {
        Some(current) => {
            person::ActiveModel {
                id: Set(current.id),
                name: Set(name),
                email: Set(email),
                last_signed_in_at: Set(Some(at)),
                updated_at: Set(at),
                ..Default::default()
            }
            .update(&txn)
            .await?
        }
        None => {
            person::ActiveModel {
                issuer: Set(identity.issuer),
                subject: Set(identity.subject),
                name: Set(name),
                email: Set(email),
                last_signed_in_at: Set(Some(at)),
                version: Set(1),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    txn.commit().await?;
    Ok(model)
}

/// The organisations of memberships, by id (for the account page).
pub async fn organisation_names<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?)
}

/// The ids among `ids` of memberships (present or revoked) whose changes the caller may read in the
/// audit trail: maintainers all, an organisation's administrators their own organisation's.
pub async fn manageable_ids<C: ConnectionTrait>(db: &C, actor: &Actor, ids: &[i64]) -> AppResult<Vec<i64>> {
    if actor.is_api_key() || !actor.is_signed_in() {
        return Ok(Vec::new());
    }
    if actor.is_maintainer() {
        return Ok(ids.to_vec());
    }
    let Some(own) = actor.organisation_id().filter(|_| actor.admin) else {
        return Ok(Vec::new());
    };
    // A revoked membership is gone from its table; its log entries still name its organisation.
    let logged: Vec<(i64, serde_json::Value)> = entity::change_log::Entity::find()
        .select_only()
        .column(entity::change_log::Column::EntityId)
        .column(entity::change_log::Column::Changes)
        .filter(entity::change_log::Column::EntityType.eq(RecordKind::Membership.as_str()))
        .filter(entity::change_log::Column::EntityId.is_in(ids.to_vec()))
        .filter(entity::change_log::Column::Action.eq(ChangeAction::Create.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(logged
        .into_iter()
        .filter(|(_, changes)| changes["organisationId"]["after"].as_i64() == Some(own))
        .map(|(id, _)| id)
        .collect())
}
