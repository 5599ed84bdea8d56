//! Builds Dutch titles, summaries and descriptions from the word lists, deterministically from the
//! random number generator.

use std::ops::RangeInclusive;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::words::{PRACTICAL, ThemeWords};

/// One element of a list that is never empty.
pub(super) fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("word lists are not empty")
}

/// A word from a word list.
pub(super) fn word<R: Rng>(rng: &mut R, items: &[&'static str]) -> &'static str {
    items.choose(rng).copied().unwrap_or_default()
}

/// A number of distinct elements drawn from `count` (fewer if the list is shorter), in list order.
pub(super) fn pick_some<'a, T, R: Rng>(rng: &mut R, items: &'a [T], count: RangeInclusive<usize>) -> Vec<&'a T> {
    let n = rng.random_range(count).min(items.len());
    let mut chosen: Vec<usize> = rand::seq::index::sample(rng, items.len(), n).into_vec();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| &items[i]).collect()
}

pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Replaces `{g}` (a target group), `{G}` (the same, capitalised) and `{p}` (a place).
pub(super) fn fill(template: &str, group: &str, place: &str) -> String {
    template.replace("{G}", &capitalise(group)).replace("{g}", group).replace("{p}", place)
}

/// Joins "a", "b" and "c" as "a, b en c".
pub(super) fn enumerate(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

/// The title of a proposition: the activity, sometimes with its target group or place.
pub(super) fn proposition_title<R: Rng>(rng: &mut R, activity: &str, group: &str, place: &str) -> String {
    let activity = fill(activity, group, place);
    match rng.random_range(0..20) {
        0..5 => activity,
        5..12 if !activity.contains(" voor ") => format!("{activity} voor {group}"),
        12..16 => format!("{activity} in {place}"),
        _ => format!("{activity} {place}"),
    }
}

pub(super) fn proposition_summary<R: Rng>(
    rng: &mut R,
    activity: &str,
    words: &ThemeWords,
    group: &str,
    place: &str,
) -> String {
    let purpose = fill(word(rng, words.purposes), group, place);
    let mut text = format!("{} in de bibliotheek van {place}: {purpose}.", capitalise(&fill(activity, group, place)));
    if rng.random_bool(0.5) {
        text.push_str(&format!(" Voor {group}."));
    }
    text
}

pub(super) fn proposition_description<R: Rng>(rng: &mut R, words: &ThemeWords, group: &str, place: &str) -> String {
    let mut sentences: Vec<String> =
        pick_some(rng, words.sentences, 2..=2).into_iter().map(|s| fill(s, group, place)).collect();
    sentences.push(pick(rng, PRACTICAL).to_string());
    if rng.random_bool(0.4) {
        sentences.push(format!("Speciaal voor {group} uit {place} en omgeving."));
    }
    sentences.join(" ")
}

pub(super) fn study_title<R: Rng>(
    rng: &mut R,
    journey: bool,
    activity: &str,
    words: &ThemeWords,
    group: &str,
    place: &str,
    library: &str,
) -> String {
    let activity = fill(activity, group, place);
    if journey {
        return format!("Klantreis {activity}: {group} in {place}");
    }
    match rng.random_range(0..4) {
        0 => format!("Onderzoek naar {} onder {group} in {place}", words.noun),
        1 => format!("Behoeftepeiling {} in {place}", words.noun),
        2 => format!("Evaluatie {activity} bij {library}"),
        _ => format!("Wat {group} verwachten van de bibliotheek: {}", words.noun),
    }
}

pub(super) fn study_summary(
    library: &str,
    conductor: Option<&str>,
    activity: &str,
    group: &str,
    place: &str,
    methods: &str,
    participants: Option<i32>,
) -> String {
    let with = conductor.map(|c| format!(" samen met {c}")).unwrap_or_default();
    let mut text =
        format!("{library} onderzocht{with} hoe {group} {} in {place} ervaren.", fill(activity, group, place));
    match participants {
        Some(n) => text.push_str(&format!(" Met {methods} kwamen {n} deelnemers aan het woord.")),
        None => text.push_str(&format!(" Het onderzoek bestond uit {methods}.")),
    }
    text.push_str(&format!(" De uitkomsten helpen om het aanbod voor {group} beter af te stemmen."));
    text
}

pub(super) fn insight_explanation<R: Rng>(
    rng: &mut R,
    words: &ThemeWords,
    methods: &str,
    group: &str,
    place: &str,
) -> String {
    format!("Dit bleek uit {methods} in {place}. {}", fill(word(rng, words.sentences), group, place))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::super::words::{THEMES, theme_words};
    use super::*;

    fn sample(seed: u64) -> Vec<String> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        THEMES
            .iter()
            .flat_map(|t| {
                let w = theme_words(*t);
                let title = proposition_title(&mut rng, w.local[0].0, "ouderen", "Zoetermeer");
                let summary = proposition_summary(&mut rng, w.local[0].0, w, "ouderen", "Zoetermeer");
                let description = proposition_description(&mut rng, w, "ouderen", "Zoetermeer");
                [title, summary, description]
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_texts() {
        assert_eq!(sample(7), sample(7));
        assert_ne!(sample(7), sample(8));
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{G} ontmoeten {g} in {p}", "ouderen", "Emmen"), "Ouderen ontmoeten ouderen in Emmen");
        assert!(sample(1).iter().all(|t| !t.contains('{') && !t.contains('}')));
        assert_eq!(enumerate(&["interviews", "een enquête", "observaties"]), "interviews, een enquête en observaties");
    }
}
