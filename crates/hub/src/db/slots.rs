//! How a push writes the covered events of a batch: the register's rows (received
//! dossiers, status changes, new appointments, corrected names) and the events in their
//! slots, in a few multi-row statements per table ([`take_slots`]), with the rows of each
//! event made on another thread meanwhile; and [`many`], a statement over many rows on
//! either database.

use super::effect::{DOSSIER_COLUMNS, EVENT_COLUMNS, Effect, bodies};
use super::{i, ot, t};
use crate::error::Result;
use crate::sql::{Conn, V, copy_rows, copy_value};
use motcua_core::wire::PushRequest;
use std::collections::{HashMap, HashSet};

/// Most rows one SQLite statement writes or names: 1024 rows of at most 12 values stay
/// far within its 32,766 bound values.
const MAX_ROWS: usize = 1024;

/// Runs a statement over many rows and answers the rows it returns. `rows` holds `width`
/// values a row, bound after `fixed` (so the rows' placeholders start at
/// `fixed.len() + 1`); rows are taken in order.
///
/// On PostgreSQL, one statement whatever the number of rows, so one round trip and one
/// prepared statement: `pg` reads the rows as `width` arrays, one per column
/// (`?n::text[]` or `?n::bigint[]`, by the first row's values), e.g. with `unnest`.
///
/// On SQLite (no arrays, no round trips), `sqlite` makes the statement from a list
/// `(?a, ?b), (?c, ?d), …`, run on chunks whose sizes are powers of two up to
/// [`MAX_ROWS`] (1000 rows: 512, 256, 128, 64, 32, 8), so that a connection prepares a
/// few statements per table whatever the batch sizes.
pub(super) fn many(
    c: &mut dyn Conn,
    fixed: &[V],
    width: usize,
    rows: Vec<V>,
    sqlite: impl Fn(&str) -> String,
    pg: &str,
) -> Result<Vec<Vec<V>>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    if c.is_postgres() {
        let mut params = fixed.to_vec();
        params.extend(columns(width, rows));
        return c.rows(pg, &params);
    }
    let mut out = Vec::new();
    let mut left = &rows[..];
    while !left.is_empty() {
        let n = left.len() / width;
        let size = if n >= MAX_ROWS {
            MAX_ROWS
        } else {
            1 << n.ilog2()
        };
        let (now, rest) = left.split_at(size * width);
        let mut list = String::with_capacity(size * width * 7);
        for r in 0..size {
            list.push_str(if r == 0 { "(" } else { ", (" });
            for k in 0..width {
                if k > 0 {
                    list.push_str(", ");
                }
                let n = fixed.len() + r * width + k + 1;
                list.push('?');
                list.push_str(&n.to_string());
            }
            list.push(')');
        }
        out.extend(if fixed.is_empty() {
            c.rows(&sqlite(&list), now)?
        } else {
            let params: Vec<V> = fixed.iter().chain(now).cloned().collect();
            c.rows(&sqlite(&list), &params)?
        });
        left = rest;
    }
    Ok(out)
}

/// Rows of `width` values as `width` arrays, one per column (a column of integers when
/// its first row's value is one), the values moved, not copied.
pub(super) fn columns(width: usize, rows: Vec<V>) -> Vec<V> {
    let n = rows.len() / width;
    let mut out: Vec<V> = (rows.iter().take(width))
        .map(|v| match v {
            V::I(_) => V::Is(Vec::with_capacity(n)),
            _ => V::Ts(Vec::with_capacity(n)),
        })
        .collect();
    for (k, v) in rows.into_iter().enumerate() {
        match (&mut out[k % width], v) {
            (V::Is(a), v) => a.push(v.opt_int()),
            (V::Ts(a), V::T(s)) => a.push(s),
            (V::Ts(a), v) => a.push(v.opt_text()),
            _ => {}
        }
    }
    out
}

/// Stores the covered events of a batch (`covered`: their places in `req`, in chain
/// order) in their slots and applies them to the register; for each, the reason if it
/// breaks a register rule (it is then kept as a rejection, the register untouched). The
/// outcome of each event and every row written are those of applying the events one at a
/// time in order; the rows are written in a few multi-row statements per table
/// ([`many`]):
///
/// 1. the received dossiers of the station's agency, in order, `ON CONFLICT DO NOTHING`:
///    the database settles a code or id taken (before the batch, by another station's
///    transaction still running, or by an earlier event of the batch) exactly as one
///    INSERT per event did; `RETURNING` says which were stored;
/// 2. the status changes: one applies when the station's dossier is at the hub at that
///    point, i.e. received earlier in the batch (known from step 1; one received later
///    in the batch was not there yet) or stored before it (found by the UPDATE itself,
///    whose `RETURNING` names the dossiers it found). That does not change during the
///    batch: no dossier is ever deleted or given to another station, and only this
///    station's pushes create its dossiers (its `stations` row is held). Each dossier is
///    updated once, to its last status applied (an upstream status set meanwhile is
///    ordered by the row's lock, as it was against one UPDATE per event);
/// 3. the `events` rows, with their outcome and reason.
///
/// A storage error fails the whole batch (the transaction is rolled back).
pub(super) fn take_slots(
    c: &mut dyn Conn,
    station_id: &str,
    agency_id: &str,
    req: &PushRequest,
    effects: Vec<Effect>,
    covered: &[usize],
    now: &str,
) -> Result<Vec<Option<String>>> {
    let pg = c.is_postgres();
    std::thread::scope(|s| {
        // The events' rows (their bodies written as JSON) are made on another thread
        // while the database stores the dossiers and status changes: with one station
        // pushing, the hub's work and the database's overlap.
        let rows = s.spawn(|| -> Result<EventRows> {
            let values = event_rows(station_id, req, covered, now)?;
            Ok(if pg {
                EventRows::Text(copy_rows(EVENT_WIDTH, &values)?)
            } else {
                EventRows::Values(values)
            })
        });
        let rejected = apply_effects(c, station_id, agency_id, effects, covered, now);
        let rows = rows
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        let rejected = rejected?;
        // 3. The events in their slots, with their outcome and reason.
        match rows {
            EventRows::Text(mut data) => {
                // COPY: about a tenth faster than one INSERT of the rows as arrays, and
                // it writes the table's pages a batch of rows at a time. Nearly always
                // every event is accepted, as the rows were written; a rejected one's
                // line (a value's newline is escaped: every line is a row) ends anew.
                if rejected.iter().any(Option::is_some) {
                    let mut out = Vec::with_capacity(data.len() + rejected.len() * 64);
                    for (line, why) in data.split_inclusive(|&b| b == b'\n').zip(&rejected) {
                        let Some(why) = why else {
                            out.extend_from_slice(line);
                            continue;
                        };
                        out.extend_from_slice(&line[..line.len() - ACCEPTED.len()]);
                        out.extend_from_slice(b"rejected\t");
                        copy_value(&mut out, &t(why))?;
                        out.push(b'\n');
                    }
                    data = out;
                }
                c.copy(&format!("events({EVENT_COLUMNS})"), &data, false)?;
            }
            EventRows::Values(mut values) => {
                for (k, why) in rejected.iter().enumerate() {
                    if let Some(why) = why {
                        values[k * EVENT_WIDTH + 8] = t("rejected");
                        values[k * EVENT_WIDTH + 9] = t(why);
                    }
                }
                many(
                    c,
                    &[],
                    EVENT_WIDTH,
                    values,
                    |list| format!("INSERT INTO events({EVENT_COLUMNS}) VALUES {list}"),
                    "", // (SQLite here)
                )?;
            }
        }
        Ok(rejected)
    })
}

/// The covered events' rows, made before their outcomes are known, each as an accepted
/// event's.
enum EventRows {
    /// On PostgreSQL, in COPY's text format ([`copy_rows`]): each line ends [`ACCEPTED`].
    Text(Vec<u8>),
    /// On SQLite, the rows' values ([`EVENT_COLUMNS`]).
    Values(Vec<V>),
}

/// How an accepted event's row ends in COPY's text format: its outcome and no reason.
const ACCEPTED: &[u8] = b"accepted\t\\N\n";

/// Values in a row of `events` ([`EVENT_COLUMNS`]).
pub(super) const EVENT_WIDTH: usize = 10;

/// The `events` rows of the covered events (`covered`: their places in `req`), each as
/// an accepted event's (no reason).
pub(super) fn event_rows(
    station_id: &str,
    req: &PushRequest,
    covered: &[usize],
    now: &str,
) -> Result<Vec<V>> {
    let bodies = bodies(covered.iter().map(|&k| &req.events[k]))?;
    let mut values = Vec::with_capacity(covered.len() * EVENT_WIDTH);
    for (&k, body) in covered.iter().zip(bodies) {
        let e = &req.events[k];
        values.extend([
            t(station_id),
            i(e.seq),
            t(&e.event_id),
            t(e.kind.as_str()),
            ot(e.dossier_id.as_deref()),
            t(&e.hash),
            V::T(Some(body)),
            t(now),
            t("accepted"),
            V::T(None),
        ]);
    }
    Ok(values)
}

/// Steps 1 and 2 of [`take_slots`]: the dossiers and their changes; for each covered
/// event, the reason it is rejected, if it is.
fn apply_effects(
    c: &mut dyn Conn,
    station_id: &str,
    agency_id: &str,
    mut effects: Vec<Effect>,
    covered: &[usize],
    now: &str,
) -> Result<Vec<Option<String>>> {
    let mut effects: Vec<Effect> = (covered.iter())
        .map(|&k| std::mem::replace(&mut effects[k], Effect::None))
        .collect();
    let mut rejected: Vec<Option<String>> = vec![None; covered.len()];

    // 1. Received dossiers (their rows moved to the statement).
    let mut values = Vec::new();
    for (k, f) in effects.iter_mut().enumerate() {
        match f {
            Effect::Refused(why) => rejected[k] = Some(why.clone()),
            Effect::Receive { code, row, .. } if row[2].text() != agency_id => {
                rejected[k] = Some(format!(
                    "hồ sơ {code} không thuộc cơ quan {agency_id} của quầy"
                ));
            }
            Effect::Receive { row, .. } => values.append(row),
            _ => {}
        }
    }
    let mut stored = store_dossiers(c, values)?;
    // Where each dossier stored by this batch was received. Of two events with the same
    // code and id only the first can have been stored (no row is ever deleted).
    let mut received: HashMap<&str, usize> = HashMap::new();
    for (k, f) in effects.iter().enumerate() {
        if let (Effect::Receive { code, id, .. }, None) = (f, &rejected[k]) {
            if stored.take(code, id) {
                received.insert(code, k);
            } else {
                rejected[k] = Some(format!("mã hồ sơ {code} đã được một quầy khác dùng"));
            }
        }
    }

    // 2. Status changes: each dossier's last status, for those received before the
    //    change or not in this batch at all.
    let mut last: HashMap<&str, &'static str> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    let mut asked: Vec<(usize, &str)> = Vec::new();
    for (k, f) in effects.iter().enumerate() {
        if let Effect::Status { code, to } = f {
            if received.get(code.as_str()).is_some_and(|&r| r > k) {
                rejected[k] = Some(no_dossier(code));
                continue;
            }
            if last.insert(code, to).is_none() {
                order.push(code);
            }
            asked.push((k, code));
        }
    }
    let values: Vec<V> = order
        .iter()
        .flat_map(|code| [t(code), t(last[code])])
        .collect();
    let found = many(
        c,
        &[t(now), t(station_id)],
        2,
        values,
        |list| {
            format!(
                "WITH v(code, status) AS (VALUES {list})
                 UPDATE dossiers SET status = v.status, updated_at = ?1 FROM v
                 WHERE dossiers.code = v.code AND dossiers.station_id = ?2
                 RETURNING dossiers.code"
            )
        },
        "UPDATE dossiers SET status = v.status, updated_at = ?1
         FROM unnest(?3::text[], ?4::text[]) AS v(code, status)
         WHERE dossiers.code = v.code AND dossiers.station_id = ?2
         RETURNING dossiers.code",
    )?;
    let found: HashSet<String> = found.iter().map(|r| r[0].text()).collect();
    for (k, code) in asked {
        if !found.contains(code) {
            rejected[k] = Some(no_dossier(code));
        }
    }

    // 2b. New appointments and corrected names, in order (rare: one statement each).
    for (k, f) in effects.iter().enumerate() {
        let (code, sql, value) = match f {
            Effect::Extend { code, due } => (
                code,
                "UPDATE dossiers SET first_due_at = COALESCE(first_due_at, due_at),
                                     due_at = ?1, updated_at = ?2
                 WHERE code = ?3 AND station_id = ?4 RETURNING code",
                due,
            ),
            Effect::Rename { code, name } => (
                code,
                "UPDATE dossiers SET applicant_name = ?1, updated_at = ?2
                 WHERE code = ?3 AND station_id = ?4 RETURNING code",
                name,
            ),
            _ => continue,
        };
        if received.get(code.as_str()).is_some_and(|&r| r > k) {
            rejected[k] = Some(no_dossier(code));
            continue;
        }
        let found = c.rows(sql, &[t(value), t(now), t(code), t(station_id)])?;
        if found.is_empty() {
            rejected[k] = Some(no_dossier(code));
        }
    }

    Ok(rejected)
}

/// Which of the rows given to [`store_dossiers`] were stored.
enum Stored {
    All,
    /// By code and id.
    These(HashSet<(String, String)>),
}

impl Stored {
    /// Whether the dossier `code`, `id` was stored, answered once: of two rows with the
    /// same code and id only the first can have been.
    fn take(&mut self, code: &str, id: &str) -> bool {
        match self {
            Stored::All => true,
            Stored::These(set) => set.remove(&(code.to_string(), id.to_string())),
        }
    }
}

/// Stores received dossiers (`values`: their rows, [`DOSSIER_COLUMNS`]), skipping any
/// whose code or id is taken (before the batch, by another station's transaction, or by
/// an earlier row).
fn store_dossiers(c: &mut dyn Conn, values: Vec<V>) -> Result<Stored> {
    const WIDTH: usize = 10;
    let pg_rows = "SELECT * FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::text[],
                                       ?5::text[], ?6::text[], ?7::text[], ?8::text[],
                                       ?9::text[], ?10::text[])";
    let pg_skipping = format!(
        "INSERT INTO dossiers({DOSSIER_COLUMNS}) {pg_rows} ON CONFLICT DO NOTHING RETURNING code, id"
    );
    let read = |rows: Vec<Vec<V>>| {
        Stored::These(rows.iter().map(|r| (r[0].text(), r[1].text())).collect())
    };
    if c.is_postgres() && !values.is_empty() {
        // Nearly always every code and id is new: the rows are written by COPY, which
        // costs PostgreSQL less than an INSERT (about 30 % less than ON CONFLICT's
        // speculative insertion); when one is taken, nothing is written and the rows go
        // through ON CONFLICT.
        let into = format!("dossiers({DOSSIER_COLUMNS})");
        if c.copy(&into, &copy_rows(WIDTH, &values)?, true)?.is_some() {
            return Ok(Stored::All);
        }
        return Ok(read(c.rows(&pg_skipping, &columns(WIDTH, values))?));
    }
    let stored = many(
        c,
        &[],
        WIDTH,
        values,
        |list| {
            format!(
                "INSERT INTO dossiers({DOSSIER_COLUMNS}) VALUES {list}
                 ON CONFLICT DO NOTHING RETURNING code, id"
            )
        },
        &pg_skipping,
    )?;
    Ok(read(stored))
}

/// Why a status change does not apply.
fn no_dossier(code: &str) -> String {
    format!("hub không có hồ sơ {code} của quầy này")
}
