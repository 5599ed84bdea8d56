//! When an HS256 signing secret is too weak: anyone who knows or guesses it can sign a
//! `NETWORK_MAINTAINER` token.
//!
//! A secret shorter than [`MIN_SECRET_BYTES`] is always refused. With
//! `REQUIRE_CONFIGURED_SECRET` on, so is a secret that contains one published with the registry,
//! that is one piece repeated, or whose estimated entropy is under [`MIN_ESTIMATED_BITS`]. The
//! estimate is the secret's length times the Shannon entropy of its own characters' frequencies:
//! it cannot see that a sentence is guessable, but it does catch a secret typed by hand from a few
//! keys, while 48 random bytes in base64 (`openssl rand -base64 48`) estimate at about 330 bits and
//! 32 random bytes in hex (`openssl rand -hex 32`) at about 245.

use std::collections::HashMap;
use std::fmt;

/// The signing secret used when none is configured: good for a laptop, refused in production.
pub const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production!";

/// Shortest accepted HS256 secret, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// Fewest estimated bits of entropy a secret needs when a configured secret is required.
pub const MIN_ESTIMATED_BITS: f64 = 128.0;

/// Secrets anyone can read in this repository, by what they are.
const PUBLISHED: [(&str, &str); 4] = [
    ("the built-in development secret", DEVELOPMENT_JWT_SECRET),
    ("the placeholder docker-compose.yml used to ship", "change-me-to-a-long-random-secret-of-32-bytes-or-more"),
    ("the test suite's secret", "a-test-secret-that-is-at-least-32-bytes-long"),
    ("the README's key set example", "at least 32 bytes of secret ........"),
];

/// Why a secret is too weak to sign with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weakness {
    /// Fewer than [`MIN_SECRET_BYTES`] bytes.
    Short,
    /// Contains a secret published with the registry (named).
    Published(&'static str),
    /// One piece of at most half its length, repeated (`abcabcabc…`).
    Repeated,
    /// An estimated entropy under [`MIN_ESTIMATED_BITS`].
    LowEntropy { estimated_bits: f64 },
}

impl fmt::Display for Weakness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Weakness::Short => write!(f, "is shorter than {MIN_SECRET_BYTES} bytes"),
            Weakness::Published(what) => write!(f, "contains {what}, which anyone can read"),
            Weakness::Repeated => write!(f, "is one piece repeated"),
            Weakness::LowEntropy { estimated_bits } => write!(
                f,
                "has an estimated {estimated_bits:.0} bits of entropy, fewer than {MIN_ESTIMATED_BITS:.0} (its \
                 length times the Shannon entropy of its characters)"
            ),
        }
    }
}

/// What, if anything, makes the secret too weak; the first of short, published, repeated, low
/// entropy that applies.
pub fn weakness(secret: &str) -> Option<Weakness> {
    if secret.len() < MIN_SECRET_BYTES {
        return Some(Weakness::Short);
    }
    if let Some((what, _)) = PUBLISHED.iter().find(|(_, published)| secret.contains(published)) {
        return Some(Weakness::Published(what));
    }
    let chars: Vec<char> = secret.chars().collect();
    if (1..=chars.len() / 2).any(|period| chars[period..] == chars[..chars.len() - period]) {
        return Some(Weakness::Repeated);
    }
    let estimated_bits = estimated_bits(&chars);
    (estimated_bits < MIN_ESTIMATED_BITS).then_some(Weakness::LowEntropy { estimated_bits })
}

/// The length times the Shannon entropy of the characters' frequencies in the secret itself.
fn estimated_bits(chars: &[char]) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    for c in chars {
        *counts.entry(*c).or_default() += 1;
    }
    let length = chars.len() as f64;
    counts.values().map(|&n| n as f64 * (length / n as f64).log2()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_pass() {
        for secret in [
            "q7Vd0c9kXz3HfT1pLw8sRb2NmYg5EoUa6JiKx4CtQnZv+PhGe/WrSl0DyAuIjMbO",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ] {
            assert_eq!(weakness(secret), None, "{secret}");
        }
    }

    #[test]
    fn published_secrets_are_weak_also_with_something_added() {
        for (_, published) in PUBLISHED {
            assert!(matches!(weakness(published), Some(Weakness::Published(_))), "{published}");
            assert!(matches!(weakness(&format!("x{published}1")), Some(Weakness::Published(_))), "{published}");
        }
    }

    #[test]
    fn repeats_and_few_characters_are_weak() {
        assert_eq!(weakness(&"0123456789".repeat(4)), Some(Weakness::Repeated), "133 estimated bits, but a cycle");
        assert_eq!(weakness(&"secret".repeat(11)[..64]), Some(Weakness::Repeated), "a cycle cut short");
        assert_eq!(weakness(&"a".repeat(64)), Some(Weakness::Repeated));
        let Some(Weakness::LowEntropy { estimated_bits }) = weakness("abababababababababababababababab1234567") else {
            panic!("two letters alternating, then seven digits")
        };
        assert!((75.0..80.0).contains(&estimated_bits), "{estimated_bits}");
        assert_eq!(weakness("short"), Some(Weakness::Short));
    }

    #[test]
    fn the_estimate_is_length_times_shannon_entropy() {
        let chars: Vec<char> = "aabb".chars().collect();
        assert!((estimated_bits(&chars) - 4.0).abs() < 1e-9);
        let chars: Vec<char> = "abcdefgh".chars().collect();
        assert!((estimated_bits(&chars) - 24.0).abs() < 1e-9);
    }
}
