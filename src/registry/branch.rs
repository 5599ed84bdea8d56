//! Branches (vestigingen) of a library: managed by the library's editors and by maintainers.

use entity::enums::OrganisationKind;
use entity::{branch, proposition_branch};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::common_model::region::municipality_ids;
use crate::error::{AppError, AppResult};
use crate::identity::Actor;
use crate::kernel::history::{Change, ChangeAction, RecordKind};
use crate::kernel::{Patch, check_version, history, now, require_signed_in, save_versioned, validate};
use crate::registry::organisation;

/// A library's editors and network maintainers may manage its branches.
fn require_manager(actor: &Actor, organisation_id: i64) -> AppResult<()> {
    require_signed_in(actor)?;
    if actor.is_maintainer() || actor.edited_library() == Some(organisation_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only the library's own editors may manage its branches".into()))
    }
}

/// The branches of one organisation, by name.
pub async fn of_organisation<C: ConnectionTrait>(db: &C, organisation_id: i64) -> AppResult<Vec<branch::Model>> {
    Ok(branch::Entity::find()
        .filter(branch::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(branch::Column::Name)
        .order_by_asc(branch::Column::Id)
        .all(db)
        .await?)
}

/// A branch by id (branches are public).
pub async fn by_id<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Option<branch::Model>> {
    Ok(branch::Entity::find_by_id(id).one(db).await?)
}

/// A new or changed branch.
#[derive(Debug, Clone, Default)]
pub struct BranchInput {
    pub name: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub municipality_code: Option<String>,
    pub latitude: Patch<f64>,
    pub longitude: Patch<f64>,
}

/// Adds a branch to a library.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    organisation_id: i64,
    input: BranchInput,
) -> AppResult<branch::Model> {
    require_signed_in(actor)?;
    let org =
        organisation::by_id(db, organisation_id).await?.ok_or_else(|| AppError::NotFound("organisation".into()))?;
    require_manager(actor, org.id)?;
    if org.kind != OrganisationKind::Library {
        return Err(AppError::invalid("organisationId", "only libraries have branches"));
    }
    let name = validate::required("name", input.name.as_deref().unwrap_or_default(), 200)?;
    let address = validate::required("address", input.address.as_deref().unwrap_or_default(), 300)?;
    let postcode = validate::postcode("postcode", input.postcode.as_deref().unwrap_or_default())?;
    let (latitude, longitude) = validate::coordinates(input.latitude.flatten(), input.longitude.flatten())?;
    let gm_code = input.municipality_code.ok_or_else(|| AppError::invalid("municipalityCode", "is required"))?;
    let txn = crate::kernel::begin_write(db).await?;
    let municipality_id = municipality_ids(&txn, "municipalityCode", &[gm_code]).await?[0];
    ensure_unique_name(&txn, org.id, &name, None).await?;
    let ts = now();
    let model = branch::Entity::insert(branch::ActiveModel {
        id: NotSet,
        organisation_id: Set(org.id),
        name: Set(name),
        address: Set(address),
        postcode: Set(postcode),
        municipality_id: Set(municipality_id),
        latitude: Set(latitude),
        longitude: Set(longitude),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
    })
    .exec_with_returning(&txn)
    .await?;
    let after = history::snapshot(&model);
    history::record(&txn, actor, Change::created(RecordKind::Branch, model.id, &after)).await?;
    txn.commit().await?;
    Ok(model)
}

async fn ensure_unique_name<C: ConnectionTrait>(db: &C, org: i64, name: &str, except: Option<i64>) -> AppResult<()> {
    let mut select =
        branch::Entity::find().filter(branch::Column::OrganisationId.eq(org)).filter(branch::Column::Name.eq(name));
    if let Some(id) = except {
        select = select.filter(branch::Column::Id.ne(id));
    }
    if select.count(db).await? > 0 {
        return Err(AppError::Conflict(format!("the library already has a branch named {name}")));
    }
    Ok(())
}

/// Changes a branch.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    input: BranchInput,
) -> AppResult<branch::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current = by_id(&txn, id).await?.ok_or_else(|| AppError::NotFound("branch".into()))?;
    require_manager(actor, current.organisation_id)?;
    check_version("branch", expected_version, current.version)?;
    let name = match &input.name {
        Some(n) => validate::required("name", n, 200)?,
        None => current.name.clone(),
    };
    if name != current.name {
        ensure_unique_name(&txn, current.organisation_id, &name, Some(id)).await?;
    }
    let address = match &input.address {
        Some(a) => validate::required("address", a, 300)?,
        None => current.address.clone(),
    };
    let postcode = match &input.postcode {
        Some(p) => validate::postcode("postcode", p)?,
        None => current.postcode.clone(),
    };
    let (latitude, longitude) = validate::coordinates(
        input.latitude.unwrap_or(current.latitude),
        input.longitude.unwrap_or(current.longitude),
    )?;
    let municipality_id = match input.municipality_code {
        Some(code) => municipality_ids(&txn, "municipalityCode", &[code]).await?[0],
        None => current.municipality_id,
    };
    let before = history::snapshot(&current);
    let mut active: branch::ActiveModel = current.clone().into();
    active.name = Set(name);
    active.address = Set(address);
    active.postcode = Set(postcode);
    active.latitude = Set(latitude);
    active.longitude = Set(longitude);
    active.municipality_id = Set(municipality_id);
    let model = save_versioned::<branch::Entity, _>(&txn, active, id, current.version).await?;
    let after = history::snapshot(&model);
    history::record(
        &txn,
        actor,
        Change::changed(RecordKind::Branch, id, ChangeAction::Update, model.version, &before, &after),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Removes a branch that no proposition runs at any more; its last state stays in the change log.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
) -> AppResult<branch::Model> {
    require_signed_in(actor)?;
    let txn = crate::kernel::begin_write(db).await?;
    let current = by_id(&txn, id).await?.ok_or_else(|| AppError::NotFound("branch".into()))?;
    require_manager(actor, current.organisation_id)?;
    check_version("branch", expected_version, current.version)?;
    let in_use =
        proposition_branch::Entity::find().filter(proposition_branch::Column::BranchId.eq(id)).count(&txn).await?;
    if in_use > 0 {
        return Err(AppError::Conflict(format!(
            "{in_use} proposition(s) still run at this branch; remove the branch from them first"
        )));
    }
    let before = history::snapshot(&current);
    branch::Entity::delete_by_id(id).exec(&txn).await?;
    history::record(&txn, actor, Change::deleted(RecordKind::Branch, id, current.version + 1, &before)).await?;
    txn.commit().await?;
    Ok(current)
}
