//! Everything the command line writes to stdout and stderr goes through here: a failed
//! write is an error handled once in `main`, never a panic (`println!` panics when stdout
//! is a full disk or a closed pipe, and a panic after a commit looks to a wrapper script
//! like a failure worth retrying: a second dossier).
//!
//! * stdout closed early (`| head -1`): the command stops writing and ends quietly with
//!   exit code 0, since what it was asked to do is done;
//! * stdout failing otherwise (`> /dev/full`): a message on stderr says what was already
//!   saved and that the command must not be run again, exit code [`EXIT_OUTPUT_FAILED`].

use std::fmt;
use std::io::Write;

/// Exit code when the command did its work (and saved it, if it saves anything) but
/// could not write its result to stdout.
pub const EXIT_OUTPUT_FAILED: u8 = 3;

/// stdout could not be written.
#[derive(Debug)]
pub struct OutputFailed {
    source: std::io::Error,
    /// What the command had already saved when its output failed, in Vietnamese.
    saved: Option<String>,
}

impl OutputFailed {
    /// The reader closed the pipe: nobody wants the rest of the output.
    pub fn is_broken_pipe(&self) -> bool {
        self.source.kind() == std::io::ErrorKind::BrokenPipe
    }

    /// What had been saved, if anything.
    pub fn saved(&self) -> Option<&str> {
        self.saved.as_deref()
    }
}

impl fmt::Display for OutputFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.source.raw_os_error() {
            Some(28) => "ổ đĩa đã đầy",
            Some(27) => "tệp vượt quá giới hạn kích thước",
            Some(5) => "lỗi đọc ghi của thiết bị",
            _ => "lỗi hệ thống",
        };
        write!(f, "không ghi được kết quả ra đầu ra chuẩn (stdout): {why}")?;
        if let Some(code) = self.source.raw_os_error() {
            write!(f, " (mã lỗi hệ thống {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for OutputFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Writes formatted text to stdout (flushed, so the failure is seen here).
pub fn write(args: fmt::Arguments<'_>) -> Result<(), OutputFailed> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.flush())
        .map_err(|source| OutputFailed {
            source,
            saved: None,
        })
}

/// Writes a line to stderr; a failing stderr is ignored (there is nowhere left to say it).
pub fn warn(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// A line on stdout: `outln!("…", x)?`.
macro_rules! outln {
    () => {
        $crate::cli::out::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// A line on stderr, never failing: `errln!("…", x)`.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::warn(format_args!($($arg)*))
    };
}

pub(crate) use {errln, outln};

/// Runs `print` (the output of a command whose work is already saved); if stdout fails,
/// the error says `what` was saved, so the message on stderr tells the clerk not to do
/// it again.
pub fn after_saving(
    what: impl Into<String>,
    print: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    print().map_err(|e| match e.downcast::<OutputFailed>() {
        Ok(o) => anyhow::Error::new(OutputFailed {
            saved: Some(what.into()),
            ..o
        }),
        Err(e) => e,
    })
}
