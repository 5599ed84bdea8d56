//! What the writers write: for each demo library an editor's token and the links every
//! proposition of that library is created with (target groups, a branch, a partner), so that the
//! check afterwards knows what a whole proposition looks like.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use entity::enums::{OrganisationKind, StandardStatus};
use entity::{branch, organisation, standard_proposition, target_group};
use registry::identity::{JwtKeys, Role};
use registry::kernel::ids;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

/// How many target groups each proposition names.
const TARGET_GROUPS: usize = 2;

/// One library the writers write for.
#[derive(Debug, Clone)]
pub struct Library {
    pub id: i64,
    pub slug: String,
    pub token: String,
    pub branch_ids: BTreeSet<i64>,
    pub partner_ids: BTreeSet<i64>,
    pub target_group_ids: BTreeSet<i64>,
    pub target_group_codes: Vec<String>,
    pub standard_code: String,
}

impl Library {
    /// The `CreatePropositionInput` of a proposition with this title.
    pub fn input(&self, title: &str) -> Value {
        let id = |kind: &str, id: &i64| ids::encode(kind, *id).0;
        json!({
            "organisationId": id("Organisation", &self.id),
            "title": title,
            "summary": "Written by the fault test while the database goes down and comes back.",
            "channel": "ON_SITE",
            "standardPropositionCode": self.standard_code,
            "targetGroupCodes": self.target_group_codes,
            "branchIds": self.branch_ids.iter().map(|b| id("Branch", b)).collect::<Vec<_>>(),
            "partnerOrganisationIds": self.partner_ids.iter().map(|p| id("Organisation", p)).collect::<Vec<_>>(),
        })
    }
}

/// Reads the demo network's libraries and mints an editor's token for each.
pub async fn load(db: &DatabaseConnection, keys: &JwtKeys) -> Result<Vec<Library>> {
    let organisations = organisation::Entity::find().order_by_asc(organisation::Column::Slug).all(db).await?;
    let partner = organisations
        .iter()
        .find(|o| o.kind != OrganisationKind::Library)
        .context("the demo network has no organisation other than libraries to partner with")?;
    let groups = target_group::Entity::find().order_by_asc(target_group::Column::Code).all(db).await?;
    let groups: Vec<_> = groups.into_iter().take(TARGET_GROUPS).collect();
    let standard = standard_proposition::Entity::find()
        .filter(standard_proposition::Column::Status.eq(StandardStatus::Active))
        .order_by_asc(standard_proposition::Column::Code)
        .one(db)
        .await?
        .context("the common model has no active standard proposition")?;
    let mut libraries = Vec::new();
    for org in organisations.iter().filter(|o| o.kind == OrganisationKind::Library) {
        let branch = branch::Entity::find()
            .filter(branch::Column::OrganisationId.eq(org.id))
            .order_by_asc(branch::Column::Id)
            .one(db)
            .await?;
        let token = keys
            .issue(
                &format!("faulttest-editor-{}", org.slug),
                Some(&org.slug),
                Role::LibraryEditor,
                chrono::Duration::hours(2),
            )
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
        libraries.push(Library {
            id: org.id,
            slug: org.slug.clone(),
            token,
            branch_ids: branch.map(|b| b.id).into_iter().collect(),
            partner_ids: [partner.id].into(),
            target_group_ids: groups.iter().map(|g| g.id).collect(),
            target_group_codes: groups.iter().map(|g| g.code.clone()).collect(),
            standard_code: standard.code.clone(),
        });
    }
    if libraries.is_empty() || groups.len() < TARGET_GROUPS {
        bail!("the demo network is too small: no libraries or too few target groups");
    }
    Ok(libraries)
}
