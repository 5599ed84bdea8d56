//! How people's words are compared with the registry's names: case and accents folded (Fryslân is
//! fryslan, Café is cafe), and the closest known name when a word matches none.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The text lower-cased, without accents, its spaces trimmed and runs of them made one.
pub fn fold(text: &str) -> String {
    let bare: String = text.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Of `known`, the name closest to `asked` (folded, by edit distance), when it is close enough to
/// be what was meant: at most a third of its letters differ.
pub fn closest<'a>(asked: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let asked = fold(asked);
    known
        .into_iter()
        .map(|name| (strsim::levenshtein(&asked, &fold(name)), name))
        .filter(|(distance, name)| *distance * 3 <= fold(name).chars().count().max(asked.chars().count()))
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
    }
}
