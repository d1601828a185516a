//! The hub's error type. Messages are plain Vietnamese: they reach the counter's clerk.

/// Everything a hub operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// Missing, wrong or revoked credential.
    #[error("thông tin xác thực của quầy không hợp lệ hoặc đã bị thu hồi")]
    Unauthorized,
    /// The credential is valid but may not do this.
    #[error("thông tin xác thực không có quyền thực hiện thao tác này")]
    Forbidden,
    /// The request is malformed.
    #[error("yêu cầu không hợp lệ: {0}")]
    BadRequest(String),
    /// No such dossier or object.
    #[error("không tìm thấy: {0}")]
    NotFound(String),
    /// The database failed.
    #[error("lỗi cơ sở dữ liệu của hub: {0}")]
    Db(String),
}

impl From<rusqlite::Error> for HubError {
    fn from(e: rusqlite::Error) -> Self {
        HubError::Db(e.to_string())
    }
}

impl From<serde_json::Error> for HubError {
    fn from(e: serde_json::Error) -> Self {
        HubError::BadRequest(e.to_string())
    }
}

/// Result of a hub operation.
pub type Result<T> = std::result::Result<T, HubError>;
