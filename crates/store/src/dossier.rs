//! Receiving dossiers, changing their status, finding them.

use crate::catalog::json_column;
use crate::journal::{NewEvent, StatusChange};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use motcua_core::code::DossierCode;
use motcua_core::dossier::{CaseRef, Dossier, Party, PartyKind, ProcedureRef, ValidInput};
use motcua_core::journal::EventKind;
use motcua_core::status::Status;
use motcua_core::text::{fold, tokens};
use rand_core::{OsRng, RngCore};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

/// Stored form of local times: whole seconds.
pub(crate) const TIME_FMT: &str = "%Y-%m-%dT%H:%M:%S";

/// Drops sub-second digits, so the journal and the register hold the same instant.
fn to_second(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    t.with_nanosecond(0).unwrap_or(t)
}

/// One dossier to receive.
#[derive(Debug, Clone)]
pub struct ReceiveRequest {
    pub input: ValidInput,
    pub procedure: ProcedureRef,
    /// Local Vietnam time of receipt.
    pub received_at: NaiveDateTime,
    pub due_at: Option<NaiveDateTime>,
    pub clerk: String,
}

/// Parameters of the bulk generator used by benchmarks (`motcua dev seed`).
#[derive(Debug, Clone)]
pub struct SeedSpec {
    pub count: u64,
    pub batch: u64,
}

/// A line of the register, for lists and search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierSummary {
    pub id: String,
    pub code: String,
    pub applicant_name: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: Status,
    pub received_at: NaiveDateTime,
    pub due_at: Option<NaiveDateTime>,
}

/// Columns read by [`summary_from_row`], in order.
pub(crate) const SUMMARY_COLUMNS: &str = "d.id, d.code, d.applicant_name, d.procedure_code, \
    d.procedure_name, d.status, d.received_at, d.due_at";

/// Reads a register line selected with [`SUMMARY_COLUMNS`].
pub(crate) fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DossierSummary> {
    Ok(DossierSummary {
        id: r.get(0)?,
        code: r.get(1)?,
        applicant_name: r.get(2)?,
        procedure_code: r.get(3)?,
        procedure_name: r.get(4)?,
        status: enum_column(r, 5)?,
        received_at: time_column(r, 6)?.ok_or_else(|| conversion(6, std::fmt::Error))?,
        due_at: time_column(r, 7)?,
    })
}

/// Columns read by [`row_to_dossier`], in order.
pub(crate) const DOSSIER_COLUMNS: &str = "d.id, d.code, d.lookup_secret, d.applicant_name, d.id_number, \
    d.phone, d.email, d.address, d.owner, d.procedure_code, d.procedure_name, d.catalog_version, \
    d.term, d.documents, d.sets, d.channel, d.result_delivery, d.fee, d.received_at, d.due_at, \
    d.clerk, d.status, d.note, d.ledger_entry, d.applicant_kind, d.representative, d.proxy, \
    d.case_code, d.case_name, d.term_source";
/// Number of columns in [`DOSSIER_COLUMNS`].
pub(crate) const DOSSIER_COLUMN_COUNT: usize = 30;

fn conversion(i: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

fn time_column(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    let t: Option<String> = r.get(i)?;
    t.map(|t| NaiveDateTime::parse_from_str(&t, TIME_FMT).map_err(|e| conversion(i, e)))
        .transpose()
}

fn enum_column<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let t: String = r.get(i)?;
    serde_json::from_value(serde_json::Value::String(t)).map_err(|e| conversion(i, e))
}

/// Reads a dossier from a row selected with [`DOSSIER_COLUMNS`].
pub(crate) fn row_to_dossier(r: &rusqlite::Row<'_>) -> rusqlite::Result<Dossier> {
    let code: String = r.get(1)?;
    Ok(Dossier {
        id: r.get(0)?,
        code: code.parse().map_err(|e| conversion(1, e))?,
        lookup_secret: r.get(2)?,
        applicant: Party {
            kind: {
                let k: String = r.get(24)?;
                PartyKind::parse(&k).ok_or_else(|| conversion(24, std::fmt::Error))?
            },
            full_name: r.get(3)?,
            id_number: r.get(4)?,
            phone: r.get(5)?,
            email: r.get(6)?,
            address: r.get(7)?,
            representative: r.get(25)?,
        },
        owner: r
            .get::<_, Option<String>>(8)?
            .map(|o| serde_json::from_str(&o).map_err(|e| conversion(8, e)))
            .transpose()?,
        procedure: ProcedureRef {
            code: r.get(9)?,
            name: r.get(10)?,
            catalog_version: r.get(11)?,
            term: r.get(12)?,
            case: match (
                r.get::<_, Option<String>>(27)?,
                r.get::<_, Option<String>>(28)?,
            ) {
                (Some(code), name) => Some(CaseRef {
                    code,
                    name: name.unwrap_or_default(),
                }),
                (None, _) => None,
            },
            term_source: r
                .get::<_, Option<String>>(29)?
                .map(|t| serde_json::from_str(&t).map_err(|e| conversion(29, e)))
                .transpose()?,
        },
        proxy: r
            .get::<_, Option<String>>(26)?
            .map(|o| serde_json::from_str(&o).map_err(|e| conversion(26, e)))
            .transpose()?,
        documents: json_column(r, 13)?,
        sets: r.get(14)?,
        channel: enum_column(r, 15)?,
        result_delivery: json_column(r, 16)?,
        fee: r.get::<_, Option<i64>>(17)?.map(|f| f.max(0) as u64),
        received_at: time_column(r, 18)?.ok_or_else(|| conversion(18, std::fmt::Error))?,
        due_at: time_column(r, 19)?,
        clerk: r.get(20)?,
        status: enum_column(r, 21)?,
        note: r.get(22)?,
        ledger_entry: r.get::<_, Option<i64>>(23)?.map(|n| n.max(0) as u64),
    })
}

fn as_text<T: Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

/// Folded text of a dossier for the search index.
fn search_row(d: &Dossier) -> [String; 5] {
    let mut name = d.applicant.full_name.clone();
    if let Some(o) = &d.owner {
        name.push(' ');
        name.push_str(&o.full_name);
    }
    [
        fold(&name),
        fold(d.applicant.address.as_deref().unwrap_or("")),
        fold(&d.code.to_string()),
        d.applicant.id_number.clone().unwrap_or_default(),
        d.applicant.phone.clone().unwrap_or_default(),
    ]
}

fn new_secret() -> String {
    loop {
        let mut buf = [0u8; 16];
        OsRng.fill_bytes(&mut buf);
        if let Some(s) = motcua_core::secret::from_random(&buf) {
            return s;
        }
    }
}

impl Store {
    /// Receives one dossier: mints its code, writes it, its journal event and its outbox
    /// row in one IMMEDIATE transaction, durable on return.
    pub fn receive(&mut self, req: &ReceiveRequest, now: DateTime<FixedOffset>) -> Result<Dossier> {
        let mut out = self.receive_batch(std::slice::from_ref(req), now)?;
        out.pop()
            .ok_or_else(|| StoreError::Corrupt("no dossier returned".into()))
    }

    /// Receives one dossier under an idempotency key chosen by the caller: the first call
    /// with `request_id` receives it; a retry with the same key (its answer was lost to a
    /// broken pipe or a crash) returns the dossier saved then, with `true`, and writes
    /// nothing. The check and the save are one transaction, so two processes retrying at
    /// once still save one dossier.
    pub fn receive_once(
        &mut self,
        req: &ReceiveRequest,
        request_id: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(Dossier, bool)> {
        let request_id = check_request_id(request_id)?;
        let out = self.journaled(|w| {
            if let Some(d) = requested_in(&w.tx, &request_id)? {
                return Ok((d, true));
            }
            let d = receive_in(w, req, now)?;
            w.tx.prepare_cached(
                "INSERT INTO receive_requests(request_id, dossier_id, at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![request_id, d.id, now.to_rfc3339()])?;
            Ok((d, false))
        })?;
        Ok(out)
    }

    /// The dossier saved under the idempotency key `request_id`, if any.
    pub fn requested(&self, request_id: &str) -> Result<Option<Dossier>> {
        requested_in(&self.conn, request_id.trim())
    }

    /// Receives many dossiers in one transaction (bulk import and benchmarks). Each one gets
    /// its code and its entry number in the year's ledger book here, once.
    pub fn receive_batch(
        &mut self,
        reqs: &[ReceiveRequest],
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<Dossier>> {
        self.journaled(|w| {
            let mut out = Vec::with_capacity(reqs.len());
            for req in reqs {
                out.push(receive_in(w, req, now)?);
            }
            Ok(out)
        })
    }

    /// Changes a dossier's status at the counter, journaled with the clerk and a note.
    pub fn transition(
        &mut self,
        code: &DossierCode,
        to: Status,
        clerk: &str,
        note: Option<&str>,
        now: DateTime<FixedOffset>,
    ) -> Result<Dossier> {
        let note = motcua_core::validation::optional(note, motcua_core::Field::Note, 2000)?;
        self.journaled(|w| {
            let user = crate::user::user_in(&w.tx, clerk)?;
            let mut d = dossier_in(&w.tx, &code.to_string())?;
            let from = d.status;
            d.status = from.transition(to)?;
            w.tx.execute(
                "UPDATE dossiers SET status = ?1, updated_at = ?2 WHERE id = ?3",
                params![to.as_str(), now.to_rfc3339(), d.id],
            )?;
            let change = StatusChange {
                code: d.code.to_string(),
                from,
                to,
                note,
            };
            w.append(NewEvent {
                kind: EventKind::StatusChanged,
                clerk: &user.username,
                dossier_id: Some(&d.id),
                payload: serde_json::to_string(&change)?,
                wall_time: now,
            })?;
            Ok(d)
        })
    }

    /// A dossier by its code.
    pub fn dossier(&self, code: &DossierCode) -> Result<Dossier> {
        dossier_in(&self.conn, &code.to_string())
    }

    /// Finds dossiers, newest first. The query is folded (case, marks and đ ignored); every
    /// word must match a word of the name, address, code, ID number or phone, the last one
    /// as a prefix (the clerk may still be typing it). An empty query lists the newest.
    pub fn search(
        &self,
        query: &str,
        status: Option<Status>,
        limit: usize,
    ) -> Result<Vec<DossierSummary>> {
        let folded = fold(query);
        let words = match_expression(&folded);
        let status = status.map(Status::as_str);
        let limit = limit.min(10_000) as i64;
        let cols = SUMMARY_COLUMNS;
        let map = summary_from_row;
        let rows: rusqlite::Result<Vec<_>> = if words.is_empty() {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {cols} FROM dossiers d WHERE (?1 IS NULL OR d.status = ?1)
                 ORDER BY d.rowid DESC LIMIT ?2"
            ))?;
            st.query_map(params![status, limit], map)?.collect()
        } else {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {cols} FROM dossier_search s JOIN dossiers d ON d.rowid = s.rowid
                 WHERE dossier_search MATCH ?1 AND (?2 IS NULL OR d.status = ?2)
                 ORDER BY s.rowid DESC LIMIT ?3"
            ))?;
            st.query_map(params![words.join(" "), status, limit], map)?
                .collect()
        };
        Ok(rows?)
    }

    /// How many dossiers were received (dated) on `day`.
    pub fn received_on(&self, day: NaiveDate) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM dossiers WHERE received_day = ?1",
            [day.to_string()],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// Dossiers received between two days inclusive, in order of receipt (for the ledger).
    pub fn received_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Dossier>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers d
             WHERE d.received_day BETWEEN ?1 AND ?2 ORDER BY d.received_at, d.rowid"
        ))?;
        let rows: rusqlite::Result<Vec<_>> = st
            .query_map([from.to_string(), to.to_string()], row_to_dossier)?
            .collect();
        Ok(rows?)
    }

    /// When the result was handed back (the station time of the `returned` status change).
    pub fn returned_at(&self, d: &Dossier) -> Result<Option<NaiveDateTime>> {
        let mut st = self.conn.prepare_cached(
            "SELECT wall_time, payload FROM events
             WHERE dossier_id = ?1 AND kind = 'status_changed' ORDER BY seq DESC",
        )?;
        let mut rows = st.query([&d.id])?;
        while let Some(r) = rows.next()? {
            let change: StatusChange = serde_json::from_str(&r.get::<_, String>(1)?)?;
            if change.to == Status::Returned {
                let t = DateTime::parse_from_rfc3339(&r.get::<_, String>(0)?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                return Ok(Some(
                    t.with_timezone(&motcua_core::vn_offset()).naive_local(),
                ));
            }
        }
        Ok(None)
    }
}

/// The FTS5 expression for folded search words: whole words, the last one a prefix.
/// Words are letters and digits only, so quoting them leaves no query syntax to inject.
/// Prefix matching on every word was measured 30–100× slower on a million dossiers,
/// because a word common to every row (`thon`, `h56`) then expands over many terms.
pub(crate) fn match_expression(folded: &str) -> Vec<String> {
    let words: Vec<&str> = tokens(folded).collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == last {
                format!("\"{t}\"*")
            } else {
                format!("\"{t}\"")
            }
        })
        .collect()
}

/// Receives one dossier inside a journaled write: mints its code and ledger entry, writes
/// it and its `dossier_received` event.
fn receive_in(
    w: &mut crate::write::Journaled<'_>,
    req: &ReceiveRequest,
    now: DateTime<FixedOffset>,
) -> Result<Dossier> {
    crate::user::user_in(&w.tx, &req.clerk)?;
    let received_at = to_second(req.received_at);
    let day = received_at.date();
    let code = fresh_code(&w.tx, &w.station, day)?;
    let d = Dossier {
        id: uuid::Uuid::now_v7().to_string(),
        code,
        lookup_secret: new_secret(),
        applicant: req.input.applicant.clone(),
        owner: req.input.owner.clone(),
        proxy: req.input.proxy.clone(),
        procedure: req.procedure.clone(),
        documents: req.input.documents.clone(),
        sets: req.input.sets,
        channel: req.input.channel,
        result_delivery: req.input.result_delivery.clone(),
        fee: req.input.fee,
        received_at,
        due_at: req.due_at.map(to_second),
        clerk: req.clerk.trim().to_lowercase(),
        status: Status::Received,
        note: req.input.note.clone(),
        ledger_entry: Some(next_ledger_entry(&w.tx, day.year())?),
    };
    insert_dossier(&w.tx, &d, now)?;
    w.append(NewEvent {
        kind: EventKind::DossierReceived,
        clerk: &d.clerk,
        dossier_id: Some(&d.id),
        payload: serde_json::to_string(&d)?,
        wall_time: now,
    })?;
    Ok(d)
}

/// A fresh idempotency key for a receive request (a UUIDv7).
pub fn new_request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// An idempotency key: 1 to 100 printable ASCII characters.
fn check_request_id(raw: &str) -> Result<String> {
    let id = raw.trim();
    if id.is_empty() || id.len() > 100 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(StoreError::BadRequestId);
    }
    Ok(id.to_string())
}

fn requested_in(conn: &rusqlite::Connection, request_id: &str) -> Result<Option<Dossier>> {
    let code: Option<String> = conn
        .prepare_cached(
            "SELECT d.code FROM receive_requests r JOIN dossiers d ON d.id = r.dossier_id
             WHERE r.request_id = ?1",
        )?
        .query_row([request_id], |r| r.get(0))
        .optional()?;
    code.map(|c| dossier_in(conn, &c)).transpose()
}

/// Counts the dossier in its year's ledger book (Sổ theo dõi hồ sơ) and returns its
/// 1-based entry number. Books restart each calendar year; a dossier entered late (dated
/// earlier) takes the next free number of its year, as it would in a paper book.
fn next_ledger_entry(tx: &Transaction<'_>, year: i32) -> Result<u64> {
    let used: i64 = tx
        .prepare_cached(
            "INSERT INTO ledger_counters(year, used) VALUES (?1, 1)
             ON CONFLICT(year) DO UPDATE SET used = used + 1 RETURNING used",
        )?
        .query_row([year], |r| r.get(0))?;
    u64::try_from(used).map_err(|_| StoreError::Corrupt("ledger counter".into()))
}

/// The next code of `day` that no dossier of the register holds yet. The day's counter
/// normally gives it at once; a code already present (a dossier received with a mistyped
/// century, or recovered from the hub, that shares the day's `yyMMdd`) is skipped, so the
/// counter is never stuck on a constraint error.
fn fresh_code(
    tx: &Transaction<'_>,
    station: &crate::station::StationInfo,
    day: NaiveDate,
) -> Result<DossierCode> {
    let mut taken = tx.prepare_cached("SELECT 1 FROM dossiers WHERE code = ?1")?;
    loop {
        let index = next_index(tx, day)?;
        let code = DossierCode::mint(&station.agency_id, station.station_no, day, index)?;
        if !taken.exists([code.to_string()])? {
            return Ok(code);
        }
    }
}

/// Counts the dossier against its day and returns its 0-based index of that day.
fn next_index(tx: &Transaction<'_>, day: NaiveDate) -> Result<u32> {
    let used: i64 = tx
        .prepare_cached(
            "INSERT INTO daily_counters(day, used) VALUES (?1, 1)
             ON CONFLICT(day) DO UPDATE SET used = used + 1 RETURNING used",
        )?
        .query_row([day.to_string()], |r| r.get(0))?;
    u32::try_from(used - 1).map_err(|_| StoreError::Corrupt("daily counter".into()))
}

/// A dossier received again from the recovered journal, with its code and ledger entry
/// as they were minted; the day's and the year's counters count it as at receipt.
pub(crate) fn insert_recovered(
    tx: &Transaction<'_>,
    d: &Dossier,
    at: DateTime<FixedOffset>,
) -> Result<()> {
    insert_dossier(tx, d, at)?;
    next_index(tx, d.received_at.date())?;
    if let Some(n) = d.ledger_entry {
        tx.prepare_cached(
            "INSERT INTO ledger_counters(year, used) VALUES (?1, ?2)
             ON CONFLICT(year) DO UPDATE SET used = max(used, excluded.used)",
        )?
        .execute(params![d.received_at.year(), n as i64])?;
    }
    Ok(())
}

fn insert_dossier(tx: &Transaction<'_>, d: &Dossier, now: DateTime<FixedOffset>) -> Result<()> {
    let a = &d.applicant;
    let owner = d.owner.as_ref().map(serde_json::to_string).transpose()?;
    tx.prepare_cached(
        "INSERT INTO dossiers(id, code, lookup_secret, applicant_name, id_number, phone, email,
            address, owner, procedure_code, procedure_name, catalog_version, term, documents,
            sets, channel, result_delivery, fee, received_at, received_day, due_at, clerk,
            status, note, updated_at, ledger_entry, applicant_kind, representative, proxy,
            case_code, case_name, term_source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
    )?
    .execute(params![
        d.id,
        d.code.to_string(),
        d.lookup_secret,
        a.full_name,
        a.id_number,
        a.phone,
        a.email,
        a.address,
        owner,
        d.procedure.code,
        d.procedure.name,
        d.procedure.catalog_version,
        d.procedure.term,
        serde_json::to_string(&d.documents)?,
        d.sets,
        as_text(&d.channel)?,
        serde_json::to_string(&d.result_delivery)?,
        d.fee.map(|f| f as i64),
        d.received_at.format(TIME_FMT).to_string(),
        d.received_at.date().to_string(),
        d.due_at.map(|t| t.format(TIME_FMT).to_string()),
        d.clerk,
        d.status.as_str(),
        d.note,
        now.to_rfc3339(),
        d.ledger_entry.map(|n| n as i64),
        a.kind.as_str(),
        a.representative,
        d.proxy.as_ref().map(serde_json::to_string).transpose()?,
        d.procedure.case.as_ref().map(|c| c.code.as_str()),
        d.procedure.case.as_ref().map(|c| c.name.as_str()),
        d.procedure
            .term_source
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?,
    ])?;
    let rowid = tx.last_insert_rowid();
    let [name, address, code, id_number, phone] = search_row(d);
    tx.prepare_cached(
        "INSERT INTO dossier_search(rowid, name, address, code, id_number, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![rowid, name, address, code, id_number, phone])?;
    Ok(())
}

pub(crate) fn dossier_in(conn: &rusqlite::Connection, code: &str) -> Result<Dossier> {
    conn.prepare_cached(&format!(
        "SELECT {DOSSIER_COLUMNS} FROM dossiers d WHERE d.code = ?1"
    ))?
    .query_row([code], row_to_dossier)
    .optional()?
    .ok_or_else(|| StoreError::UnknownDossier(code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    #[test]
    fn receive_mints_codes_and_journals() {
        let (_d, mut s) = store();
        let a = s
            .receive(&request("Nguyễn Văn An", "2026-11-25T09:32"), now())
            .unwrap();
        let b = s
            .receive(&request("Đặng Thị Bình", "2026-11-25T09:40"), now())
            .unwrap();
        let c = s
            .receive(&request("Lê Văn Cường", "2026-11-26T08:00"), now())
            .unwrap();
        assert_eq!(a.code.to_string(), "000.17.22.H56-261125-0001");
        assert_eq!(b.code.to_string(), "000.17.22.H56-261125-0002");
        assert_eq!(c.code.to_string(), "000.17.22.H56-261126-0001");
        assert_eq!(a.lookup_secret.len(), 6);
        assert_eq!(s.dossier(&a.code).unwrap(), a);
        let summary = s.verify().unwrap();
        assert_eq!(summary.dossiers, 3);
        // station + user + catalogue + 3 dossiers
        assert_eq!(summary.events, 6);
        let pending: i64 = s
            .conn
            .query_row(
                "SELECT count(*) FROM outbox WHERE state='pending'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(pending, 6);
        assert_eq!(a.ledger_entry, Some(1));
        assert_eq!(b.ledger_entry, Some(2));
        assert_eq!(c.ledger_entry, Some(3), "the book runs through the year");
    }

    #[test]
    fn ledger_books_restart_each_year_and_late_entries_take_the_next_number() {
        let (_d, mut s) = store();
        let a = s.receive(&request("A", "2025-12-31T09:00"), now()).unwrap();
        let b = s.receive(&request("B", "2026-01-02T08:00"), now()).unwrap();
        let c = s.receive(&request("C", "2025-12-30T15:00"), now()).unwrap();
        let e = s.receive(&request("D", "2026-01-02T09:00"), now()).unwrap();
        let entries: Vec<_> = [&a, &b, &c, &e].iter().map(|d| d.ledger_entry).collect();
        assert_eq!(entries, [Some(1), Some(1), Some(2), Some(2)]);
        assert_eq!(s.dossier(&c.code).unwrap().ledger_entry, Some(2));
        s.verify().unwrap();
    }

    #[test]
    fn sub_second_times_are_stored_to_the_second() {
        let (_d, mut s) = store();
        let mut r = request("A", "2026-11-25T09:32");
        r.received_at += chrono::Duration::nanoseconds(627_772_341);
        let d = s.receive(&r, now()).unwrap();
        assert_eq!(d.received_at.to_string(), "2026-11-25 09:32:00");
        assert_eq!(s.dossier(&d.code).unwrap(), d);
        s.verify().unwrap();
    }

    #[test]
    fn unknown_clerk_writes_nothing() {
        let (_d, mut s) = store();
        let mut r = request("A", "2026-11-25T09:32");
        r.clerk = "ghost".into();
        assert!(matches!(
            s.receive(&r, now()),
            Err(StoreError::UnknownUser(_))
        ));
        let n: i64 = s
            .conn
            .query_row("SELECT count(*) FROM dossiers", [], |r| r.get(0))
            .unwrap();
        let used: i64 = s
            .conn
            .query_row("SELECT count(*) FROM daily_counters", [], |r| r.get(0))
            .unwrap();
        assert_eq!((n, used), (0, 0));
        s.verify().unwrap();
    }

    #[test]
    fn transitions_follow_the_machine() {
        let (_d, mut s) = store();
        let a = s.receive(&request("A", "2026-11-25T09:32"), now()).unwrap();
        let p = s
            .transition(
                &a.code,
                Status::Processing,
                "lan",
                Some("chuyển phòng tư pháp"),
                now(),
            )
            .unwrap();
        assert_eq!(p.status, Status::Processing);
        let e = s
            .transition(&a.code, Status::Returned, "lan", None, now())
            .unwrap_err();
        assert!(e.to_string().contains("không thể chuyển"), "{e}");
        assert_eq!(s.dossier(&a.code).unwrap().status, Status::Processing);
        s.verify().unwrap();
        let unknown: DossierCode = "000.17.22.H56-261125-0999".parse().unwrap();
        assert!(matches!(
            s.transition(&unknown, Status::Processing, "lan", None, now()),
            Err(StoreError::UnknownDossier(_))
        ));
    }

    #[test]
    fn returned_at_comes_from_the_journal() {
        let (_d, mut s) = store();
        let a = s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
        s.transition(&a.code, Status::ResultReady, "lan", None, now())
            .unwrap();
        let back = now() + chrono::Duration::hours(2);
        let r = s
            .transition(&a.code, Status::Returned, "lan", None, back)
            .unwrap();
        assert_eq!(
            s.returned_at(&r).unwrap().unwrap().to_string(),
            "2026-11-25 11:30:00"
        );
    }

    #[test]
    fn search_folds_and_matches_every_field() {
        let (_d, mut s) = store();
        let mut r = request("Đặng Văn Ánh", "2026-11-25T09:32");
        r.input.applicant.phone = Some("0987654321".into());
        s.receive(&r, now()).unwrap();
        s.receive(&request("Nguyễn Văn A", "2026-11-25T10:00"), now())
            .unwrap();
        s.receive(
            &request("Nguye\u{302}\u{303}n Thị Bình", "2026-11-24T10:00"),
            now(),
        )
        .unwrap();
        let names = |q: &str| -> Vec<String> {
            s.search(q, None, 50)
                .unwrap()
                .into_iter()
                .map(|d| d.applicant_name)
                .collect()
        };
        assert_eq!(names("dang"), ["Đặng Văn Ánh"]);
        assert_eq!(names("ĐẶNG"), ["Đặng Văn Ánh"]);
        assert_eq!(names("nguyen van a"), ["Nguyễn Văn A"]);
        assert_eq!(names("0987"), ["Đặng Văn Ánh"]);
        assert_eq!(names("H56-261124"), ["Nguyễn Thị Bình"]);
        assert_eq!(names("001099").len(), 3);
        assert_eq!(names("tan lap").len(), 3);
        assert_eq!(names("\"; DROP TABLE dossiers; --").len(), 0);
        assert_eq!(names("").len(), 3, "empty query lists newest");
        assert_eq!(names("").first().unwrap(), "Nguyễn Thị Bình");
        assert!(
            s.search("", Some(Status::Processing), 10)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn unicode_and_metacharacters_stored_exactly() {
        let (_d, mut s) = store();
        let name = "O'Brien \"Ỹ\" %_ \\ ; DROP TABLE x; -- Ữ ự ỹ ẵ";
        let d = s
            .receive(&request(name, "2026-11-25T09:32"), now())
            .unwrap();
        assert_eq!(s.dossier(&d.code).unwrap().applicant.full_name, name);
        s.verify().unwrap();
    }

    /// 1926-12-02 and 2026-12-02 share `261202`: a dossier dated a century back (as an
    /// old register may hold) once took `…-261202-0001`, and every later receive of the
    /// day failed on the UNIQUE code. The day's sequence now skips any code present.
    #[test]
    fn a_code_already_present_is_skipped_never_a_constraint_error() {
        let (_d, mut s) = store();
        let old = s
            .receive(&request("Gõ nhầm năm", "1926-12-02T08:00"), now())
            .unwrap();
        assert!(
            old.code.to_string().ends_with("-261202-0001"),
            "{}",
            old.code
        );
        let a = s.receive(&request("A", "2026-12-02T08:05"), now()).unwrap();
        let b = s.receive(&request("B", "2026-12-02T08:10"), now()).unwrap();
        assert!(a.code.to_string().ends_with("-261202-0002"), "{}", a.code);
        assert!(b.code.to_string().ends_with("-261202-0003"), "{}", b.code);
        s.verify().unwrap();
    }

    #[test]
    fn ledger_range() {
        let (_d, mut s) = store();
        s.receive(&request("A", "2026-11-24T09:00"), now()).unwrap();
        s.receive(&request("B", "2026-11-25T09:00"), now()).unwrap();
        s.receive(&request("C", "2026-11-26T09:00"), now()).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let got: Vec<_> = s
            .received_between(day(24), day(25))
            .unwrap()
            .into_iter()
            .map(|d| d.applicant.full_name)
            .collect();
        assert_eq!(got, ["A", "B"]);
    }
}

#[cfg(test)]
mod disk_full {
    use super::*;
    use crate::testutil::*;

    /// SQLite reports SQLITE_FULL when the database cannot grow; `max_page_count` makes
    /// that happen for real without filling the machine's disk.
    #[test]
    fn full_disk_is_a_clear_error_and_loses_nothing() {
        let (_d, mut s) = store();
        let first = s
            .receive(&request("Trước khi đầy", "2026-11-25T09:00"), now())
            .unwrap();
        let pages: i64 = s
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        s.conn
            .pragma_update(None, "max_page_count", pages + 2)
            .unwrap();
        let mut err = None;
        for i in 0..500 {
            let mut r = request(
                &format!("Hồ sơ {i} {}", "x".repeat(140)),
                "2026-11-25T10:00",
            );
            r.input.applicant.address = Some("Địa chỉ rất dài ".repeat(30));
            if let Err(e) = s.receive(&r, now()) {
                err = Some(e);
                break;
            }
        }
        let e = err.expect("the database filled up");
        assert!(matches!(e, StoreError::DiskFull), "{e:?}");
        assert!(e.to_string().contains("ổ đĩa đã đầy"), "{e}");
        s.conn
            .pragma_update(None, "max_page_count", 1_000_000_000i64)
            .unwrap();
        assert_eq!(s.dossier(&first.code).unwrap(), first);
        s.verify().unwrap();
        let again = s
            .receive(&request("Sau khi dọn ổ đĩa", "2026-11-25T11:00"), now())
            .unwrap();
        assert_eq!(s.dossier(&again.code).unwrap(), again);
        s.verify().unwrap();
    }
}
