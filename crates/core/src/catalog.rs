//! The procedure catalogue (danh mục thủ tục hành chính): versioned data, not code.
//! A dossier keeps the catalogue version it was received under.

use crate::dossier::DocumentKind;
use crate::validation::{Field, ValidationError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One version of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Version label, e.g. `2025.07-xa`.
    pub version: String,
    /// The first day dossiers are received under this version.
    pub effective_from: NaiveDate,
    /// Where the data comes from.
    pub source: String,
    pub procedures: Vec<Procedure>,
}

/// One administrative procedure as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// National code, e.g. `1.001193`.
    pub code: String,
    pub name: String,
    /// Lĩnh vực, e.g. `Hộ tịch`.
    pub field: String,
    /// Statutory term: `same-day`, `3wd`, `5d`, `4wh`.
    pub term: String,
    /// True when the term was not confirmed from the official text.
    #[serde(default)]
    pub term_unconfirmed: bool,
    /// Fee as published (free text: amounts vary by province).
    pub fee: String,
    pub documents: Vec<RequiredDocument>,
}

/// A document the procedure requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    pub name: String,
    pub kind: DocumentKind,
}

/// Whether `code` has the national shape `d.dddddd`.
pub fn is_procedure_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 8 && b[0].is_ascii_digit() && b[1] == b'.' && b[2..].iter().all(u8::is_ascii_digit)
}

impl Catalog {
    /// Parses and checks a catalogue file (JSON).
    pub fn from_json(text: &str) -> Result<Catalog, ValidationError> {
        let cat: Catalog = serde_json::from_str(text).map_err(|e| {
            ValidationError::new(Field::Procedure, format!("tệp danh mục không hợp lệ: {e}"))
        })?;
        cat.check()?;
        Ok(cat)
    }

    /// Checks codes (well-formed, unique), names and terms.
    pub fn check(&self) -> Result<(), ValidationError> {
        let err = |why: String| Err(ValidationError::new(Field::Procedure, why));
        if self.version.trim().is_empty() {
            return err("danh mục thiếu phiên bản".into());
        }
        let mut seen = std::collections::HashSet::new();
        for p in &self.procedures {
            if !is_procedure_code(&p.code) {
                return err(format!("mã thủ tục «{}» không đúng dạng 1.001193", p.code));
            }
            if !seen.insert(&p.code) {
                return err(format!("mã thủ tục {} bị trùng", p.code));
            }
            if p.name.trim().is_empty() {
                return err(format!("thủ tục {} thiếu tên", p.code));
            }
            if p.term.parse::<crate::calendar::Term>().is_err() {
                return err(format!(
                    "thời hạn «{}» của thủ tục {} không hợp lệ",
                    p.term, p.code
                ));
            }
        }
        Ok(())
    }

    /// Finds a procedure by its national code.
    pub fn get(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code.trim())
    }
}
