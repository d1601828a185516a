//! The access log: each read, print or export of citizens' data journaled as a
//! `data_accessed` event (append-only, hash-chained, signed, pushed like every event), and
//! read back with filters for the office head. Which reads are logged, and when, is the
//! application layer's rule; the store keeps the entries and finds a person's dossiers.

use crate::journal::{EVENT_COLUMNS, NewEvent, row_to_event};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset, NaiveDate};
use motcua_core::access::Access;
use motcua_core::journal::EventKind;
use rusqlite::types::Value;

/// Which entries of the access log to read (every filter given must match).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFilter {
    /// Entries by this account.
    pub clerk: Option<String>,
    /// Entries on or after this day (station clock).
    pub from: Option<NaiveDate>,
    /// Entries on or before this day.
    pub to: Option<NaiveDate>,
    /// Entries that name at least one of these dossiers (by code): a person's dossiers,
    /// from [`Store::dossier_codes_of_person`].
    pub dossiers: Option<Vec<String>>,
    /// Most entries returned, newest first.
    pub limit: usize,
}

/// One entry of the access log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessEntry {
    /// The journal event's number.
    pub seq: u64,
    /// Station clock, RFC 3339.
    pub at: String,
    pub clerk: String,
    pub access: Access,
}

impl Store {
    /// Journals one access by `clerk` (an account, or the operating-system user of a
    /// command-line run). Refused when the entry names no dossier and says nothing.
    pub fn record_access(
        &mut self,
        clerk: &str,
        access: &Access,
        now: DateTime<FixedOffset>,
    ) -> Result<u64> {
        if clerk.trim().is_empty() {
            return Err(StoreError::Refused(
                "không rõ ai truy cập dữ liệu; đăng nhập trước".into(),
            ));
        }
        let payload = serde_json::to_string(access)?;
        self.journaled(|w| {
            w.append(NewEvent {
                kind: EventKind::DataAccessed,
                clerk,
                dossier_id: None,
                payload,
                wall_time: now,
            })
        })
    }

    /// The codes of every dossier the person with `id_number` is in, as applicant, owner
    /// or authorised person, oldest first. (An organisation's legal representative is
    /// recorded by name only, so is not found by an ID number.)
    pub fn dossier_codes_of_person(&self, id_number: &str) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(
            "SELECT code FROM dossiers
             WHERE id_number = ?1 OR json_extract(owner, '$.id_number') = ?1
                OR json_extract(proxy, '$.id_number') = ?1
             ORDER BY rowid",
        )?;
        let codes = st
            .query_map([id_number.trim()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(codes)
    }

    /// The entries of the access log that match `f`, newest first.
    pub fn access_log(&self, f: &AccessFilter) -> Result<Vec<AccessEntry>> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE kind = ?1");
        let mut params: Vec<Value> = vec![Value::Text(EventKind::DataAccessed.as_str().into())];
        let mut bind = |sql: &mut String, clause: &str, v: Value| {
            params.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", params.len())));
        };
        if let Some(c) = &f.clerk {
            bind(&mut sql, " AND clerk = ?", Value::Text(c.clone()));
        }
        if let Some(d) = f.from {
            bind(&mut sql, " AND substr(wall_time, 1, 10) >= ?", day(d));
        }
        if let Some(d) = f.to {
            bind(&mut sql, " AND substr(wall_time, 1, 10) <= ?", day(d));
        }
        if let Some(codes) = &f.dossiers {
            let list = serde_json::to_string(codes)?;
            bind(
                &mut sql,
                " AND EXISTS (SELECT 1 FROM json_each(e.payload, '$.dossiers') j
                              WHERE j.value IN (SELECT value FROM json_each(?)))",
                Value::Text(list),
            );
        }
        bind(
            &mut sql,
            " ORDER BY seq DESC LIMIT ?",
            Value::Integer(f.limit.clamp(1, 100_000) as i64),
        );
        let mut st = self.conn.prepare(&sql)?;
        let events = st
            .query_map(rusqlite::params_from_iter(params), row_to_event)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        events
            .into_iter()
            .map(|e| {
                let access = serde_json::from_str(&e.payload)
                    .map_err(|x| StoreError::Corrupt(format!("sự kiện số {} hỏng: {x}", e.seq)))?;
                Ok(AccessEntry {
                    seq: e.seq,
                    at: e.wall_time,
                    clerk: e.clerk,
                    access,
                })
            })
            .collect()
    }
}

fn day(d: NaiveDate) -> Value {
    Value::Text(d.format("%Y-%m-%d").to_string())
}
