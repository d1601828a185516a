//! The Windows print spooler: its printers, and the form's pages drawn on one with GDI
//! (`motcua_win::print`), so a printer whose driver reads no PDF prints them too and no
//! PDF viewer is needed. A PDF is shown with Explorer (whatever opens PDFs there).

use std::path::Path;
use std::process::Command;

use super::{Document, Job, PrintError, Printer, SystemPrinter};

impl Printer for SystemPrinter {
    fn printers(&self) -> Result<Vec<String>, PrintError> {
        motcua_win::print::printers().map_err(|e| PrintError::Spooler(e.to_string()))
    }

    fn default_printer(&self) -> Result<Option<String>, PrintError> {
        motcua_win::print::default_printer().map_err(|e| PrintError::Spooler(e.to_string()))
    }

    fn print(
        &self,
        doc: &Document<'_>,
        printer: Option<&str>,
        copies: u32,
        title: &str,
    ) -> Result<Job, PrintError> {
        let printer = match printer {
            Some(p) => p.to_string(),
            None => self.default_printer()?.ok_or(PrintError::NoPrinter)?,
        };
        match motcua_win::print::print(&printer, doc.pages, copies, title) {
            Ok(id) => Ok(Job {
                id: id.to_string(),
                printer,
            }),
            Err(e) => Err(PrintError::Refused {
                printer,
                detail: e.to_string(),
            }),
        }
    }

    fn open(&self, file: &Path) -> Result<(), PrintError> {
        // Explorer opens the file with the program PDFs are associated with, and returns.
        Command::new("explorer.exe")
            .arg(file)
            .spawn()
            .map(drop)
            .map_err(|e| super::viewer_error("explorer.exe", &e))
    }
}
