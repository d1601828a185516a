//! `motcua catalog …`: the procedure catalogue.

use super::{open, print_json};
use crate::cli::out::outln;
use crate::paths::Paths;
use anyhow::Result;
use motcua_app::catalog::RecordFate;
use motcua_core::catalog::{ImportOptions, Procedure, SubmissionMethod, TermAnswer};

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
    /// Import a JSON catalogue file into the current catalogue: motcua's format or the
    /// national portal's (one record {"code":"OK","data":…}, the crawler's {id, code,
    /// name, detail}, an array of records, or motcua's wrapper of them). Each record
    /// replaces that procedure's entry or adds one; the other procedures stay. The result
    /// is a new version that becomes current (dossiers already received keep theirs); a
    /// record that does not fit is refused and named, the others are taken.
    Import {
        file: std::path::PathBuf,
        /// Version label instead of the file's own or the derived one.
        #[arg(long)]
        version: Option<String>,
        /// First day of the version (YYYY-MM-DD); default: the file's, or the records'
        /// latest update.
        #[arg(long, value_parser = crate::cli::date_arg)]
        effective_from: Option<chrono::NaiveDate>,
        /// Offer every procedure at the counter, also those the data keeps off it
        /// (cư trú received by Công an cấp xã).
        #[arg(long)]
        offer_hidden: bool,
        /// Store nothing if any record is refused.
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
}

/// Runs a catalogue subcommand.
pub fn run(cmd: CatalogCmd, acting: Option<String>, paths: &Paths) -> Result<()> {
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
            strict,
            json,
        } => {
            let opts = ImportOptions {
                version,
                effective_from,
                offer_hidden,
            };
            let mut counter = open(paths)?;
            let by = super::admin(&counter, acting.as_deref())?;
            let imp = counter.import_catalog_with(&by, &file, &opts, strict)?;
            if json {
                return print_json(&imp);
            }
            for r in &imp.records {
                let code = r.code.as_deref().unwrap_or("?");
                match &r.fate {
                    RecordFate::Added => outln!("bản ghi {} ({code}): thêm mới", r.n)?,
                    RecordFate::Updated => outln!("bản ghi {} ({code}): cập nhật", r.n)?,
                    RecordFate::Unchanged => outln!("bản ghi {} ({code}): không đổi", r.n)?,
                    RecordFate::Refused { reason } => {
                        outln!("bản ghi {} ({code}): TỪ CHỐI — {reason}", r.n)?
                    }
                }
            }
            let hidden = imp.procedures - imp.offered;
            let tally = format!(
                "{} thêm, {} cập nhật, {} không đổi, {} từ chối",
                imp.added, imp.updated, imp.unchanged, imp.refused
            );
            if imp.loaded {
                outln!(
                    "Đã nạp danh mục phiên bản {} ({tally}); danh mục hiện hành có {} thủ tục, {} tiếp nhận tại quầy{}. Hồ sơ đã nhận giữ phiên bản cũ{}.",
                    imp.version,
                    imp.procedures,
                    imp.offered,
                    if hidden > 0 {
                        format!(", {hidden} không tiếp nhận tại quầy")
                    } else {
                        String::new()
                    },
                    imp.previous
                        .as_deref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default()
                )?;
            } else {
                outln!(
                    "Không có gì thay đổi ({tally}): danh mục hiện hành vẫn là phiên bản {}.",
                    imp.version
                )?;
            }
            Ok(())
        }
    }
}

/// "3 ngày làm việc", "3 ngày làm việc, chưa xác nhận", "theo trường hợp", "chưa có".
fn term_label(p: &Procedure) -> String {
    match p.term {
        Some(t) => {
            if p.term_unconfirmed {
                format!("{}, chưa xác nhận", t.label_vi())
            } else {
                t.label_vi()
            }
        }
        _ if p.term_none => "không quy định thời hạn".to_string(),
        _ if p.case_required() => "theo trường hợp".to_string(),
        _ if p
            .term_note
            .as_deref()
            .is_some_and(|n| n.contains("chọn khi tiếp nhận")) =>
        {
            "cán bộ chọn khi tiếp nhận".to_string()
        }
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
    // The term of every case through every channel the record offers, as receiving
    // takes it: one term, or the published ones the clerk chooses among.
    let methods = match p.methods() {
        m if m.is_empty() => vec![SubmissionMethod::Direct, SubmissionMethod::Postal],
        m => m,
    };
    let cases: Vec<Option<usize>> = if p.cases.is_empty() {
        vec![None]
    } else {
        (0..p.cases.len()).map(Some).collect()
    };
    for i in cases {
        let case = i.map(|i| &p.cases[i]);
        if let (Some(i), Some(c)) = (i, case) {
            outln!("Trường hợp {}: {}", p.case_selector(i), c.name)?;
        }
        for m in &methods {
            let a = p.applicable(case, *m);
            let line = match &a.term {
                TermAnswer::One(o) => format!(
                    "{}{}",
                    motcua_core::catalog::term_label(o.term),
                    if o.unconfirmed {
                        " (chưa xác nhận)"
                    } else {
                        ""
                    }
                ),
                TermAnswer::Choose { options } => format!(
                    "cán bộ chọn khi tiếp nhận: {}",
                    options
                        .iter()
                        .enumerate()
                        .map(|(n, o)| format!("{}) {}", n + 1, o.text))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                TermAnswer::Missing { .. } => "chưa có thời hạn".to_string(),
            };
            outln!("  {}: {line}", m.label())?;
        }
    }
    for ch in &p.channels {
        let t = match ch.term {
            _ if ch.term_none => "không quy định thời hạn".to_string(),
            Some(t) => t.label_vi(),
            None => "không ghi thời hạn".to_string(),
        };
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
        let mut tags = vec![d.kind.label().to_string()];
        if d.conditional {
            tags.push("tùy trường hợp".into());
        }
        if d.presented {
            tags.push("xuất trình".into());
        }
        if let Some(m) = d.channel {
            tags.push(format!("chỉ khi nộp {}", m.label().to_lowercase()));
        }
        outln!("Giấy tờ {}: {} ({})", i + 1, d.name, tags.join(", "))?;
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
