//! Read-only views: the province's counts, the alerts raised on stations' journals, and
//! the public facts of one dossier for the citizen lookup page.

use super::{AgencyInfo, Alert, CountRow, HistoryStep, LookupRow, StepKind, ot, t};
use crate::error::{HubError, Result};
use crate::sql::Conn;
use motcua_core::dossier::Dossier;
use motcua_core::journal::{Event, EventKind, Extension};
use motcua_core::status::Status;

/// Dossiers per agency and status.
pub(super) fn counts(c: &mut dyn Conn) -> Result<Vec<CountRow>> {
    let rows = c.rows(
        "SELECT agency_id, status, count(*) FROM dossiers
         GROUP BY agency_id, status ORDER BY agency_id, status",
        &[],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| CountRow {
            agency_id: r[0].text(),
            status: r[1].text(),
            count: r[2].int() as u64,
        })
        .collect())
}

/// Every alert, oldest first.
pub(super) fn alerts(c: &mut dyn Conn) -> Result<Vec<Alert>> {
    let rows = c.rows(
        "SELECT station_id, seq, detail, at FROM alerts ORDER BY id",
        &[],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| Alert {
            station_id: r[0].text(),
            seq: r[1].opt_int().map(|s| s as u64),
            detail: r[2].text(),
            at: r[3].text(),
        })
        .collect())
}

/// A dossier's public facts by code, with its history and its agency, for whoever holds
/// its lookup secret (as typed: any case, spaces around); None for an unknown code or a
/// wrong secret alike, found with the same work (one row read by the key, one secret
/// compared in constant time).
pub(super) fn lookup(c: &mut dyn Conn, code: &str, secret: &str) -> Result<Option<LookupRow>> {
    let row = c.row(
        "SELECT code, lookup_secret, applicant_name, status, due_at, first_due_at,
                id, agency_id, station_id, updated_at, status_note
         FROM dossiers WHERE code = ?1",
        &[t(code)],
    )?;
    let stored = row.as_ref().map(|r| r[1].text());
    if !motcua_core::secret::matches(stored.as_deref(), secret) {
        return Ok(None);
    }
    let Some(r) = row else { return Ok(None) };
    let status: Status = r[3]
        .text()
        .parse()
        .map_err(|e: motcua_core::status::UnknownStatus| HubError::Db(e.to_string()))?;
    let (id, agency_id, station_id, updated_at) =
        (r[6].text(), r[7].text(), r[8].text(), r[9].text());
    let bodies = c.rows(
        "SELECT body FROM events WHERE dossier_id = ?1 AND outcome = 'accepted'
         ORDER BY station_id, seq",
        &[t(&id)],
    )?;
    let mut procedure = None;
    let mut history = Vec::new();
    for b in bodies {
        let Ok(e) = serde_json::from_str::<Event>(&b[0].text()) else {
            continue;
        };
        if let Some((step, name)) = step_of(&e) {
            procedure = procedure.or(name);
            history.push(step);
        }
    }
    // A status set upstream that the station has not pulled and echoed yet.
    let last = history.iter().rev().find_map(|s| match &s.what {
        StepKind::Status { status, .. } => Some(*status),
        StepKind::Received => Some(Status::Received),
        StepKind::Extended { .. } => None,
    });
    if last.is_some_and(|l| l != status) {
        history.push(HistoryStep {
            at: updated_at.clone(),
            what: StepKind::Status {
                status,
                note: r[10].opt_text(),
            },
        });
    }
    let agency = agency(c, &agency_id, &station_id)?;
    Ok(Some(LookupRow {
        code: r[0].text(),
        applicant_name: r[2].text(),
        status,
        due_at: r[4].opt_text(),
        first_due_at: r[5].opt_text(),
        updated_at,
        procedure,
        agency,
        history,
    }))
}

/// The history step an event is, and the procedure's name when it is the reception.
fn step_of(e: &Event) -> Option<(HistoryStep, Option<String>)> {
    let at = e.wall_time.clone();
    let step = |what| HistoryStep {
        at: at.clone(),
        what,
    };
    match e.kind {
        EventKind::DossierReceived => {
            let d: Dossier = serde_json::from_str(&e.payload).ok()?;
            Some((step(StepKind::Received), Some(d.procedure.name)))
        }
        EventKind::StatusChanged | EventKind::UpstreamStatus => {
            let v: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
            let status = v["to"].as_str()?.parse().ok()?;
            let note = v["note"].as_str().map(str::to_string);
            Some((step(StepKind::Status { status, note }), None))
        }
        EventKind::AppointmentExtended => {
            let x: Extension = serde_json::from_str(&e.payload).ok()?;
            let to = x.to.format("%Y-%m-%dT%H:%M:%S").to_string();
            Some((
                step(StepKind::Extended {
                    to,
                    reason: x.reason,
                }),
                None,
            ))
        }
        _ => None,
    }
}

/// What the page says of the agency: as provincial IT set it, the name otherwise as the
/// station that received the dossier was set up with.
fn agency(c: &mut dyn Conn, agency_id: &str, station_id: &str) -> Result<AgencyInfo> {
    let mut info = match c.row(
        "SELECT name, phone, address FROM agencies WHERE agency_id = ?1",
        &[t(agency_id)],
    )? {
        Some(r) => AgencyInfo {
            name: r[0].opt_text(),
            phone: r[1].opt_text(),
            address: r[2].opt_text(),
        },
        None => AgencyInfo::default(),
    };
    if info.name.is_none() {
        let set_up = c.row(
            "SELECT body FROM events WHERE station_id = ?1 AND kind = 'station_initialized'
               AND outcome = 'accepted' ORDER BY seq DESC LIMIT 1",
            &[t(station_id)],
        )?;
        info.name = set_up
            .and_then(|r| serde_json::from_str::<Event>(&r[0].text()).ok())
            .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.payload).ok())
            .and_then(|v| v["agency_name"].as_str().map(str::to_string));
    }
    Ok(info)
}

/// Sets what the lookup page says of an agency.
pub(super) fn set_agency(
    c: &mut dyn Conn,
    agency_id: &str,
    info: &AgencyInfo,
    now: &str,
) -> Result<()> {
    c.exec(
        "INSERT INTO agencies(agency_id, name, phone, address, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(agency_id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
             address = excluded.address, updated_at = excluded.updated_at",
        &[
            t(agency_id),
            ot(info.name.as_deref()),
            ot(info.phone.as_deref()),
            ot(info.address.as_deref()),
            t(now),
        ],
    )?;
    Ok(())
}
