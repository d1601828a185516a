//! Text layout: widths from the glyph advances, greedy word wrapping (an over-long word
//! is broken, preferably after `-`, `/`, `.`, `,`, `;` or `:`), balanced wrapping for
//! headings, and left / centre / right / justified alignment. It yields positioned runs
//! and knows nothing about pages.
//!
//! printpdf draws one glyph per code point with no shaping, kerning or wrapping, so the
//! advances summed here are exactly the advances the viewer applies.

use crate::font::{Face, Fonts};
use printpdf::TextItem;

/// A piece of text in one face. Text is expected to be cleaned already (NFC, single
/// spaces); a space starts a new word even across spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) face: Face,
    pub(crate) text: String,
}

/// A regular span.
pub(crate) fn reg(text: impl Into<String>) -> Span {
    Span {
        face: Face::Regular,
        text: text.into(),
    }
}

/// A bold span.
pub(crate) fn bold(text: impl Into<String>) -> Span {
    Span {
        face: Face::Bold,
        text: text.into(),
    }
}

/// An italic span.
pub(crate) fn ital(text: impl Into<String>) -> Span {
    Span {
        face: Face::Italic,
        text: text.into(),
    }
}

/// Horizontal alignment of the lines of a paragraph in their box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    /// Every line but the last stretched to the full width (NĐ 30 body text).
    Justify,
}

/// A fragment of a word in one face.
#[derive(Debug, Clone)]
struct Piece {
    face: Face,
    text: String,
    width: f32,
}

/// Characters with no space between them: never broken unless longer than a line.
#[derive(Debug, Clone, Default)]
struct Word {
    pieces: Vec<Piece>,
    width: f32,
    /// Width of the space that follows the word, in the face of its last piece.
    space: f32,
}

/// One wrapped line of words.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    words: Vec<Word>,
}

/// A run of text in one face at a horizontal offset from the line box's left edge.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub(crate) face: Face,
    pub(crate) dx: f32,
    pub(crate) items: Vec<TextItem>,
}

impl Line {
    /// Width of the line as set (words plus single spaces).
    pub(crate) fn width(&self) -> f32 {
        let spaces: f32 = self
            .words
            .iter()
            .rev()
            .skip(1)
            .map(|w| w.space)
            .sum::<f32>();
        self.words.iter().map(|w| w.width).sum::<f32>() + spaces
    }

    /// The plain text of the line (for tests and debugging).
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.pieces.iter().map(|p| p.text.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Positions the line in a box `avail` wide. `last` marks the last line of its
    /// paragraph, which is never stretched.
    pub(crate) fn runs(&self, avail: f32, align: Align, last: bool, size: f32) -> Vec<Run> {
        let natural = self.width();
        let gaps = self.words.len().saturating_sub(1);
        let mut extra = 0.0;
        let start = match align {
            Align::Left => 0.0,
            Align::Center => ((avail - natural) / 2.0).max(0.0),
            Align::Justify => {
                if !last && gaps > 0 {
                    let e = (avail - natural) / gaps as f32;
                    // A line of two long words would get huge holes: leave it ragged.
                    if e > 0.0 && e <= size {
                        extra = e;
                    }
                }
                0.0
            }
        };
        let offset = TextItem::Offset(-extra * 1000.0 / size);
        let mut runs: Vec<Run> = Vec::new();
        let mut buf = String::new();
        let mut x = start;
        for (i, word) in self.words.iter().enumerate() {
            if i > 0 {
                // The space is set in the face of the word before it (the open run).
                buf.push(' ');
                x += self.words[i - 1].space;
                if extra > 0.0 {
                    if let Some(run) = runs.last_mut() {
                        run.items.push(TextItem::Text(std::mem::take(&mut buf)));
                        run.items.push(offset.clone());
                    }
                    x += extra;
                }
            }
            for piece in &word.pieces {
                let same_face = runs.last().is_some_and(|r| r.face == piece.face);
                if !same_face {
                    if let Some(run) = runs.last_mut()
                        && !buf.is_empty()
                    {
                        run.items.push(TextItem::Text(std::mem::take(&mut buf)));
                    }
                    runs.push(Run {
                        face: piece.face,
                        dx: x,
                        items: Vec::new(),
                    });
                }
                buf.push_str(&piece.text);
                x += piece.width;
            }
        }
        if let Some(run) = runs.last_mut()
            && !buf.is_empty()
        {
            run.items.push(TextItem::Text(buf));
        }
        runs
    }
}

/// Splits spans into words and measures them at `size`.
fn words(fonts: &Fonts, spans: &[Span], size: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    let finish = |cur: &mut Word, out: &mut Vec<Word>| {
        if let Some(last) = cur.pieces.last() {
            cur.space = fonts.face(last.face).width(" ", size);
            out.push(std::mem::take(cur));
        }
    };
    for span in spans {
        let face = fonts.face(span.face);
        for (i, part) in span.text.split(' ').enumerate() {
            if i > 0 {
                finish(&mut cur, &mut out);
            }
            if part.is_empty() {
                continue;
            }
            let width = face.width(part, size);
            cur.width += width;
            match cur.pieces.last_mut() {
                Some(p) if p.face == span.face => {
                    p.text.push_str(part);
                    p.width += width;
                }
                _ => cur.pieces.push(Piece {
                    face: span.face,
                    text: part.to_owned(),
                    width,
                }),
            }
        }
    }
    finish(&mut cur, &mut out);
    out
}

/// Whether a line may break after `c` inside an over-long word.
fn breaks_after(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | ',' | ';' | ':' | '_' | '?' | '&' | '=')
}

/// Combining marks stay with the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Breaks a word wider than `avail` into pieces that fit.
fn split_word(fonts: &Fonts, word: &Word, avail: f32, size: f32) -> Vec<Word> {
    let chars: Vec<(Face, char, f32)> = word
        .pieces
        .iter()
        .flat_map(|p| {
            let f = fonts.face(p.face);
            p.text
                .chars()
                .map(move |c| (p.face, c, f.advance_milli(c) as f32 * size / 1000.0))
        })
        .collect();
    let mut chunks: Vec<&[(Face, char, f32)]> = Vec::new();
    let mut start = 0;
    let mut width = 0.0;
    let mut last_break: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let (_, c, w) = chars[i];
        if width + w > avail && i > start && !is_mark(c) {
            let cut = last_break.filter(|b| *b > start).unwrap_or(i);
            chunks.push(&chars[start..cut]);
            start = cut;
            width = chars[start..i].iter().map(|x| x.2).sum();
            last_break = None;
            continue;
        }
        width += w;
        if breaks_after(c) {
            last_break = Some(i + 1);
        }
        i += 1;
    }
    chunks.push(&chars[start..]);
    chunks
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|chunk| {
            let mut w = Word::default();
            for &(face, c, cw) in chunk {
                w.width += cw;
                match w.pieces.last_mut() {
                    Some(p) if p.face == face => {
                        p.text.push(c);
                        p.width += cw;
                    }
                    _ => w.pieces.push(Piece {
                        face,
                        text: c.to_string(),
                        width: cw,
                    }),
                }
            }
            w.space = word.space;
            w
        })
        .collect()
}

/// Greedy wrap: the first line is `first` wide, the others `rest` wide.
fn wrap_words(fonts: &Fonts, words: Vec<Word>, first: f32, rest: f32, size: f32) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut cur = Line::default();
    let mut cur_width = 0.0;
    let avail = |lines: &Vec<Line>| if lines.is_empty() { first } else { rest };
    for word in words {
        if !cur.words.is_empty() {
            let space = cur.words.last().map_or(0.0, |w| w.space);
            if cur_width + space + word.width <= avail(&lines) + 0.001 {
                cur_width += space + word.width;
                cur.words.push(word);
                continue;
            }
            lines.push(std::mem::take(&mut cur));
        }
        let fresh = avail(&lines);
        if word.width <= fresh + 0.001 {
            cur_width = word.width;
            cur.words.push(word);
            continue;
        }
        let mut parts = split_word(fonts, &word, fresh.min(rest), size);
        let tail = parts.pop();
        for part in parts {
            lines.push(Line { words: vec![part] });
        }
        if let Some(tail) = tail {
            cur_width = tail.width;
            cur.words.push(tail);
        }
    }
    if !cur.words.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Wraps `spans` at `size`: the first line `first` wide, the others `rest` wide. Always
/// returns at least one (possibly empty) line.
pub(crate) fn wrap(fonts: &Fonts, spans: &[Span], size: f32, first: f32, rest: f32) -> Vec<Line> {
    wrap_words(fonts, words(fonts, spans, size), first, rest, size)
}

/// Wraps into as few lines as greedy wrapping at `width` gives, but with the lines as
/// even as possible (for headings: "BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ" rather than
/// "BỘ PHẬN TIẾP NHẬN VÀ TRẢ / KẾT QUẢ").
pub(crate) fn wrap_balanced(fonts: &Fonts, spans: &[Span], size: f32, width: f32) -> Vec<Line> {
    let ws = words(fonts, spans, size);
    let lines = wrap_words(fonts, ws.clone(), width, width, size);
    if lines.len() < 2 {
        return lines;
    }
    let widest_word = ws.iter().map(|w| w.width).fold(0.0f32, f32::max);
    let (mut lo, mut hi) = (widest_word.min(width), width);
    for _ in 0..14 {
        let mid = (lo + hi) / 2.0;
        if wrap_words(fonts, ws.clone(), mid, mid, size).len() <= lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap_words(fonts, ws, hi, hi, size)
}

/// Width of a single-line text at `size`.
pub(crate) fn text_width(fonts: &Fonts, face: Face, text: &str, size: f32) -> f32 {
    fonts.face(face).width(text, size)
}

/// Height of one line box: `size` times the line spacing factor.
pub(crate) fn line_height(size: f32, spacing: f32) -> f32 {
    size * spacing
}

/// Distance from the top of a line box to the baseline: half the leading plus the
/// ascent, so the glyph box (ascent + descent) sits centred in the line box and glyph
/// boxes of consecutive lines never overlap as long as `spacing` exceeds the font's
/// ascent + descent (1.107 em for Liberation Serif).
pub(crate) fn baseline_offset(fonts: &Fonts, size: f32, spacing: f32) -> f32 {
    let f = fonts.face(Face::Regular);
    let glyph_box = (f.ascent + f.descent) * size;
    (line_height(size, spacing) - glyph_box) / 2.0 + f.ascent * size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::fonts;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::text).collect()
    }

    #[test]
    fn greedy_wrap_keeps_words_and_fits() {
        let f = fonts().expect("fonts");
        let spans = [
            reg("Địa chỉ: "),
            reg("Số 12, ngõ 34, đường Lê Lợi, thôn Đông, xã Đông Sơn, tỉnh Thanh Hóa"),
        ];
        let lines = wrap(f, &spans, 13.0, 200.0, 250.0);
        assert!(lines.len() > 1);
        assert!(lines[0].width() <= 200.0 + 0.01);
        for l in &lines[1..] {
            assert!(l.width() <= 250.0 + 0.01);
        }
        assert_eq!(
            texts(&lines).join(" "),
            "Địa chỉ: Số 12, ngõ 34, đường Lê Lợi, thôn Đông, xã Đông Sơn, tỉnh Thanh Hóa"
        );
    }

    #[test]
    fn long_words_break_after_punctuation() {
        let f = fonts().expect("fonts");
        let lines = wrap(f, &[reg("000.00.06.H56-231027-0361")], 10.0, 80.0, 80.0);
        assert_eq!(texts(&lines), ["000.00.06.H56-", "231027-0361"]);
        let lines = wrap(f, &[reg("x".repeat(100))], 10.0, 60.0, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width() <= 60.01));
        assert_eq!(texts(&lines).concat(), "x".repeat(100));
    }

    #[test]
    fn balanced_wrap_evens_lines() {
        let f = fonts().expect("fonts");
        let spans = [bold("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")];
        let full = text_width(f, Face::Bold, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", 12.0);
        let lines = wrap_balanced(f, &spans, 12.0, full * 0.7);
        assert_eq!(texts(&lines), ["BỘ PHẬN TIẾP NHẬN", "VÀ TRẢ KẾT QUẢ"]);
    }

    #[test]
    fn justified_runs_fill_the_box() {
        let f = fonts().expect("fonts");
        let lines = wrap(
            f,
            &[reg("một hai ba bốn năm sáu bảy tám chín mười")],
            12.0,
            150.0,
            150.0,
        );
        let runs = lines[0].runs(150.0, Align::Justify, false, 12.0);
        assert_eq!(runs.len(), 1);
        assert!(
            runs[0]
                .items
                .iter()
                .any(|i| matches!(i, TextItem::Offset(o) if *o < 0.0))
        );
        let last = lines
            .last()
            .expect("a line")
            .runs(150.0, Align::Justify, true, 12.0);
        assert!(last[0].items.iter().all(|i| matches!(i, TextItem::Text(_))));
    }

    #[test]
    fn mixed_faces_make_separate_runs() {
        let f = fonts().expect("fonts");
        let lines = wrap(f, &[reg("Mã hồ sơ: "), bold("ABC-1")], 12.0, 300.0, 300.0);
        let runs = lines[0].runs(300.0, Align::Center, true, 12.0);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].face, Face::Bold);
        let w = text_width(f, Face::Regular, "Mã hồ sơ: ", 12.0);
        assert!((runs[1].dx - runs[0].dx - w).abs() < 0.01);
    }
}
