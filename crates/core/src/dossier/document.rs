//! The documents a dossier lists: their kind, as handed in and as given by the clerk,
//! and the command line's `NAME:KIND:COUNT`.

use crate::validation::{Field, ValidationError};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The form in which a document was handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Bản chính.
    Original,
    /// Bản sao.
    Copy,
    /// Bản sao chứng thực.
    CertifiedCopy,
}

impl DocumentKind {
    /// The label printed on the forms.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Original => "Bản chính",
            DocumentKind::Copy => "Bản sao",
            DocumentKind::CertifiedCopy => "Bản sao chứng thực",
        }
    }
}

impl FromStr for DocumentKind {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = crate::text::fold(s).replace(['-', '_'], " ");
        match key.trim() {
            "ban chinh" | "chinh" | "original" => Ok(DocumentKind::Original),
            "ban sao" | "sao" | "copy" => Ok(DocumentKind::Copy),
            "ban sao chung thuc" | "sao chung thuc" | "chung thuc" | "certified copy"
            | "certified" => Ok(DocumentKind::CertifiedCopy),
            _ => Err(ValidationError::new(
                Field::Document,
                format!(
                    "loại giấy tờ «{}» không hợp lệ (bản chính, bản sao, bản sao chứng thực)",
                    s.chars().take(40).collect::<String>()
                ),
            )),
        }
    }
}

/// One document handed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub name: String,
    pub kind: DocumentKind,
    pub count: u32,
}

/// One document as the clerk gave it, before validation: the name and the number of
/// copies as typed (checked by [`DossierInput::validate`](super::DossierInput::validate)), the kind already chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInput {
    pub name: String,
    pub kind: DocumentKind,
    pub copies: i64,
}

impl DocumentInput {
    /// A document of `kind` named `name`, `copies` of it.
    pub fn new(name: impl Into<String>, kind: DocumentKind, copies: i64) -> DocumentInput {
        DocumentInput {
            name: name.into(),
            kind,
            copies,
        }
    }
}

/// Parses a document given on the command line as `NAME:KIND:COUNT`, all three parts (a
/// bare name or `NAME:KIND` is refused, not completed with guesses). The name may itself
/// contain colons: `Hợp đồng: mua bán:bản sao:2`. The kind is read here
/// ([`DocumentKind`]'s `FromStr`), and an unknown one refused with its own message.
/// Anything else is refused rather than stored whole as a name: `:`,
/// `a:b:c`, `Tờ khai:bản chính:1e3`, a count of twenty digits. The count's range
/// (1–999) is checked by [`DossierInput::validate`](super::DossierInput::validate) with the rest of the form.
pub fn parse_document_arg(arg: &str) -> Result<DocumentInput, ValidationError> {
    let shown = || {
        let s: String = arg.chars().take(60).collect();
        if s.len() < arg.len() {
            format!("{s}…")
        } else {
            s
        }
    };
    let shape = || {
        ValidationError::new(
            Field::Document,
            format!(
                "«{}» không đúng dạng TÊN:LOẠI:SỐ BẢN (ví dụ «Giấy chứng sinh:bản chính:1»; LOẠI là bản chính, bản sao hoặc bản sao chứng thực)",
                shown()
            ),
        )
    };
    // All three parts: a name that holds a colon ("Hợp đồng: mua bán") is only read one
    // way when the kind and the count follow it.
    let (head, last) = arg.rsplit_once(':').ok_or_else(shape)?;
    let Some((name, kind)) = head.rsplit_once(':') else {
        return Err(shape());
    };
    let kind = match kind.parse::<DocumentKind>() {
        Ok(k) if !name.trim().is_empty() => k,
        Err(e) if !kind.trim().is_empty() && is_count(last) => return Err(e),
        _ => return Err(shape()),
    };
    let digits = last.trim();
    if !is_count(digits) {
        return Err(ValidationError::new(
            Field::DocumentCount,
            format!(
                "số bản «{}» của «{}» không phải số nguyên (từ 1 đến 999)",
                digits.chars().take(30).collect::<String>(),
                name.trim().chars().take(60).collect::<String>()
            ),
        ));
    }
    // Twenty digits do not fit: out of range like any other count above 999.
    let count = digits.parse::<i64>().unwrap_or(i64::MAX);
    Ok(DocumentInput::new(name, kind, count))
}

/// Whether `s` is written as a whole number: ASCII digits, an optional leading minus.
fn is_count(s: &str) -> bool {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}
