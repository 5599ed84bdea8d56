//! Dutch words: splitting, stop words, Snowball stems, query strings for both databases, and highlighted snippets.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

static DUTCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Dutch));

/// The Snowball Dutch stop list (the one PostgreSQL's `dutch` configuration uses), so that both
/// databases ignore the same words.
const STOP_WORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de", "der", "deze", "die",
    "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen", "geweest", "haar", "had", "heb",
    "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je",
    "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets",
    "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd", "wezen", "wie", "wil",
    "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
];

/// The words of a text, lower-cased, in order, with their byte ranges.
fn words(text: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    let mut start = None;
    text.char_indices().chain(std::iter::once((text.len(), ' '))).filter_map(move |(i, c)| {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            None
        } else {
            start.take().map(|s| (s, i, text[s..i].to_lowercase()))
        }
    })
}

/// The stem of one lower-cased word.
fn stem(word: &str) -> String {
    DUTCH.stem(word).into_owned()
}

/// The stems of a text's words (stop words left out), each with the first word form it came from.
pub(crate) fn stems(text: &str) -> Vec<(String, String)> {
    words(text).filter(|(_, _, w)| !STOP_WORDS.contains(&w.as_str())).map(|(_, _, w)| (stem(&w), w)).collect()
}

/// The searchable terms of a query: its words without stop words, each with its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    words: Vec<String>,
    stems: Vec<String>,
}

impl Terms {
    /// Splits a query typed by a person; at most `max` words are kept.
    pub fn parse(query: &str, max: usize) -> Self {
        let mut terms = Terms { words: Vec::new(), stems: Vec::new() };
        for (_, _, word) in words(query) {
            if STOP_WORDS.contains(&word.as_str()) || terms.words.contains(&word) {
                continue;
            }
            terms.stems.push(stem(&word));
            terms.words.push(word);
            if terms.words.len() == max {
                break;
            }
        }
        terms
    }

    /// Whether nothing searchable is left.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A PostgreSQL tsquery expression (placeholders `$1`…) and its parameters: every word must match, either in its
    /// Dutch stem (PostgreSQL stems it) or as typed, each as a prefix. Words hold only letters and
    /// digits, so nothing in them is tsquery syntax.
    pub fn tsquery(&self) -> (String, Vec<String>) {
        // The typed form is only worth a second index lookup where stemming changed more than an ending.
        let sql = (1..=self.words.len())
            .zip(self.words.iter().zip(&self.stems))
            .map(|(i, (w, s))| match w.starts_with(s.as_str()) {
                true => format!("to_tsquery('dutch', ${i})"),
                false => format!("(to_tsquery('dutch', ${i}) || to_tsquery('simple', ${i}))"),
            })
            .collect::<Vec<_>>()
            .join(" && ");
        (sql, self.words.iter().map(|w| format!("{w}:*")).collect())
    }

    /// An SQLite FTS5 `MATCH` argument: every word must match, by its stem or as typed, each as a prefix.
    pub fn fts5(&self) -> String {
        let quoted = |s: &str| format!("\"{}\"*", s.replace('"', "\"\""));
        self.words
            .iter()
            .zip(&self.stems)
            .map(
                |(w, s)| {
                    if w.starts_with(s.as_str()) { quoted(s) } else { format!("({} OR {})", quoted(s), quoted(w)) }
                },
            )
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn matches(&self, lower_word: &str) -> bool {
        let word_stem = stem(lower_word);
        self.stems.iter().zip(&self.words).any(|(s, w)| {
            word_stem.starts_with(s.as_str())
                || lower_word.starts_with(s.as_str())
                || lower_word.starts_with(w.as_str())
        })
    }
}

/// How many words a snippet shows.
const SNIPPET_WORDS: usize = 24;

/// An excerpt of `text` around the first matching word, HTML-escaped, with every matching word
/// wrapped in `<mark>`; `None` when no word of the text matches.
pub fn highlight(text: &str, terms: &Terms) -> Option<String> {
    let all: Vec<(usize, usize, String)> = words(text).collect();
    let first = all.iter().position(|(_, _, w)| terms.matches(w))?;
    let from = first.saturating_sub(SNIPPET_WORDS / 4);
    let to = (from + SNIPPET_WORDS).min(all.len());
    let start = if from == 0 { 0 } else { all[from].0 };
    let end = if to == all.len() { text.len() } else { all[to - 1].1 };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut cursor = start;
    for (s, e, w) in &all[from..to] {
        if terms.matches(w) {
            out.push_str(&escape(&text[cursor..*s]));
            out.push_str("<mark>");
            out.push_str(&escape(&text[*s..*e]));
            out.push_str("</mark>");
            cursor = *e;
        }
    }
    out.push_str(&escape(&text[cursor..end]));
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

/// The start of a text when nothing in it matched, HTML-escaped.
pub fn opening(text: &str) -> String {
    let all: Vec<(usize, usize, String)> = words(text).take(SNIPPET_WORDS + 1).collect();
    if all.len() <= SNIPPET_WORDS {
        return escape(text);
    }
    format!("{}…", escape(&text[..all[SNIPPET_WORDS - 1].1]))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_word_forms_share_a_stem() {
        assert_eq!(stem("ontmoeten"), stem("ontmoeting"));
        assert_eq!(stem("ouderen"), stem("oudere"));
    }

    #[test]
    fn stop_words_and_punctuation_are_dropped() {
        let t = Terms::parse("De ontmoeting, van ouderen!", 10);
        assert_eq!(t.words, vec!["ontmoeting", "ouderen"]);
        assert_eq!(t.tsquery().1, ["ontmoeting:*", "ouderen:*"]);
        assert_eq!(t.fts5(), "\"ontmoet\"* AND \"ouder\"*");
        assert!(Terms::parse("de en het", 10).is_empty());
    }

    #[test]
    fn snippets_mark_word_forms_and_escape_the_rest() {
        let t = Terms::parse("ontmoeten", 10);
        let s = highlight("Een <b>plek</b> voor ontmoeting & gesprek", &t).unwrap();
        assert_eq!(s, "Een &lt;b&gt;plek&lt;/b&gt; voor <mark>ontmoeting</mark> &amp; gesprek");
        assert_eq!(highlight("niets hier", &t), None);
    }
}
