//! Printing: the app's side effect, kept apart from the pure renderer.
//!
//! On Linux and other Unix systems the PDF goes to CUPS with `lp`; printers come from
//! `lpstat`. On Windows the same [`print_pdf`] will hand the file to the shell's `print`
//! verb for PDFs (`ShellExecuteW(…, "printto", file, printer, …)`, or SumatraPDF's
//! `-print-to <printer> -print-settings <n>x` where the default PDF viewer has no
//! `printto` verb); that path is not built yet and returns a clear error. A print failure
//! never touches the dossier: it is saved before anything is printed.

use std::path::Path;
use std::process::Command;

/// Why printing failed, in words the clerk can act on.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("máy chưa cài hệ thống in CUPS (không tìm thấy lệnh «{0}»); hãy cài gói cups-client")]
    NoCups(&'static str),
    #[error("máy in «{printer}» không nhận lệnh in: {detail}")]
    Refused { printer: String, detail: String },
    #[error(
        "chưa chọn máy in và máy không có máy in mặc định; dùng --printer hoặc «motcua config set printer TÊN»"
    )]
    NoPrinter,
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

fn run(tool: &'static str, args: &[&str]) -> Result<std::process::Output, PrintError> {
    Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PrintError::NoCups(tool),
            _ => PrintError::Refused {
                printer: String::new(),
                detail: e.to_string(),
            },
        })
}

/// The printers CUPS knows, by name.
pub fn printers() -> Result<Vec<String>, PrintError> {
    let out = run("lpstat", &["-e"])?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// The system default printer, if one is set.
pub fn default_printer() -> Result<Option<String>, PrintError> {
    let out = run("lpstat", &["-d"])?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .split_once(':')
        .map(|(_, name)| name.trim().to_string())
        .filter(|n| !n.is_empty() && !n.contains(' ')))
}

/// Sends a PDF to a printer (or the default one), `copies` times.
pub fn print_pdf(
    file: &Path,
    printer: Option<&str>,
    copies: u32,
    title: &str,
) -> Result<Job, PrintError> {
    if !cfg!(unix) {
        return Err(PrintError::Unsupported);
    }
    let printer = match printer {
        Some(p) => p.to_string(),
        None => default_printer()?.ok_or(PrintError::NoPrinter)?,
    };
    let copies = copies.clamp(1, 99).to_string();
    let file = file.to_string_lossy();
    let out = run(
        "lp",
        &["-d", &printer, "-n", &copies, "-t", title, "--", &file],
    )?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(PrintError::Refused {
            printer,
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let id = stdout
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Ok(Job { printer, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tools_are_explained() {
        let e = run("lp-that-does-not-exist", &[]).unwrap_err();
        assert!(e.to_string().contains("cups-client"), "{e}");
    }
}
