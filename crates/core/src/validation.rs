//! Validation errors shared by every input rule, with Vietnamese messages for the clerk.

use std::fmt;

/// The input field a validation error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FullName,
    IdNumber,
    Phone,
    Email,
    Address,
    OwnerName,
    OwnerIdNumber,
    OwnerAddress,
    Procedure,
    Document,
    DocumentCount,
    Sets,
    Fee,
    Note,
    AgencyId,
    AgencyName,
    ParentName,
    Station,
    DossierCode,
    Date,
    Username,
    Password,
    PasswordConfirm,
    QrCode,
    ReturnAddress,
    /// The organisation's legal representative (người đại diện).
    Representative,
    /// The authorised person (người được ủy quyền) filing on the applicant's behalf.
    ProxyName,
    ProxyIdNumber,
    ProxyAddress,
    ProxyPhone,
    ProxyEmail,
    /// The authorisation document (giấy tờ ủy quyền).
    ProxyAuthorisation,
    /// A case (trường hợp) of the procedure.
    Case,
    /// The processing term the clerk typed when the catalogue gives none, or the one
    /// chosen among published terms that disagree.
    Term,
    /// How the dossier arrived (trực tiếp, bưu chính).
    Channel,
    /// The appointment the clerk gives when the law sets no term.
    Appointment,
}

impl Field {
    /// The field's name as printed on the forms.
    pub fn label(self) -> &'static str {
        match self {
            Field::FullName => "Họ và tên",
            Field::IdNumber => "Số định danh cá nhân",
            Field::Phone => "Số điện thoại",
            Field::Email => "Email",
            Field::Address => "Địa chỉ",
            Field::OwnerName => "Chủ hồ sơ",
            Field::OwnerIdNumber => "Số định danh của chủ hồ sơ",
            Field::OwnerAddress => "Địa chỉ của chủ hồ sơ",
            Field::Procedure => "Thủ tục hành chính",
            Field::Document => "Thành phần hồ sơ",
            Field::DocumentCount => "Số lượng giấy tờ",
            Field::Sets => "Số lượng hồ sơ",
            Field::Fee => "Phí, lệ phí",
            Field::Note => "Ghi chú",
            Field::AgencyId => "Mã định danh cơ quan",
            Field::AgencyName => "Tên cơ quan",
            Field::ParentName => "Tên cơ quan chủ quản",
            Field::Station => "Số quầy",
            Field::DossierCode => "Mã hồ sơ",
            Field::Date => "Ngày giờ",
            Field::Username => "Tên đăng nhập",
            Field::Password => "Mật khẩu",
            Field::PasswordConfirm => "Nhập lại mật khẩu",
            Field::QrCode => "Mã QR căn cước",
            Field::ReturnAddress => "Địa chỉ nhận kết quả",
            Field::Representative => "Người đại diện",
            Field::ProxyName => "Họ và tên người được ủy quyền",
            Field::ProxyIdNumber => "Số định danh cá nhân của người được ủy quyền",
            Field::ProxyAddress => "Địa chỉ của người được ủy quyền",
            Field::ProxyPhone => "Số điện thoại của người được ủy quyền",
            Field::ProxyEmail => "Email của người được ủy quyền",
            Field::ProxyAuthorisation => "Giấy tờ ủy quyền",
            Field::Case => "Trường hợp",
            Field::Term => "Thời hạn giải quyết",
            Field::Channel => "Hình thức nộp",
            Field::Appointment => "Ngày hẹn trả kết quả",
        }
    }
}

/// A rejected input value: which field and why, in plain Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The field that was rejected.
    pub field: Field,
    /// Why, in Vietnamese, ready to show the clerk.
    pub reason: String,
}

impl ValidationError {
    /// Builds an error for `field` with a Vietnamese `reason`.
    pub fn new(field: Field, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

impl ValidationError {
    /// The same reason, about another field (a rule shared by two fields of a form).
    pub fn about(self, field: Field) -> Self {
        Self { field, ..self }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.reason)
    }
}

impl std::error::Error for ValidationError {}

/// Cleans `raw` (NFC, whitespace) and checks its length in characters.
pub fn bounded(raw: &str, field: Field, min: usize, max: usize) -> Result<String, ValidationError> {
    let s = crate::text::clean(raw);
    let n = crate::text::char_len(&s);
    if n < min {
        return Err(ValidationError::new(
            field,
            if min == 1 {
                "không được để trống".to_string()
            } else {
                format!("cần ít nhất {min} ký tự")
            },
        ));
    }
    if n > max {
        return Err(ValidationError::new(
            field,
            format!("quá dài ({n} ký tự, tối đa {max})"),
        ));
    }
    check_visible(&s, field)?;
    Ok(s)
}

/// What kind of character `c` is when it has no place in typed text: a control character
/// (NUL, escape, …), a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069,
/// and the marks U+200E, U+200F, U+061C), which make a name display differently from what
/// is stored, or a zero-width or other invisible format character (U+200B–U+200D,
/// U+2060–U+2064, U+FEFF, the soft hyphen, tags), which make two names that look the same
/// differ in the register and in search. Vietnamese text needs none of them.
pub fn forbidden_char(c: char) -> Option<&'static str> {
    match c {
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Some("ký tự đổi chiều văn bản"),
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{180E}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' => Some("ký tự ẩn (không nhìn thấy)"),
        // Variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) turn a letter into an
        // emoji or a glyph variant: the name looks the same and is stored otherwise.
        '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' => Some("ký tự chọn kiểu chữ"),
        // Private-use characters show as whatever a font puts there, or as boxes.
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}' => {
            Some("ký tự riêng (không phải chữ)")
        }
        // Noncharacters: never text.
        c if is_noncharacter(c) => Some("ký tự không hợp lệ"),
        c if c.is_control() => Some("ký tự điều khiển"),
        _ => None,
    }
}

/// U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, …).
fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// Refuses text holding a [`forbidden_char`], naming the character and where it is.
pub fn check_visible(s: &str, field: Field) -> Result<(), ValidationError> {
    match s
        .chars()
        .enumerate()
        .find_map(|(i, c)| forbidden_char(c).map(|what| (i, c, what)))
    {
        None => Ok(()),
        Some((i, c, what)) => Err(ValidationError::new(
            field,
            format!(
                "chứa {what} U+{:04X} ở vị trí {}, thường do dán từ nơi khác; hãy xóa ô này và gõ lại",
                u32::from(c),
                i + 1
            ),
        )),
    }
}

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN: usize = 8;

/// Checks a new password: at least [`PASSWORD_MIN`] characters, none of them a control,
/// bidi or invisible character (a password of NUL bytes, or one that cannot be typed
/// again at the login screen, is refused).
pub fn password(raw: &str, field: Field) -> Result<(), ValidationError> {
    if raw.chars().count() < PASSWORD_MIN {
        return Err(ValidationError::new(
            field,
            format!("cần ít nhất {PASSWORD_MIN} ký tự"),
        ));
    }
    if let Some(c) = raw.chars().find(|c| forbidden_char(*c).is_some()) {
        let what = forbidden_char(c).unwrap_or("ký tự điều khiển");
        return Err(ValidationError::new(
            field,
            format!(
                "chứa {what} U+{:04X}, không gõ lại được khi đăng nhập; hãy chọn mật khẩu chỉ gồm chữ, số, dấu cách và dấu câu",
                u32::from(c)
            ),
        ));
    }
    if raw.trim().is_empty() {
        return Err(ValidationError::new(field, "không được chỉ gồm dấu cách"));
    }
    Ok(())
}

/// Like [`bounded`] but an empty value gives `None`.
pub fn optional(
    raw: Option<&str>,
    field: Field,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match raw.map(crate::text::clean) {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => bounded(&s, field, 1, max).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_in_characters_not_bytes() {
        let name = "Ấ".repeat(100);
        assert!(bounded(&name, Field::FullName, 1, 100).is_ok());
        let err = bounded(&"a".repeat(100_000), Field::FullName, 1, 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Họ và tên: quá dài (100000 ký tự, tối đa 100)"
        );
        assert!(bounded("   ", Field::FullName, 1, 10).is_err());
    }

    #[test]
    fn bidi_zero_width_and_control_characters_are_refused_by_field() {
        for (bad, code) in [
            ("Nguyễn\u{202E}Văn An", "U+202E"),
            ("A\u{202A}B", "U+202A"),
            ("A\u{2066}B\u{2069}", "U+2066"),
            ("Trần\u{200B}Thị", "U+200B"),
            ("Lê\u{200D}", "U+200D"),
            ("\u{2060}Hà", "U+2060"),
            ("Hà\u{FEFF}Nội", "U+FEFF"),
            ("A\u{0}B", "U+0000"),
            ("A\u{1B}[31mB", "U+001B"),
            ("A\u{7F}", "U+007F"),
            ("Lan\u{FE0F}", "U+FE0F"),
            ("Lan\u{FFFF}", "U+FFFF"),
            ("\u{E000}Lan", "U+E000"),
            ("Lan\u{FDD0}", "U+FDD0"),
            ("Lan\u{10FFFF}", "U+10FFFF"),
        ] {
            let e = bounded(bad, Field::FullName, 1, 100).unwrap_err();
            assert_eq!(e.field, Field::FullName);
            assert!(e.to_string().starts_with("Họ và tên: chứa "), "{e}");
            assert!(e.reason.contains(code), "{bad:?}: {e}");
        }
        let e = optional(Some("Thôn 3\u{202E}"), Field::Address, 100).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Địa chỉ: chứa ký tự đổi chiều văn bản U+202E")
        );
        let e = bounded("Ghi\u{200C}chú", Field::Note, 1, 100).unwrap_err();
        assert!(e.to_string().starts_with("Ghi chú: chứa ký tự ẩn"), "{e}");
        // Ordinary Vietnamese, punctuation and tabs/newlines (folded to spaces) pass.
        assert_eq!(
            bounded(
                "Đặng Thị Bích-Ngọc (\"Bé\")\tthôn 5",
                Field::FullName,
                1,
                100
            )
            .unwrap(),
            "Đặng Thị Bích-Ngọc (\"Bé\") thôn 5"
        );
    }

    #[test]
    fn passwords_refuse_nul_and_invisible_characters() {
        assert!(password("mật khẩu dài", Field::Password).is_ok());
        let nul = "\0".repeat(12);
        let e = password(&nul, Field::Password).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Mật khẩu: chứa ký tự điều khiển U+0000"),
            "{e}"
        );
        assert!(password("abcd\u{7}efgh", Field::Password).is_err());
        assert!(password("abcd\u{200B}efgh", Field::Password).is_err());
        assert!(password("abcd\u{202E}efgh", Field::Password).is_err());
        assert!(password("          ", Field::Password).is_err());
        assert!(password("ngắn", Field::Password).is_err());
    }

    #[test]
    fn optional_treats_blank_as_none() {
        assert_eq!(optional(Some("  "), Field::Email, 10).unwrap(), None);
        assert_eq!(optional(None, Field::Email, 10).unwrap(), None);
    }
}
