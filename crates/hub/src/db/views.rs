//! Read-only views: the province's counts, the alerts raised on stations' journals, and
//! the public facts of one dossier for the citizen lookup page.

use super::{Alert, CountRow, LookupRow, t};
use crate::error::{HubError, Result};
use crate::sql::Conn;

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

/// A dossier's public facts by code.
pub(super) fn lookup(c: &mut dyn Conn, code: &str) -> Result<Option<LookupRow>> {
    let row = c.row(
        "SELECT code, lookup_secret, applicant_name, status, due_at, first_due_at
         FROM dossiers WHERE code = ?1",
        &[t(code)],
    )?;
    let Some(r) = row else { return Ok(None) };
    let status = r[3]
        .text()
        .parse()
        .map_err(|e: motcua_core::status::UnknownStatus| HubError::Db(e.to_string()))?;
    Ok(Some(LookupRow {
        code: r[0].text(),
        lookup_secret: r[1].text(),
        applicant_name: r[2].text(),
        status,
        due_at: r[4].opt_text(),
        first_due_at: r[5].opt_text(),
    }))
}
