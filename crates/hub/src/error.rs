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
    /// The request body is larger than the hub accepts.
    #[error("nội dung gửi lên quá lớn: {0}")]
    TooLarge(String),
    /// A body that is not declared as JSON.
    #[error("nội dung gửi lên phải là JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// Too many pushes at once: the client retries after this many seconds.
    #[error(
        "máy chủ tỉnh đang bận nhận dữ liệu của các quầy khác; dữ liệu vẫn an toàn tại quầy, hãy gửi lại sau {0} giây"
    )]
    Busy(u64),
    /// A push of a station that has one admitted already (a counter pushes one batch at
    /// a time): the client retries after this many seconds.
    #[error(
        "máy chủ tỉnh đang bận nhận một lần gửi khác của chính quầy này (chưa xong); dữ liệu vẫn an toàn tại quầy, hãy gửi lại sau {0} giây"
    )]
    StationBusy(u64),
    /// A request body that came too slowly (408).
    #[error("nội dung gửi lên đến quá chậm ({0}); hãy gửi lại")]
    SlowBody(String),
    /// The database refuses connections or does not answer: nothing was done.
    #[error(
        "máy chủ tỉnh tạm thời không kết nối được cơ sở dữ liệu ({0}); yêu cầu chưa được thực hiện, hãy thử lại sau ít phút"
    )]
    DbUnavailable(String),
    /// A push whose head signature does not verify with the station's registered key.
    #[error(
        "yêu cầu không hợp lệ: chữ ký đầu nhật ký không hợp lệ (khóa của quầy không khớp khóa đã đăng ký)"
    )]
    BadHeadSignature {
        /// The head's sequence number, for the alert.
        seq: u64,
    },
    /// An idempotency key already bound to another batch of this station: nothing of
    /// this one is stored.
    #[error(
        "khóa chống gửi trùng (Idempotency-Key) này đã được dùng cho một lô có nội dung khác; hub không nhận lô này và không lưu gì từ nó"
    )]
    KeyReused,
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
