//! Choosing the case and the term a dossier is received under, from what the catalogue
//! publishes and what the clerk said: a pure rule beside [`Procedure::applicable`], used
//! by the counter's receive and the window's live preview alike.

use super::{Applicable, Procedure, SubmissionMethod, TermAnswer};
use crate::calendar::Term;
use crate::dossier::{CaseRef, Channel, TermSource};
use crate::{Field, ValidationError};
use chrono::NaiveDateTime;
use serde::Serialize;

/// The explanation of an appointment the clerk gave where the law sets no term.
pub fn appointment_explained(received_at: NaiveDateTime, at: NaiveDateTime) -> String {
    format!(
        "Nhận hồ sơ lúc {}; thủ tục không quy định thời hạn giải quyết, hẹn trả kết quả lúc {} theo ngày hẹn cán bộ tiếp nhận ghi.",
        received_at.format("%H:%M ngày %d/%m/%Y"),
        at.format("%H:%M ngày %d/%m/%Y")
    )
}

/// One case of a procedure, as the window's case picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseChoice {
    /// What names it for [`choose`]: the code, or `code#n` where the record gives two
    /// cases one code.
    pub selector: String,
    /// `1.001193.01`, as published.
    pub code: String,
    pub name: String,
    /// The term under this case for the channel asked about (`15wd`), if exactly one
    /// applies.
    pub term: Option<Term>,
    /// e.g. "15 ngày làm việc", "chưa có thời hạn", "3 ngày làm việc hoặc 45 ngày (chọn
    /// khi tiếp nhận)".
    pub term_label: String,
    pub term_unconfirmed: bool,
    pub fee: String,
    /// What tells it apart from cases of the same name: its code's suffix (".01"),
    /// its term and fee where they differ, its name where names differ.
    pub distinct: String,
}

/// What the catalogue says applies to a dossier of a procedure, case and channel, and the
/// clerk's part in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub case: Option<CaseRef>,
    /// The term (`3wd`), as stored on the dossier; `None` (written empty) when the law
    /// sets none (then `appointment` is the clerk's date).
    #[serde(with = "crate::calendar::term_text")]
    pub term: Option<Term>,
    pub term_unconfirmed: bool,
    /// How the term was read, when it was converted or is unconfirmed.
    pub term_note: Option<String>,
    /// Where the term came from, kept on the dossier.
    pub source: TermSource,
    /// The clerk's appointment, when the law sets no term.
    pub appointment: Option<NaiveDateTime>,
    pub fee: String,
    pub fee_unconfirmed: bool,
}

/// What the clerk said about the term beside the procedure: the case, the channel, and
/// where the catalogue asks, a term typed from the listing, a choice among published
/// terms, or an appointment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermInput<'a> {
    /// The case's selector ([`CaseChoice::selector`], a code or a suffix).
    pub case: Option<&'a str>,
    pub channel: Channel,
    /// The term read from the posted listing ("5 ngày làm việc").
    pub typed: Option<&'a str>,
    /// Which published term (1-based, in the order [`TermAnswer::options`] gives).
    pub choice: Option<usize>,
    /// The appointment the clerk gives when the law sets no term.
    pub appointment: Option<NaiveDateTime>,
}

/// The term choices as the window and the command line hold them, as typed: resolved by
/// `Counter::term_input` (the application layer) (the appointment's time defaults to the closing time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermDraft {
    pub case: Option<String>,
    pub channel: Channel,
    pub typed: Option<String>,
    pub choice: Option<String>,
    pub appointment: Option<String>,
}

/// The published terms the clerk must choose among for a case and channel (with their
/// text, in the order a choice's number counts), or none when one applies or none is
/// published.
pub fn term_options(p: &Procedure, case: Option<&str>, channel: Channel) -> Vec<String> {
    let case = case.and_then(|c| p.case(c));
    match p.applicable(case, SubmissionMethod::from(channel)).term {
        TermAnswer::Choose { options } => options.into_iter().map(|o| o.text).collect(),
        _ => Vec::new(),
    }
}

fn term_label(t: Option<Term>) -> String {
    t.map_or_else(|| "chưa có thời hạn".to_string(), |t| t.label_vi())
}

/// The term an answer shows in a list: the one term, or the published ones to choose
/// among.
fn answer_label(a: &TermAnswer) -> String {
    match a {
        TermAnswer::One(o) => super::term_label(o.term),
        TermAnswer::Choose { options } => format!(
            "{} (chọn khi tiếp nhận)",
            options
                .iter()
                .map(|o| super::term_label(o.term))
                .collect::<Vec<_>>()
                .join(" hoặc ")
        ),
        TermAnswer::Missing { .. } => term_label(None),
    }
}

fn list_cases(p: &Procedure, method: SubmissionMethod) -> String {
    p.cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let a = p.applicable(Some(c), method);
            format!("{} ({})", p.case_selector(i), answer_label(&a.term))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cases of `p` with their terms and fees for a channel, in catalogue order (empty
/// when it has none), each with what tells it apart from the others.
pub fn case_choices(p: &Procedure, channel: Channel) -> Vec<CaseChoice> {
    let method = SubmissionMethod::from(channel);
    let rows: Vec<(usize, Applicable)> = p
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| (i, p.applicable(Some(c), method)))
        .collect();
    let names_differ = p.cases.iter().any(|c| c.name != p.cases[0].name);
    let labels: Vec<String> = rows.iter().map(|(_, a)| answer_label(&a.term)).collect();
    let terms_differ = labels.iter().any(|l| l != &labels[0]);
    let fees_differ = rows.iter().any(|(_, a)| a.fee != rows[0].1.fee);
    rows.into_iter()
        .zip(labels)
        .map(|((i, a), label)| {
            let c = &p.cases[i];
            let suffix = c
                .code
                .strip_prefix(p.code.as_str())
                .filter(|s| !s.is_empty())
                .map_or_else(|| c.code.clone(), str::to_string);
            let selector = p.case_selector(i);
            let mut parts = vec![match selector.rsplit_once('#') {
                Some((_, n)) => format!("{suffix} (lần {n})"),
                None => suffix,
            }];
            if terms_differ || !names_differ {
                parts.push(label.clone());
            }
            if fees_differ && !a.fee.is_empty() {
                parts.push(a.fee.clone());
            }
            if names_differ {
                parts.push(c.name.clone());
            }
            let single = a.term.single();
            CaseChoice {
                selector,
                code: c.code.clone(),
                name: c.name.clone(),
                term: single.and_then(|o| o.term),
                term_label: label,
                term_unconfirmed: single.is_none_or(|o| o.unconfirmed),
                fee: a.fee,
                distinct: parts.join(" — "),
            }
        })
        .collect()
}

/// Chooses the case and the term for a dossier of `p` from what the clerk said, or says
/// which field is wrong: a procedure not offered at the counter, a channel the record
/// does not offer (naming those it does), a case the procedure does not have, no case
/// where the cases' terms differ, no choice where the published terms disagree (listing
/// them with their text), no appointment where the law sets no term, no term at all.
/// Where the catalogue gives no confirmed term, the term the clerk typed from the posted
/// listing is taken; where it gives a confirmed one, a typed term is refused rather than
/// silently ignored.
pub fn choose(
    p: &Procedure,
    input: TermInput<'_>,
) -> std::result::Result<Applied, ValidationError> {
    let method = SubmissionMethod::from(input.channel);
    if !p.offered {
        let by = p
            .handled_by
            .map(|h| format!(" (do {} thực hiện)", h.label()))
            .unwrap_or_default();
        return Err(ValidationError::new(
            Field::Procedure,
            format!(
                "thủ tục {} «{}» không tiếp nhận tại quầy một cửa{by}; nếu quầy nhận thay, nạp lại danh mục với «motcua catalog import TỆP --offer-hidden»",
                p.code, p.name
            ),
        ));
    }
    if !p.offers(method) {
        let offered: Vec<String> = p
            .methods()
            .iter()
            .map(|m| m.label().to_lowercase())
            .collect();
        return Err(ValidationError::new(
            Field::Channel,
            format!(
                "thủ tục {} không nhận hồ sơ qua {}; bản ghi chỉ công bố cách thức: {}",
                p.code,
                method.label().to_lowercase(),
                offered.join(", ")
            ),
        ));
    }
    let case = match input.case.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(p.case(code).ok_or_else(|| {
            let shown: String = code.chars().take(40).collect();
            ValidationError::new(
                Field::Case,
                if p.cases.is_empty() {
                    format!(
                        "thủ tục {} không chia trường hợp, không có trường hợp mã «{shown}»",
                        p.code
                    )
                } else {
                    format!(
                        "thủ tục {} không có trường hợp «{shown}» (hoặc mã này dùng cho nhiều trường hợp); các trường hợp: {}",
                        p.code,
                        list_cases(p, method)
                    )
                },
            )
        })?),
        None if p.case_required() => {
            return Err(ValidationError::new(
                Field::Case,
                format!(
                    "thủ tục {} có {} trường hợp với thời hạn khác nhau; hãy chọn một: {}",
                    p.code,
                    p.cases.len(),
                    list_cases(p, method)
                ),
            ));
        }
        None => p.default_case(),
    };
    let a = p.applicable(case, method);
    let case_ref = case.map(|c| CaseRef {
        code: c.code.clone(),
        name: c.name.clone(),
    });
    let done =
        |term: Option<Term>, unconfirmed: bool, note: Option<String>, source: TermSource| Applied {
            case: case_ref.clone(),
            term,
            term_unconfirmed: unconfirmed,
            term_note: note,
            source,
            appointment: None,
            fee: a.fee.clone(),
            fee_unconfirmed: a.fee_unconfirmed,
        };
    let typed = input.typed.map(str::trim).filter(|t| !t.is_empty());
    let confirmed = a
        .term
        .single()
        .filter(|o| !o.unconfirmed && o.term.is_some());
    if let (Some(t), Some(listed)) = (typed, confirmed) {
        return Err(ValidationError::new(
            Field::Term,
            format!(
                "danh mục đã có thời hạn {} cho thủ tục này; để trống ô thời hạn (nhận được «{}»)",
                super::term_label(listed.term),
                t.chars().take(40).collect::<String>()
            ),
        ));
    }
    if let Some(t) = typed
        && !matches!(a.term, TermAnswer::Choose { .. })
    {
        let term =
            Term::parse_typed(t).map_err(|e| ValidationError::new(Field::Term, e.to_string()))?;
        return Ok(done(
            Some(term),
            false,
            Some("thời hạn do cán bộ ghi theo văn bản niêm yết".into()),
            TermSource::Typed {
                text: crate::text::clean(t),
            },
        ));
    }
    let which = match case {
        Some(c) => format!("trường hợp {}", c.code),
        None => format!("thủ tục {}", p.code),
    };
    let (option, chosen) = match &a.term {
        TermAnswer::One(o) => (o, false),
        TermAnswer::Choose { options } => {
            let list = options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{}) {}", i + 1, o.text))
                .collect::<Vec<_>>()
                .join("; ");
            match input.choice {
                Some(n) if (1..=options.len()).contains(&n) => (&options[n - 1], true),
                Some(n) => {
                    return Err(ValidationError::new(
                        Field::Term,
                        format!("không có thời hạn số {n}; chọn một trong: {list}"),
                    ));
                }
                None => {
                    return Err(ValidationError::new(
                        Field::Term,
                        format!(
                            "{which} có các thời hạn công bố khác nhau cho hình thức {}; hãy chọn một: {list}",
                            input.channel.label().to_lowercase()
                        ),
                    ));
                }
            }
        }
        TermAnswer::Missing { note } => {
            let why = note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
            return Err(ValidationError::new(
                Field::Term,
                format!(
                    "{which} chưa có thời hạn giải quyết trong danh mục{why}; hãy ghi thời hạn theo văn bản niêm yết (ví dụ «5 ngày làm việc») hoặc nạp danh mục có thời hạn («motcua catalog import»)"
                ),
            ));
        }
    };
    let source = TermSource::Catalogue {
        unconfirmed: option.unconfirmed,
        text: Some(option.text.clone()),
        chosen,
    };
    match option.term {
        Some(t) => Ok(done(
            Some(t),
            option.unconfirmed,
            option.note.clone(),
            source,
        )),
        None => {
            let Some(at) = input.appointment else {
                return Err(ValidationError::new(
                    Field::Appointment,
                    format!(
                        "{which} không quy định thời hạn giải quyết; hãy ghi ngày hẹn trả kết quả (ví dụ «20/12/2026 10:00»)"
                    ),
                ));
            };
            let mut applied = done(None, false, option.note.clone(), TermSource::Appointment);
            applied.appointment = Some(at);
            Ok(applied)
        }
    }
}
