//! What a Vietnamese input method such as Unikey or EVKey sends when a clerk types Telex:
//! the plain letter first, then for each mark a Backspace and the letter with the marks so
//! far (`Lập`: `L`, `a`, ⌫ `â`, ⌫ `ậ`, `p`); `đ` is `d`, ⌫ `đ`. Shared by the window tests
//! (iced_test's emulator, and the real window under X and under Wine).

use unicode_normalization::UnicodeNormalization;

/// One thing the input method sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stroke {
    Text(String),
    Backspace,
}

/// The strokes that type `text` the way the input method does.
pub fn strokes(text: &str) -> Vec<Stroke> {
    let mut out: Vec<Stroke> = Vec::new();
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut Vec<Stroke>| {
        if !plain.is_empty() {
            out.push(Stroke::Text(std::mem::take(plain)));
        }
    };
    for c in text.nfc() {
        let (base, marks): (char, Vec<char>) = match c {
            'đ' => ('d', vec![]),
            'Đ' => ('D', vec![]),
            _ => {
                let mut d = std::iter::once(c).nfd();
                let base = d.next().unwrap_or(c);
                (base, d.collect())
            }
        };
        if base == c || !base.is_ascii() {
            plain.push(c);
            continue;
        }
        plain.push(base);
        flush(&mut plain, &mut out);
        if marks.is_empty() {
            // đ: the stroke.
            out.push(Stroke::Backspace);
            out.push(Stroke::Text(c.to_string()));
            continue;
        }
        for n in 1..=marks.len() {
            let so_far: String = std::iter::once(base)
                .chain(marks[..n].iter().copied())
                .nfc()
                .collect();
            out.push(Stroke::Backspace);
            out.push(Stroke::Text(so_far));
        }
    }
    flush(&mut plain, &mut out);
    out
}

/// What the strokes leave in an empty field: `text` itself, in NFC.
pub fn replay(strokes: &[Stroke]) -> String {
    let mut field = String::new();
    for s in strokes {
        match s {
            Stroke::Text(t) => field.push_str(t),
            Stroke::Backspace => {
                field.pop();
            }
        }
    }
    field
}
