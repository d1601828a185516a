//! Importing a catalogue file into the current catalogue, record by record.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use motcua_core::catalog::{Catalog, ImportOptions, Procedure, ReadFile};
use serde::Serialize;

/// What became of one record of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum RecordFate {
    /// A procedure the current catalogue did not have.
    Added,
    /// It replaces that procedure's entry.
    Updated,
    /// The current catalogue already has it exactly so.
    Unchanged,
    /// Not taken; why, naming the record's number, code and field.
    Refused { reason: String },
}

/// One record of an imported file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordReport {
    /// Its number in the file, from 1.
    pub n: usize,
    pub code: Option<String>,
    #[serde(flatten)]
    pub fate: RecordFate,
}

/// What importing a catalogue file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogImport {
    /// The current version afterwards (the new one when `loaded`).
    pub version: String,
    /// The version it was merged into.
    pub previous: Option<String>,
    pub procedures: usize,
    /// Of which offered at the counter.
    pub offered: usize,
    /// False when nothing changed: no new version.
    pub loaded: bool,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
    /// Record by record, in file order.
    pub records: Vec<RecordReport>,
}

impl CatalogImport {
    fn count(records: &[RecordReport], f: impl Fn(&RecordFate) -> bool) -> usize {
        records.iter().filter(|r| f(&r.fate)).count()
    }
}

/// Merges the records read from a file into the current catalogue: each replaces its
/// procedure's entry or adds one; the others stay. The new version's label is the one
/// asked for, else the file's own when no version has it yet, else one derived from the
/// merged content (`dvcqg-YYYYMMDD-<hash>`, `import-…` for motcua's format); `None`
/// when nothing changes.
pub fn merge(
    current: Option<&Catalog>,
    read: &ReadFile,
    opts: &ImportOptions,
    label_taken: impl Fn(&str) -> bool,
    today: chrono::NaiveDate,
) -> (Option<Catalog>, Vec<RecordReport>) {
    let mut procedures: Vec<Procedure> = current.map(|c| c.procedures.clone()).unwrap_or_default();
    let mut reports = Vec::with_capacity(read.records.len());
    for r in &read.records {
        let fate = match &r.result {
            Err(e) => RecordFate::Refused {
                reason: e.reason.clone(),
            },
            Ok(p) => match procedures.iter_mut().find(|q| q.code == p.code) {
                Some(q) => {
                    let mut p = p.clone();
                    // A bare national record says nothing of the commune's decisions:
                    // the station's stay (offered or not, who handles it).
                    if !r.local {
                        p.offered = q.offered || opts.offer_hidden;
                        p.handled_by = q.handled_by.or(p.handled_by);
                    }
                    // The same content with only a different account of where it came
                    // from is no change.
                    let mut same = p.clone();
                    same.source = q.source.clone();
                    if *q == same {
                        RecordFate::Unchanged
                    } else {
                        *q = p;
                        RecordFate::Updated
                    }
                }
                None => {
                    procedures.push(p.clone());
                    RecordFate::Added
                }
            },
        };
        reports.push(RecordReport {
            n: r.n,
            code: r.code.clone(),
            fate,
        });
    }
    let changed = reports
        .iter()
        .any(|r| matches!(r.fate, RecordFate::Added | RecordFate::Updated));
    if !changed {
        return (None, reports);
    }
    let effective_from = opts
        .effective_from
        .or(read.effective_from)
        .or(read.latest)
        .unwrap_or(today);
    let version = match (&opts.version, &read.label) {
        (Some(v), _) => v.trim().to_string(),
        (None, Some(l)) if !label_taken(l) => l.clone(),
        (None, _) => {
            let stem = if read.national { "dvcqg" } else { "import" };
            let derived = motcua_core::catalog::national::derived_version(
                &procedures,
                read.latest.unwrap_or(effective_from),
            );
            derived.replacen("dvcqg", stem, 1)
        }
    };
    let source = match current {
        Some(c) => format!(
            "{}; gộp vào danh mục {}: {} thủ tục thêm, {} cập nhật",
            read.source,
            c.version,
            CatalogImport::count(&reports, |f| *f == RecordFate::Added),
            CatalogImport::count(&reports, |f| *f == RecordFate::Updated),
        ),
        None => read.source.clone(),
    };
    (
        Some(Catalog {
            version,
            effective_from,
            source,
            procedures,
        }),
        reports,
    )
}

impl Counter {
    /// Loads a catalogue file of either format into the current catalogue, record by
    /// record (see [`Counter::import_catalog_with`]).
    pub fn import_catalog(
        &mut self,
        by: &crate::accounts::Admin,
        file: &std::path::Path,
    ) -> Result<CatalogImport> {
        self.import_catalog_with(by, file, &ImportOptions::default(), false)
    }

    /// Imports a catalogue file: each record replaces its procedure's entry in the current
    /// catalogue or adds one, and the others stay, as a new version that becomes current
    /// (dossiers already received keep the version they were received under). A record
    /// that does not fit is refused on its own and named; with `strict`, any refused
    /// record stores nothing. Nothing new (every record unchanged) stores nothing.
    pub fn import_catalog_with(
        &mut self,
        _by: &crate::accounts::Admin,
        file: &std::path::Path,
        opts: &ImportOptions,
        strict: bool,
    ) -> Result<CatalogImport> {
        let text = std::fs::read_to_string(file)
            .map_err(|e| AppError::file(format!("không đọc được {}", file.display()), e))?;
        let read = motcua_core::catalog::read_file(&text, opts).map_err(|e| {
            AppError::from(e).context(format!(
                "tệp danh mục {} bị từ chối, không nạp gì",
                file.display()
            ))
        })?;
        let refused: Vec<String> = read
            .records
            .iter()
            .filter_map(|r| r.result.as_ref().err().map(|e| e.reason.clone()))
            .collect();
        if strict && !refused.is_empty() {
            return Err(AppError::Refused(format!(
                "tệp danh mục {} có {} bản ghi bị từ chối, không nạp gì (--strict): {}",
                file.display(),
                refused.len(),
                refused.join("; ")
            )));
        }
        let previous = self.store.catalog_version().ok();
        let current = match &previous {
            Some(v) => Some(Catalog {
                version: v.clone(),
                effective_from: self.now().date_naive(),
                source: self.store.catalog_source(v)?,
                procedures: self.store.procedures_in(v)?,
            }),
            None => None,
        };
        let store = &self.store;
        let (merged, records) = merge(
            current.as_ref(),
            &read,
            opts,
            |label| store.catalog_version_exists(label).unwrap_or(true),
            self.now().date_naive(),
        );
        let count = |f: fn(&RecordFate) -> bool| CatalogImport::count(&records, f);
        let (added, updated, unchanged, refused) = (
            count(|f| *f == RecordFate::Added),
            count(|f| *f == RecordFate::Updated),
            count(|f| *f == RecordFate::Unchanged),
            count(|f| matches!(f, RecordFate::Refused { .. })),
        );
        let (cat, loaded) = match merged {
            Some(cat) => {
                cat.check().map_err(AppError::from)?;
                let loaded = self.store.load_catalog(&cat, "system", self.now())?;
                (cat, loaded)
            }
            None => match current {
                Some(c) => (c, false),
                None => {
                    return Err(AppError::Refused(format!(
                        "tệp danh mục {} không có bản ghi nào dùng được: {}",
                        file.display(),
                        refused_list(&records)
                    )));
                }
            },
        };
        Ok(CatalogImport {
            version: cat.version.clone(),
            previous,
            procedures: cat.procedures.len(),
            offered: cat.procedures.iter().filter(|p| p.offered).count(),
            loaded,
            added,
            updated,
            unchanged,
            refused,
            records,
        })
    }
}

fn refused_list(records: &[RecordReport]) -> String {
    records
        .iter()
        .filter_map(|r| match &r.fate {
            RecordFate::Refused { reason } => Some(reason.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}
