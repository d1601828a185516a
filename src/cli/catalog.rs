//! `motcua catalog …`: the procedure catalogue.

use super::{now_vn, open_store, print_json};
use crate::paths::Paths;
use anyhow::{Context, Result};
use motcua_core::catalog::Catalog;

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
            let store = open_store(paths)?;
            let hits = store.search_procedures(&text)?;
            if json {
                return print_json(&hits);
            }
            if hits.is_empty() {
                println!("Không tìm thấy thủ tục nào khớp «{text}».");
            }
            for p in hits {
                println!("{}  {}  [{}; thời hạn {}]", p.code, p.name, p.field, p.term);
            }
            Ok(())
        }
        CatalogCmd::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            let cat = Catalog::from_json(&text)?;
            let mut store = open_store(paths)?;
            if store.load_catalog(&cat, "system", now_vn())? {
                println!(
                    "Đã nạp danh mục phiên bản {} ({} thủ tục).",
                    cat.version,
                    cat.procedures.len()
                );
            } else {
                println!(
                    "Danh mục phiên bản {} đã có sẵn, không thay đổi.",
                    cat.version
                );
            }
            Ok(())
        }
    }
}
