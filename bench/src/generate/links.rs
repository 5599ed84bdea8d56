//! Knowledge links: a study or one of its insights as evidence for, input to or improvement of a
//! proposition or a standard proposition, mostly those of the library the study was done for.

use std::collections::HashSet;

use entity::enums::LinkRelation;
use entity::knowledge_link;
use rand::Rng;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::ConnectionTrait;

use super::common_model::Model;
use super::insert::insert_all;
use super::propositions::Offers;
use super::studies::StudyRef;
use super::text::pick;
use super::words::LINK_NOTES;
use super::{Sizes, Summary, choose, moment_after};
use registry::error::AppError;
use registry::knowledge::link::link_key;

/// A proposition a study plausibly says something about: one of its library's on the same
/// standard proposition, another library's on it, or any of its library's.
fn proposition_for<R: Rng>(rng: &mut R, offers: &Offers, s: &StudyRef) -> Option<i64> {
    let own = &offers.by_library[s.library];
    let same = &offers.by_standard[s.standard];
    let choice = match rng.random_range(0..10) {
        0..5 => {
            let matching: Vec<usize> =
                own.iter().copied().filter(|o| offers.all[*o].standard == Some(s.standard)).collect();
            if matching.is_empty() { None } else { Some(*pick(rng, &matching)) }
        }
        5..8 if !same.is_empty() => Some(*pick(rng, same)),
        _ => None,
    };
    let choice = choice.or_else(|| (!own.is_empty()).then(|| *pick(rng, own)));
    choice.or_else(|| (!offers.all.is_empty()).then(|| rng.random_range(0..offers.all.len()))).map(|o| offers.all[o].id)
}

pub(super) async fn generate<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    offers: &Offers,
    studies: &[StudyRef],
    sizes: &Sizes,
    summary: &mut Summary,
) -> Result<(), AppError> {
    let total = sizes.knowledge_links;
    let mut keys = HashSet::with_capacity(total);
    let mut rows = Vec::with_capacity(total);
    // Drawing a link twice is skipped; the cap only guards against a network too small to hold them.
    let mut attempts = 0;
    while rows.len() < total && attempts < total * 4 && !studies.is_empty() {
        attempts += 1;
        let s = &studies[rng.random_range(0..studies.len())];
        let insight = (!s.insights.is_empty() && rng.random_bool(0.7)).then(|| *pick(rng, &s.insights));
        let (proposition, standard) = if rng.random_bool(0.8) {
            match proposition_for(rng, offers, s) {
                Some(p) => (Some(p), None),
                None => continue,
            }
        } else if rng.random_bool(0.7) {
            (None, Some(model.standards[s.standard].id))
        } else {
            (None, Some(pick(rng, &model.standards).id))
        };
        let target = match (proposition, standard) {
            (Some(p), _) => ("P", p),
            (None, Some(sp)) => ("S", sp),
            (None, None) => continue,
        };
        let relation = choose(
            rng,
            &[(LinkRelation::EvidenceFor, 55), (LinkRelation::InformedDesignOf, 30), (LinkRelation::Improves, 15)],
        );
        let key = link_key(s.id, insight, target, relation);
        if !keys.insert(key.clone()) {
            continue;
        }
        let ts = moment_after(rng, s.created);
        rows.push(knowledge_link::ActiveModel {
            id: NotSet,
            study_id: Set(s.id),
            insight_id: Set(insight),
            proposition_id: Set(proposition),
            standard_proposition_id: Set(standard),
            relation: Set(relation),
            note: Set(rng.random_bool(0.2).then(|| pick(rng, LINK_NOTES).to_string())),
            link_key: Set(key),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
        });
    }
    summary.knowledge_links = insert_all(db, rows).await?;
    Ok(())
}
