//! Text hygiene: NFC normalisation, trimming, bounded lengths and search folding.
//!
//! Vietnamese typed through Unikey or ibus can arrive decomposed (NFD); everything is
//! normalised to NFC before it is stored, searched or printed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC-normalises `s`, turns every run of whitespace (including tabs and newlines) into one
/// space and trims both ends.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// NFC-normalises `s` and nothing else (for text still being typed: spaces stay).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// NFC-normalises and trims, but keeps inner line breaks (for free-text notes).
pub fn clean_multiline(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Folds text for search: lowercase, tone and vowel marks stripped, đ→d.
///
/// `"Đỗ Đức Dũng"` → `"do duc dung"`. SQLite's `remove_diacritics` does not fold đ,
/// because U+0111 is a letter of its own, not d plus a mark.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits folded text into search tokens: runs of letters and digits.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// Number of characters (Unicode scalar values) of an NFC string.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Masks a personal ID number for logs and error messages: first 3 and last 2 digits kept.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 5));
    out.extend(&chars[chars.len() - 2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd = "Nguye\u{302}\u{303}n Va\u{306}n A\u{302}\u{301}n";
        assert_eq!(clean(nfd), "Nguyễn Văn Ấn");
        assert_eq!(clean("  Trần \t Thị\n Bình  "), "Trần Thị Bình");
    }

    #[test]
    fn multiline_keeps_lines() {
        assert_eq!(clean_multiline("  a  b \n  c "), "a b\nc");
    }

    #[test]
    fn folding_handles_d_bar_and_marks() {
        assert_eq!(fold("Đỗ Đức Dũng"), "do duc dung");
        assert_eq!(fold("ĐẶNG THỊ BÌNH"), "dang thi binh");
        assert_eq!(fold("Nguye\u{302}\u{303}n"), "nguyen");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
        assert_eq!(
            fold("000.17.22.H56-261125-0001"),
            "000.17.22.h56-261125-0001"
        );
    }

    #[test]
    fn tokens_split_on_punctuation() {
        let t: Vec<_> = tokens("000.17.22.h56-261125-0001").collect();
        assert_eq!(t, ["000", "17", "22", "h56", "261125", "0001"]);
    }

    #[test]
    fn mask_keeps_only_edges() {
        assert_eq!(mask_id("001099012345"), "001*******45");
        assert_eq!(mask_id("123"), "***");
    }
}
