//! What the province's reports read of the hub: each dossier of an agency as its stations
//! pushed it (reception, first appointment, status changes), with the field (lĩnh vực)
//! its reception's event names (counters write it from version 9 of their register), or
//! for a dossier received before, the one the catalogue published through the hub gives
//! its procedure. The rules are core's
//! (`motcua_core::report`), the same a counter applies to its own register: the hub's
//! figure for an agency is the sum of its stations'.

use super::slots::many;
use super::t;
use crate::error::Result;
use crate::sql::{Conn, V};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_core::catalog::Catalog;
use motcua_core::journal::Extension;
use motcua_core::report::{Course, Facts, Standing, Tally, from_seconds, seconds};
use motcua_core::status::Status;
use motcua_core::wire::Change;
use serde::Deserialize;
use std::collections::HashMap;

// What the report reads of a stored event and of its payload: serde skips the rest (the
// applicant, the documents, …) without building it, and the event's kind and dossier are
// the row's own columns. Only accepted events are read (a dossier event is accepted only
// when its payload's register fields read). Each event is read once, into its dossier's
// row of `report_dossiers` ([`refresh`]), which keeps the dossier's facts and its
// standing for every period end (`motcua_core::report::Course`); a report counts those
// rows with one `GROUP BY` ([`tallies`]).

/// The parts of a stored event's body the report reads.
#[derive(Deserialize)]
struct Stored {
    wall_time: String,
    payload: String,
}

/// The parts of a received dossier the report reads.
#[derive(Deserialize)]
struct Received {
    procedure: Procedure,
    received_at: NaiveDateTime,
    due_at: Option<NaiveDateTime>,
}

#[derive(Deserialize)]
struct Procedure {
    code: String,
    catalog_version: String,
    /// Written by counters from version 9 of their register.
    #[serde(default)]
    field: Option<String>,
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

/// Events read into `report_dossiers` in one transaction at most.
const REFRESH_CHUNK: u64 = 5000;

/// Dossiers' rows written by a report's reading after which PostgreSQL's statistics are
/// brought up to date ([`analyze`]).
pub(super) const ANALYZE_AFTER: usize = 10_000;

/// What a report keeps of one dossier (a row of `report_dossiers`): what its count
/// reads, no more (the hub's report names no dossier, procedure or clerk).
#[derive(Default)]
struct Kept {
    /// When it was received (whole seconds); None until its reception is read.
    received: Option<i64>,
    catalog_version: String,
    procedure_code: String,
    /// The field its reception's event names, if it names one.
    field: Option<String>,
    /// The appointment given on reception, and the one the first extension moved on
    /// from: the report judges against the latter when there is one.
    due_at: Option<i64>,
    first_due: Option<i64>,
    /// Its status changes after reception, in journal order.
    steps: Vec<(i64, Status)>,
}

/// The columns of `report_dossiers`, in [`Kept::row`]'s order.
const COLUMNS: &str = "station_id, dossier_id, received, catalog_version, procedure_code,
                       due_at, first_due, steps,
                       in_time_from, in_time_until, overdue_from, overdue_until, early_from,
                       early_until, on_time_from, on_time_until, late_from, late_until,
                       ended_from, complex, field";
const WIDTH: usize = 21;
/// What is read of a row of `report_dossiers` to change it or count it from its facts
/// ([`Kept::from_row`]).
const KEPT: &str = "station_id, dossier_id, received, catalog_version, procedure_code, due_at,
                    first_due, steps, field";
/// The standings, in the order of their columns (`in_time_from` … `late_until`).
const STANDINGS: [Standing; 5] = [
    Standing::PendingInTime,
    Standing::PendingLate,
    Standing::Early,
    Standing::OnTime,
    Standing::Late,
];
/// `until` of a standing held for ever.
const FOR_EVER: i64 = i64::MAX;

impl Kept {
    /// A row read as [`KEPT`] lists its columns.
    fn from_row(r: &[V]) -> Kept {
        let steps = r[7].text();
        Kept {
            received: r[2].opt_int(),
            catalog_version: r[3].text(),
            procedure_code: r[4].text(),
            field: r[8].opt_text(),
            due_at: r[5].opt_int(),
            first_due: r[6].opt_int(),
            steps: (steps.split(';'))
                .filter_map(|s| {
                    let (at, to) = s.split_once(' ')?;
                    Some((at.parse().ok()?, to.parse().ok()?))
                })
                .collect(),
        }
    }

    /// Its course, once received: from its facts as the report's rules read them (its
    /// times and steps; a count needs no code, procedure name or clerk).
    fn course(&self) -> Option<Course> {
        let facts = Facts {
            code: String::new(),
            field: String::new(),
            procedure: String::new(),
            clerk: String::new(),
            online: false,
            received_at: from_seconds(self.received?)?,
            due_at: self.first_due.or(self.due_at).and_then(from_seconds),
            steps: (self.steps.iter())
                .filter_map(|(at, s)| Some((from_seconds(*at)?, *s)))
                .collect(),
        };
        Some(facts.course())
    }

    /// Its row of `report_dossiers`, its course worked out.
    fn row(&self, station_id: &str, dossier_id: &str) -> Vec<V> {
        let int = |x: Option<i64>| V::I(x);
        let steps: Vec<String> = (self.steps.iter())
            .map(|(at, s)| format!("{at} {}", s.as_str()))
            .collect();
        let mut row = vec![
            t(station_id),
            t(dossier_id),
            int(self.received),
            t(&self.catalog_version),
            t(&self.procedure_code),
            int(self.due_at),
            int(self.first_due),
            t(&steps.join(";")),
        ];
        // Each standing's seconds, when it holds one stretch of them (it always does
        // unless a step is dated before an earlier one).
        let course = self.course();
        let segments = course.as_ref().map_or(&[][..], |c| &c.segments[..]);
        let mut spans: [Option<(i64, i64)>; 5] = [None; 5];
        let mut simple = true;
        for (k, (from, s)) in segments.iter().enumerate() {
            let until = segments.get(k + 1).map_or(FOR_EVER, |(next, _)| *next);
            let column = STANDINGS.iter().position(|x| x == s).unwrap_or(0);
            let slot = &mut spans[column];
            simple &= slot.is_none();
            *slot = Some((*from, until));
        }
        for span in spans {
            let span = span.filter(|_| simple);
            row.push(int(span.map(|(from, _)| from)));
            row.push(int(span.map(|(_, until)| until)));
        }
        row.push(int(course.as_ref().and_then(|c| c.ended_from())));
        row.push(int(Some(i64::from(!simple))));
        row.push(V::T(self.field.clone()));
        row
    }
}

/// What one event tells the report of its dossier.
enum Told {
    Received(Kept),
    Status(i64, Status),
    Extended(i64),
}

/// Brings the station's `report_dossiers` up to date: its accepted events pushed since
/// the last report (after its `report_marks` row, which is held until the transaction
/// ends so two reports do not read the same events), each read once into its dossier's
/// row; with `one_chunk`, at most [`REFRESH_CHUNK`] events of them. Whether events are
/// left to read, and how many dossiers' rows were written.
pub(super) fn refresh(
    c: &mut dyn Conn,
    station_id: &str,
    one_chunk: bool,
) -> Result<(bool, usize)> {
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
    let (start, mut written) = (mark, 0);
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
        let told: Vec<(String, Told)> = events.iter().filter_map(|e| read(e)).collect();
        written += apply(c, station_id, told)?;
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
    Ok((mark < last, written))
}

/// After many dossiers' rows were written: PostgreSQL's statistics of `report_dossiers`
/// brought up to date, so that it plans the report's count over all of them (a scan of
/// the table) rather than over the few it knew of (its background analysis runs later).
pub(super) fn analyze(c: &mut dyn Conn) -> Result<()> {
    if c.is_postgres() {
        c.exec("ANALYZE report_dossiers", &[])?;
    }
    Ok(())
}

/// Applies what events told of their dossiers, in journal order, to the dossiers' rows;
/// how many rows were written.
fn apply(c: &mut dyn Conn, station_id: &str, told: Vec<(String, Told)>) -> Result<usize> {
    if told.is_empty() {
        return Ok(0);
    }
    let mut ids: Vec<&str> = told.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let select = format!("SELECT {KEPT} FROM report_dossiers WHERE station_id = ?1 AND dossier_id");
    let found = if c.is_postgres() {
        let list = V::Ts(ids.iter().map(|s| Some(s.to_string())).collect());
        c.rows(
            &format!("{select} = ANY(?2::text[])"),
            &[t(station_id), list],
        )?
    } else {
        let list = serde_json::to_string(&ids)?;
        c.rows(
            &format!("{select} IN (SELECT value FROM json_each(?2))"),
            &[t(station_id), t(&list)],
        )?
    };
    let mut kept: HashMap<String, Kept> = (found.iter())
        .map(|r| (r[1].text(), Kept::from_row(r)))
        .collect();
    for (id, what) in told {
        let k = kept.entry(id).or_default();
        match what {
            // A dossier received again starts over (its first extension stays).
            Told::Received(new) => {
                *k = Kept {
                    first_due: k.first_due,
                    ..new
                }
            }
            // A change before its reception was read is not counted.
            Told::Status(at, to) if k.received.is_some() => k.steps.push((at, to)),
            Told::Status(..) => {}
            Told::Extended(from) => {
                k.first_due.get_or_insert(from);
            }
        }
    }
    let mut values = Vec::with_capacity(kept.len() * WIDTH);
    let n = kept.len();
    for (id, k) in &kept {
        values.extend(k.row(station_id, id));
    }
    let set = "received = excluded.received, catalog_version = excluded.catalog_version,
               procedure_code = excluded.procedure_code, due_at = excluded.due_at, first_due = excluded.first_due,
               steps = excluded.steps, in_time_from = excluded.in_time_from,
               in_time_until = excluded.in_time_until, overdue_from = excluded.overdue_from,
               overdue_until = excluded.overdue_until, early_from = excluded.early_from,
               early_until = excluded.early_until, on_time_from = excluded.on_time_from,
               on_time_until = excluded.on_time_until, late_from = excluded.late_from,
               late_until = excluded.late_until, ended_from = excluded.ended_from,
               complex = excluded.complex, field = excluded.field";
    many(
        c,
        &[],
        WIDTH,
        values,
        |list| {
            format!(
                "INSERT INTO report_dossiers({COLUMNS}) VALUES {list}
                 ON CONFLICT (station_id, dossier_id) DO UPDATE SET {set}"
            )
        },
        &format!(
            "INSERT INTO report_dossiers({COLUMNS})
             SELECT * FROM unnest(?1::text[], ?2::text[], ?3::bigint[], ?4::text[],
                                  ?5::text[], ?6::bigint[], ?7::bigint[], ?8::text[],
                                  ?9::bigint[], ?10::bigint[], ?11::bigint[],
                                  ?12::bigint[], ?13::bigint[], ?14::bigint[],
                                  ?15::bigint[], ?16::bigint[], ?17::bigint[],
                                  ?18::bigint[], ?19::bigint[], ?20::bigint[],
                                  ?21::text[])
             ON CONFLICT (station_id, dossier_id) DO UPDATE SET {set}"
        ),
    )?;
    Ok(n)
}

/// The agencies whose stations had a dossier stored (an accepted reception: a station
/// stores only its own agency's dossiers), by id.
pub(super) fn agencies(c: &mut dyn Conn) -> Result<Vec<String>> {
    Ok((c.rows(
        "SELECT DISTINCT s.agency_id FROM stations s
         WHERE EXISTS (SELECT 1 FROM events e
                       WHERE e.station_id = s.station_id AND e.kind = 'dossier_received'
                         AND e.outcome = 'accepted')
         ORDER BY 1",
        &[],
    )?)
    .iter()
    .map(|r| r[0].text())
    .collect())
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

/// What one stored event (`seq, kind, dossier_id, body`) tells of its dossier, or
/// nothing when it does not read (it is skipped, as it always was).
fn read(e: &[V]) -> Option<(String, Told)> {
    let (id, body) = (e[2].opt_text()?, e[3].opt_text()?);
    let stored = serde_json::from_str::<Stored>(&body).ok()?;
    let told = match e[1].text().as_str() {
        "dossier_received" => {
            let d = serde_json::from_str::<Received>(&stored.payload).ok()?;
            Told::Received(Kept {
                received: Some(seconds(d.received_at)),
                catalog_version: d.procedure.catalog_version,
                procedure_code: d.procedure.code,
                field: d.procedure.field.filter(|f| !f.trim().is_empty()),
                due_at: d.due_at.map(seconds),
                first_due: None,
                steps: Vec::new(),
            })
        }
        "appointment_extended" => Told::Extended(seconds(
            serde_json::from_str::<Extension>(&stored.payload)
                .ok()?
                .from,
        )),
        _ => {
            let to = serde_json::from_str::<To>(&stored.payload).ok()?;
            Told::Status(seconds(local(&stored.wall_time)?), to.to.parse().ok()?)
        }
    };
    Some((id, told))
}

/// The dossiers of `agency_id` a period from `start` to `end` (exclusive, whole seconds
/// of local time) counts, counted alike ([`Tally`]), each under the field its
/// reception's event names, else its catalogue's ([`fields`]): its stations'
/// `report_dossiers`, brought up to date first ([`refresh`]).
/// A dossier stands at `end` as the standing whose seconds hold `end`; one that had
/// ended by `start` is not carried over. Each station's are counted by procedure in the
/// order of `report_dossiers_count`, which holds what is compared (no sorting). The few
/// whose course comes back to a standing are counted from their facts.
pub(super) fn tallies(
    c: &mut dyn Conn,
    fields: &HashMap<(String, String), String>,
    agency_id: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<Tally>> {
    let (start_s, end_s) = (seconds(start), seconds(end));
    // The field the reception's event names, else its catalogue's, if published here.
    let field = |version: &V, code: &V, named: &V| match named.opt_text() {
        Some(f) => f,
        None => (fields.get(&(version.text(), code.text())))
            .cloned()
            .unwrap_or_default(),
    };
    let counts: Vec<String> = (STANDINGS.iter())
        .flat_map(|s| {
            let name = column(*s);
            ["<", ">="].map(|received| {
                format!(
                    "count(*) FILTER (WHERE received {received} ?2 AND ?3 >= {name}_from
                                         AND ?3 < {name}_until)"
                )
            })
        })
        .collect();
    let sql = format!(
        "SELECT catalog_version, procedure_code, field, {}
         FROM report_dossiers
         WHERE station_id = ?1 AND received < ?3 AND complex = 0
           AND (ended_from IS NULL OR ended_from > ?2)
         GROUP BY catalog_version, procedure_code, field",
        counts.join(", ")
    );
    let mut out = Vec::new();
    for station in stations(c, agency_id)? {
        // What was pushed since the report's first pass ([`super::HubStore`]).
        if refresh(c, &station, false)?.1 >= ANALYZE_AFTER {
            analyze(c)?;
        }
        let params = [t(&station), V::I(Some(start_s)), V::I(Some(end_s))];
        for r in c.rows(&sql, &params)? {
            let field = field(&r[0], &r[1], &r[2]);
            for (k, standing) in STANDINGS.iter().enumerate() {
                for (carried, n) in [(true, &r[3 + 2 * k]), (false, &r[4 + 2 * k])] {
                    if n.int() > 0 {
                        out.push(Tally {
                            field: field.clone(),
                            carried,
                            online: false,
                            standing: *standing,
                            count: n.int() as u64,
                        });
                    }
                }
            }
        }
        let complex = c.rows(
            &format!(
                "SELECT {KEPT} FROM report_dossiers
                 WHERE station_id = ?1 AND received < ?2 AND complex = 1"
            ),
            &[t(&station), V::I(Some(end_s))],
        )?;
        for r in complex {
            let kept = Kept::from_row(&r);
            let Some((carried, standing)) = (kept.course()).and_then(|c| c.counted(start_s, end_s))
            else {
                continue;
            };
            out.push(Tally {
                field: field(&r[3], &r[4], &r[8]),
                carried,
                online: false,
                standing,
                count: 1,
            });
        }
    }
    Ok(out)
}

/// The name its columns in `report_dossiers` give a standing.
fn column(s: Standing) -> &'static str {
    match s {
        Standing::PendingInTime => "in_time",
        Standing::PendingLate => "overdue",
        Standing::Early => "early",
        Standing::OnTime => "on_time",
        Standing::Late => "late",
    }
}
