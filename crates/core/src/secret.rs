//! The citizen's lookup secret (mã tra cứu): printed on the receipt, checked by the hub
//! before it shows a dossier, so sequential codes cannot be enumerated.

/// Letters and digits that cannot be confused when read aloud or typed from paper:
/// no 0/O, 1/I/L.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Length of a secret: 31^6 ≈ 8.9e8 combinations.
pub const LEN: usize = 6;

/// Turns random bytes into a secret by rejection sampling (no modulo bias).
/// Returns `None` when `random` runs out before `LEN` characters are drawn.
pub fn from_random(random: &[u8]) -> Option<String> {
    let n = ALPHABET.len();
    let limit = 256 - 256 % n;
    let chars: String = random
        .iter()
        .filter(|b| usize::from(**b) < limit)
        .take(LEN)
        .map(|b| char::from(ALPHABET[usize::from(*b) % n]))
        .collect();
    (chars.len() == LEN).then_some(chars)
}

/// Normalises a secret typed by a citizen: trimmed and uppercased.
pub fn normalize(typed: &str) -> String {
    typed.trim().to_ascii_uppercase()
}

/// Whether `typed` is the secret `stored` (both normalised), in time independent of where
/// they differ. With no stored secret (an unknown code) a stand-in is compared, so that
/// an unknown code costs what a wrong secret costs.
pub fn matches(stored: Option<&str>, typed: &str) -> bool {
    let typed = normalize(typed);
    let stored_is_real = stored.is_some();
    let stand_in = "0".repeat(LEN);
    let stored = normalize(stored.unwrap_or(&stand_in));
    let (a, b) = (stored.as_bytes(), typed.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0xff),
        );
        diff |= usize::from(x ^ y);
    }
    diff == 0 && !typed.is_empty() && stored_is_real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_matches_as_typed_on_the_receipt_and_only_whole() {
        assert!(matches(Some("ABCD23"), " abcd23 "));
        assert!(!matches(Some("ABCD23"), "ABCD24"));
        assert!(!matches(Some("ABCD23"), "ABCD2"));
        assert!(!matches(Some("ABCD23"), "ABCD233"));
        assert!(!matches(Some(""), ""));
        assert!(!matches(None, "000000"), "the stand-in opens nothing");
        assert!(!matches(None, ""));
    }

    #[test]
    fn secrets_use_the_alphabet() {
        let s = from_random(&[0, 1, 2, 30, 31, 255, 100, 200]).unwrap();
        assert_eq!(s.len(), LEN);
        assert!(s.bytes().all(|b| ALPHABET.contains(&b)));
        assert!(from_random(&[255, 255, 255]).is_none());
    }

    #[test]
    fn typed_secrets_normalise() {
        assert_eq!(normalize(" ab2c "), "AB2C");
    }
}
