//! Printing, the app's side effect, kept apart from the pure renderer and injectable so
//! every use case can be tested with a [`RecordingPrinter`].
//!
//! [`SystemPrinter`] is the system's print service. On Linux and other Unix systems the
//! PDF goes to CUPS with `lp`, printers come from `lpstat` and a PDF is shown with
//! `xdg-open` ([`cups`]). On Windows the form's pages are drawn on the printer through the
//! print spooler with GDI, so any printer driver prints them, and a PDF is shown with
//! Explorer ([`spooler`]). A print failure never touches the dossier: it is saved before
//! anything is printed.

#[cfg(unix)]
mod cups;
#[cfg(windows)]
mod spooler;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why printing failed, in words the clerk can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("máy chưa cài hệ thống in CUPS (không tìm thấy lệnh «{0}»); hãy cài gói cups-client")]
    NoCups(&'static str),
    #[error("máy in «{printer}» không nhận lệnh in: {detail}")]
    Refused { printer: String, detail: String },
    #[error(
        "chưa chọn máy in và máy không có máy in mặc định; dùng --printer hoặc «motcua config set printer TÊN»"
    )]
    NoPrinter,
    #[error("không mở được tệp PDF để xem: {0}")]
    Viewer(String),
    #[error("hệ thống in của Windows không trả lời: {0}")]
    Spooler(String),
    #[error("in trên hệ điều hành này chưa được hỗ trợ")]
    Unsupported,
}

/// A submitted print job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub printer: String,
    /// CUPS request id, e.g. `PDF-12`.
    pub id: String,
}

/// A form to print: the kept PDF, and the same pages as drawing operations for a printer
/// that draws rather than reads PDF.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub file: &'a Path,
    pub pages: &'a [motcua_receipt::drawing::DrawnPage],
}

/// The system's printers, as the use cases need them.
pub trait Printer: Send + Sync {
    /// The printers the system knows, by name.
    fn printers(&self) -> Result<Vec<String>, PrintError>;
    /// The system default printer, if one is set.
    fn default_printer(&self) -> Result<Option<String>, PrintError>;
    /// Sends a form to `printer` (or the default one), `copies` times.
    fn print(
        &self,
        doc: &Document<'_>,
        printer: Option<&str>,
        copies: u32,
        title: &str,
    ) -> Result<Job, PrintError>;
    /// Opens a PDF in the system's viewer (when no printer is configured).
    fn open(&self, file: &Path) -> Result<(), PrintError>;
}

/// The system's print service: CUPS on Unix ([`cups`]), the print spooler on Windows
/// ([`spooler`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemPrinter;

/// What a [`RecordingPrinter`] was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Printed {
        file: PathBuf,
        printer: String,
        copies: u32,
        title: String,
    },
    Opened(PathBuf),
}

/// A printer for tests: records every job and can be told to fail.
#[derive(Debug, Default)]
pub struct RecordingPrinter {
    /// The printers it reports; the first is the default.
    pub names: Vec<String>,
    /// When set, every print fails with this error.
    pub fail: Option<PrintError>,
    log: Mutex<Vec<Recorded>>,
}

impl RecordingPrinter {
    /// A printer set with the given printers, the first being the default.
    pub fn with_printers(names: &[&str]) -> RecordingPrinter {
        RecordingPrinter {
            names: names.iter().map(|s| s.to_string()).collect(),
            ..RecordingPrinter::default()
        }
    }

    /// The same printer, failing every print with `error`.
    pub fn failing(mut self, error: PrintError) -> RecordingPrinter {
        self.fail = Some(error);
        self
    }

    /// Everything printed or opened so far.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn record(&self, r: Recorded) {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).push(r);
    }
}

impl Printer for RecordingPrinter {
    fn printers(&self) -> Result<Vec<String>, PrintError> {
        Ok(self.names.clone())
    }

    fn default_printer(&self) -> Result<Option<String>, PrintError> {
        Ok(self.names.first().cloned())
    }

    fn print(
        &self,
        doc: &Document<'_>,
        printer: Option<&str>,
        copies: u32,
        title: &str,
    ) -> Result<Job, PrintError> {
        let file = doc.file;
        if let Some(e) = &self.fail {
            return Err(e.clone());
        }
        let printer = match printer {
            Some(p) => p.to_string(),
            None => self.default_printer()?.ok_or(PrintError::NoPrinter)?,
        };
        let n = self.recorded().len() + 1;
        self.record(Recorded::Printed {
            file: file.to_path_buf(),
            printer: printer.clone(),
            copies,
            title: title.to_string(),
        });
        Ok(Job {
            id: format!("{printer}-{n}"),
            printer,
        })
    }

    fn open(&self, file: &Path) -> Result<(), PrintError> {
        self.record(Recorded::Opened(file.to_path_buf()));
        Ok(())
    }
}

/// Why the PDF viewer did not start, in the clerk's words (not the system's English).
pub(crate) fn viewer_error(opener: &str, e: &std::io::Error) -> PrintError {
    PrintError::Viewer(match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "máy chưa có chương trình mở tệp PDF ({opener}; trên Debian, Ubuntu: gói xdg-utils)"
        ),
        std::io::ErrorKind::PermissionDenied => {
            format!("không được phép chạy chương trình mở tệp PDF ({opener})")
        }
        _ => format!("không chạy được chương trình mở tệp PDF ({opener}, mã lỗi {e})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_printer_records_and_fails_on_demand() {
        let p = RecordingPrinter::with_printers(&["PDF"]);
        let doc = Document {
            file: Path::new("/x.pdf"),
            pages: &[],
        };
        let job = p.print(&doc, None, 2, "t").unwrap();
        assert_eq!(job.printer, "PDF");
        assert_eq!(p.recorded().len(), 1);
        let failing = RecordingPrinter::default().failing(PrintError::NoPrinter);
        assert!(failing.print(&doc, None, 1, "t").is_err());
        assert!(failing.recorded().is_empty());
    }
}
