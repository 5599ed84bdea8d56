//! What studies found: insights (some tied to a journey stage), the improvement ideas that answer
//! them, and the libraries that adopted those ideas.

use entity::enums::{AdoptionStatus, IdeaPriority, InsightState};
use entity::json::{Quote, QuoteList};
use entity::{adoption, idea, idea_insight, insight, insight_standard_proposition, insight_target_group};
use rand::Rng;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::ConnectionTrait;

use super::common_model::Model;
use super::insert::{insert_all, insert_with_ids};
use super::organisations::Network;
use super::propositions::Offers;
use super::studies::StudyRef;
use super::text::{fill, insight_explanation, pick, pick_some, word};
use super::words::{ATTRIBUTIONS, EFFECT_NOTES, PRACTICAL, QUOTES, theme_words};
use super::{Sizes, Summary, anchor, apportion, choose, moment_after};
use registry::error::AppError;

#[expect(clippy::too_many_arguments, reason = "one call from the generator, each argument a different part")]
pub(super) async fn generate<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    network: &Network,
    offers: &Offers,
    studies: &mut [StudyRef],
    sizes: &Sizes,
    summary: &mut Summary,
) -> Result<(), AppError> {
    add_insights(db, rng, model, studies, sizes.insights, summary).await?;
    add_ideas(db, rng, model, network, offers, studies, sizes.ideas, summary).await
}

async fn add_insights<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    studies: &mut [StudyRef],
    total: usize,
    summary: &mut Summary,
) -> Result<(), AppError> {
    // Every study found something; the rest is spread unevenly, as real studies differ in depth.
    let base = (total / studies.len().max(1)).min(3);
    let weights: Vec<f64> = studies.iter().map(|_| rng.random_range(0.3..2.0)).collect();
    let counts = apportion(total - base * studies.len(), &weights);
    let mut rows = Vec::with_capacity(total);
    let mut owners = Vec::with_capacity(total);
    let (mut groups, mut standards) = (Vec::new(), Vec::new());
    for (i, (s, extra)) in studies.iter().zip(counts).enumerate() {
        let words = theme_words(model.standards[s.standard].theme);
        for _ in 0..base + extra {
            let n = choose(rng, &[(0, 50), (1, 35), (2, 15)]);
            let quotes = pick_some(rng, QUOTES, n..=n)
                .into_iter()
                .map(|q| Quote { text: q.to_string(), attribution: Some(pick(rng, ATTRIBUTIONS).to_string()) })
                .collect();
            let ts = moment_after(rng, s.created);
            rows.push(insight::ActiveModel {
                id: NotSet,
                study_id: Set(s.id),
                stage_id: Set(if s.stages.is_empty() || rng.random_bool(0.5) {
                    None
                } else {
                    Some(*pick(rng, &s.stages))
                }),
                statement: Set(fill(word(rng, words.insights), s.phrase, &s.place)),
                explanation: Set(insight_explanation(rng, words, &s.methods, s.phrase, &s.place)),
                quotes: Set(QuoteList(quotes)),
                // An insight is as strong as the study it comes from (see knowledge::insight::create).
                evidence_strength: Set(s.strength),
                evidence_rank: Set(s.strength.rank()),
                state: Set(InsightState::Current),
                superseded_by_id: Set(None),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            });
            groups.push(model.target_groups[s.group].id);
            standards.push(rng.random_bool(0.6).then_some(model.standards[s.standard].id));
            owners.push(i);
        }
    }
    let ids =
        insert_with_ids(db, rows, insight::Column::Id, insight::Column::Statement, |m| m.statement.as_ref().clone())
            .await?;
    summary.insights = ids.len() as u64;
    let mut group_links = Vec::with_capacity(ids.len());
    let mut standard_links = Vec::new();
    for (((id, i), group), standard) in ids.into_iter().zip(owners).zip(groups).zip(standards) {
        studies[i].insights.push(id);
        group_links.push(insight_target_group::ActiveModel { insight_id: Set(id), target_group_id: Set(group) });
        if let Some(sp) = standard {
            standard_links.push(insight_standard_proposition::ActiveModel {
                insight_id: Set(id),
                standard_proposition_id: Set(sp),
            });
        }
    }
    summary.insight_links = insert_all(db, group_links).await? + insert_all(db, standard_links).await?;
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "the parts of the network an idea and its adoptions refer to")]
async fn add_ideas<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    network: &Network,
    offers: &Offers,
    studies: &[StudyRef],
    total: usize,
    summary: &mut Summary,
) -> Result<(), AppError> {
    let weights: Vec<f64> = studies.iter().map(|_| rng.random_range(0.0..2.0)).collect();
    let counts = apportion(total, &weights);
    let mut rows = Vec::with_capacity(total);
    let mut answers = Vec::with_capacity(total);
    for (s, count) in studies.iter().zip(counts) {
        let words = theme_words(model.standards[s.standard].theme);
        for _ in 0..count {
            let ts = moment_after(rng, s.created);
            rows.push(idea::ActiveModel {
                id: NotSet,
                study_id: Set(s.id),
                title: Set(pick(rng, words.ideas).to_string()),
                description: Set(format!(
                    "Voortgekomen uit het onderzoek met {} in {}. {}",
                    s.phrase,
                    s.place,
                    pick(rng, PRACTICAL)
                )),
                priority: Set(choose(
                    rng,
                    &[(IdeaPriority::DoNow, 35), (IdeaPriority::Later, 40), (IdeaPriority::Consider, 25)],
                )),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            });
            answers.push((s, pick_some(rng, &s.insights, 1..=3).into_iter().copied().collect::<Vec<i64>>()));
        }
    }
    let ids = insert_with_ids(db, rows, idea::Column::Id, idea::Column::Title, |m| m.title.as_ref().clone()).await?;
    summary.ideas = ids.len() as u64;

    let mut links = Vec::new();
    let mut adoptions = Vec::new();
    let libraries = &network.libraries;
    for (id, (s, insights)) in ids.into_iter().zip(answers) {
        links.extend(insights.into_iter().map(|i| idea_insight::ActiveModel { idea_id: Set(id), insight_id: Set(i) }));
        if !rng.random_bool(0.3) {
            continue;
        }
        // The library the study was for adopts first; sometimes a neighbour follows.
        let mut adopters = vec![s.library];
        let other = rng.random_range(0..libraries.len());
        if rng.random_bool(0.3) && other != s.library && libraries[other].province == libraries[s.library].province {
            adopters.push(other);
        }
        for li in adopters {
            let status = choose(
                rng,
                &[
                    (AdoptionStatus::Planned, 25),
                    (AdoptionStatus::InProgress, 35),
                    (AdoptionStatus::Done, 30),
                    (AdoptionStatus::Dropped, 10),
                ],
            );
            let ts = moment_after(rng, s.created);
            let started = (status != AdoptionStatus::Planned).then(|| ts.date_naive());
            let completed = match (status, started) {
                (AdoptionStatus::Done | AdoptionStatus::Dropped, Some(d)) => {
                    Some((d + chrono::Duration::days(rng.random_range(14..=180))).min(anchor().date_naive()))
                }
                _ => None,
            };
            let own = &offers.by_library[li];
            let matching: Vec<usize> =
                own.iter().copied().filter(|o| offers.all[*o].standard == Some(s.standard)).collect();
            let proposition = match (matching.is_empty(), own.is_empty()) {
                (false, _) if rng.random_bool(0.7) => Some(offers.all[*pick(rng, &matching)].id),
                (_, false) if rng.random_bool(0.3) => Some(offers.all[*pick(rng, own)].id),
                _ => None,
            };
            adoptions.push(adoption::ActiveModel {
                id: NotSet,
                idea_id: Set(id),
                organisation_id: Set(libraries[li].id),
                proposition_id: Set(proposition),
                status: Set(status),
                started_on: Set(started),
                completed_on: Set(completed),
                effect_note: Set((status == AdoptionStatus::Done && rng.random_bool(0.6))
                    .then(|| pick(rng, EFFECT_NOTES).to_string())),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
            });
        }
    }
    summary.idea_insights = insert_all(db, links).await?;
    summary.adoptions = insert_all(db, adoptions).await?;
    Ok(())
}
