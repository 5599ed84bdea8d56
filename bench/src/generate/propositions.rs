//! The libraries' propositions: most mapped onto a standard proposition, the rest local, with their
//! target groups and the branches where they run.

use entity::enums::{Channel, CostKind, Lifecycle, PublicationState};
use entity::{proposition, proposition_branch, proposition_target_group};
use rand::Rng;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::ConnectionTrait;

use super::common_model::Model;
use super::insert::{insert_all, insert_with_ids};
use super::organisations::Network;
use super::text::{pick, pick_some, proposition_description, proposition_summary, proposition_title};
use super::words::{COST_NOTES, DEVIATION_NOTES, FIRST_NAMES, LAST_NAMES, SCHEDULES, THEMES, Theme, theme_words};
use super::{Sizes, Summary, Weighted, apportion, choose, moment_after, moment_before};
use registry::error::AppError;

#[derive(Debug, Clone)]
pub(super) struct Offer {
    pub id: i64,
    /// Index into [`Model::standards`].
    pub standard: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Offers {
    pub all: Vec<Offer>,
    /// Indexes into `all`, per library.
    pub by_library: Vec<Vec<usize>>,
    /// Indexes into `all`, per standard proposition.
    pub by_standard: Vec<Vec<usize>>,
    /// Libraries pick well-known standard propositions more often than the others.
    pub popularity: Weighted,
}

/// What one proposition is about, before it gets a title.
struct Subject {
    activity: String,
    theme: Theme,
    standard: Option<usize>,
    core_function_id: Option<i64>,
    /// Indexes into [`Model::target_groups`] it could be for.
    groups: Vec<usize>,
}

fn subject<R: Rng>(rng: &mut R, model: &Model, popularity: &Weighted) -> Subject {
    if rng.random_bool(0.8) {
        let s = popularity.sample(rng);
        let standard = &model.standards[s];
        return Subject {
            activity: pick(rng, &standard.names).clone(),
            theme: standard.theme,
            standard: Some(s),
            core_function_id: None,
            groups: standard.target_groups.clone(),
        };
    }
    // A local proposition: an activity of the theme lists, or a standard one not mapped as such.
    if rng.random_bool(0.7) {
        let theme = *pick(rng, &THEMES);
        let (name, function, codes) = *pick(rng, theme_words(theme).local);
        let groups: Vec<usize> = codes.iter().filter_map(|c| model.target_group(c)).collect();
        if let (Some(function), false) = (model.core_function(function), groups.is_empty()) {
            return Subject {
                activity: name.to_string(),
                theme,
                standard: None,
                core_function_id: Some(function),
                groups,
            };
        }
    }
    let standard = pick(rng, &model.standards);
    Subject {
        activity: pick(rng, &standard.names).clone(),
        theme: standard.theme,
        standard: None,
        core_function_id: Some(standard.core_function_id),
        groups: standard.target_groups.clone(),
    }
}

pub(super) async fn generate<C: ConnectionTrait, R: Rng>(
    db: &C,
    rng: &mut R,
    model: &Model,
    network: &Network,
    sizes: &Sizes,
    summary: &mut Summary,
) -> Result<Offers, AppError> {
    let popularity = Weighted::new(model.standards.iter().map(|s| if s.well_known { 3.0 } else { 1.0 }));
    let weights: Vec<f64> = network.libraries.iter().map(|l| l.branches.len() as f64 + 2.0).collect();
    let per_library = apportion(sizes.propositions, &weights);
    let mut rows = Vec::with_capacity(sizes.propositions);
    let mut planned = Vec::with_capacity(sizes.propositions);
    for (index, (library, count)) in network.libraries.iter().zip(per_library).enumerate() {
        for n in 0..count {
            let about = subject(rng, model, &popularity);
            let place = &model.municipalities[*pick(rng, &library.municipalities)].name;
            let mut groups: Vec<usize> = pick_some(rng, &about.groups, 1..=3).into_iter().copied().collect();
            if rng.random_bool(0.15) {
                let extra = rng.random_range(0..model.target_groups.len());
                if !groups.contains(&extra) {
                    groups.push(extra);
                }
            }
            let phrase = model.group_phrase(rng, groups[0]);
            let words = theme_words(about.theme);
            let channel = choose(rng, &[(Channel::OnSite, 60), (Channel::Hybrid, 25), (Channel::Online, 15)]);
            let branches: Vec<i64> = if channel == Channel::Online {
                Vec::new()
            } else {
                let k = choose(rng, &[(0, 10), (1, 50), (2, 25), (3, 15)]);
                pick_some(rng, &library.branches, k..=k).into_iter().copied().collect()
            };
            let state = choose(
                rng,
                &[(PublicationState::Published, 85), (PublicationState::Draft, 10), (PublicationState::Archived, 5)],
            );
            let created = moment_before(rng, 5 * 365);
            let updated = moment_after(rng, created);
            let published_at = match state {
                PublicationState::Published => Some(moment_between(rng, created, updated)),
                PublicationState::Archived if rng.random_bool(0.5) => Some(moment_between(rng, created, updated)),
                _ => None,
            };
            let start_date = rng.random_bool(0.7).then(|| created.date_naive());
            let end_date = start_date
                .filter(|_| rng.random_bool(0.25))
                .map(|s| s + chrono::Duration::days(rng.random_range(30..=365)));
            let paid = rng.random_bool(0.25);
            let contact = rng.random_bool(0.6).then(|| (*pick(rng, FIRST_NAMES), *pick(rng, LAST_NAMES)));
            rows.push(proposition::ActiveModel {
                id: NotSet,
                organisation_id: Set(library.id),
                title: Set(proposition_title(rng, &about.activity, phrase, place)),
                summary: Set(proposition_summary(rng, &about.activity, words, phrase, place)),
                description: Set(proposition_description(rng, words, phrase, place)),
                standard_proposition_id: Set(about.standard.map(|s| model.standards[s].id)),
                deviation_note: Set(about
                    .standard
                    .filter(|_| rng.random_bool(0.1))
                    .map(|_| pick(rng, DEVIATION_NOTES).to_string())),
                societal_task_id: Set(about
                    .core_function_id
                    .filter(|_| rng.random_bool(0.7))
                    .map(|_| pick(rng, &model.societal_tasks).id)),
                core_function_id: Set(about.core_function_id),
                channel: Set(channel),
                lifecycle: Set(choose(
                    rng,
                    &[
                        (Lifecycle::Regular, 70),
                        (Lifecycle::Pilot, 15),
                        (Lifecycle::Paused, 8),
                        (Lifecycle::Stopped, 7),
                    ],
                )),
                publication_state: Set(state),
                start_date: Set(start_date),
                end_date: Set(end_date),
                schedule: Set(rng.random_bool(0.7).then(|| pick(rng, SCHEDULES).to_string())),
                cost_kind: Set(if paid { CostKind::Paid } else { CostKind::Free }),
                price_cents: Set(paid.then(|| rng.random_range(5..=100) * 50)),
                cost_note: Set(paid.then(|| pick(rng, COST_NOTES).to_string())),
                contact_name: Set(contact.map(|(f, l)| format!("{f} {l}"))),
                contact_email: Set(contact.map(|(f, l)| {
                    format!("{}.{}@{}.nl", f.to_lowercase(), l.to_lowercase().replace(' ', ""), library.slug)
                })),
                contact_phone: Set(contact
                    .map(|_| format!("0{}-{}", rng.random_range(10..=99), rng.random_range(1_000_000..=9_999_999)))),
                external_key: Set(None),
                url: Set(Some(format!("https://www.{}.nl/aanbod/{}", library.slug, n + 1))),
                verified_at: Set(rng.random_bool(0.4).then_some(updated)),
                published_at: Set(published_at),
                version: Set(1),
                created_at: Set(created),
                updated_at: Set(updated),
            });
            planned.push((index, about.standard, groups, branches));
        }
    }
    let ids =
        insert_with_ids(db, rows, proposition::Column::Id, proposition::Column::Title, |m| m.title.as_ref().clone())
            .await?;
    summary.propositions = ids.len() as u64;

    let mut offers = Offers {
        all: Vec::with_capacity(ids.len()),
        by_library: vec![Vec::new(); network.libraries.len()],
        by_standard: vec![Vec::new(); model.standards.len()],
        popularity,
    };
    let (mut group_links, mut branch_links) = (Vec::new(), Vec::new());
    for (id, (library, standard, groups, branches)) in ids.into_iter().zip(planned) {
        for g in groups {
            group_links.push(proposition_target_group::ActiveModel {
                proposition_id: Set(id),
                target_group_id: Set(model.target_groups[g].id),
            });
        }
        for b in branches {
            branch_links.push(proposition_branch::ActiveModel { proposition_id: Set(id), branch_id: Set(b) });
        }
        offers.by_library[library].push(offers.all.len());
        if let Some(s) = standard {
            offers.by_standard[s].push(offers.all.len());
        }
        offers.all.push(Offer { id, standard });
    }
    summary.proposition_target_groups = insert_all(db, group_links).await?;
    summary.proposition_branches = insert_all(db, branch_links).await?;
    Ok(offers)
}

/// A moment between two others (the first when they are equal).
fn moment_between<R: Rng>(
    rng: &mut R,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    let span = (to - from).num_seconds().max(0);
    from + chrono::Duration::seconds(rng.random_range(0..=span))
}
