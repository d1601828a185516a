//! The procedure catalogue in the database: every version kept, one current.

use crate::journal::{JournalWriter, NewEvent};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset, NaiveDate};
use motcua_core::calendar::term_text;
use motcua_core::catalog::{
    Catalog, ChannelTerms, HandledBy, LegalBasis, Procedure, ProcedureCase,
};
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

    /// A procedure of the current catalogue, with that catalogue's version (also one not
    /// offered at the counter: the caller decides).
    pub fn procedure(&self, code: &str) -> Result<(Procedure, String)> {
        let version = self.catalog_version()?;
        let p = self
            .procedure_in(&version, code)?
            .ok_or_else(|| StoreError::UnknownProcedure(code.trim().chars().take(40).collect()))?;
        Ok((p, version))
    }

    /// A procedure as catalogue version `version` has it (every version is kept), if that
    /// version has it.
    pub fn procedure_in(&self, version: &str, code: &str) -> Result<Option<Procedure>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {PROCEDURE_COLUMNS} FROM procedures WHERE version = ?1 AND code = ?2"
                ),
                [version, code.trim()],
                row_to_procedure,
            )
            .optional()?)
    }

    /// Whether catalogue version `version` is loaded.
    pub fn catalog_version_exists(&self, version: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM catalog_versions WHERE version = ?1",
                [version],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The source line of catalogue version `version`.
    pub fn catalog_source(&self, version: &str) -> Result<String> {
        Ok(self.conn.query_row(
            "SELECT source FROM catalog_versions WHERE version = ?1",
            [version],
            |r| r.get(0),
        )?)
    }

    /// Every procedure of catalogue version `version`, in the order it was loaded.
    pub fn procedures_in(&self, version: &str) -> Result<Vec<Procedure>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {PROCEDURE_COLUMNS} FROM procedures WHERE version = ?1 ORDER BY rowid"
        ))?;
        let rows = st.query_map([version], row_to_procedure)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Searches the procedures offered at the counter in the current catalogue by folded
    /// words (`khai sinh`, `chung thuc`, `1.001193`); an empty query lists them all.
    /// Exact code matches come first. This is the window's procedure picker.
    pub fn search_procedures(&self, query: &str) -> Result<Vec<Procedure>> {
        self.find_procedures(query, false, &Use::default())
    }

    /// How many dossiers of each procedure this register received from `since` on: the
    /// picker ranks by it.
    pub fn procedure_use(&self, since: NaiveDate) -> Result<Use> {
        let mut st = self.conn.prepare_cached(
            "SELECT procedure_code, count(*) FROM dossiers WHERE received_day >= ?1
             GROUP BY procedure_code",
        )?;
        let rows = st.query_map([since.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(Use(rows.collect::<rusqlite::Result<_>>()?))
    }

    /// As [`Store::search_procedures`]; with `include_hidden` also the procedures the
    /// catalogue keeps off the counter (cư trú received by Công an cấp xã). Most relevant
    /// first: the exact code, then the procedures this counter received most (`used`),
    /// then names holding the typed words as one phrase, then the shortest names, then by
    /// code.
    pub fn find_procedures(
        &self,
        query: &str,
        include_hidden: bool,
        used: &Use,
    ) -> Result<Vec<Procedure>> {
        let version = self.catalog_version()?;
        let q = fold(query);
        let words: Vec<&str> = tokens(&q).collect();
        let mut st = self.conn.prepare(&format!(
            "SELECT {PROCEDURE_COLUMNS}, folded FROM procedures
             WHERE version = ?1 AND (offered = 1 OR ?2) ORDER BY code"
        ))?;
        let mut hits = Vec::new();
        let mut rows = st.query(rusqlite::params![version, include_hidden])?;
        while let Some(r) = rows.next()? {
            let folded: String = r.get(PROCEDURE_COLUMN_COUNT)?;
            if words.iter().all(|w| folded.contains(w)) {
                hits.push(row_to_procedure(r)?);
            }
        }
        // "khai sinh" puts "Đăng ký khai sinh" before "Đăng ký khai sinh lưu động".
        let exact = query.trim();
        let phrase = words.join(" ");
        hits.sort_by_cached_key(|p| {
            let name = fold(&p.name);
            let joined: String = tokens(&name).collect::<Vec<_>>().join(" ");
            (
                p.code != exact,
                std::cmp::Reverse(used.count(&p.code)),
                !phrase.is_empty() && !joined.contains(&phrase),
                if words.is_empty() {
                    0
                } else {
                    name.chars().count()
                },
            )
        });
        Ok(hits)
    }

    /// The offered procedures of the current catalogue this counter received at least once
    /// from `since` on, most received first, at most `limit`.
    pub fn frequent_procedures(&self, since: NaiveDate, limit: usize) -> Result<Vec<Procedure>> {
        let used = self.procedure_use(since)?;
        let mut top: Vec<(&String, &u64)> = used.0.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let version = self.catalog_version()?;
        let mut out = Vec::new();
        for (code, _) in top {
            if out.len() >= limit {
                break;
            }
            if let Some(p) = self.procedure_in(&version, code)?
                && p.offered
            {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// How many procedures the current catalogue has: (offered at the counter, not).
    pub fn procedure_counts(&self) -> Result<(u64, u64)> {
        let version = self.catalog_version()?;
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(offered = 1), 0), coalesce(sum(offered = 0), 0)
             FROM procedures WHERE version = ?1",
            [&version],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?)
    }
}

/// How many dossiers of each procedure code a counter received in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Use(pub std::collections::HashMap<String, u64>);

impl Use {
    /// The dossiers of `code` (0 for none).
    pub fn count(&self, code: &str) -> u64 {
        self.0.get(code).copied().unwrap_or(0)
    }
}

/// The columns [`row_to_procedure`] reads, in order.
const PROCEDURE_COLUMNS: &str =
    "code, name, field, term, term_unconfirmed, fee, documents, offered, detail";
/// Number of columns in [`PROCEDURE_COLUMNS`].
const PROCEDURE_COLUMN_COUNT: usize = 9;

/// What of a procedure has no column of its own: the `detail` JSON column. Every field
/// is optional, so `'{}'` (a row written before the column existed) is a procedure with
/// no cases, channels, legal basis or source.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Detail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    term_note: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    term_none: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    fee_unconfirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    handled_by: Option<HandledBy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cases: Vec<ProcedureCase>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    channels: Vec<ChannelTerms>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    legal_basis: Vec<LegalBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

impl Detail {
    fn of(p: &Procedure) -> Detail {
        Detail {
            term_note: p.term_note.clone(),
            term_none: p.term_none,
            fee_unconfirmed: p.fee_unconfirmed,
            handled_by: p.handled_by,
            cases: p.cases.clone(),
            channels: p.channels.clone(),
            legal_basis: p.legal_basis.clone(),
            source: p.source.clone(),
        }
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
                                    documents, folded, offered, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for p in &cat.procedures {
            ins.execute(rusqlite::params![
                cat.version,
                p.code,
                p.name,
                p.field,
                term_text::text(&p.term),
                p.term_unconfirmed,
                p.fee,
                serde_json::to_string(&p.documents)?,
                fold(&format!("{} {} {}", p.code, p.name, p.field)),
                p.offered,
                serde_json::to_string(&Detail::of(p))?,
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
    let detail: Detail = json_column(r, 8)?;
    Ok(Procedure {
        code: r.get(0)?,
        name: r.get(1)?,
        field: r.get(2)?,
        term: crate::dossier::term_column(r, 3)?,
        term_unconfirmed: r.get(4)?,
        term_note: detail.term_note,
        term_none: detail.term_none,
        fee: r.get(5)?,
        fee_unconfirmed: detail.fee_unconfirmed,
        documents: json_column(r, 6)?,
        offered: r.get(7)?,
        handled_by: detail.handled_by,
        cases: detail.cases,
        channels: detail.channels,
        legal_basis: detail.legal_basis,
        source: detail.source,
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
        // Relevance: the words as one phrase first, shorter names first; no words: by code.
        assert_eq!(codes("ban chinh"), ["2.000815"]);
        assert_eq!(codes(""), ["1.001193", "1.004873", "2.000815"]);
    }

    #[test]
    fn the_most_relevant_procedure_comes_first() {
        let (_d, mut s) = store();
        let mut cat = motcua_core::catalog::Catalog::from_json(TEST_CATALOG).unwrap();
        cat.version = "test-2".into();
        let mut add = |code: &str, name: &str| {
            let mut p = cat.procedures[0].clone();
            p.code = code.into();
            p.name = name.into();
            cat.procedures.push(p);
        };
        add(
            "1.000689",
            "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
        );
        add("1.004884", "Đăng ký lại khai sinh");
        s.load_catalog(&cat, "x", now()).unwrap();
        let codes = |q: &str| -> Vec<String> {
            s.search_procedures(q)
                .unwrap()
                .into_iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(codes("khai sinh"), ["1.001193", "1.004884", "1.000689"]);
        assert_eq!(
            codes("dang ky khai sinh"),
            ["1.001193", "1.000689", "1.004884"]
        );
        assert_eq!(codes("1.004884")[0], "1.004884");
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

    /// A national record with cases, channels, legal basis and a hidden one.
    fn national() -> motcua_core::catalog::Catalog {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/catalog/national"
        );
        let records: Vec<serde_json::Value> = ["2.000635", "1.004222"]
            .iter()
            .map(|c| {
                let text = std::fs::read_to_string(format!("{dir}/{c}.json")).unwrap();
                serde_json::from_str(&text).unwrap()
            })
            .collect();
        motcua_core::catalog::parse_file(
            &serde_json::to_string(&records).unwrap(),
            &Default::default(),
        )
        .unwrap()
    }

    #[test]
    fn cases_channels_and_offered_are_stored_and_read_back() {
        let (_d, mut s) = store();
        let cat = national();
        assert!(s.load_catalog(&cat, "x", now()).unwrap());
        let (p, version) = s.procedure("2.000635").unwrap();
        assert_eq!(version, cat.version);
        assert_eq!(&p, cat.get("2.000635").unwrap(), "every field comes back");
        assert_eq!(p.cases.len(), 4);
        assert_eq!(p.channels.len(), 3);
        // Not offered: kept and found by code, left out of the picker unless asked for.
        let (hidden, _) = s.procedure("1.004222").unwrap();
        assert!(!hidden.offered);
        let codes = |all: bool| -> Vec<String> {
            s.find_procedures("", all, &super::Use::default())
                .unwrap()
                .into_iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(codes(false), ["2.000635"]);
        assert_eq!(codes(true), ["1.004222", "2.000635"]);
        assert!(s.search_procedures("thuong tru").unwrap().is_empty());
        assert_eq!(s.procedure_counts().unwrap(), (1, 1));
        // The row as the database holds it.
        let (offered, detail): (bool, String) = s
            .conn
            .query_row(
                "SELECT offered, detail FROM procedures WHERE code = '1.004222'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(!offered);
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["handled_by"], "commune_police");
        assert_eq!(detail["cases"][0]["code"], "1.004222.01");
        // Today's catalogue rows carry the defaults.
        let (offered, detail): (bool, String) = s
            .conn
            .query_row(
                "SELECT offered, detail FROM procedures WHERE version = 'test-1' AND code = '1.001193'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(offered);
        assert_eq!(detail, "{}");
    }

    #[test]
    fn a_newer_version_leaves_old_dossiers_on_theirs() {
        let five = Some(motcua_core::calendar::Term::WorkingDays(5));
        let three = Some(motcua_core::calendar::Term::WorkingDays(3));
        let (_d, mut s) = store();
        let old = s
            .receive(&request("Lê Văn Cũ", "2026-11-25T09:00"), now())
            .unwrap();
        let mut cat = motcua_core::catalog::Catalog::from_json(TEST_CATALOG).unwrap();
        cat.version = "test-2".into();
        cat.procedures[2].term = five;
        cat.procedures[2].name = "Cấp Giấy xác nhận tình trạng hôn nhân".into();
        assert!(s.load_catalog(&cat, "x", now()).unwrap());
        assert_eq!(s.catalog_version().unwrap(), "test-2");
        let mut req = request("Lê Văn Mới", "2026-11-25T09:10");
        req.procedure.catalog_version = "test-2".into();
        req.procedure.term = five;
        let new = s.receive(&req, now()).unwrap();
        let old = s.dossier(&old.code).unwrap();
        assert_eq!(
            (old.procedure.catalog_version.as_str(), old.procedure.term),
            ("test-1", three)
        );
        assert_eq!(
            s.dossier(&new.code).unwrap().procedure.catalog_version,
            "test-2"
        );
        // Both versions stay whole: the old one can still be read.
        let then = s.procedure_in("test-1", "1.004873").unwrap().unwrap();
        assert_eq!(
            (then.name.as_str(), then.term),
            ("Xác nhận tình trạng hôn nhân", three)
        );
        assert_eq!(s.procedure("1.004873").unwrap().0.term, five);
        let versions: i64 = s
            .conn
            .query_row("SELECT count(*) FROM catalog_versions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(versions, 2);
    }
}
