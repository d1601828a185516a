//! `motcua catalog …`: the procedure catalogue.

use super::{open, print_json};
use crate::cli::out::outln;
use crate::paths::Paths;
use anyhow::Result;
use motcua_core::calendar::Term;
use motcua_core::catalog::{ImportOptions, Procedure, SubmissionMethod};

/// Catalogue subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CatalogCmd {
    /// Search procedures by code or words (marks optional); only those offered at the
    /// counter unless --all.
    Search {
        text: String,
        /// Also the procedures not offered at the counter (cư trú, Công an cấp xã).
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// One procedure of the current catalogue: its cases, channels, terms, fees, legal
    /// basis and source.
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Load a catalogue version from a JSON file and make it current: motcua's format or
    /// the national portal's (one record {"code":"OK","data":…}, an array of records, or
    /// motcua's wrapper of them). A file of records alone gets the version
    /// dvcqg-YYYYMMDD-<hash> (latest update, content) unless --version is given.
    Import {
        file: std::path::PathBuf,
        /// Version label instead of the file's own or the derived one.
        #[arg(long)]
        version: Option<String>,
        /// First day of the version (YYYY-MM-DD), for national records; default: the
        /// records' latest update.
        #[arg(long)]
        effective_from: Option<chrono::NaiveDate>,
        /// Offer every procedure at the counter, also those the data keeps off it
        /// (cư trú received by Công an cấp xã).
        #[arg(long)]
        offer_hidden: bool,
    },
}

/// Runs a catalogue subcommand.
pub fn run(cmd: CatalogCmd, paths: &Paths) -> Result<()> {
    match cmd {
        CatalogCmd::Search { text, all, json } => {
            let hits = open(paths)?.find_procedures(&text, all)?;
            if json {
                return print_json(&hits);
            }
            if hits.is_empty() {
                outln!("Không tìm thấy thủ tục nào khớp «{text}».")?;
            }
            for p in hits {
                outln!(
                    "{}  {}  [{}; thời hạn {}{}]{}",
                    p.code,
                    p.name,
                    p.field,
                    term_label(&p),
                    if p.cases.is_empty() {
                        String::new()
                    } else {
                        format!("; {} trường hợp", p.cases.len())
                    },
                    if p.offered {
                        String::new()
                    } else {
                        format!("  (không tiếp nhận tại quầy{})", handled(&p))
                    }
                )?;
            }
            Ok(())
        }
        CatalogCmd::Show { code, json } => {
            let p = open(paths)?.procedure(&code)?;
            if json {
                return print_json(&p);
            }
            show(&p)
        }
        CatalogCmd::Import {
            file,
            version,
            effective_from,
            offer_hidden,
        } => {
            let opts = ImportOptions {
                version,
                effective_from,
                offer_hidden,
            };
            let imp = open(paths)?.import_catalog_with(&file, &opts)?;
            let hidden = imp.procedures - imp.offered;
            if imp.loaded {
                outln!(
                    "Đã nạp danh mục phiên bản {} ({} thủ tục, {} tiếp nhận tại quầy{}); đây là danh mục hiện hành, hồ sơ đã nhận giữ phiên bản cũ.",
                    imp.version,
                    imp.procedures,
                    imp.offered,
                    if hidden > 0 {
                        format!(", {hidden} không tiếp nhận tại quầy")
                    } else {
                        String::new()
                    }
                )?;
            } else {
                outln!(
                    "Danh mục phiên bản {} đã có sẵn với cùng nội dung: không nạp lại, không thay đổi gì.",
                    imp.version
                )?;
            }
            Ok(())
        }
    }
}

/// "3 ngày làm việc", "3 ngày làm việc, chưa xác nhận", "theo trường hợp", "chưa có".
fn term_label(p: &Procedure) -> String {
    match p.term.parse::<Term>() {
        Ok(t) if !p.term.is_empty() => {
            if p.term_unconfirmed {
                format!("{}, chưa xác nhận", t.label_vi())
            } else {
                t.label_vi()
            }
        }
        _ if p.case_required() => "theo trường hợp".to_string(),
        _ => "chưa có".to_string(),
    }
}

fn handled(p: &Procedure) -> String {
    p.handled_by
        .map(|h| format!(": {}", h.label()))
        .unwrap_or_default()
}

fn show(p: &Procedure) -> Result<()> {
    outln!("{}  {}", p.code, p.name)?;
    outln!("Lĩnh vực: {}", p.field)?;
    if let Some(h) = p.handled_by {
        outln!("Cơ quan thực hiện: {}", h.label())?;
    }
    if !p.offered {
        outln!("Không tiếp nhận tại quầy một cửa (ẩn trong danh sách chọn thủ tục).")?;
    }
    outln!("Thời hạn: {}", term_label(p))?;
    if let Some(n) = &p.term_note {
        outln!("  ({n})")?;
    }
    outln!(
        "Phí, lệ phí: {}{}",
        p.fee,
        if p.fee_unconfirmed {
            " (chưa xác nhận)"
        } else {
            ""
        }
    )?;
    for c in &p.cases {
        outln!("Trường hợp {}: {}", c.code, c.name)?;
        for m in SubmissionMethod::ALL {
            let a = p.applicable(Some(c), m);
            if p.channels.iter().any(|ch| ch.method == m) || m == SubmissionMethod::Direct {
                outln!(
                    "  {}: {}{}",
                    m.label(),
                    a.term
                        .map_or_else(|| "chưa có thời hạn".to_string(), |t| t.label_vi()),
                    if a.term_unconfirmed && a.term.is_some() {
                        " (chưa xác nhận)"
                    } else {
                        ""
                    }
                )?;
            }
        }
    }
    for ch in &p.channels {
        let t = ch
            .term
            .parse::<Term>()
            .map(|t| t.label_vi())
            .unwrap_or_else(|_| "không ghi thời hạn".to_string());
        outln!(
            "Cách thức {}: {t}; {}{}",
            ch.method.label(),
            if ch.fee.is_empty() {
                "không ghi phí"
            } else {
                &ch.fee
            },
            ch.variant
                .as_ref()
                .map(|v| format!(" — {v}"))
                .unwrap_or_default()
        )?;
    }
    for (i, d) in p.documents.iter().enumerate() {
        outln!("Giấy tờ {}: {} ({})", i + 1, d.name, d.kind.label())?;
    }
    if !p.legal_basis.is_empty() {
        let list: Vec<&str> = p.legal_basis.iter().map(|l| l.code.as_str()).collect();
        outln!("Căn cứ pháp lý: {}", list.join("; "))?;
    }
    if let Some(s) = &p.source {
        outln!("Nguồn: {s}")?;
    }
    Ok(())
}
