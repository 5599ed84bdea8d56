//! Counting the lexical tokens of a GraphQL document before it is parsed, so that a huge document
//! is refused without building its syntax tree.

/// Counts the lexical tokens of a GraphQL document: punctuators, names, numbers and strings (block
/// strings included), skipping whitespace, commas and comments. Anything else counts as one token
/// per character; the parser rejects it afterwards.
pub(super) fn count_tokens(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut tokens = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            // The byte order mark, U+FEFF, is ignored too.
            0xEF if rest.starts_with("\u{feff}".as_bytes()) => {
                i += 3;
                continue;
            }
            b'#' => {
                i += rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
                continue;
            }
            _ if rest.starts_with(b"\"\"\"") => i += block_string_len(rest),
            b'"' => i += string_len(rest),
            _ if rest.starts_with(b"...") => i += 3,
            b'-' | b'0'..=b'9' => i += number_len(rest),
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                i += rest.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).unwrap_or(rest.len());
            }
            // A punctuator, or a stray character (taken whole, not per byte): `i` is always at a
            // character boundary here, since every step above stops at an ASCII byte or the end.
            _ => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
        tokens += 1;
    }
    tokens
}

/// Length of the block string at the start of `rest` (which starts with `"""`), up to and including
/// its closing `"""`, or to the end when it is not closed; `\"""` does not close it.
fn block_string_len(rest: &[u8]) -> usize {
    let mut j = 3;
    while j < rest.len() {
        if rest[j..].starts_with(b"\\\"\"\"") {
            j += 4;
        } else if rest[j..].starts_with(b"\"\"\"") {
            return j + 3;
        } else {
            j += 1;
        }
    }
    rest.len()
}

/// Length of the string at the start of `rest` (which starts with `"`), up to and including its
/// closing quote; an unclosed string ends at the end of its line.
fn string_len(rest: &[u8]) -> usize {
    let mut j = 1;
    while j < rest.len() {
        match rest[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' | b'\r' => return j,
            _ => j += 1,
        }
    }
    rest.len()
}

/// Length of the number at the start of `rest`: `-?digits(.digits)?([eE][+-]?digits)?`.
fn number_len(rest: &[u8]) -> usize {
    let digits_from = |j: usize| j + rest[j.min(rest.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut j = digits_from(usize::from(rest[0] == b'-'));
    if rest.get(j) == Some(&b'.') && rest.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j = digits_from(j + 1);
    }
    if matches!(rest.get(j), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(rest.get(j + 1), Some(b'+' | b'-')));
        if rest.get(j + 1 + sign).is_some_and(u8::is_ascii_digit) {
            j = digits_from(j + 1 + sign);
        }
    }
    j.max(1).min(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_punctuators_names_and_skips_ignored_characters() {
        assert_eq!(count_tokens(""), 0);
        assert_eq!(count_tokens("  ,,\n\t\r\n ,"), 0);
        assert_eq!(count_tokens("{ a }"), 3);
        assert_eq!(count_tokens("query Q($id: ID!) { node(id: $id) { id } }"), 21);
        assert_eq!(count_tokens("{a,b,,c}"), 5);
        assert_eq!(count_tokens("\u{feff}{ a }"), 3);
        assert_eq!(count_tokens("{ a | b & c = d }"), 9);
        assert_eq!(count_tokens("{ _under_score9 }"), 3);
    }

    #[test]
    fn comments_are_skipped_to_the_end_of_the_line() {
        assert_eq!(count_tokens("# only a comment"), 0);
        assert_eq!(count_tokens("{ a # b c d\n e }"), 4);
        assert_eq!(count_tokens("{ a # \"not a string\r e }"), 4);
        assert_eq!(count_tokens("\"# not a comment\" # but this is"), 1);
    }

    #[test]
    fn a_spread_is_one_token() {
        assert_eq!(count_tokens("{ ...F ... on T { a } }"), 10);
        assert_eq!(count_tokens("{...F}"), 4);
    }

    #[test]
    fn strings_with_escapes_are_one_token() {
        assert_eq!(count_tokens(r#""""#), 1);
        assert_eq!(count_tokens(r#""a b c""#), 1);
        assert_eq!(count_tokens(r#""say \"hi\", then { go }""#), 1);
        assert_eq!(count_tokens(r#""ends in a backslash \\" x"#), 2);
        assert_eq!(count_tokens(r#""\u00e9 caf\u00E9 é""#), 1);
        assert_eq!(count_tokens(r#"f(a: "x", b: "y")"#), 9);
    }

    #[test]
    fn an_unclosed_string_ends_at_its_line() {
        assert_eq!(count_tokens("\"open\n a"), 2);
        assert_eq!(count_tokens("\"open"), 1);
        assert_eq!(count_tokens("\"trailing backslash \\"), 1);
    }

    #[test]
    fn block_strings_are_one_token() {
        assert_eq!(count_tokens(r#""""""#), 1);
        assert_eq!(count_tokens("\"\"\"line one\n  \"quoted\" and \"\" { } # no comment\n\"\"\""), 1);
        assert_eq!(count_tokens(r#""""escaped \""" still inside""" x"#), 2);
        assert_eq!(count_tokens(r#"a("""b""", c: """d""")"#), 7);
        assert_eq!(count_tokens(r#""""never closed { a b c }"#), 1);
    }

    #[test]
    fn numbers_with_fractions_and_exponents_are_one_token() {
        assert_eq!(count_tokens("0"), 1);
        assert_eq!(count_tokens("-12"), 1);
        assert_eq!(count_tokens("3.25"), 1);
        assert_eq!(count_tokens("1e10 1E+10 -1.5e-3 6.02E23"), 4);
        assert_eq!(count_tokens("f(first: 20, x: -0.5e+2)"), 9);
        assert_eq!(count_tokens("[1,2,3]"), 5);
        // Malformed numbers still make progress.
        assert_eq!(count_tokens("- 1e"), 3);
        assert_eq!(count_tokens("1."), 2);
    }

    #[test]
    fn stray_characters_count_once_each() {
        assert_eq!(count_tokens("{ é }"), 3);
        assert_eq!(count_tokens("a.b ~"), 4);
    }
}
