//! The procedure catalogue at the counter: the built-in lists, importing a file (our
//! format or the national portal's), finding procedures, and choosing the case and
//! channel a dossier is received under, with the term and fee that follow from them.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use chrono::NaiveDateTime;
use motcua_core::calendar::Term;
use motcua_core::catalog::{Catalog, ImportOptions, Procedure, SubmissionMethod};
use motcua_core::dossier::{CaseRef, Channel};
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

/// What importing a catalogue file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogImport {
    pub version: String,
    pub procedures: usize,
    /// Of which offered at the counter.
    pub offered: usize,
    /// False when that version was already loaded with the same content: nothing changed.
    pub loaded: bool,
}

impl CatalogImport {
    fn of(cat: &Catalog, loaded: bool) -> CatalogImport {
        CatalogImport {
            version: cat.version.clone(),
            procedures: cat.procedures.len(),
            offered: cat.procedures.iter().filter(|p| p.offered).count(),
            loaded,
        }
    }
}

/// One case of a procedure, as the window's case picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseChoice {
    /// `1.001193.01`.
    pub code: String,
    pub name: String,
    /// The term under this case for the channel asked about (`15wd`), if the catalogue
    /// gives one.
    pub term: Option<String>,
    /// e.g. "15 ngày làm việc", or "chưa có thời hạn".
    pub term_label: String,
    pub term_unconfirmed: bool,
    pub fee: String,
}

/// What the catalogue says applies to a dossier of a procedure, case and channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub case: Option<CaseRef>,
    /// The term (`3wd`), as stored on the dossier.
    pub term: String,
    pub term_unconfirmed: bool,
    /// How the term was read, when it was converted or is unconfirmed.
    pub term_note: Option<String>,
    pub fee: String,
    pub fee_unconfirmed: bool,
}

fn term_label(t: Option<Term>) -> String {
    t.map_or_else(|| "chưa có thời hạn".to_string(), |t| t.label_vi())
}

fn list_cases(p: &Procedure, method: SubmissionMethod) -> String {
    p.cases
        .iter()
        .map(|c| {
            let a = p.applicable(Some(c), method);
            format!("{} ({})", c.code, term_label(a.term))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cases of `p` with their terms and fees for a channel, in catalogue order (empty
/// when it has none).
pub fn case_choices(p: &Procedure, channel: Channel) -> Vec<CaseChoice> {
    let method = SubmissionMethod::from(channel);
    p.cases
        .iter()
        .map(|c| {
            let a = p.applicable(Some(c), method);
            CaseChoice {
                code: c.code.clone(),
                name: c.name.clone(),
                term: a.term.map(|t| t.to_string()),
                term_label: term_label(a.term),
                term_unconfirmed: a.term_unconfirmed,
                fee: a.fee,
            }
        })
        .collect()
}

/// Chooses the case and the term for a dossier of `p` with the case code the clerk gave
/// (if any) and the channel it came through, or says which field is wrong: a procedure
/// not offered at the counter, a case the procedure does not have, no case where the
/// cases' terms differ, or no term at all for that case and channel. Where the catalogue
/// gives no confirmed term, the term the clerk typed from the posted listing
/// (`term_typed`, "5 ngày làm việc") is taken; where it gives a confirmed one, a typed
/// term is refused rather than silently ignored.
pub fn choose(
    p: &Procedure,
    case_code: Option<&str>,
    channel: Channel,
    term_typed: Option<&str>,
) -> std::result::Result<Applied, ValidationError> {
    let method = SubmissionMethod::from(channel);
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
    let case = match case_code.map(str::trim).filter(|c| !c.is_empty()) {
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
                        "thủ tục {} không có trường hợp mã «{shown}»; các trường hợp: {}",
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
    let typed = term_typed.map(str::trim).filter(|t| !t.is_empty());
    match (typed, a.term) {
        (Some(t), Some(listed)) if !a.term_unconfirmed => {
            return Err(ValidationError::new(
                Field::Term,
                format!(
                    "danh mục đã có thời hạn {} cho thủ tục này; để trống ô thời hạn (nhận được «{}»)",
                    listed.label_vi(),
                    t.chars().take(40).collect::<String>()
                ),
            ));
        }
        (Some(t), _) => {
            let term = Term::parse_typed(t)
                .map_err(|e| ValidationError::new(Field::Term, e.to_string()))?;
            return Ok(Applied {
                case: case.map(|c| CaseRef {
                    code: c.code.clone(),
                    name: c.name.clone(),
                }),
                term: term.to_string(),
                term_unconfirmed: false,
                term_note: Some("thời hạn do cán bộ ghi theo văn bản niêm yết".into()),
                fee: a.fee,
                fee_unconfirmed: a.fee_unconfirmed,
            });
        }
        (None, _) => {}
    }
    let Some(term) = a.term else {
        let why = a.term_note.map(|n| format!(" ({n})")).unwrap_or_default();
        let which = match case {
            Some(c) => format!("trường hợp {}", c.code),
            None => format!("thủ tục {}", p.code),
        };
        return Err(ValidationError::new(
            Field::Term,
            format!(
                "{which} chưa có thời hạn giải quyết trong danh mục{why}; hãy ghi thời hạn theo văn bản niêm yết (ví dụ «5 ngày làm việc») hoặc nạp danh mục có thời hạn («motcua catalog import»)"
            ),
        ));
    };
    Ok(Applied {
        case: case.map(|c| CaseRef {
            code: c.code.clone(),
            name: c.name.clone(),
        }),
        term: term.to_string(),
        term_unconfirmed: a.term_unconfirmed,
        term_note: a.term_note,
        fee: a.fee,
        fee_unconfirmed: a.fee_unconfirmed,
    })
}

impl Counter {
    /// Procedures of the current catalogue offered at the counter, matching folded
    /// words or a code; an empty query lists them all. Exact code matches first. This is
    /// the window's procedure picker.
    pub fn search_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        Ok(self.store.search_procedures(query)?)
    }

    /// As [`Counter::search_procedures`], with `include_hidden` also the procedures not
    /// offered at the counter (cư trú).
    pub fn find_procedures(&self, query: &str, include_hidden: bool) -> Result<Vec<Procedure>> {
        Ok(self.store.find_procedures(query, include_hidden)?)
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

    /// What applies to a dossier of procedure `code` under case `case` (or none)
    /// received through `channel`, as [`Counter::receive`] will take it.
    pub fn applied(&self, code: &str, case: Option<&str>, channel: Channel) -> Result<Applied> {
        let p = self.procedure(code)?;
        choose(&p, case, channel, None).map_err(|e| AppError::Invalid(vec![e]))
    }

    /// The appointment for a procedure under a case and channel received at
    /// `received_at`: the window's preview after the case is picked.
    pub fn due_for_case(
        &self,
        code: &str,
        case: Option<&str>,
        channel: Channel,
        received_at: NaiveDateTime,
    ) -> Result<crate::DueInfo> {
        let applied = self.applied(code, case, channel)?;
        self.due_for(&applied.term, received_at)
    }

    /// How many procedures the current catalogue has: (offered at the counter, not).
    pub fn procedure_counts(&self) -> Result<(u64, u64)> {
        Ok(self.store.procedure_counts()?)
    }

    /// Loads a catalogue version from a file of either format and makes it current.
    pub fn import_catalog(&mut self, file: &std::path::Path) -> Result<CatalogImport> {
        self.import_catalog_with(file, &ImportOptions::default())
    }

    /// As [`Counter::import_catalog`] with the import's choices (version label, first
    /// day, offering hidden procedures). The whole file is checked first; a refused file
    /// stores nothing. The same version with the same content again is a no-op
    /// (`loaded: false`); the same version with other content is refused.
    pub fn import_catalog_with(
        &mut self,
        file: &std::path::Path,
        opts: &ImportOptions,
    ) -> Result<CatalogImport> {
        let cat = read_catalog_file(file, opts)?;
        let loaded = self.store.load_catalog(&cat, "system", self.now())?;
        Ok(CatalogImport::of(&cat, loaded))
    }
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
                    serde_json::from_str(
                        &std::fs::read_to_string(format!("{fixtures}/{c}.json")).unwrap(),
                    )
                    .unwrap()
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
        assert_eq!((imp.procedures, imp.offered), (5, 4));
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
        assert!(e.to_string().starts_with("Trường hợp: thủ tục 2.000635 không có trường hợp mã «2.000635.09»; các trường hợp: "), "{e}");
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
                Some("2.000635.01"),
                Channel::Direct,
                at("2026-11-23T09:00"),
            )
            .unwrap();
        assert_eq!(due.at, at("2026-12-15T09:00"));
        let applied = f
            .counter
            .applied("1.004222", None, Channel::Direct)
            .unwrap_err();
        assert_eq!(applied.fields()[0].field, Field::Procedure);
        assert_eq!(f.counter.search_procedures("").unwrap().len(), 4);
        let all = f.counter.find_procedures("thuong tru", true).unwrap();
        assert_eq!(all[0].code, "1.004222");
        assert_eq!(f.counter.procedure_counts().unwrap(), (4, 1));
    }

    #[test]
    fn the_builtin_lists_read() {
        let cat = super::builtin_catalog().unwrap();
        assert_eq!(cat.version, "vinh-bao-2026.09.29");
        assert_eq!(cat.procedures.iter().filter(|p| p.offered).count(), 274);
        assert_eq!(super::builtin_2025_07().unwrap().procedures.len(), 23);
    }
}
