//! The application's error: `Clone` so it can travel in a window message, with a plain
//! Vietnamese message for the clerk (its `Display`) and the cause kept for logs
//! (`source()`, and [`AppError::log_line`]). Refused input stays per field.

use crate::print::PrintError;
use motcua_core::{Field, ValidationError};
use motcua_store::StoreError;
use motcua_sync::SyncError;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything a use case can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// Input refused, field by field, in the order of the form.
    #[error("{}", join(.0))]
    Invalid(Vec<ValidationError>),
    /// A rule refused the request as a whole (not one input field).
    #[error("{0}")]
    Refused(String),
    /// A request made obsolete by a newer one of the same kind before it ran (the clerk
    /// typed on); its answer is dropped.
    #[error("yêu cầu đã được thay bằng một yêu cầu mới hơn")]
    Superseded,
    /// The data directory has no station yet.
    #[error("chưa có dữ liệu quầy tại {}; hãy chạy «motcua init» trước", .0.display())]
    NotSetUp(PathBuf),
    /// A setting's value was refused.
    #[error("{reason}")]
    Setting {
        /// The setting's name (`lookup-url`, …).
        key: &'static str,
        /// Why, in Vietnamese.
        reason: String,
    },
    /// The register failed (disk full, busy, damaged, unknown dossier, …).
    #[error(transparent)]
    Store(Arc<StoreError>),
    /// The exchange with the province hub failed; nothing at the counter is lost.
    #[error(transparent)]
    Sync(Arc<SyncError>),
    /// A date or term the calendar cannot use.
    #[error(transparent)]
    Calendar(#[from] motcua_core::calendar::CalendarError),
    /// A form could not be rendered (a broken build rather than bad input).
    #[error("không tạo được tệp PDF của giấy tờ")]
    Render(#[source] motcua_receipt::RenderError),
    /// The dossier was saved, but printing it failed: the kept PDF can be printed again.
    #[error("hồ sơ {code} vẫn được lưu an toàn; bản PDF để in lại: {}", .kept.display())]
    PrintFailed {
        code: String,
        kept: PathBuf,
        #[source]
        source: PrintError,
    },
    /// Printing outside a dossier (listing printers, …).
    #[error(transparent)]
    Print(#[from] PrintError),
    /// A file could not be read or written.
    #[error("{context}")]
    File {
        context: String,
        #[source]
        source: Arc<std::io::Error>,
    },
    /// A failure explained by what was being done.
    #[error("{context}")]
    Context {
        context: String,
        #[source]
        source: Arc<AppError>,
    },
}

fn join(errors: &[ValidationError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl AppError {
    /// How many committed events the database is missing, when that is why it refused
    /// to write (it went back in time; see `motcua_store::mark`).
    pub fn missing_events(&self) -> Option<u64> {
        match self {
            AppError::Store(e) => match e.as_ref() {
                StoreError::RolledBack { db_seq, mark_seq } => Some(mark_seq - db_seq),
                _ => None,
            },
            _ => None,
        }
    }
}

impl AppError {
    /// A file error with what was being done, in Vietnamese.
    pub fn file(context: impl Into<String>, source: std::io::Error) -> AppError {
        AppError::File {
            context: context.into(),
            source: Arc::new(source),
        }
    }

    /// One refused field.
    pub fn field(field: Field, reason: impl Into<String>) -> AppError {
        AppError::Invalid(vec![ValidationError::new(field, reason)])
    }

    /// Wraps the error with what was being done.
    pub fn context(self, context: impl Into<String>) -> AppError {
        AppError::Context {
            context: context.into(),
            source: Arc::new(self),
        }
    }

    /// The refused fields, in form order (empty for other errors).
    pub fn fields(&self) -> &[ValidationError] {
        match self {
            AppError::Invalid(v) => v,
            AppError::Context { source, .. } => source.fields(),
            _ => &[],
        }
    }

    /// Why `field` was refused, if it was.
    pub fn reason_for(&self, field: Field) -> Option<&str> {
        self.fields()
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.reason.as_str())
    }

    /// Whether nothing was written because the disk is full.
    pub fn is_disk_full(&self) -> bool {
        match self {
            AppError::Store(e) => matches!(**e, StoreError::DiskFull),
            AppError::Context { source, .. } => source.is_disk_full(),
            _ => false,
        }
    }

    /// Whether the station has not enrolled with a hub yet.
    pub fn is_not_enrolled(&self) -> bool {
        matches!(self, AppError::Sync(e) if matches!(**e, SyncError::NotEnrolled))
    }

    /// The delay the hub asked for when it said it was busy (503 or 429 with
    /// `Retry-After`), if that is what this is.
    pub fn hub_retry_after(&self) -> Option<std::time::Duration> {
        match self {
            AppError::Sync(e) => match **e {
                SyncError::Busy { retry_after } => Some(retry_after),
                _ => None,
            },
            _ => None,
        }
    }

    /// The message and every cause, on one line, for a log. A storage failure adds
    /// SQLite's own English text here, and only here (the clerk sees the Vietnamese).
    pub fn log_line(&self) -> String {
        let mut line = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            line.push_str(" — do: ");
            line.push_str(&c.to_string());
            cause = c.source();
        }
        if let Some(technical) = self.store_error().and_then(StoreError::technical_cause) {
            line.push_str(" — do: ");
            line.push_str(&technical);
        }
        line
    }

    /// The register's failure behind this error, if that is what it is.
    fn store_error(&self) -> Option<&StoreError> {
        match self {
            AppError::Store(e) => Some(e),
            AppError::Context { source, .. } => source.store_error(),
            _ => None,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::Refused(why) => AppError::Refused(why),
            e => AppError::Store(Arc::new(e)),
        }
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => e.into(),
            e => AppError::Sync(Arc::new(e)),
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl From<motcua_receipt::RenderError> for AppError {
    fn from(e: motcua_receipt::RenderError) -> Self {
        AppError::Render(e)
    }
}

impl From<motcua_core::code::CodeError> for AppError {
    fn from(e: motcua_core::code::CodeError) -> Self {
        StoreError::from(e).into()
    }
}

/// Result of a use case.
pub type Result<T> = std::result::Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_clone_and_keep_their_causes() {
        let e = AppError::file(
            "không ghi được tệp /x",
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        )
        .context("không lưu được bản sao giấy tiếp nhận");
        let copy = e.clone();
        assert_eq!(copy.to_string(), "không lưu được bản sao giấy tiếp nhận");
        assert_eq!(
            copy.log_line(),
            "không lưu được bản sao giấy tiếp nhận — do: không ghi được tệp /x — do: denied"
        );
    }

    #[test]
    fn validation_errors_stay_per_field() {
        let e: AppError = StoreError::Invalid(vec![
            ValidationError::new(Field::FullName, "không được để trống"),
            ValidationError::new(Field::Phone, "sai"),
        ])
        .into();
        assert_eq!(e.reason_for(Field::Phone), Some("sai"));
        assert_eq!(e.fields().len(), 2);
        assert_eq!(
            e.to_string(),
            "Họ và tên: không được để trống; Số điện thoại: sai"
        );
        assert!(!e.is_disk_full());
        assert!(AppError::from(StoreError::DiskFull).is_disk_full());
    }

    #[test]
    fn storage_failures_show_vietnamese_and_log_sqlite_text() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.sqlite");
        std::fs::write(&db, vec![0x5A; 8192]).unwrap();
        let raw = motcua_store::Store::open(&db).unwrap_err();
        assert!(matches!(raw, StoreError::Sqlite(_)), "{raw:?}");
        let inner = AppError::from(raw);
        assert!(
            inner
                .to_string()
                .starts_with("tệp cơ sở dữ liệu bị hỏng nên dữ liệu CHƯA được lưu"),
            "{inner}"
        );
        assert!(std::error::Error::source(&inner).is_none());
        assert!(inner.log_line().contains("file is not a database"));
        let e = inner.context("không lưu được hồ sơ");
        // What the command line prints: the message and every source, none of it English.
        let mut shown = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            shown.push_str(&c.to_string());
            cause = c.source();
        }
        assert!(
            shown.contains("bị hỏng") && shown.contains("CHƯA được lưu"),
            "{shown}"
        );
        assert!(!shown.contains("file is not a database"), "{shown}");
        assert!(
            e.log_line().contains("file is not a database"),
            "{}",
            e.log_line()
        );
    }
}
