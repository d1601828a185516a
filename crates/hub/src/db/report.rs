//! What the province's reports read of the hub: each dossier of an agency as its stations
//! pushed it (reception, first appointment, status changes), with the field (lĩnh vực)
//! the catalogue published through the hub gives its procedure. The rules are core's
//! (`motcua_core::report`), the same a counter applies to its own register: the hub's
//! figure for an agency is the sum of its stations'.

use super::t;
use crate::error::Result;
use crate::sql::Conn;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_core::catalog::Catalog;
use motcua_core::journal::Extension;
use motcua_core::report::Facts;
use motcua_core::status::Status;
use motcua_core::wire::Change;
use serde::Deserialize;
use std::collections::HashMap;

// What the report reads of a stored event and of its payload: serde skips the rest (the
// applicant, the documents, …) without building it, and the event's kind and dossier are
// the row's own columns. Only accepted events are read, and an accepted dossier event's
// payload read whole as a `Dossier` when it was pushed.

/// The parts of a stored event's body the report reads.
#[derive(Deserialize)]
struct Stored {
    wall_time: String,
    payload: String,
}

/// The parts of a received dossier the report reads.
#[derive(Deserialize)]
struct Received {
    code: motcua_core::code::DossierCode,
    procedure: Procedure,
    received_at: NaiveDateTime,
    due_at: Option<NaiveDateTime>,
    clerk: String,
}

#[derive(Deserialize)]
struct Procedure {
    code: String,
    name: String,
    catalog_version: String,
}

/// The status a status event sets (a counter's change or an upstream one), as written.
#[derive(Deserialize)]
struct To {
    to: String,
}

fn local(wall: &str) -> Option<NaiveDateTime> {
    let vn = FixedOffset::east_opt(7 * 3600)?;
    DateTime::parse_from_rfc3339(wall)
        .ok()
        .map(|t| t.with_timezone(&vn).naive_local())
}

/// Fields by (catalogue version, procedure code), from every catalogue published.
pub(super) fn fields(c: &mut dyn Conn) -> Result<HashMap<(String, String), String>> {
    let mut out = HashMap::new();
    for r in c.rows(
        "SELECT body FROM changes WHERE body LIKE '%\"type\":\"catalog\"%' ORDER BY id",
        &[],
    )? {
        let Ok(Change::Catalog { version, body }) = serde_json::from_str::<Change>(&r[0].text())
        else {
            continue;
        };
        let Ok(catalog) = Catalog::from_json(&body) else {
            continue;
        };
        for p in catalog.procedures {
            out.insert((version.clone(), p.code), p.field);
        }
    }
    Ok(out)
}

/// The facts of every dossier of `agency_id` received before `end` (local time), its
/// procedures' fields given ([`fields`]).
pub(super) fn facts(
    c: &mut dyn Conn,
    fields: &HashMap<(String, String), String>,
    agency_id: &str,
    end: NaiveDateTime,
) -> Result<Vec<Facts>> {
    // Station by station, each in its journal's order: the primary key's order, so the
    // database reads the rows in it instead of sorting every body it returns (hundreds
    // of megabytes for a year): 3.1 s → 2.5 s on PostgreSQL over 100,000 dossiers.
    let stations = c.rows(
        "SELECT station_id FROM stations WHERE agency_id = ?1 ORDER BY station_id",
        &[t(agency_id)],
    )?;
    let mut rows = Vec::new();
    for s in stations {
        rows.extend(c.rows(
            "SELECT kind, dossier_id, body FROM events
             WHERE station_id = ?1 AND outcome = 'accepted'
               AND kind IN ('dossier_received', 'status_changed', 'upstream_status',
                            'appointment_extended')
             ORDER BY seq",
            &[s[0].clone()],
        )?);
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, Facts> = HashMap::new();
    let mut first_due: HashMap<String, NaiveDateTime> = HashMap::new();
    for r in rows {
        let (Some(id), Some(body)) = (r[1].opt_text(), r[2].opt_text()) else {
            continue;
        };
        let Ok(e) = serde_json::from_str::<Stored>(&body) else {
            continue;
        };
        match r[0].text().as_str() {
            "dossier_received" => {
                let Ok(d) = serde_json::from_str::<Received>(&e.payload) else {
                    continue;
                };
                if d.received_at >= end {
                    continue;
                }
                let field = fields
                    .get(&(d.procedure.catalog_version, d.procedure.code))
                    .cloned()
                    .unwrap_or_default();
                order.push(id.clone());
                by_id.insert(
                    id,
                    Facts {
                        code: d.code.to_string(),
                        field,
                        procedure: d.procedure.name,
                        clerk: d.clerk,
                        online: false,
                        received_at: d.received_at,
                        due_at: d.due_at,
                        steps: Vec::new(),
                    },
                );
            }
            "appointment_extended" => {
                if let Ok(x) = serde_json::from_str::<Extension>(&e.payload) {
                    first_due.entry(id).or_insert(x.from);
                }
            }
            _ => {
                let to = serde_json::from_str::<To>(&e.payload).map(|x| x.to.parse::<Status>());
                if let (Some(f), Ok(Ok(to)), Some(at)) =
                    (by_id.get_mut(&id), to, local(&e.wall_time))
                {
                    f.steps.push((at, to));
                }
            }
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| {
            let mut f = by_id.remove(&id)?;
            if let Some(first) = first_due.get(&id) {
                f.due_at = Some(*first);
            }
            Some(f)
        })
        .collect())
}
