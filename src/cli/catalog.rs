//! `motcua catalog …`: the procedure catalogue.

use super::{open, print_json};
use crate::cli::out::outln;
use crate::paths::Paths;
use anyhow::Result;

/// Catalogue subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CatalogCmd {
    /// Search procedures by code or words (marks optional).
    Search {
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Load a new catalogue version from a JSON file and make it current.
    Import { file: std::path::PathBuf },
}

/// Runs a catalogue subcommand.
pub fn run(cmd: CatalogCmd, paths: &Paths) -> Result<()> {
    match cmd {
        CatalogCmd::Search { text, json } => {
            let hits = open(paths)?.search_procedures(&text)?;
            if json {
                return print_json(&hits);
            }
            if hits.is_empty() {
                outln!("Không tìm thấy thủ tục nào khớp «{text}».")?;
            }
            for p in hits {
                outln!("{}  {}  [{}; thời hạn {}]", p.code, p.name, p.field, p.term)?;
            }
            Ok(())
        }
        CatalogCmd::Import { file } => {
            let imp = open(paths)?.import_catalog(&file)?;
            if imp.loaded {
                outln!(
                    "Đã nạp danh mục phiên bản {} ({} thủ tục).",
                    imp.version,
                    imp.procedures
                )?;
            } else {
                outln!(
                    "Danh mục phiên bản {} đã có sẵn, không thay đổi.",
                    imp.version
                )?;
            }
            Ok(())
        }
    }
}
