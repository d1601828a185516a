//! What the periodic reports read of the register: each dossier's field, reception,
//! first appointment and status changes, from the register and its journal.

use crate::dossier::TIME_FMT;
use crate::{Result, Store};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_core::journal::Extension;
use motcua_core::report::Facts;
use motcua_core::status::Status;
use std::collections::HashMap;

/// Vietnam's offset: the journal's wall times are read in it.
fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7")
}

fn local(wall: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(wall)
        .ok()
        .map(|t| t.with_timezone(&vietnam()).naive_local())
}

impl Store {
    /// The facts of every dossier received before `end` (local time, exclusive): its
    /// field as the catalogue it was received under names it, its first appointment
    /// (before any extension), and its status changes (at the counter, and upstream when
    /// the counter recorded them), oldest first.
    pub fn report_facts(&self, end: NaiveDateTime) -> Result<Vec<Facts>> {
        let end = end.format(TIME_FMT).to_string();
        // Status changes and extensions, by dossier, in journal order.
        let mut steps: HashMap<String, Vec<(NaiveDateTime, Status)>> = HashMap::new();
        let mut first_due: HashMap<String, NaiveDateTime> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT e.dossier_id, e.kind, e.payload, e.wall_time
             FROM events e JOIN dossiers d ON d.id = e.dossier_id
             WHERE e.kind IN ('status_changed', 'upstream_status', 'appointment_extended')
               AND d.received_at < ?1
             ORDER BY e.seq",
        )?;
        let mut rows = stmt.query([&end])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let kind: String = r.get(1)?;
            let payload: String = r.get(2)?;
            let wall: String = r.get(3)?;
            if kind == "appointment_extended" {
                if let Ok(x) = serde_json::from_str::<Extension>(&payload) {
                    first_due.entry(id).or_insert(x.from);
                }
                continue;
            }
            let to = serde_json::from_str::<serde_json::Value>(&payload)
                .ok()
                .and_then(|v| v["to"].as_str().and_then(|s| s.parse::<Status>().ok()));
            if let (Some(to), Some(at)) = (to, local(&wall)) {
                steps.entry(id).or_default().push((at, to));
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.code, COALESCE(p.field, ''), d.received_at, d.due_at,
                    d.procedure_name, d.clerk
             FROM dossiers d
             LEFT JOIN procedures p ON p.version = d.catalog_version AND p.code = d.procedure_code
             WHERE d.received_at < ?1
             ORDER BY d.rowid",
        )?;
        let mut rows = stmt.query([&end])?;
        let mut out = Vec::new();
        let read = |s: &str| NaiveDateTime::parse_from_str(s, TIME_FMT).ok();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let received: String = r.get(3)?;
            let due: Option<String> = r.get(4)?;
            let Some(received_at) = read(&received) else {
                continue;
            };
            let due_at = first_due
                .get(&id)
                .copied()
                .or_else(|| due.as_deref().and_then(read));
            out.push(Facts {
                code: r.get(1)?,
                field: r.get(2)?,
                procedure: r.get(5)?,
                clerk: r.get(6)?,
                online: false,
                received_at,
                due_at,
                steps: steps.remove(&id).unwrap_or_default(),
            });
        }
        Ok(out)
    }
}
