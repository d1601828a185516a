//! The procedure catalogue at the counter: the built-in lists, importing a file (our
//! format or the national portal's), finding procedures, and choosing the case and
//! channel a dossier is received under, with the term and fee that follow from them.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use chrono::NaiveDateTime;
use motcua_core::calendar::Term;
use motcua_core::catalog::{
    Applicable, Catalog, ImportOptions, Procedure, ReadFile, SubmissionMethod, TermAnswer,
};
use motcua_core::dossier::{CaseRef, Channel, TermSource};
use motcua_core::{Field, ValidationError};
use serde::Serialize;

/// The catalogue a new station starts with: the published list of xã Vĩnh Bảo, Hải
/// Phòng, in the national portal's format (`assets/catalog/national/`), converted when
/// the station is set up.
pub const BUILTIN_NATIONAL: &str =
    include_str!("../../../assets/catalog/national/vinh-bao-hai-phong.json");

/// The 23-procedure list of 2025 (`assets/catalog/commune-procedures.json`), kept for
/// the window's first-run setup until it offers the national list, and for stations
/// that ask for it.
pub const BUILTIN_2025_07: &str = include_str!("../../../assets/catalog/commune-procedures.json");

/// How far back the procedures a counter received count for the picker, in days.
pub const USE_DAYS: i64 = 30;

/// The built-in commune list (Vĩnh Bảo, Hải Phòng), converted.
pub fn builtin_catalog() -> Result<Catalog> {
    motcua_core::catalog::parse_file(BUILTIN_NATIONAL, &ImportOptions::default())
        .map_err(|e| AppError::from(e).context("danh mục thủ tục đi kèm bị lỗi"))
}

/// The 23-procedure list of 2025.
pub fn builtin_2025_07() -> Result<Catalog> {
    Catalog::from_json(BUILTIN_2025_07)
        .map_err(|e| AppError::from(e).context("danh mục thủ tục đi kèm bị lỗi"))
}

/// Reads a catalogue file of either format, checked, ready to load.
pub fn read_catalog_file(file: &std::path::Path, opts: &ImportOptions) -> Result<Catalog> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| AppError::file(format!("không đọc được {}", file.display()), e))?;
    motcua_core::catalog::parse_file(&text, opts).map_err(|e| {
        AppError::from(e).context(format!(
            "tệp danh mục {} bị từ chối, không nạp gì",
            file.display()
        ))
    })
}

/// What became of one record of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum RecordFate {
    /// A procedure the current catalogue did not have.
    Added,
    /// It replaces that procedure's entry.
    Updated,
    /// The current catalogue already has it exactly so.
    Unchanged,
    /// Not taken; why, naming the record's number, code and field.
    Refused { reason: String },
}

/// One record of an imported file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordReport {
    /// Its number in the file, from 1.
    pub n: usize,
    pub code: Option<String>,
    #[serde(flatten)]
    pub fate: RecordFate,
}

/// What importing a catalogue file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogImport {
    /// The current version afterwards (the new one when `loaded`).
    pub version: String,
    /// The version it was merged into.
    pub previous: Option<String>,
    pub procedures: usize,
    /// Of which offered at the counter.
    pub offered: usize,
    /// False when nothing changed: no new version.
    pub loaded: bool,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
    /// Record by record, in file order.
    pub records: Vec<RecordReport>,
}

impl CatalogImport {
    fn count(records: &[RecordReport], f: impl Fn(&RecordFate) -> bool) -> usize {
        records.iter().filter(|r| f(&r.fate)).count()
    }
}

/// Merges the records read from a file into the current catalogue: each replaces its
/// procedure's entry or adds one; the others stay. The new version's label is the one
/// asked for, else the file's own when no version has it yet, else one derived from the
/// merged content (`dvcqg-YYYYMMDD-<hash>`, `import-…` for motcua's format); `None`
/// when nothing changes.
pub fn merge(
    current: Option<&Catalog>,
    read: &ReadFile,
    opts: &ImportOptions,
    label_taken: impl Fn(&str) -> bool,
    today: chrono::NaiveDate,
) -> (Option<Catalog>, Vec<RecordReport>) {
    let mut procedures: Vec<Procedure> = current.map(|c| c.procedures.clone()).unwrap_or_default();
    let mut reports = Vec::with_capacity(read.records.len());
    for r in &read.records {
        let fate = match &r.result {
            Err(e) => RecordFate::Refused {
                reason: e.reason.clone(),
            },
            Ok(p) => match procedures.iter_mut().find(|q| q.code == p.code) {
                Some(q) => {
                    let mut p = p.clone();
                    // A bare national record says nothing of the commune's decisions:
                    // the station's stay (offered or not, who handles it).
                    if !r.local {
                        p.offered = q.offered || opts.offer_hidden;
                        p.handled_by = q.handled_by.or(p.handled_by);
                    }
                    // The same content with only a different account of where it came
                    // from is no change.
                    let mut same = p.clone();
                    same.source = q.source.clone();
                    if *q == same {
                        RecordFate::Unchanged
                    } else {
                        *q = p;
                        RecordFate::Updated
                    }
                }
                None => {
                    procedures.push(p.clone());
                    RecordFate::Added
                }
            },
        };
        reports.push(RecordReport {
            n: r.n,
            code: r.code.clone(),
            fate,
        });
    }
    let changed = reports
        .iter()
        .any(|r| matches!(r.fate, RecordFate::Added | RecordFate::Updated));
    if !changed {
        return (None, reports);
    }
    let effective_from = opts
        .effective_from
        .or(read.effective_from)
        .or(read.latest)
        .unwrap_or(today);
    let version = match (&opts.version, &read.label) {
        (Some(v), _) => v.trim().to_string(),
        (None, Some(l)) if !label_taken(l) => l.clone(),
        (None, _) => {
            let stem = if read.national { "dvcqg" } else { "import" };
            let derived = motcua_core::catalog::national::derived_version(
                &procedures,
                read.latest.unwrap_or(effective_from),
            );
            derived.replacen("dvcqg", stem, 1)
        }
    };
    let source = match current {
        Some(c) => format!(
            "{}; gộp vào danh mục {}: {} thủ tục thêm, {} cập nhật",
            read.source,
            c.version,
            CatalogImport::count(&reports, |f| *f == RecordFate::Added),
            CatalogImport::count(&reports, |f| *f == RecordFate::Updated),
        ),
        None => read.source.clone(),
    };
    (
        Some(Catalog {
            version,
            effective_from,
            source,
            procedures,
        }),
        reports,
    )
}

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
    pub term: Option<String>,
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
    /// The term (`3wd`), as stored on the dossier; empty when the law sets none (then
    /// `appointment` is the clerk's date).
    pub term: String,
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
/// [`Counter::term_input`] (the appointment's time defaults to the closing time).
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
        TermAnswer::One(o) => motcua_core::catalog::term_label(o.term),
        TermAnswer::Choose { options } => format!(
            "{} (chọn khi tiếp nhận)",
            options
                .iter()
                .map(|o| motcua_core::catalog::term_label(o.term))
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
                term: single.and_then(|o| o.term).map(|t| t.to_string()),
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
        |term: String, unconfirmed: bool, note: Option<String>, source: TermSource| Applied {
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
                motcua_core::catalog::term_label(listed.term),
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
            term.to_string(),
            false,
            Some("thời hạn do cán bộ ghi theo văn bản niêm yết".into()),
            TermSource::Typed {
                text: motcua_core::text::clean(t),
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
            t.to_string(),
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
            let mut applied = done(
                String::new(),
                false,
                option.note.clone(),
                TermSource::Appointment,
            );
            applied.appointment = Some(at);
            Ok(applied)
        }
    }
}

impl Counter {
    /// Procedures of the current catalogue offered at the counter, matching folded
    /// words or a code; an empty query lists them all. The exact code first, then the
    /// procedures this counter received most in the last [`USE_DAYS`] days. This is the
    /// window's procedure picker.
    pub fn search_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        self.find_procedures(query, false)
    }

    /// As [`Counter::search_procedures`], with `include_hidden` also the procedures not
    /// offered at the counter (cư trú).
    pub fn find_procedures(&self, query: &str, include_hidden: bool) -> Result<Vec<Procedure>> {
        let used = self.store.procedure_use(self.use_since())?;
        Ok(self.store.find_procedures(query, include_hidden, &used)?)
    }

    /// This counter's most received procedures of the last [`USE_DAYS`] days, most first
    /// (at most `limit`): what the window suggests while the procedure field is empty.
    pub fn frequent_procedures(&self, limit: usize) -> Result<Vec<Procedure>> {
        Ok(self.store.frequent_procedures(self.use_since(), limit)?)
    }

    fn use_since(&self) -> chrono::NaiveDate {
        self.now().date_naive() - chrono::Duration::days(USE_DAYS - 1)
    }

    /// A procedure of the current catalogue.
    pub fn procedure(&self, code: &str) -> Result<Procedure> {
        Ok(self.store.procedure(code)?.0)
    }

    /// The cases of a procedure with their terms and fees for a channel, for the
    /// window's case picker (empty when the procedure has none), and whether one must be
    /// chosen.
    pub fn cases(&self, code: &str, channel: Channel) -> Result<(Vec<CaseChoice>, bool)> {
        let p = self.procedure(code)?;
        Ok((case_choices(&p, channel), p.case_required()))
    }

    /// Reads the clerk's choice of a published term and appointment as typed: every
    /// problem at once. An appointment without a time is at the closing time; one not
    /// after `received_at` is refused.
    pub fn term_input(
        &self,
        draft: &TermDraft,
        received_at: NaiveDateTime,
    ) -> std::result::Result<(Option<usize>, Option<NaiveDateTime>), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let choice = motcua_core::dossier::parse_term_choice(draft.choice.as_deref())
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let closing = self
            .settings()
            .map(|s| s.work.closing_time())
            .unwrap_or_else(|_| chrono::NaiveTime::from_hms_opt(17, 0, 0).expect("a valid time"));
        let appointment = match draft.appointment.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match motcua_core::dossier::parse_appointment(raw) {
                Ok((date, time)) => {
                    let at = date.and_time(time.unwrap_or(closing));
                    if at <= received_at {
                        errors.push(ValidationError::new(
                            Field::Appointment,
                            format!(
                                "ngày hẹn {} phải sau thời gian nhận hồ sơ {}",
                                at.format("%H:%M %d/%m/%Y"),
                                received_at.format("%H:%M %d/%m/%Y")
                            ),
                        ));
                        None
                    } else {
                        Some(at)
                    }
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok((choice, appointment))
        } else {
            Err(errors)
        }
    }

    /// The appointment of a dossier of procedure `code` as the clerk has filled it in so
    /// far, received now: the window's preview (the same rules as [`Counter::receive`]).
    pub fn preview_due(&self, code: &str, draft: &TermDraft) -> Result<crate::DueInfo> {
        let received_at = self.now().naive_local();
        let (choice, appointment) = self
            .term_input(draft, received_at)
            .map_err(AppError::Invalid)?;
        self.due_for_case(
            code,
            TermInput {
                case: draft.case.as_deref(),
                channel: draft.channel,
                typed: draft.typed.as_deref(),
                choice,
                appointment,
            },
            received_at,
        )
    }

    /// What applies to a dossier of procedure `code` as the clerk has chosen so far, as
    /// [`Counter::receive`] will take it.
    pub fn applied(&self, code: &str, input: TermInput<'_>) -> Result<Applied> {
        let p = self.procedure(code)?;
        choose(&p, input).map_err(|e| AppError::Invalid(vec![e]))
    }

    /// The appointment for a procedure as chosen so far, received at `received_at`: the
    /// window's preview.
    pub fn due_for_case(
        &self,
        code: &str,
        input: TermInput<'_>,
        received_at: NaiveDateTime,
    ) -> Result<crate::DueInfo> {
        let applied = self.applied(code, input)?;
        match applied.appointment {
            Some(at) => Ok(crate::DueInfo {
                at,
                explanation: appointment_explained(received_at, at),
            }),
            None => self.due_for(&applied.term, received_at),
        }
    }

    /// How many procedures the current catalogue has: (offered at the counter, not).
    pub fn procedure_counts(&self) -> Result<(u64, u64)> {
        Ok(self.store.procedure_counts()?)
    }

    /// Loads a catalogue file of either format into the current catalogue, record by
    /// record (see [`Counter::import_catalog_with`]).
    pub fn import_catalog(&mut self, file: &std::path::Path) -> Result<CatalogImport> {
        self.import_catalog_with(file, &ImportOptions::default(), false)
    }

    /// Imports a catalogue file: each record replaces its procedure's entry in the current
    /// catalogue or adds one, and the others stay, as a new version that becomes current
    /// (dossiers already received keep the version they were received under). A record
    /// that does not fit is refused on its own and named; with `strict`, any refused
    /// record stores nothing. Nothing new (every record unchanged) stores nothing.
    pub fn import_catalog_with(
        &mut self,
        file: &std::path::Path,
        opts: &ImportOptions,
        strict: bool,
    ) -> Result<CatalogImport> {
        let text = std::fs::read_to_string(file)
            .map_err(|e| AppError::file(format!("không đọc được {}", file.display()), e))?;
        let read = motcua_core::catalog::read_file(&text, opts).map_err(|e| {
            AppError::from(e).context(format!(
                "tệp danh mục {} bị từ chối, không nạp gì",
                file.display()
            ))
        })?;
        let refused: Vec<String> = read
            .records
            .iter()
            .filter_map(|r| r.result.as_ref().err().map(|e| e.reason.clone()))
            .collect();
        if strict && !refused.is_empty() {
            return Err(AppError::Refused(format!(
                "tệp danh mục {} có {} bản ghi bị từ chối, không nạp gì (--strict): {}",
                file.display(),
                refused.len(),
                refused.join("; ")
            )));
        }
        let previous = self.store.catalog_version().ok();
        let current = match &previous {
            Some(v) => Some(Catalog {
                version: v.clone(),
                effective_from: self.now().date_naive(),
                source: self.store.catalog_source(v)?,
                procedures: self.store.procedures_in(v)?,
            }),
            None => None,
        };
        let store = &self.store;
        let (merged, records) = merge(
            current.as_ref(),
            &read,
            opts,
            |label| store.catalog_version_exists(label).unwrap_or(true),
            self.now().date_naive(),
        );
        let count = |f: fn(&RecordFate) -> bool| CatalogImport::count(&records, f);
        let (added, updated, unchanged, refused) = (
            count(|f| *f == RecordFate::Added),
            count(|f| *f == RecordFate::Updated),
            count(|f| *f == RecordFate::Unchanged),
            count(|f| matches!(f, RecordFate::Refused { .. })),
        );
        let (cat, loaded) = match merged {
            Some(cat) => {
                cat.check().map_err(AppError::from)?;
                let loaded = self.store.load_catalog(&cat, "system", self.now())?;
                (cat, loaded)
            }
            None => match current {
                Some(c) => (c, false),
                None => {
                    return Err(AppError::Refused(format!(
                        "tệp danh mục {} không có bản ghi nào dùng được: {}",
                        file.display(),
                        refused_list(&records)
                    )));
                }
            },
        };
        Ok(CatalogImport {
            version: cat.version.clone(),
            previous,
            procedures: cat.procedures.len(),
            offered: cat.procedures.iter().filter(|p| p.offered).count(),
            loaded,
            added,
            updated,
            unchanged,
            refused,
            records,
        })
    }
}

fn refused_list(records: &[RecordReport]) -> String {
    records
        .iter()
        .filter_map(|r| match &r.fate {
            RecordFate::Refused { reason } => Some(reason.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use crate::counter::testing::*;
    use chrono::NaiveDateTime;
    use motcua_core::Field;
    use motcua_core::dossier::Channel;

    /// The five national fixture records as one array file.
    fn national_file(dir: &std::path::Path) -> std::path::PathBuf {
        let fixtures = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/catalog/national"
        );
        let records: Vec<serde_json::Value> =
            ["1.001193", "2.000815", "2.000635", "1.009122", "1.004222"]
                .iter()
                .map(|c| {
                    let mut v: serde_json::Value = serde_json::from_str(
                        &std::fs::read_to_string(format!("{fixtures}/{c}.json")).unwrap(),
                    )
                    .unwrap();
                    // The commune keeps residence off its counter (motcua's x_counter):
                    // a bare national record would keep the station's own choice.
                    if *c == "1.004222" {
                        v["data"]["x_counter"] = serde_json::json!({"offerByDefault": false});
                    }
                    v
                })
                .collect();
        let file = dir.join("national.json");
        std::fs::write(&file, serde_json::to_string(&records).unwrap()).unwrap();
        file
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn the_case_and_channel_decide_the_term_and_the_appointment() {
        let mut f = fixture();
        let file = national_file(f.dir.path());
        let imp = f.counter.import_catalog(&file).unwrap();
        assert!(imp.loaded && imp.version.starts_with("dvcqg-"));
        // Merged into the station's 23 procedures: the four it had are updated, 1.009122
        // is added, the other 19 stay; 1.004222 comes with the commune's decision to keep
        // residence off the counter.
        assert_eq!(
            (imp.added, imp.updated, imp.unchanged, imp.refused),
            (1, 4, 0, 0)
        );
        assert_eq!((imp.procedures, imp.offered), (24, 23));
        // 15 working days from Monday 23/11/2026 09:00, Tuesday 24/11 (Ngày Văn hóa Việt
        // Nam) not counted: Tuesday 15/12 09:00.
        let mut form = form("Phạm Thị Thu");
        form.procedure = "2.000635".into();
        form.received_at = Some(at("2026-11-23T09:00"));
        form.input.case_code = Some("2.000635.01".into());
        let r = f.counter.receive(&form).unwrap();
        assert_eq!(r.dossier.procedure.term, "15wd");
        assert_eq!(
            r.dossier.procedure.case.as_ref().unwrap().code,
            "2.000635.01"
        );
        assert_eq!(r.due.at, at("2026-12-15T09:00"));
        assert!(
            r.due.explanation.contains("24/11 Ngày Văn hóa Việt Nam"),
            "{}",
            r.due.explanation
        );
        // 1 calendar day from Friday 20/11 10:00 is Saturday: Monday 23/11 at closing.
        form.input.case_code = Some("02".into());
        form.received_at = Some(at("2026-11-20T10:00"));
        let r = f.counter.receive(&form).unwrap();
        assert_eq!(
            (r.dossier.procedure.term.as_str(), r.due.at),
            ("1d", at("2026-11-23T17:00"))
        );
        // Stored as received, case and all.
        let back = f.counter.dossier(&r.dossier.code.to_string()).unwrap();
        assert_eq!(back.procedure, r.dossier.procedure);
        // The building permit: 10 calendar days for a house in town, whichever channel.
        let mut permit = crate::counter::testing::form("Vũ Văn Nam");
        permit.procedure = "1.009122".into();
        permit.input.case_code = Some("1.009122.12".into());
        permit.input.channel = Channel::Postal;
        permit.input.post_address = Some("Thôn Đông, xã Tân Lập".into());
        permit.received_at = Some(at("2026-11-23T09:00"));
        let r = f.counter.receive(&permit).unwrap();
        assert_eq!(
            (r.dossier.procedure.term.as_str(), r.due.at),
            ("10d", at("2026-12-03T17:00"))
        );
    }

    #[test]
    fn a_wrong_missing_or_hidden_case_is_refused_by_field() {
        let mut f = fixture();
        let file = national_file(f.dir.path());
        f.counter.import_catalog(&file).unwrap();
        let mut form = form("Phạm Thị Thu");
        form.procedure = "2.000635".into();
        let e = f.counter.receive(&form).unwrap_err();
        assert_eq!(e.fields()[0].field, Field::Case);
        assert!(
            e.to_string().starts_with("Trường hợp: thủ tục 2.000635 có 4 trường hợp với thời hạn khác nhau; hãy chọn một: 2.000635.01 (15 ngày làm việc), 2.000635.02 (1 ngày)"),
            "{e}"
        );
        form.input.case_code = Some("2.000635.09".into());
        let e = f.counter.receive(&form).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Trường hợp: thủ tục 2.000635 không có trường hợp «2.000635.09»"),
            "{e}"
        );
        // Every problem at once: the case first, then the applicant.
        form.input.applicant_name = String::new();
        let fields: Vec<Field> = f
            .counter
            .receive(&form)
            .unwrap_err()
            .fields()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, [Field::Case, Field::FullName]);
        // Cư trú is not received at the counter.
        form = crate::counter::testing::form("Đỗ Văn Cư");
        form.procedure = "1.004222".into();
        let e = f.counter.receive(&form).unwrap_err();
        assert!(e.to_string().contains("thủ tục 1.004222 «Đăng ký thường trú» không tiếp nhận tại quầy một cửa (do Công an cấp xã thực hiện)"), "{e}");
        // Nothing was saved.
        assert!(f.counter.search("", None, 10).unwrap().is_empty());
        // A procedure with two cases of the same term needs none; its default applies.
        form.procedure = "1.001193".into();
        let r = f.counter.receive(&form).unwrap();
        assert_eq!(
            (
                r.dossier.procedure.term.as_str(),
                r.dossier.procedure.case.as_ref()
            ),
            ("1wd", None)
        );
    }

    #[test]
    fn the_window_gets_the_cases_with_their_terms_and_the_hidden_ones_on_request() {
        let mut f = fixture();
        let file = national_file(f.dir.path());
        f.counter.import_catalog(&file).unwrap();
        let (cases, required) = f.counter.cases("2.000635", Channel::Direct).unwrap();
        assert!(required);
        let terms: Vec<&str> = cases.iter().map(|c| c.term_label.as_str()).collect();
        assert_eq!(
            terms,
            [
                "15 ngày làm việc",
                "1 ngày",
                "1 ngày làm việc",
                "1 ngày làm việc"
            ]
        );
        assert_eq!(cases[0].fee, "Lệ phí: 8.000 đồng");
        let due = f
            .counter
            .due_for_case(
                "2.000635",
                super::TermInput {
                    case: Some("2.000635.01"),
                    ..Default::default()
                },
                at("2026-11-23T09:00"),
            )
            .unwrap();
        assert_eq!(due.at, at("2026-12-15T09:00"));
        let applied = f
            .counter
            .applied("1.004222", super::TermInput::default())
            .unwrap_err();
        assert_eq!(applied.fields()[0].field, Field::Procedure);
        assert_eq!(f.counter.search_procedures("").unwrap().len(), 23);
        let all = f.counter.find_procedures("thuong tru", true).unwrap();
        assert_eq!(all[0].code, "1.004222");
        assert_eq!(f.counter.procedure_counts().unwrap(), (23, 1));
    }

    #[test]
    fn the_picker_ranks_by_this_counters_use_of_the_last_30_days() {
        let mut f = fixture();
        let codes = |f: &crate::counter::testing::Fixture, q: &str| -> Vec<String> {
            f.counter
                .search_procedures(q)
                .unwrap()
                .into_iter()
                .take(3)
                .map(|p| p.code)
                .collect()
        };
        // Nothing received yet: no suggestions for an empty field; relevance decides.
        assert!(f.counter.frequent_procedures(8).unwrap().is_empty());
        let before = codes(&f, "chung thuc");
        assert_ne!(before[0], "2.000884", "{before:?}");
        // Two signatures certified, one marriage status confirmed.
        for name in ["Lê Văn A", "Lê Văn B"] {
            let mut form = form(name);
            form.procedure = "2.000884".into();
            f.counter.receive(&form).unwrap();
        }
        f.counter.receive(&form("Lê Văn C")).unwrap();
        let frequent: Vec<String> = f
            .counter
            .frequent_procedures(8)
            .unwrap()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(frequent, ["2.000884", "1.004873"]);
        assert_eq!(codes(&f, "chung thuc")[0], "2.000884");
        // An exact code still comes first.
        assert_eq!(codes(&f, "2.000815")[0], "2.000815");
        // Use older than 30 days no longer counts.
        f.clock.advance(chrono::Duration::days(31));
        assert!(f.counter.frequent_procedures(8).unwrap().is_empty());
        assert_eq!(codes(&f, "chung thuc"), before);
    }

    #[test]
    fn the_builtin_lists_read() {
        let cat = super::builtin_catalog().unwrap();
        assert_eq!(cat.version, "vinh-bao-2026.09.29+dvcqg-20260718");
        assert_eq!(cat.procedures.iter().filter(|p| p.offered).count(), 274);
        assert_eq!(super::builtin_2025_07().unwrap().procedures.len(), 23);
    }
}
