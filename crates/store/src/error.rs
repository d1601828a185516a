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
    #[error(
        "cơ sở dữ liệu đang bận vì một chương trình khác đang ghi nên dữ liệu CHƯA được lưu; hãy đợi một lát rồi thử lại"
    )]
    Busy,
    /// Any other SQLite failure: the clerk's message is chosen by SQLite's error code
    /// ([`sqlite_message`]). SQLite's own English text is not a `source` (the command
    /// line prints every source to the clerk): it is kept for the log line only, through
    /// [`StoreError::technical_cause`].
    #[error("{}", sqlite_message(.0))]
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
    /// The database is behind the journal's high-water mark: committed events are missing
    /// (a deleted `-wal`, an old backup). Nothing is written until they are recovered.
    #[error(
        "cơ sở dữ liệu thiếu {} sự kiện quầy đã ghi (hiện có đến số {db_seq}, đã ghi đến số {mark_seq}), có thể do mất điện, tệp -wal bị xóa hoặc khôi phục bản sao lưu cũ; quầy tạm dừng ghi để không cấp lại mã đã in cho công dân; hãy chạy «motcua recover» để lấy lại từ máy chủ tỉnh",
        .mark_seq - .db_seq
    )]
    RolledBack { db_seq: u64, mark_seq: u64 },
    /// The database holds another journal than the one the station last committed (its
    /// event at the mark's sequence differs): a backup of a history a later restore left
    /// behind, or a file put in place by hand. Nothing is written until the loss is
    /// accepted.
    #[error(
        "nhật ký trong cơ sở dữ liệu khác với nhật ký quầy đã ghi gần nhất (từ sự kiện số {at} trở về trước), có thể do khôi phục một bản sao lưu khác hoặc tệp cơ sở dữ liệu đã bị thay; quầy tạm dừng cấp mã hồ sơ để không cấp trùng mã đã in; hãy chạy «motcua recover» để lấy lại từ máy chủ tỉnh, rồi «motcua recover --accept-loss» để quầy bỏ qua một khoảng số hồ sơ và ghi lại mốc mới"
    )]
    Diverged { at: u64 },
    /// The mark file cannot be read back: whether the database lacks events is unknown.
    /// Reading goes on; nothing is written until `recover --accept-loss` sets a new mark.
    #[error(
        "tệp mốc nhật ký {} bị hỏng nên không biết cơ sở dữ liệu có thiếu sự kiện nào không; quầy tạm dừng cấp mã hồ sơ để không cấp trùng mã đã in (tra cứu, in lại và sao lưu vẫn dùng được; đừng xóa tệp này); hãy chạy «motcua recover» khi có mạng để lấy lại từ máy chủ tỉnh những sự kiện còn thiếu, rồi «motcua recover --accept-loss» để quầy bỏ qua một khoảng số hồ sơ và ghi lại mốc mới",
        path.display()
    )]
    MarkDamaged { path: PathBuf },
    /// An idempotency key of a receive request that is not 1–100 printable ASCII characters.
    #[error(
        "mã yêu cầu (request id) phải gồm 1 đến 100 ký tự ASCII in được, không có khoảng trắng"
    )]
    BadRequestId,
    /// `motcua init` has not run.
    #[error("quầy chưa được thiết lập; hãy chạy «motcua init» trước")]
    NotInitialized,
    /// The register is encrypted and no key for it is open in this process.
    #[error(
        "sổ đăng ký {} đã được mã hóa và chưa được mở khóa trên máy này: cần mật khẩu của một tài khoản có khe khóa, hoặc mã khôi phục",
        .0.display()
    )]
    Locked(PathBuf),
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
    /// A change the dossier's state does not allow (it moved on, or changed meanwhile).
    #[error("{0}")]
    Refused(String),
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

/// Said of every storage failure: a failed write is one transaction rolled back whole.
const NOT_SAVED: &str = "nên dữ liệu CHƯA được lưu (không có gì được ghi vào sổ)";

/// The clerk's message for a SQLite failure, by its error code: what happened, that
/// nothing was saved (every write is one transaction, rolled back whole), what to do.
pub(crate) fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    let (what, todo) = match e.sqlite_error_code() {
        Some(C::DatabaseCorrupt | C::NotADatabase) => (
            "tệp cơ sở dữ liệu bị hỏng",
            "đừng tiếp tục nhập trên máy này; hãy báo cán bộ kỹ thuật kiểm tra («motcua verify») và khôi phục từ bản sao lưu («motcua restore»)",
        ),
        Some(C::ConstraintViolation) => (
            "cơ sở dữ liệu từ chối ghi vì dữ liệu trùng hoặc trái ràng buộc của sổ",
            "hãy thử lưu lại; nếu vẫn lỗi, báo cán bộ kỹ thuật kiểm tra («motcua verify»)",
        ),
        Some(C::DiskFull) => ("ổ đĩa đã đầy", "hãy giải phóng dung lượng rồi thử lại"),
        Some(C::ReadOnly) => (
            "cơ sở dữ liệu đang chỉ cho đọc",
            "hãy kiểm tra quyền ghi của tệp và ổ đĩa rồi thử lại",
        ),
        Some(C::DatabaseBusy | C::DatabaseLocked) => (
            "cơ sở dữ liệu đang bận vì một chương trình khác đang ghi",
            "hãy đợi một lát rồi thử lại",
        ),
        Some(C::SystemIoFailure) => (
            "lỗi đọc ghi ổ đĩa",
            "hãy kiểm tra ổ đĩa (ổ USB, cáp, dung lượng) rồi thử lại; nếu lặp lại, báo cán bộ kỹ thuật",
        ),
        Some(C::CannotOpen) => (
            "không mở được tệp cơ sở dữ liệu (thư mục dữ liệu không ghi được, ổ đĩa chỉ cho đọc hoặc đã bị tháo)",
            "hãy kiểm tra thư mục dữ liệu và quyền ghi rồi thử lại",
        ),
        Some(C::PermissionDenied | C::AuthorizationForStatementDenied) => (
            "không có quyền truy cập cơ sở dữ liệu",
            "hãy kiểm tra quyền của tệp rồi thử lại",
        ),
        Some(C::FileLockingProtocolFailed) => (
            "không khóa được tệp cơ sở dữ liệu (thường do thư mục dữ liệu nằm trên ổ mạng)",
            "hãy đặt thư mục dữ liệu trên ổ đĩa của máy này",
        ),
        Some(C::OutOfMemory) => (
            "máy không đủ bộ nhớ",
            "hãy đóng bớt chương trình khác rồi thử lại",
        ),
        Some(C::TooBig) => (
            "dữ liệu quá lớn để ghi",
            "hãy rút gọn nội dung vừa nhập rồi thử lại",
        ),
        Some(C::OperationInterrupted | C::OperationAborted | C::SchemaChanged) => (
            "thao tác với cơ sở dữ liệu bị ngắt giữa chừng",
            "hãy thử lại",
        ),
        Some(C::NoLargeFileSupport) => (
            "hệ điều hành không cho tệp cơ sở dữ liệu lớn thêm",
            "hãy báo cán bộ kỹ thuật chuyển thư mục dữ liệu sang ổ đĩa khác",
        ),
        _ => (
            "lỗi cơ sở dữ liệu",
            "hãy thử lại; nếu lặp lại, báo cán bộ kỹ thuật kiểm tra («motcua verify»)",
        ),
    };
    format!("{what} {NOT_SAVED}; {todo}")
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
    /// SQLite's own description of the failure (English, with its error code), for the
    /// log line only; `None` for failures whose message says everything.
    pub fn technical_cause(&self) -> Option<String> {
        match self {
            StoreError::Sqlite(e) => Some(match e.sqlite_error_code() {
                Some(code) => format!("SQLite {code:?}: {e}"),
                None => e.to_string(),
            }),
            _ => None,
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{Connection, OpenFlags};

    /// English words of SQLite's messages that must never reach the clerk.
    const ENGLISH: [&str; 8] = [
        "database",
        "attempt",
        "malformed",
        "constraint",
        "unable",
        "file",
        "locked",
        "full",
    ];

    fn assert_vietnamese(e: &StoreError, needle: &str) {
        let shown = e.to_string();
        assert!(shown.contains(needle), "«{needle}» not in: {shown}");
        assert!(shown.contains("CHƯA được lưu"), "{shown}");
        for word in ENGLISH {
            assert!(!shown.to_lowercase().contains(word), "«{word}» in: {shown}");
        }
    }

    fn source_text(e: &StoreError) -> String {
        assert!(
            std::error::Error::source(e).is_none(),
            "the English cause is no source the command line would print"
        );
        e.technical_cause().unwrap_or_default()
    }

    fn db(dir: &std::path::Path) -> std::path::PathBuf {
        let p = dir.join("t.sqlite");
        let c = Connection::open(&p).unwrap();
        c.execute_batch(
            "CREATE TABLE t(code TEXT PRIMARY KEY, body TEXT);
             INSERT INTO t VALUES ('a', 'x');",
        )
        .unwrap();
        c.execute_batch(&format!(
            "INSERT INTO t SELECT 'k' || value, '{}' FROM generate_series(1, 200)",
            "y".repeat(200)
        ))
        .or_else(|_| {
            for i in 0..200 {
                c.execute(
                    "INSERT INTO t VALUES (?1, ?2)",
                    rusqlite::params![format!("k{i}"), "y".repeat(200)],
                )?;
            }
            Ok::<(), rusqlite::Error>(())
        })
        .unwrap();
        p
    }

    #[test]
    fn a_read_only_database_is_explained_in_vietnamese() {
        let dir = tempfile::tempdir().unwrap();
        let p = db(dir.path());
        let c = Connection::open_with_flags(&p, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let raw = c
            .execute("INSERT INTO t VALUES ('b', 'x')", [])
            .unwrap_err();
        assert!(raw.to_string().contains("readonly"), "{raw}");
        let e = StoreError::from(raw);
        assert!(matches!(e, StoreError::ReadOnly));
        assert_vietnamese(&e, "chỉ cho đọc");
    }

    #[test]
    fn a_damaged_database_is_explained_in_vietnamese_with_the_cause_kept_for_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let p = db(dir.path());
        // Overwrite every page but the header page with garbage.
        let len = std::fs::metadata(&p).unwrap().len() as usize;
        let mut bytes = std::fs::read(&p).unwrap();
        for b in &mut bytes[4096.min(len)..] {
            *b = 0xA5;
        }
        std::fs::write(&p, &bytes).unwrap();
        let c = Connection::open(&p).unwrap();
        let raw = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert_eq!(
            raw.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt),
            "{raw}"
        );
        let e = StoreError::from(raw);
        assert_vietnamese(&e, "tệp cơ sở dữ liệu bị hỏng");
        assert!(e.to_string().contains("motcua restore"), "{e}");
        assert!(source_text(&e).contains("malformed"), "{}", source_text(&e));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_explained_in_vietnamese() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.sqlite");
        std::fs::write(&p, vec![0x5A; 8192]).unwrap();
        let c = Connection::open(&p).unwrap();
        let raw = c
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_err();
        assert_eq!(
            raw.sqlite_error_code(),
            Some(rusqlite::ErrorCode::NotADatabase)
        );
        assert_vietnamese(&StoreError::from(raw), "bị hỏng");
    }

    #[test]
    fn a_constraint_failure_is_explained_in_vietnamese() {
        let dir = tempfile::tempdir().unwrap();
        let p = db(dir.path());
        let c = Connection::open(&p).unwrap();
        let raw = c
            .execute("INSERT INTO t VALUES ('a', 'again')", [])
            .unwrap_err();
        assert!(
            raw.to_string().contains("UNIQUE constraint failed"),
            "{raw}"
        );
        let e = StoreError::from(raw);
        assert_vietnamese(&e, "trùng hoặc trái ràng buộc");
        assert!(source_text(&e).contains("UNIQUE constraint failed: t.code"));
    }

    #[test]
    fn a_database_that_cannot_be_opened_is_explained_in_vietnamese() {
        let dir = tempfile::tempdir().unwrap();
        let raw = Connection::open(dir.path().join("gone").join("t.sqlite")).unwrap_err();
        assert_eq!(
            raw.sqlite_error_code(),
            Some(rusqlite::ErrorCode::CannotOpen)
        );
        assert_vietnamese(&StoreError::from(raw), "không mở được tệp cơ sở dữ liệu");
    }

    #[test]
    fn busy_and_full_say_nothing_was_saved() {
        assert!(StoreError::Busy.to_string().contains("CHƯA được lưu"));
        assert!(StoreError::DiskFull.to_string().contains("CHƯA được lưu"));
        // Failures with no SQLite code still get a Vietnamese message.
        let e = StoreError::from(rusqlite::Error::QueryReturnedNoRows);
        assert_vietnamese(&e, "lỗi cơ sở dữ liệu");
    }
}
