//! Clean-up of caller text before layout: NFC (printpdf maps code points one-to-one to
//! glyphs and does no shaping, so decomposed marks would pile up), whitespace and control
//! characters folded to single spaces, invisible format characters dropped, and anything
//! the typeface cannot draw replaced by `?` so a receipt always prints.

use crate::font::{Fonts, fonts};
use unicode_normalization::UnicodeNormalization;

/// Printed in place of a character the embedded typeface has no glyph for.
pub(crate) const REPLACEMENT: char = '?';

/// Zero-width and other invisible format characters that would otherwise print as `?`.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

/// Normalises one field for printing: NFC, single spaces, trimmed, drawable.
pub(crate) fn clean_with(fonts: &Fonts, s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfc() {
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if fonts.covers(c) { c } else { REPLACEMENT });
    }
    out
}

/// Characters of `text` (after NFC) that the embedded typeface cannot draw and that would
/// print as `?`. Lets the caller warn the clerk before printing. Whitespace, control and
/// invisible format characters are not reported: they are folded or dropped.
pub fn unsupported_characters(text: &str) -> Vec<char> {
    let Ok(fonts) = fonts() else {
        return Vec::new();
    };
    let mut found: Vec<char> = text
        .nfc()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(*c))
        .filter(|c| !fonts.covers(*c))
        .collect();
    found.dedup();
    found
}

/// Uppercase for the header lines, after cleaning (Vietnamese precomposed letters map
/// one-to-one to their capitals).
pub(crate) fn upper(s: &str) -> String {
    s.to_uppercase().nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        clean_with(fonts().expect("fonts parse"), s)
    }

    #[test]
    fn nfd_becomes_nfc() {
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{31B}\u{300}ng";
        assert_eq!(clean(nfd), "Nguyễn Thị Hờng");
    }

    #[test]
    fn whitespace_is_folded_and_trimmed() {
        assert_eq!(
            clean("  Số 5,\n\tthôn  Đông\u{200B} \r\n"),
            "Số 5, thôn Đông"
        );
        assert_eq!(clean(""), "");
        assert_eq!(clean(" \n "), "");
    }

    #[test]
    fn undrawable_characters_become_replacement() {
        assert_eq!(clean("Lê 李 A"), "Lê ? A");
        assert_eq!(unsupported_characters("Lê 李 A 😀"), vec!['李', '😀']);
        assert!(unsupported_characters("Đỗ Thị Ỹ\u{200B}").is_empty());
    }

    #[test]
    fn upper_keeps_vietnamese() {
        assert_eq!(
            upper("Ủy ban nhân dân xã Đông Sơn"),
            "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN"
        );
    }
}
