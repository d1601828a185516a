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
    if s.chars().any(|c| c.is_control()) {
        return Err(ValidationError::new(
            field,
            "chứa ký tự điều khiển không hợp lệ",
        ));
    }
    Ok(s)
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
    fn optional_treats_blank_as_none() {
        assert_eq!(optional(Some("  "), Field::Email, 10).unwrap(), None);
        assert_eq!(optional(None, Field::Email, 10).unwrap(), None);
    }
}
