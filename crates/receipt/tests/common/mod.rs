//! Helpers for the PDF tests: poppler (`pdftotext`, `pdffonts`, `pdftoppm`) and zbar
//! (`zbarimg`) run on the rendered bytes, word boxes parsed from `pdftotext -bbox`, and
//! checks for order, margins and overlaps.
//!
//! A missing tool fails the test when `CI=true`; elsewhere the test prints a warning and
//! passes without checking (install `poppler-utils zbar-tools`).

#![allow(dead_code)]

pub mod ledger;
pub mod samples;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Points per millimetre.
pub const MM: f64 = 72.0 / 25.4;

/// Whether `tool` can be run. Panics when it cannot and `CI=true`.
pub fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "`{tool}` is required in CI (apt-get install -y poppler-utils zbar-tools)"
        );
        eprintln!(
            "warning: `{tool}` not found; skipping this check (install poppler-utils zbar-tools)"
        );
    }
    found
}

/// Whether every tool in `tools` can be run (see [`have`]).
pub fn have_all(tools: &[&str]) -> bool {
    tools.iter().all(|t| have(t))
}

/// A scratch directory holding one PDF.
pub struct Scratch {
    dir: tempfile::TempDir,
    pub pdf: PathBuf,
}

impl Scratch {
    pub fn new(bytes: &[u8]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let pdf = dir.path().join("form.pdf");
        std::fs::write(&pdf, bytes).expect("write pdf");
        Self { dir, pdf }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run tool");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

/// `pdftotext` of the whole document (reading order, UTF-8).
pub fn pdftotext(bytes: &[u8]) -> String {
    let s = Scratch::new(bytes);
    run(Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&s.pdf)
        .arg("-"))
}

/// `pdftotext` of one page (1-based).
pub fn page_text(bytes: &[u8], page: usize) -> String {
    let s = Scratch::new(bytes);
    let p = page.to_string();
    run(Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", &p, "-l", &p])
        .arg(&s.pdf)
        .arg("-"))
}

/// `pdftotext` of every page cut into `columns` equal vertical strips, read strip by
/// strip (left half, right half, next page ...): the reading order of A5 halves.
pub fn strips_text(bytes: &[u8], columns: usize) -> String {
    let (pages, width, height) = pdfinfo(bytes);
    let s = Scratch::new(bytes);
    let strip = width / columns as f64;
    let mut out = String::new();
    for page in 1..=pages {
        for c in 0..columns {
            let p = page.to_string();
            // pdftotext crops in pixels at -r (72 dpi by default), i.e. in points.
            let x = format!("{}", (c as f64 * strip).floor());
            let w = format!("{}", strip.ceil());
            let h = format!("{}", height.ceil());
            out.push_str(&run(Command::new("pdftotext")
                .args([
                    "-enc", "UTF-8", "-f", &p, "-l", &p, "-x", &x, "-y", "0", "-W", &w, "-H", &h,
                ])
                .arg(&s.pdf)
                .arg("-")));
            out.push('\n');
        }
    }
    out
}

/// `pdftotext` of a rectangle of one page (points, origin top-left).
pub fn crop_text(bytes: &[u8], page: usize, x: f64, y: f64, w: f64, h: f64) -> String {
    let s = Scratch::new(bytes);
    let p = page.to_string();
    let n = |v: f64| format!("{}", v.round().max(0.0));
    run(Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", &p, "-l", &p])
        .args(["-x", &n(x), "-y", &n(y), "-W", &n(w), "-H", &n(h)])
        .arg(&s.pdf)
        .arg("-"))
}

/// The first page of a one-copy form read in three parts: the left header column, the
/// right header column (national name, motto, date line) and everything from the title
/// down. pdftotext alone interleaves the two header columns.
pub fn form_parts(bytes: &[u8], title_word: &str) -> (String, String, String) {
    let pages = word_boxes(bytes);
    let (left, right, body) = page_parts(bytes, &pages, 1, title_word);
    let rest: String = (2..=pages.len()).map(|p| page_text(bytes, p)).collect();
    (left, right, body + &rest)
}

/// Page `page` (1-based) of `pages` (its word boxes) read in three parts: the left
/// header column, the right header column and everything from the first `title_word`
/// down.
pub fn page_parts(
    bytes: &[u8],
    pages: &[Page],
    page: usize,
    title_word: &str,
) -> (String, String, String) {
    let p = &pages[page - 1];
    let find = |t: &str| {
        p.words
            .iter()
            .find(|w| w.text == t)
            .unwrap_or_else(|| panic!("`{t}` not on page {page}"))
    };
    let split = find("CỘNG").x0 - 2.0;
    let title = find(title_word).y0 - 2.0;
    (
        crop_text(bytes, page, 0.0, 0.0, split, title),
        crop_text(bytes, page, split, 0.0, p.width - split, title),
        crop_text(bytes, page, 0.0, title, p.width, p.height - title),
    )
}

/// `pdffonts` output.
pub fn pdffonts(bytes: &[u8]) -> String {
    let s = Scratch::new(bytes);
    run(Command::new("pdffonts").arg(&s.pdf))
}

/// Number of pages and the size of the first (points).
pub fn pdfinfo(bytes: &[u8]) -> (usize, f64, f64) {
    let s = Scratch::new(bytes);
    let out = run(Command::new("pdfinfo").arg(&s.pdf));
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .expect("pdfinfo field")
            .to_owned()
    };
    let pages = field("Pages:").parse().expect("page count");
    let size = field("Page size:");
    let mut nums = size
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let w = nums.next().expect("width");
    let h = nums.next().expect("height");
    (pages, w, h)
}

/// QR codes found by `zbarimg` on `page` rendered at 150 dpi.
pub fn qr_codes(bytes: &[u8], page: usize) -> Vec<String> {
    let s = Scratch::new(bytes);
    let p = page.to_string();
    let prefix = s.dir().join("page");
    run(Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile", "-f", &p, "-l", &p])
        .arg(&s.pdf)
        .arg(&prefix));
    let png = s.dir().join("page.png");
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(&png)
        .output()
        .expect("run zbarimg");
    String::from_utf8(out.stdout)
        .expect("zbarimg output is UTF-8")
        .lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Extracted text without the page-number lines (1 to 3 digits alone on a line), which
/// a continued paragraph otherwise has in its middle.
pub fn without_page_numbers(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let t = l.trim();
            !(1..=3).contains(&t.len()) || !t.chars().all(|c| c.is_ascii_digit())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text with every run of whitespace folded to one space.
pub fn fold_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `expected` strings occur in `text` in this order (whitespace folded on
/// both sides), each after the previous. Returns the position after the last one.
pub fn assert_in_order(text: &str, expected: &[&str]) -> usize {
    let text = fold_ws(text);
    let mut at = 0;
    for e in expected {
        let e = fold_ws(e);
        match text[at..].find(&e) {
            Some(i) => at += i + e.len(),
            None => {
                let found_earlier = text[..at].contains(&e);
                panic!(
                    "`{e}` not found after byte {at}{}\n--- text ---\n{text}",
                    if found_earlier {
                        " (it occurs earlier: wrong order)"
                    } else {
                        ""
                    }
                )
            }
        }
    }
    at
}

/// A word box from `pdftotext -bbox` (points, origin top-left).
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// One page of word boxes.
#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).expect("attribute") + key.len();
    let end = tag[start..].find('"').expect("attribute end") + start;
    tag[start..end].parse().expect("number")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Word boxes of every page.
pub fn word_boxes(bytes: &[u8]) -> Vec<Page> {
    let s = Scratch::new(bytes);
    let html = run(Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&s.pdf)
        .arg("-"));
    let mut pages: Vec<Page> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push(Page {
                width: attr(line, "width"),
                height: attr(line, "height"),
                words: Vec::new(),
            });
        } else if line.starts_with("<word ") {
            let text_start = line.find('>').expect("tag end") + 1;
            let text_end = line.rfind("</word>").expect("closing tag");
            let word = Word {
                text: unescape(&line[text_start..text_end]),
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
            };
            pages
                .last_mut()
                .expect("word inside a page")
                .words
                .push(word);
        }
    }
    pages
}

/// A writable frame in `pdftotext -bbox` coordinates (points, origin top-left).
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Frame {
    /// A frame from margins in millimetres on a sheet `x0` from the page's left edge
    /// and `width` x `height` points.
    pub fn from_margins(
        x0: f64,
        width: f64,
        height: f64,
        top: f64,
        bottom: f64,
        left: f64,
        right: f64,
    ) -> Self {
        Self {
            left: x0 + left * MM,
            right: x0 + width - right * MM,
            top: top * MM,
            bottom: height - bottom * MM,
        }
    }

    fn contains(&self, w: &Word) -> bool {
        const TOL: f64 = 0.05;
        w.x0 >= self.left - TOL
            && w.x1 <= self.right + TOL
            && w.y0 >= self.top - TOL
            && w.y1 <= self.bottom + TOL
    }

    fn centre(&self) -> f64 {
        (self.left + self.right) / 2.0
    }
}

/// NĐ 30 frame of an A4 portrait page: top 20, bottom 20, left 30, right 15 mm.
pub fn a4_portrait_frames(p: &Page) -> Vec<Frame> {
    vec![Frame::from_margins(
        0.0, p.width, p.height, 20.0, 20.0, 30.0, 15.0,
    )]
}

/// The two A5 halves of a landscape A4 page: top 12, bottom 10, left 15, right 10 mm.
pub fn a5_half_frames(p: &Page) -> Vec<Frame> {
    let half = p.width / 2.0;
    (0..2)
        .map(|i| Frame::from_margins(i as f64 * half, half, p.height, 12.0, 10.0, 15.0, 10.0))
        .collect()
}

/// NĐ 30 frame of an A4 landscape page: top 20, bottom 20, left 30, right 15 mm.
pub fn a4_landscape_frames(p: &Page) -> Vec<Frame> {
    vec![Frame::from_margins(
        0.0, p.width, p.height, 20.0, 20.0, 30.0, 15.0,
    )]
}

/// Asserts that every word lies inside one of the page's frames, except page numbers
/// (digits only, centred over a frame, in its top margin), and that no two word boxes
/// overlap. Returns the page numbers found, as (page index, number).
pub fn assert_layout_clean(
    pages: &[Page],
    frames: impl Fn(&Page) -> Vec<Frame>,
) -> Vec<(usize, String)> {
    let mut numbers = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let fs = frames(page);
        assert!(!page.words.is_empty(), "page {} is empty", pi + 1);
        for w in &page.words {
            if fs.iter().any(|f| f.contains(w)) {
                continue;
            }
            let is_number = w.text.chars().all(|c| c.is_ascii_digit())
                && fs
                    .iter()
                    .any(|f| w.y1 <= f.top && ((w.x0 + w.x1) / 2.0 - f.centre()).abs() < 0.5);
            assert!(
                is_number,
                "page {}: word {:?} is outside the margins {:?}",
                pi + 1,
                w,
                fs
            );
            numbers.push((pi, w.text.clone()));
        }
        for (i, a) in page.words.iter().enumerate() {
            for b in &page.words[i + 1..] {
                let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
                let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
                assert!(
                    dx <= 0.05 || dy <= 0.05,
                    "page {}: words overlap: {a:?} and {b:?}",
                    pi + 1
                );
            }
        }
    }
    numbers
}

/// Writes `bytes` to `$MOTCUA_RECEIPT_OUT/<name>.pdf` when that variable names a
/// directory, so a human can look at what the tests rendered; does nothing otherwise.
pub fn keep(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("MOTCUA_RECEIPT_OUT") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("output dir");
        std::fs::write(dir.join(format!("{name}.pdf")), bytes).expect("write output");
    }
}
