//! Receiving dossiers, changing their status, finding them.

use crate::catalog::json_column;
use crate::journal::{NewEvent, StatusChange};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use motcua_core::calendar::term_text;
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
    /// The applicant's ID number masked (first 3 and last 2 digits): lists and search
    /// results never carry the whole number, the dossier's own screen does.
    pub id_masked: Option<String>,
}

/// Columns read by [`summary_from_row`], in order.
pub(crate) const SUMMARY_COLUMNS: &str = "d.id, d.code, d.applicant_name, d.procedure_code, \
    d.procedure_name, d.status, d.received_at, d.due_at, d.id_number";

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
        id_masked: (r.get::<_, Option<String>>(8)?)
            .filter(|n| !n.is_empty())
            .map(|n| motcua_core::text::mask_id(&n)),
    })
}

/// Columns read by [`row_to_dossier`], in order.
pub(crate) const DOSSIER_COLUMNS: &str = "d.id, d.code, d.lookup_secret, d.applicant_name, d.id_number, \
    d.phone, d.email, d.address, d.owner, d.procedure_code, d.procedure_name, d.catalog_version, \
    d.term, d.documents, d.sets, d.channel, d.result_delivery, d.fee, d.received_at, d.due_at, \
    d.clerk, d.status, d.note, d.ledger_entry, d.applicant_kind, d.representative, d.proxy, \
    d.case_code, d.case_name, d.term_source, d.procedure_field";
/// Number of columns in [`DOSSIER_COLUMNS`].
pub(crate) const DOSSIER_COLUMN_COUNT: usize = 31;

fn conversion(i: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

fn time_column(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    let t: Option<String> = r.get(i)?;
    t.map(|t| NaiveDateTime::parse_from_str(&t, TIME_FMT).map_err(|e| conversion(i, e)))
        .transpose()
}

/// A term column: its text as [`term_text`] reads it (empty for none).
pub(crate) fn term_column(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<motcua_core::calendar::Term>> {
    let t: String = r.get(i)?;
    term_text::parse(&t).map_err(|e| conversion(i, e))
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
            term: term_column(r, 12)?,
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
            field: r.get(30)?,
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
pub(crate) fn search_row(d: &Dossier) -> [String; 5] {
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
            case_code, case_name, term_source, procedure_field)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,
                 ?33)",
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
        term_text::text(&d.procedure.term),
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
        d.procedure.field,
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
mod tests;

#[cfg(test)]
mod disk_full;
