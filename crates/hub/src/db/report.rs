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
use motcua_core::dossier::Dossier;
use motcua_core::journal::{Event, EventKind, Extension};
use motcua_core::report::Facts;
use motcua_core::status::Status;
use motcua_core::wire::Change;
use std::collections::HashMap;

fn local(wall: &str) -> Option<NaiveDateTime> {
    let vn = FixedOffset::east_opt(7 * 3600)?;
    DateTime::parse_from_rfc3339(wall)
        .ok()
        .map(|t| t.with_timezone(&vn).naive_local())
}

/// Fields by (catalogue version, procedure code), from every catalogue published.
fn fields(c: &mut dyn Conn) -> Result<HashMap<(String, String), String>> {
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

/// The facts of every dossier of `agency_id` received before `end` (local time).
pub(super) fn facts(c: &mut dyn Conn, agency_id: &str, end: NaiveDateTime) -> Result<Vec<Facts>> {
    let fields = fields(c)?;
    let rows = c.rows(
        "SELECT e.body FROM events e JOIN stations s ON s.station_id = e.station_id
         WHERE s.agency_id = ?1 AND e.outcome = 'accepted'
           AND e.kind IN ('dossier_received', 'status_changed', 'upstream_status',
                          'appointment_extended')
         ORDER BY e.station_id, e.seq",
        &[t(agency_id)],
    )?;
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, Facts> = HashMap::new();
    let mut first_due: HashMap<String, NaiveDateTime> = HashMap::new();
    for r in rows {
        let Ok(e) = serde_json::from_str::<Event>(&r[0].text()) else {
            continue;
        };
        let Some(id) = e.dossier_id.clone() else {
            continue;
        };
        match e.kind {
            EventKind::DossierReceived => {
                let Ok(d) = serde_json::from_str::<Dossier>(&e.payload) else {
                    continue;
                };
                if d.received_at >= end {
                    continue;
                }
                let field = fields
                    .get(&(
                        d.procedure.catalog_version.clone(),
                        d.procedure.code.clone(),
                    ))
                    .cloned()
                    .unwrap_or_default();
                order.push(id.clone());
                by_id.insert(
                    id,
                    Facts {
                        code: d.code.to_string(),
                        field,
                        procedure: d.procedure.name.clone(),
                        clerk: d.clerk.clone(),
                        online: false,
                        received_at: d.received_at,
                        due_at: d.due_at,
                        steps: Vec::new(),
                    },
                );
            }
            EventKind::AppointmentExtended => {
                if let Ok(x) = serde_json::from_str::<Extension>(&e.payload) {
                    first_due.entry(id).or_insert(x.from);
                }
            }
            _ => {
                let to = serde_json::from_str::<serde_json::Value>(&e.payload)
                    .ok()
                    .and_then(|v| v["to"].as_str().and_then(|s| s.parse::<Status>().ok()));
                if let (Some(f), Some(to), Some(at)) = (by_id.get_mut(&id), to, local(&e.wall_time))
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
