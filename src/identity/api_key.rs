//! The format of partner API keys: `prk_`, 43 random base62 characters (256 bits), and a 6-character
//! CRC-32 checksum, so that secret scanners can recognise a leaked key and a mistyped one is refused
//! without a database lookup. Only the SHA-256 of a key is stored: the key is long and random, so a
//! slow password hash would add nothing.

use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};

/// What every key starts with.
pub const PREFIX: &str = "prk_";
const RANDOM_CHARS: usize = 43;
const CHECKSUM_CHARS: usize = 6;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// A freshly generated key: the text is shown once and then forgotten.
pub struct NewKey {
    pub text: String,
    /// The first characters, kept so that people can tell keys apart.
    pub hint: String,
    pub hash: String,
}

/// Generates a key from the operating system's random source.
pub fn generate() -> NewKey {
    let random: String = rand::rng().sample_iter(Alphanumeric).take(RANDOM_CHARS).map(char::from).collect();
    let body = format!("{PREFIX}{random}");
    let text = format!("{body}{}", checksum(&body));
    NewKey { hint: text[..PREFIX.len() + 8].to_string(), hash: hash(&text), text }
}

/// Whether a credential is meant as an API key (rather than a token).
pub fn looks_like_key(credential: &str) -> bool {
    credential.starts_with(PREFIX)
}

/// The stored hash of a well-formed key, or `None` when the text is not one (wrong length,
/// characters or checksum).
pub fn verified_hash(text: &str) -> Option<String> {
    if text.len() != PREFIX.len() + RANDOM_CHARS + CHECKSUM_CHARS || !text.is_ascii() {
        return None;
    }
    let (body, sum) = text.split_at(PREFIX.len() + RANDOM_CHARS);
    let well_formed = body.starts_with(PREFIX) && body[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric());
    (well_formed && checksum(body) == sum).then(|| hash(text))
}

fn hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn checksum(body: &str) -> String {
    let mut n = CRC.checksum(body.as_bytes());
    let mut out = [b'0'; CHECKSUM_CHARS];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(out.to_vec()).expect("base62 is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_verifies_and_hashes_to_its_stored_hash() {
        let key = generate();
        assert_eq!(key.text.len(), 53);
        assert!(key.text.starts_with(PREFIX) && key.text.starts_with(&key.hint));
        assert_eq!(verified_hash(&key.text), Some(key.hash));
    }

    #[test]
    fn a_changed_character_fails_the_checksum() {
        let key = generate();
        let mut bytes = key.text.into_bytes();
        bytes[10] = if bytes[10] == b'a' { b'b' } else { b'a' };
        assert_eq!(verified_hash(&String::from_utf8(bytes).unwrap()), None);
        assert_eq!(verified_hash("prk_short"), None);
    }
}
