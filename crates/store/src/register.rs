//! The register as a long list: filtered, sorted, counted and read a page at a time, so a
//! window can scroll through a million dossiers while building only the visible rows.
//!
//! The whole register in order of receipt is read by rowid arithmetic (dossiers are never
//! deleted, so rowids run 1…n without holes): any page costs one index seek. A filtered
//! or re-sorted list is counted and paged up to [`LIST_CAP`] rows: a search or a filter
//! that matches more asks the clerk to narrow it rather than reading half the table.

use crate::dossier::{DossierSummary, SUMMARY_COLUMNS, TIME_FMT, summary_from_row};
use crate::{Result, Store};
use chrono::{NaiveDate, NaiveDateTime};
use motcua_core::status::Status;
use motcua_core::text::fold;
use rusqlite::types::Value;

/// The longest filtered or re-sorted list (the whole register in order of receipt has no
/// such limit).
pub const LIST_CAP: u64 = 10_000;

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Newest received first.
    #[default]
    Received,
    /// Oldest received first (the returns queue).
    ReceivedOldest,
    /// Soonest appointment first; dossiers without one last.
    Due,
}

/// Which dossiers a list holds. Every condition narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// Folded words of the name, address, code, ID number or phone (last word a prefix).
    pub text: String,
    /// In one of these statuses (empty: any).
    pub statuses: Vec<Status>,
    /// Of this procedure code.
    pub procedure: Option<String>,
    /// Received on or after this day.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this day.
    pub received_to: Option<NaiveDate>,
    /// Appointment at or after this instant.
    pub due_from: Option<NaiveDateTime>,
    /// Appointment before this instant.
    pub due_before: Option<NaiveDateTime>,
    pub sort: Sort,
}

impl RegisterFilter {
    /// The whole register in order of receipt: paged by rowid, never capped.
    fn is_whole_register(&self) -> bool {
        self.sort == Sort::Received
            && crate::dossier::match_expression(&fold(&self.text)).is_empty()
            && self.statuses.is_empty()
            && self.procedure.is_none()
            && self.received_from.is_none()
            && self.received_to.is_none()
            && self.due_from.is_none()
            && self.due_before.is_none()
    }

    /// Only words to match: the order does not change what the list holds.
    fn is_text_only(&self) -> bool {
        self.statuses.is_empty()
            && self.procedure.is_none()
            && self.received_from.is_none()
            && self.received_to.is_none()
            && self.due_from.is_none()
            && self.due_before.is_none()
            && !crate::dossier::match_expression(&fold(&self.text)).is_empty()
    }

    /// `FROM … WHERE …` and its parameters.
    fn sql_from_where(&self) -> (String, Vec<Value>) {
        let words = crate::dossier::match_expression(&fold(&self.text));
        let mut params: Vec<Value> = Vec::new();
        let mut sql = if words.is_empty() {
            "FROM dossiers d WHERE 1".to_string()
        } else {
            params.push(Value::Text(words.join(" ")));
            "FROM dossier_search s JOIN dossiers d ON d.rowid = s.rowid \
             WHERE dossier_search MATCH ?"
                .to_string()
        };
        if !self.statuses.is_empty() {
            sql.push_str(" AND d.status IN (");
            for (i, s) in self.statuses.iter().enumerate() {
                sql.push_str(if i == 0 { "?" } else { ", ?" });
                params.push(Value::Text(s.as_str().to_string()));
            }
            sql.push(')');
        }
        let mut cond = |clause: &str, v: Value| {
            sql.push_str(clause);
            params.push(v);
        };
        if let Some(p) = &self.procedure {
            cond(
                " AND d.procedure_code = ?",
                Value::Text(p.trim().to_string()),
            );
        }
        if let Some(d) = self.received_from {
            cond(" AND d.received_day >= ?", Value::Text(d.to_string()));
        }
        if let Some(d) = self.received_to {
            cond(" AND d.received_day <= ?", Value::Text(d.to_string()));
        }
        if let Some(t) = self.due_from {
            cond(
                " AND d.due_at >= ?",
                Value::Text(t.format(TIME_FMT).to_string()),
            );
        }
        if let Some(t) = self.due_before {
            cond(
                " AND d.due_at < ?",
                Value::Text(t.format(TIME_FMT).to_string()),
            );
        }
        (sql, params)
    }

    fn order_by(&self) -> &'static str {
        // With words to match, the order of receipt is the search table's own rowid
        // order: ordering by the dossiers' rowid instead (the same numbers) makes SQLite
        // sort every match before the first page (600 ms for "t" on a million).
        let searched = !crate::dossier::match_expression(&fold(&self.text)).is_empty();
        match (self.sort, searched) {
            (Sort::Received, true) => "ORDER BY s.rowid DESC",
            (Sort::ReceivedOldest, true) => "ORDER BY s.rowid ASC",
            (Sort::Received, false) => "ORDER BY d.rowid DESC",
            (Sort::ReceivedOldest, false) => "ORDER BY d.rowid ASC",
            (Sort::Due, _) => "ORDER BY d.due_at IS NULL, d.due_at, d.rowid",
        }
    }
}

impl Store {
    /// How many dossiers the list holds: exact for the whole register, at most
    /// [`LIST_CAP`] + 1 otherwise (more than the cap: the list shows the first `LIST_CAP`).
    pub fn register_count(&self, f: &RegisterFilter) -> Result<u64> {
        if f.is_whole_register() {
            let n: i64 =
                self.conn
                    .query_row("SELECT coalesce(max(rowid), 0) FROM dossiers", [], |r| {
                        r.get(0)
                    })?;
            return Ok(n.max(0) as u64);
        }
        let (from, mut params) = if f.is_text_only() {
            // Every dossier has its one search row, so the matches alone count the list:
            // no lookup into the dossiers table for each of up to `LIST_CAP` matches.
            let words = crate::dossier::match_expression(&fold(&f.text));
            (
                "FROM dossier_search WHERE dossier_search MATCH ?".to_string(),
                vec![Value::Text(words.join(" "))],
            )
        } else {
            f.sql_from_where()
        };
        params.push(Value::Integer(LIST_CAP as i64 + 1));
        let n: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 {from} LIMIT ?)"))?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Rows `offset .. offset + limit` of the list.
    pub fn register_page(
        &self,
        f: &RegisterFilter,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<DossierSummary>> {
        let limit = limit.min(1000) as i64;
        let rows: rusqlite::Result<Vec<_>> = if f.is_whole_register() {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM dossiers d
                 WHERE d.rowid <= (SELECT coalesce(max(rowid), 0) FROM dossiers) - ?1
                 ORDER BY d.rowid DESC LIMIT ?2"
            ))?;
            st.query_map(
                rusqlite::params![offset.min(i64::MAX as u64) as i64, limit],
                summary_from_row,
            )?
            .collect()
        } else {
            if offset >= LIST_CAP {
                return Ok(Vec::new());
            }
            let (from, mut params) = f.sql_from_where();
            let limit = limit.min((LIST_CAP - offset) as i64);
            params.push(Value::Integer(limit));
            params.push(Value::Integer(offset as i64));
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} {from} {} LIMIT ? OFFSET ?",
                f.order_by()
            ))?;
            st.query_map(rusqlite::params_from_iter(params), summary_from_row)?
                .collect()
        };
        Ok(rows?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    fn names(rows: &[DossierSummary]) -> Vec<&str> {
        rows.iter().map(|r| r.applicant_name.as_str()).collect()
    }

    #[test]
    fn the_whole_register_pages_by_position_and_filters_narrow_it() {
        let (_d, mut s) = store();
        for (name, t) in [
            ("Người Ngọc", "2026-11-23T09:00"),
            ("Người Bảo", "2026-11-24T09:00"),
            ("Người Châu", "2026-11-25T09:00"),
        ] {
            s.receive(&request(name, t), now()).unwrap();
        }
        let all = RegisterFilter::default();
        assert_eq!(s.register_count(&all).unwrap(), 3);
        assert_eq!(
            names(&s.register_page(&all, 0, 2).unwrap()),
            ["Người Châu", "Người Bảo"]
        );
        assert_eq!(names(&s.register_page(&all, 2, 2).unwrap()), ["Người Ngọc"]);
        assert!(s.register_page(&all, 3, 2).unwrap().is_empty());

        let code = s.register_page(&all, 1, 1).unwrap()[0].code.clone();
        s.transition(
            &code.parse().unwrap(),
            Status::Processing,
            "lan",
            None,
            now(),
        )
        .unwrap();
        let processing = RegisterFilter {
            statuses: vec![Status::Processing],
            ..RegisterFilter::default()
        };
        assert_eq!(s.register_count(&processing).unwrap(), 1);
        let oldest = RegisterFilter {
            sort: Sort::ReceivedOldest,
            received_from: NaiveDate::from_ymd_opt(2026, 11, 24),
            ..RegisterFilter::default()
        };
        assert_eq!(
            names(&s.register_page(&oldest, 0, 10).unwrap()),
            ["Người Bảo", "Người Châu"]
        );
        let text = RegisterFilter {
            text: "nguoi chau".into(),
            ..RegisterFilter::default()
        };
        assert_eq!(
            names(&s.register_page(&text, 0, 10).unwrap()),
            ["Người Châu"]
        );
        let by_due = RegisterFilter {
            sort: Sort::Due,
            ..RegisterFilter::default()
        };
        assert_eq!(s.register_count(&by_due).unwrap(), 3);
        assert!(s.register_page(&by_due, LIST_CAP, 10).unwrap().is_empty());
    }
}
