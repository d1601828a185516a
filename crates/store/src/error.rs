//! The store's error type. Messages are plain Vietnamese, ready for the clerk.

use motcua_core::ValidationError;
use std::path::PathBuf;

/// Everything a store operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The disk is full: nothing was written.
    #[error("ổ đĩa đã đầy nên dữ liệu CHƯA được lưu; hãy giải phóng dung lượng rồi thử lại")]
    DiskFull,
    /// The database cannot be written (read-only file, folder or disk): nothing was written.
    #[error(
        "cơ sở dữ liệu đang chỉ cho đọc nên dữ liệu CHƯA được lưu; hãy kiểm tra quyền ghi của tệp và ổ đĩa rồi thử lại"
    )]
    ReadOnly,
    /// Another program holds the database too long.
    #[error("cơ sở dữ liệu đang bận (một chương trình khác đang ghi); hãy thử lại")]
    Busy,
    /// Any other SQLite failure.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlite(rusqlite::Error),
    /// A file could not be read or written.
    #[error("lỗi tệp {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database was written by a newer version of the app.
    #[error(
        "cơ sở dữ liệu thuộc phiên bản {found}, mới hơn phiên bản phần mềm hỗ trợ ({supported}); hãy cập nhật phần mềm motcua"
    )]
    TooNew { found: u32, supported: u32 },
    /// The database is not usable as it is.
    #[error("{0}")]
    Setup(String),
    /// `verify` found the journal or the register altered behind the app's back.
    #[error("{0}")]
    Verify(String),
    /// `motcua init` has not run.
    #[error("quầy chưa được thiết lập; hãy chạy «motcua init» trước")]
    NotInitialized,
    /// `motcua init` ran already.
    #[error("quầy đã được thiết lập rồi (mã định danh {0})")]
    AlreadyInitialized(String),
    /// Writes need the station key.
    #[error("thiếu khóa ký của quầy (tệp station.key)")]
    NoSigner,
    /// Bad input.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ValidationError>),
    /// Unknown or inactive clerk.
    #[error("không có cán bộ «{0}» (hoặc tài khoản đã bị khóa)")]
    UnknownUser(String),
    /// Deactivating this admin would leave the station with none.
    #[error("không thể khóa tài khoản «{0}»: đây là quản trị viên cuối cùng còn hoạt động")]
    LastAdmin(String),
    /// The username exists.
    #[error("tên đăng nhập «{0}» đã tồn tại")]
    UserExists(String),
    /// No such procedure in the current catalogue.
    #[error("không có thủ tục mã «{0}» trong danh mục hiện hành")]
    UnknownProcedure(String),
    /// No such dossier.
    #[error("không có hồ sơ mã «{0}»")]
    UnknownDossier(String),
    /// An illegal status change.
    #[error(transparent)]
    Transition(#[from] motcua_core::status::TransitionError),
    /// No code could be minted.
    #[error(transparent)]
    Code(#[from] motcua_core::code::CodeError),
    /// A key file problem.
    #[error("khóa của quầy: {0}")]
    Key(String),
    /// Stored JSON did not parse (the file was edited or damaged).
    #[error("dữ liệu lưu trữ bị hỏng: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e
            && let Some(k) = inner.downcast_ref::<crate::journal::UnknownKind>()
        {
            return StoreError::Corrupt(k.to_string());
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<ValidationError> for StoreError {
    fn from(e: ValidationError) -> Self {
        StoreError::Invalid(vec![e])
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl StoreError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
