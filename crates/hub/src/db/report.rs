//! What the province's reports read of the hub: each dossier of an agency as its stations
//! pushed it (reception, first appointment, status changes), with the field (lĩnh vực)
//! the catalogue published through the hub gives its procedure. The rules are core's
//! (`motcua_core::report`), the same a counter applies to its own register: the hub's
//! figure for an agency is the sum of its stations'.

use super::slots::many;
use super::t;
use crate::error::Result;
use crate::sql::{Conn, V};
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
// the row's own columns. Only accepted events are read (a dossier event is accepted only
// when its payload's register fields read). Each event is read once, into `report_rows`
// ([`refresh`]); reports read those rows.

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

/// Events read into `report_rows` in one statement at most.
const REFRESH_CHUNK: u64 = 5000;

/// Values in a row of `report_rows` (its columns, in [`ROW_COLUMNS`]'s order).
const ROW_WIDTH: usize = 12;
const ROW_COLUMNS: &str = "station_id, seq, dossier_id, kind, at, status, due_at, code,
                           catalog_version, procedure_code, procedure_name, clerk";

/// `YYYY-MM-DDTHH:MM:SS`, as `report_rows` keeps times.
const TIME: &str = "%Y-%m-%dT%H:%M:%S";

/// Brings the station's `report_rows` up to date: its accepted events pushed since the
/// last report (after its `report_marks` row, which is held until the transaction ends so
/// two reports do not read the same events), each read once; with `one_chunk`, at most
/// [`REFRESH_CHUNK`] events of them. Whether events are left to read.
pub(super) fn refresh(c: &mut dyn Conn, station_id: &str, one_chunk: bool) -> Result<bool> {
    let lock = if c.is_postgres() { " FOR UPDATE" } else { "" };
    c.exec(
        "INSERT INTO report_marks(station_id, seq) VALUES (?1, 0) ON CONFLICT DO NOTHING",
        &[t(station_id)],
    )?;
    let mut mark = c
        .row(
            &format!("SELECT seq FROM report_marks WHERE station_id = ?1{lock}"),
            &[t(station_id)],
        )?
        .map_or(0, |r| r[0].int());
    // Events are stored in their number's order, each push's at once: every event up
    // to the last one seen now is there to be read.
    let last = c
        .row(
            "SELECT max(seq) FROM events WHERE station_id = ?1",
            &[t(station_id)],
        )?
        .map_or(0, |r| r[0].int());
    let start = mark;
    while mark < last {
        let upto = (mark + REFRESH_CHUNK as i64).min(last);
        let events = c.rows(
            "SELECT seq, kind, dossier_id, body FROM events
             WHERE station_id = ?1 AND seq > ?2 AND seq <= ?3 AND outcome = 'accepted'
               AND kind IN ('dossier_received', 'status_changed', 'upstream_status',
                            'appointment_extended')
             ORDER BY seq",
            &[t(station_id), V::I(Some(mark)), V::I(Some(upto))],
        )?;
        let mut values = Vec::with_capacity(events.len() * ROW_WIDTH);
        for e in &events {
            values.extend(narrow(station_id, e));
        }
        many(
            c,
            &[],
            ROW_WIDTH,
            values,
            |list| {
                format!(
                    "INSERT INTO report_rows({ROW_COLUMNS}) VALUES {list} ON CONFLICT DO NOTHING"
                )
            },
            &format!(
                "INSERT INTO report_rows({ROW_COLUMNS})
                 SELECT * FROM unnest(?1::text[], ?2::bigint[], ?3::text[], ?4::text[],
                                      ?5::text[], ?6::text[], ?7::text[], ?8::text[],
                                      ?9::text[], ?10::text[], ?11::text[], ?12::text[])
                 ON CONFLICT DO NOTHING"
            ),
        )?;
        mark = upto;
        if one_chunk {
            break;
        }
    }
    if mark != start {
        c.exec(
            "UPDATE report_marks SET seq = ?1 WHERE station_id = ?2",
            &[V::I(Some(mark)), t(station_id)],
        )?;
    }
    Ok(mark < last)
}

/// The stations of `agency_id`.
pub(super) fn stations(c: &mut dyn Conn, agency_id: &str) -> Result<Vec<String>> {
    Ok((c.rows(
        "SELECT station_id FROM stations WHERE agency_id = ?1 ORDER BY station_id",
        &[t(agency_id)],
    )?)
    .iter()
    .map(|r| r[0].text())
    .collect())
}

/// The `report_rows` row of one stored event (`seq, kind, dossier_id, body`), or none
/// when it does not read (it is skipped, as it always was).
fn narrow(station_id: &str, e: &[V]) -> Vec<V> {
    let (Some(id), Some(body)) = (e[2].opt_text(), e[3].opt_text()) else {
        return Vec::new();
    };
    let Ok(stored) = serde_json::from_str::<Stored>(&body) else {
        return Vec::new();
    };
    let fmt = |x: NaiveDateTime| t(&x.format(TIME).to_string());
    let none = || V::T(None);
    let head = |kind: &str, at: V, status: V| {
        vec![t(station_id), e[0].clone(), t(&id), t(kind), at, status]
    };
    let mut row = match e[1].text().as_str() {
        "dossier_received" => {
            let Ok(d) = serde_json::from_str::<Received>(&stored.payload) else {
                return Vec::new();
            };
            let mut row = head("received", fmt(d.received_at), none());
            row.extend([
                d.due_at.map_or_else(none, fmt),
                t(&d.code.to_string()),
                t(&d.procedure.catalog_version),
                t(&d.procedure.code),
                t(&d.procedure.name),
                t(&d.clerk),
            ]);
            return row;
        }
        "appointment_extended" => match serde_json::from_str::<Extension>(&stored.payload) {
            Ok(x) => head("extended", fmt(x.from), none()),
            Err(_) => return Vec::new(),
        },
        _ => {
            let to = serde_json::from_str::<To>(&stored.payload)
                .ok()
                .filter(|x| x.to.parse::<Status>().is_ok());
            match (to, local(&stored.wall_time)) {
                (Some(to), Some(at)) => head("status", fmt(at), t(&to.to)),
                _ => return Vec::new(),
            }
        }
    };
    row.extend((0..6).map(|_| none()));
    row
}

/// The facts of every dossier of `agency_id` received before `end` (local time), its
/// procedures' fields given ([`fields`]): its stations' `report_rows`, brought up to
/// date first ([`refresh`]).
pub(super) fn facts(
    c: &mut dyn Conn,
    fields: &HashMap<(String, String), String>,
    agency_id: &str,
    end: NaiveDateTime,
) -> Result<Vec<Facts>> {
    let stations = stations(c, agency_id)?;
    let end_text = end.format(TIME).to_string();
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, Facts> = HashMap::new();
    let mut first_due: HashMap<String, NaiveDateTime> = HashMap::new();
    let time = |v: &V| v.opt_text().and_then(|s| s.parse::<NaiveDateTime>().ok());
    for station in stations {
        // What was pushed since the report's first pass ([`super::HubStore`]).
        refresh(c, &station, false)?;
        // Station by station, each in its journal's order (the primary key's).
        let rows = c.rows(
            "SELECT kind, dossier_id, at, status, due_at, code, catalog_version,
                    procedure_code, procedure_name, clerk
             FROM report_rows
             WHERE station_id = ?1 AND (kind <> 'received' OR at < ?2)
             ORDER BY seq",
            &[t(&station), t(&end_text)],
        )?;
        for r in rows {
            let (id, Some(at)) = (r[1].text(), time(&r[2])) else {
                continue;
            };
            match r[0].text().as_str() {
                "received" => {
                    let field = fields
                        .get(&(r[6].text(), r[7].text()))
                        .cloned()
                        .unwrap_or_default();
                    order.push(id.clone());
                    by_id.insert(
                        id,
                        Facts {
                            code: r[5].text(),
                            field,
                            procedure: r[8].text(),
                            clerk: r[9].text(),
                            online: false,
                            received_at: at,
                            due_at: time(&r[4]),
                            steps: Vec::new(),
                        },
                    );
                }
                "extended" => {
                    first_due.entry(id).or_insert(at);
                }
                _ => {
                    let to = r[3].text().parse::<Status>();
                    if let (Some(f), Ok(to)) = (by_id.get_mut(&id), to) {
                        f.steps.push((at, to));
                    }
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
