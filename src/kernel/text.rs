//! How people's words are compared with the registry's names: case and accents folded (Fryslân is
//! fryslan, Café is cafe), and the closest known name when a word matches none.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The text lower-cased, without accents, its spaces trimmed and runs of them made one.
pub fn fold(text: &str) -> String {
    let bare: String = text.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The longest text [`closest`] compares: longer than any name, and the distance's cost grows with
/// the product of the lengths.
const LONGEST: usize = 80;

/// Of `known`, the name closest to `asked` (folded, by edit distance), when it is close enough to
/// be what was meant: at most a third of its letters differ.
pub fn closest<'a>(asked: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if asked.len() > LONGEST * 4 {
        return None;
    }
    let asked = fold(asked);
    let length = asked.chars().count();
    if length > LONGEST {
        return None;
    }
    known
        .into_iter()
        .filter_map(|name| {
            let folded = fold(name);
            let longest = folded.chars().count().max(length);
            // A third of the letters at most, and the lengths alone already differ by that much.
            if folded.chars().count().abs_diff(length) * 3 > longest {
                return None;
            }
            let distance = strsim::levenshtein(&asked, &folded);
            (distance * 3 <= longest).then_some((distance, name))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_spaces_are_folded() {
        assert_eq!(fold("Fryslân"), "fryslan");
        assert_eq!(fold("  Café   de  Kroeg "), "cafe de kroeg");
        assert_eq!(fold("Súdwest-Fryslân"), "sudwest-fryslan");
        assert_eq!(fold("’s-Hertogenbosch"), "’s-hertogenbosch");
        assert_eq!(fold("ZOETERMEER"), "zoetermeer");
    }

    #[test]
    fn the_closest_name_is_offered_only_when_it_is_close() {
        let known = ["Zoetermeer", "Zoeterwoude", "Almere", "Lelystad"];
        assert_eq!(closest("Zoetermer", known), Some("Zoetermeer"));
        assert_eq!(closest("almeer", known), Some("Almere"));
        assert_eq!(closest("Amsterdam", known), None);
        assert_eq!(closest(&"zoetermeer".repeat(1000), known), None, "a long text is compared with nothing");
    }
}
