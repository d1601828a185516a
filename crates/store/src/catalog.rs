//! The procedure catalogue in the database: every version kept, one current.

use crate::journal::{JournalWriter, NewEvent};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use motcua_core::catalog::{Catalog, Procedure};
use motcua_core::journal::EventKind;
use motcua_core::text::{fold, tokens};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

impl Store {
    /// Loads a catalogue version and makes it current. Loading the same version again with
    /// the same content is a no-op; the same version with other content is refused.
    pub fn load_catalog(
        &mut self,
        cat: &Catalog,
        by: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<bool> {
        cat.check()?;
        self.journaled(|w| load_catalog_in(&w.tx, &mut w.journal, cat, by, now))
    }

    /// The current catalogue version label.
    pub fn catalog_version(&self) -> Result<String> {
        self.setting("catalog_version")?
            .ok_or_else(|| StoreError::Setup("chưa nạp danh mục thủ tục".into()))
    }

    /// A procedure of the current catalogue, with that catalogue's version.
    pub fn procedure(&self, code: &str) -> Result<(Procedure, String)> {
        let version = self.catalog_version()?;
        let p = self
            .conn
            .query_row(
                "SELECT code, name, field, term, term_unconfirmed, fee, documents
                 FROM procedures WHERE version = ?1 AND code = ?2",
                [&version, code.trim()],
                row_to_procedure,
            )
            .optional()?
            .ok_or_else(|| StoreError::UnknownProcedure(code.trim().chars().take(40).collect()))?;
        Ok((p, version))
    }

    /// Searches the current catalogue by folded words (`khai sinh`, `chung thuc`,
    /// `1.001193`); an empty query lists everything. Exact code matches come first.
    pub fn search_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        let version = self.catalog_version()?;
        let q = fold(query);
        let words: Vec<&str> = tokens(&q).collect();
        let mut st = self.conn.prepare(
            "SELECT code, name, field, term, term_unconfirmed, fee, documents, folded
             FROM procedures WHERE version = ?1 ORDER BY code",
        )?;
        let mut hits = Vec::new();
        let mut rows = st.query([&version])?;
        while let Some(r) = rows.next()? {
            let folded: String = r.get(7)?;
            if words.iter().all(|w| folded.contains(w)) {
                hits.push(row_to_procedure(r)?);
            }
        }
        let exact = query.trim();
        hits.sort_by_key(|p| p.code != exact);
        Ok(hits)
    }
}

/// The catalogue load inside the caller's transaction (so a pulled catalogue and the sync
/// cursor commit together): checks, stores the version and its procedures, makes it
/// current and journals it. `Ok(false)` when the same version is already there unchanged.
pub(crate) fn load_catalog_in(
    tx: &rusqlite::Connection,
    journal: &mut JournalWriter,
    cat: &Catalog,
    by: &str,
    now: DateTime<FixedOffset>,
) -> Result<bool> {
    cat.check()?;
    let body = serde_json::to_string(cat)?;
    let existing: Option<String> = tx
        .query_row(
            "SELECT body FROM catalog_versions WHERE version = ?1",
            [&cat.version],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(b) if b == body => return Ok(false),
        Some(_) => {
            return Err(StoreError::Setup(format!(
                "danh mục phiên bản {} đã có với nội dung khác; hãy đặt phiên bản mới",
                cat.version
            )));
        }
        None => {}
    }
    tx.execute(
        "INSERT INTO catalog_versions(version, effective_from, source, loaded_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            cat.version,
            cat.effective_from.to_string(),
            cat.source,
            now.to_rfc3339(),
            body
        ],
    )?;
    {
        let mut ins = tx.prepare(
            "INSERT INTO procedures(version, code, name, field, term, term_unconfirmed, fee,
                                    documents, folded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for p in &cat.procedures {
            ins.execute(rusqlite::params![
                cat.version,
                p.code,
                p.name,
                p.field,
                p.term,
                p.term_unconfirmed,
                p.fee,
                serde_json::to_string(&p.documents)?,
                fold(&format!("{} {} {}", p.code, p.name, p.field)),
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO settings(key, value) VALUES ('catalog_version', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [&cat.version],
    )?;
    let payload = serde_json::json!({
        "version": cat.version,
        "procedures": cat.procedures.len(),
        "sha256": hex::encode(Sha256::digest(body.as_bytes())),
    });
    journal.append(
        tx,
        NewEvent {
            kind: EventKind::CatalogLoaded,
            clerk: by,
            dossier_id: None,
            payload: payload.to_string(),
            wall_time: now,
        },
    )?;
    Ok(true)
}

/// A stored JSON column that does not parse is a conversion failure of that column.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn row_to_procedure(r: &rusqlite::Row<'_>) -> rusqlite::Result<Procedure> {
    Ok(Procedure {
        code: r.get(0)?,
        name: r.get(1)?,
        field: r.get(2)?,
        term: r.get(3)?,
        term_unconfirmed: r.get(4)?,
        fee: r.get(5)?,
        documents: json_column(r, 6)?,
    })
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;

    #[test]
    fn folded_search() {
        let (_d, s) = store();
        let codes = |q: &str| -> Vec<String> {
            s.search_procedures(q)
                .unwrap()
                .into_iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(codes("khai sinh"), ["1.001193"]);
        assert_eq!(codes("CHỨNG THỰC"), ["2.000815"]);
        assert_eq!(codes("chung thuc"), ["2.000815"]);
        assert_eq!(codes("1.001193"), ["1.001193"]);
        assert_eq!(codes("ho tich").len(), 2);
        assert!(codes("không có").is_empty());
        assert_eq!(codes("").len(), 3);
    }

    #[test]
    fn reloading_same_version_is_noop_other_content_refused() {
        let (_d, mut s) = store();
        let mut cat = motcua_core::catalog::Catalog::from_json(TEST_CATALOG).unwrap();
        assert!(!s.load_catalog(&cat, "x", now()).unwrap());
        cat.procedures[0].name = "Khác".into();
        assert!(s.load_catalog(&cat, "x", now()).is_err());
        cat.version = "test-2".into();
        assert!(s.load_catalog(&cat, "x", now()).unwrap());
        assert_eq!(s.procedure("1.001193").unwrap().0.name, "Khác");
        assert_eq!(s.procedure("1.001193").unwrap().1, "test-2");
    }
}
