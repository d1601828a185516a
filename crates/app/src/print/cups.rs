//! CUPS through its command-line tools: `lpstat` for the printers, `lp` for a job (the
//! kept PDF, which CUPS filters for any printer), `xdg-open` to show a PDF.

use std::path::Path;
use std::process::Command;

use super::{Document, Job, PrintError, Printer, SystemPrinter};

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

impl Printer for SystemPrinter {
    fn printers(&self) -> Result<Vec<String>, PrintError> {
        let out = run("lpstat", &["-e"])?;
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }

    fn default_printer(&self) -> Result<Option<String>, PrintError> {
        let out = run("lpstat", &["-d"])?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text
            .split_once(':')
            .map(|(_, name)| name.trim().to_string())
            .filter(|n| !n.is_empty() && !n.contains(' ')))
    }

    fn print(
        &self,
        doc: &Document<'_>,
        printer: Option<&str>,
        copies: u32,
        title: &str,
    ) -> Result<Job, PrintError> {
        let file = doc.file;
        let printer = match printer {
            Some(p) => p.to_string(),
            None => self.default_printer()?.ok_or(PrintError::NoPrinter)?,
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

    fn open(&self, file: &Path) -> Result<(), PrintError> {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        // The viewer outlives this call: start it and do not wait.
        Command::new(opener)
            .arg(file)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| super::viewer_error(opener, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_viewer_is_explained_in_vietnamese() {
        let e = super::super::viewer_error(
            "xdg-open",
            &std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        let text = e.to_string();
        assert!(text.contains("chưa có chương trình mở tệp PDF"), "{text}");
        assert!(!text.contains("No such file"), "{text}");
    }

    #[test]
    fn missing_tools_are_explained() {
        let e = run("lp-that-does-not-exist", &[]).unwrap_err();
        assert!(e.to_string().contains("cups-client"), "{e}");
    }
}
