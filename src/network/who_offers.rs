//! Who offers it: the libraries of a region that offer something, with their propositions, branches
//! and municipalities, and in the same answer the libraries and municipalities that do not.

use std::collections::{BTreeSet, HashMap, HashSet};

use entity::{
    branch, municipality, organisation, organisation_municipality as org_gm, proposition, proposition_branch,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Offering, Region, area};
use crate::error::AppResult;
use crate::registry::proposition::filter_condition;

/// A library that offers it.
#[derive(Debug, Clone)]
pub struct Provider {
    pub organisation: organisation::Model,
    /// Its published propositions that match, by title.
    pub propositions: Vec<proposition::Model>,
    /// Where: the branches named on those propositions, or all its branches for a proposition
    /// offered library-wide; only those in the region.
    pub branches: Vec<branch::Model>,
    /// The region's municipalities it reaches with them.
    pub municipalities: Vec<municipality::Model>,
}

/// Who offers it in a region, and the gaps.
#[derive(Debug, Clone)]
pub struct WhoOffers {
    pub providers: Vec<Provider>,
    /// Libraries of the region that offer nothing that matches.
    pub libraries_without: Vec<organisation::Model>,
    /// Municipalities of the region that no provider reaches.
    pub municipalities_without: Vec<municipality::Model>,
    pub library_count: usize,
    pub municipality_count: usize,
}

/// Answers who offers `offering` in `region`, in six statements whatever the region's size.
pub async fn who_offers<C: ConnectionTrait>(db: &C, offering: &Offering, region: &Region) -> AppResult<WhoOffers> {
    let area = area(db, region).await?;
    let propositions = proposition::Entity::find()
        .filter(filter_condition(db, &offering.filter()?).await?)
        .filter(proposition::Column::OrganisationId.is_in(area.library_ids()))
        .order_by_asc(proposition::Column::Title)
        .order_by_asc(proposition::Column::Id)
        .all(db)
        .await?;
    let provider_ids: BTreeSet<i64> = propositions.iter().map(|p| p.organisation_id).collect();
    let provider_ids: Vec<i64> = provider_ids.into_iter().collect();
    let named_branches: Vec<proposition_branch::Model> = proposition_branch::Entity::find()
        .filter(proposition_branch::Column::PropositionId.is_in(propositions.iter().map(|p| p.id)))
        .all(db)
        .await?;
    let branches = branch::Entity::find()
        .filter(branch::Column::OrganisationId.is_in(provider_ids.clone()))
        .order_by_asc(branch::Column::Name)
        .order_by_asc(branch::Column::Id)
        .all(db)
        .await?;
    let served: Vec<org_gm::Model> =
        org_gm::Entity::find().filter(org_gm::Column::OrganisationId.is_in(provider_ids)).all(db).await?;

    let in_area: HashMap<i64, &municipality::Model> = area.municipalities.iter().map(|m| (m.id, m)).collect();
    let mut branch_names: HashMap<i64, Vec<i64>> = HashMap::new();
    for link in &named_branches {
        branch_names.entry(link.proposition_id).or_default().push(link.branch_id);
    }
    let mut by_library: HashMap<i64, Vec<proposition::Model>> = HashMap::new();
    for p in propositions {
        by_library.entry(p.organisation_id).or_default().push(p);
    }
    let mut reached_anywhere = HashSet::new();
    let mut providers = Vec::new();
    let mut libraries_without = Vec::new();
    for library in area.libraries.iter().cloned() {
        let Some(props) = by_library.remove(&library.id) else {
            libraries_without.push(library);
            continue;
        };
        let library_wide = props.iter().any(|p| !branch_names.contains_key(&p.id));
        let named: HashSet<i64> =
            props.iter().flat_map(|p| branch_names.get(&p.id).into_iter().flatten().copied()).collect();
        let here: Vec<branch::Model> = branches
            .iter()
            .filter(|b| b.organisation_id == library.id && in_area.contains_key(&b.municipality_id))
            .filter(|b| library_wide || named.contains(&b.id))
            .cloned()
            .collect();
        let mut reached: BTreeSet<i64> = here.iter().map(|b| b.municipality_id).collect();
        if library_wide {
            reached.extend(
                served
                    .iter()
                    .filter(|s| s.organisation_id == library.id && in_area.contains_key(&s.municipality_id))
                    .map(|s| s.municipality_id),
            );
        }
        reached_anywhere.extend(reached.iter().copied());
        let mut municipalities: Vec<municipality::Model> = reached.iter().map(|id| in_area[id].clone()).collect();
        municipalities.sort_by(|a, b| a.name.cmp(&b.name));
        providers.push(Provider { organisation: library, propositions: props, branches: here, municipalities });
    }
    let municipalities_without =
        area.municipalities.iter().filter(|m| !reached_anywhere.contains(&m.id)).cloned().collect();
    Ok(WhoOffers {
        library_count: area.libraries.len(),
        municipality_count: area.municipalities.len(),
        providers,
        libraries_without,
        municipalities_without,
    })
}
