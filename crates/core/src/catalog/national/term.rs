//! The terms a national record writes (a number and a unit, or free text) read into the
//! deadline engine's terms.

use super::{HOURS_PER_WORKING_DAY, number_vi, tidy};
use crate::calendar::Term;
use crate::text::fold;

/// What a national (number, unit) means for the deadline engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappedTerm {
    /// Our term, with a note when it was converted.
    Known(Term, Option<String>),
    /// A term read from the record's free text (unconfirmed), with a note quoting it.
    Read(Term, String),
    /// Several terms read from one text ("a) … b) …"): (term, the variant's text), and a
    /// note.
    Variants(Vec<(Term, String)>, String),
    /// The text says the law sets no term ("Không quy định").
    NoTerm(String),
    /// No usable term; the note says what the record wrote.
    Unknown(String),
    /// The record gives nothing.
    Absent,
}

/// The longest quotation of a record's text kept in a note, in characters.
const QUOTE_MAX: usize = 240;

/// «text», cut at [`QUOTE_MAX`] characters with "…".
fn quote(text: &str) -> String {
    let t = tidy(text);
    if t.chars().count() <= QUOTE_MAX {
        format!("«{t}»")
    } else {
        format!("«{}…»", t.chars().take(QUOTE_MAX - 1).collect::<String>())
    }
}

/// Whether a record's term text says the law sets no term: "Không quy định", "không
/// quy định thời gian/thời hạn …".
fn says_no_term(text: &str) -> bool {
    let f = fold(text);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    f == "khong quy dinh" || f.starts_with("khong quy dinh thoi")
}

/// The first term written in a text: "Không quá 03 ngày làm việc", "trong vòng 12 giờ",
/// "01 tháng", "trong ngày". `None` when it names none.
pub fn term_in_text(text: &str) -> Option<Term> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == ',' || c == '.'))
        .map(|w| w.trim_matches(['.', ',']))
        .filter(|w| !w.is_empty())
        .collect();
    if words == ["trong", "ngay"] {
        return Some(Term::SameDay);
    }
    for (i, w) in words.iter().enumerate() {
        let Some(n) = number_in(w) else { continue };
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        let whole = |make: fn(u32) -> Term| -> Option<Term> {
            (n.fract() == 0.0 && (1.0..=3660.0).contains(&n)).then(|| make(n as u32))
        };
        let found = match (next(1), next(2), next(3)) {
            ("ngay", "lam", "viec") if n.fract() == 0.0 => whole(Term::WorkingDays),
            ("ngay", "lam", "viec") => {
                let h = n * HOURS_PER_WORKING_DAY;
                (h.fract() == 0.0 && h >= 1.0).then_some(Term::WorkingHours(h as u32))
            }
            ("gio", "lam", "viec") => whole(Term::WorkingHours),
            ("ngay", _, _) => whole(Term::CalendarDays),
            ("gio", _, _) => whole(Term::ClockHours),
            ("thang", _, _) => whole(Term::Months),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// "03", "3,5", "3.5" as a number.
fn number_in(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    w.replace(',', ".").parse::<f64>().ok()
}

/// The parts of a text listed as "a) … b) … c) …", each with its marker; fewer than two
/// when the text is not such a list.
fn lettered_parts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut starts = Vec::new();
    let mut expect = 'a';
    for i in 0..chars.len().saturating_sub(1) {
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if boundary && chars[i] == expect && chars[i + 1] == ')' {
            starts.push(i);
            expect = (expect as u8 + 1) as char;
        }
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let e = starts.get(k + 1).copied().unwrap_or(chars.len());
            tidy(&chars[s..e].iter().collect::<String>())
                .trim_end_matches([';', ' ', '.'])
                .to_string()
        })
        .collect()
}

/// Reads a term from a record's free text: a list of lettered variants, one term, "không
/// quy định", or nothing.
fn read_text(text: &str, what: &str) -> MappedTerm {
    let shown = quote(text);
    if says_no_term(text) {
        return MappedTerm::NoTerm(format!("{what} ghi {shown}: không quy định thời hạn"));
    }
    let parts: Vec<(Term, String)> = lettered_parts(text)
        .into_iter()
        .filter_map(|p| term_in_text(&p).map(|t| (t, p)))
        .collect();
    if parts.len() >= 2 {
        return MappedTerm::Variants(
            parts,
            format!("đọc từ văn bản {what}: {shown}; chưa xác nhận"),
        );
    }
    match term_in_text(text) {
        Some(t) => MappedTerm::Read(t, format!("đọc từ văn bản {what}: {shown}; chưa xác nhận")),
        None => MappedTerm::Unknown(format!("{what} ghi {shown}, không có số ngày")),
    }
}

/// Maps the portal's `processingTime`/`processingTimeUnit` (or a case's
/// `processingDay {qty, type}`) to our term. `text` is a `processingTime` written as text
/// ("Không quá 03 ngày làm việc"); `description` is read for `OTHER` and for hours
/// ("giờ làm việc" are working hours, bare hours are hours of the clock).
pub fn map_term(
    qty: Option<f64>,
    text: Option<&str>,
    unit: Option<&str>,
    description: Option<&str>,
) -> MappedTerm {
    let description = description.map(tidy).filter(|d| !d.is_empty());
    if let Some(d) = description.as_deref()
        && says_no_term(d)
    {
        return MappedTerm::NoTerm(format!(
            "bản ghi quốc gia ghi {}: không quy định thời hạn",
            quote(d)
        ));
    }
    let text = text.map(tidy).filter(|t| !t.is_empty());
    let qty = match (qty, text.as_deref()) {
        (Some(q), _) => Some(q),
        (None, Some(t)) => match number_in(t).filter(|_| {
            t.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        }) {
            Some(q) => Some(q),
            None => return read_text(t, "thời hạn của bản ghi quốc gia"),
        },
        (None, None) => None,
    };
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let Some(unit) = unit else {
        return match qty {
            Some(q) if q != 0.0 => MappedTerm::Unknown(format!(
                "bản ghi quốc gia ghi thời hạn {} nhưng không ghi đơn vị",
                number_vi(q)
            )),
            _ => MappedTerm::Absent,
        };
    };
    if unit == "OTHER" {
        return match description.as_deref() {
            Some(d) => match read_text(d, "mô tả của bản ghi quốc gia (đơn vị OTHER)")
            {
                MappedTerm::Unknown(_) => MappedTerm::Unknown(format!(
                    "bản ghi quốc gia không ghi số ngày (đơn vị OTHER): {d}"
                )),
                read => read,
            },
            None => {
                MappedTerm::Unknown("bản ghi quốc gia không ghi số ngày (đơn vị OTHER)".to_string())
            }
        };
    }
    let label = match unit {
        "WORKING_DAY" => "ngày làm việc",
        "DAY" => "ngày",
        "HOUR" => "giờ",
        "MONTH" => "tháng",
        other => {
            return MappedTerm::Unknown(format!(
                "đơn vị thời hạn «{}» của bản ghi quốc gia chưa được hỗ trợ khi tính hạn",
                other.chars().take(40).collect::<String>()
            ));
        }
    };
    let Some(q) = qty else {
        return MappedTerm::Unknown(format!(
            "bản ghi quốc gia ghi đơn vị «{label}» nhưng không có số"
        ));
    };
    let wrote = format!("bản ghi quốc gia ghi {} {label}", number_vi(q));
    if !(q > 0.0 && q <= 3660.0) {
        return MappedTerm::Unknown(format!("{wrote}: không phải thời hạn dùng được"));
    }
    let whole = q.fract() == 0.0;
    match unit {
        "WORKING_DAY" if whole => MappedTerm::Known(Term::WorkingDays(q as u32), None),
        "WORKING_DAY" => {
            let hours = q * HOURS_PER_WORKING_DAY;
            if hours.fract() == 0.0 {
                MappedTerm::Known(
                    Term::WorkingHours(hours as u32),
                    Some(format!(
                        "{wrote}, tính là {} giờ làm việc (1 ngày làm việc = {} giờ)",
                        hours as u32, HOURS_PER_WORKING_DAY as u32
                    )),
                )
            } else {
                MappedTerm::Unknown(format!("{wrote}: không đổi được ra số giờ làm việc"))
            }
        }
        "DAY" if whole => MappedTerm::Known(Term::CalendarDays(q as u32), None),
        "HOUR" if whole => {
            let working = description
                .as_deref()
                .is_some_and(|d| fold(d).contains("gio lam viec"));
            if working {
                MappedTerm::Known(
                    Term::WorkingHours(q as u32),
                    Some(format!(
                        "{wrote}; mô tả ghi «giờ làm việc»: tính trong giờ làm việc"
                    )),
                )
            } else {
                MappedTerm::Known(
                    Term::ClockHours(q as u32),
                    Some(format!(
                        "{wrote}: tính theo giờ đồng hồ kể từ khi nhận, kể cả ngoài giờ làm việc (bản ghi không ghi «giờ làm việc»)"
                    )),
                )
            }
        }
        "MONTH" if whole => MappedTerm::Known(
            Term::Months(q as u32),
            Some(format!(
                "{wrote}: hết hạn vào ngày tương ứng của tháng cuối (Bộ luật Dân sự 2015, Điều 148)"
            )),
        ),
        _ => MappedTerm::Unknown(format!("{wrote}: số lẻ chưa được hỗ trợ với đơn vị này")),
    }
}

/// (term, unconfirmed, note, none) of a mapped term that gives at most one term (lettered
/// variants keep the first; [`Rec::channels`] splits them into entries first).
pub(super) fn term_fields(m: MappedTerm) -> (Option<Term>, bool, Option<String>, bool) {
    match m {
        MappedTerm::Known(t, note) => (Some(t), false, note, false),
        MappedTerm::Read(t, note) => (Some(t), true, Some(note), false),
        MappedTerm::Variants(mut v, note) => {
            let (t, _) = v.remove(0);
            (Some(t), true, Some(note), false)
        }
        MappedTerm::NoTerm(note) => (None, false, Some(note), true),
        MappedTerm::Unknown(note) => (None, true, Some(note), false),
        MappedTerm::Absent => (None, false, None, false),
    }
}
