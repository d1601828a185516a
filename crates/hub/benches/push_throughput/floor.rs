//! The floor: the rows the hub stores in `events` for the same events, written with no
//! checks at all (a bare multi-row INSERT on both backends, COPY on PostgreSQL).

use super::counter::{Batch, Station};
use super::{EVENT_COLUMNS, PgSchema, Run, now, run_stations, sqlite_hub};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// `(?1, …, ?10), (?11, …)` for `rows` rows of the events columns.
fn values_list(rows: usize, dollar: bool) -> String {
    let mut s = String::with_capacity(rows * 60);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..10 {
            if c > 0 {
                s.push_str(", ");
            }
            s.push(if dollar { '$' } else { '?' });
            s.push_str(&(r * 10 + c + 1).to_string());
        }
        s.push(')');
    }
    format!("INSERT INTO events({EVENT_COLUMNS}) VALUES {s}")
}

/// The bound values of one batch's rows, as the hub binds them.
#[derive(Debug)]
enum Cell<'a> {
    T(&'a str),
    I(i64),
    Null,
}

fn cells<'a>(b: &'a Batch, stored_at: &'a str) -> Vec<Cell<'a>> {
    let mut v = Vec::with_capacity(b.req.events.len() * 10);
    for (e, body) in b.req.events.iter().zip(&b.bodies) {
        v.extend([
            Cell::T(&e.station_id),
            Cell::I(e.seq as i64),
            Cell::T(&e.event_id),
            Cell::T(e.kind.as_str()),
            e.dossier_id.as_deref().map_or(Cell::Null, Cell::T),
            Cell::T(&e.hash),
            Cell::T(body),
            Cell::T("accepted"),
            Cell::Null,
            Cell::T(stored_at),
        ]);
    }
    v
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            Cell::T(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::I(n) => ToSqlOutput::Owned(Value::Integer(*n)),
            Cell::Null => ToSqlOutput::Owned(Value::Null),
        })
    }
}

/// One multi-row INSERT per batch in its own IMMEDIATE transaction, on one connection
/// shared by the threads (the hub's own SQLite model), same pragmas as the hub's.
pub fn floor_sqlite(path: &Path, stations: &[Station]) -> Run {
    drop(sqlite_hub(path));
    let conn = rusqlite::Connection::open(path).expect("open");
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .expect("wal");
    conn.execute_batch("PRAGMA synchronous = FULL;")
        .expect("synchronous");
    let conn = Mutex::new(conn);
    let stored_at = now();
    run_stations(stations, None, |_, _| {
        let (conn, stored_at) = (&conn, &stored_at);
        Box::new(move |b| {
            let mut c = conn.lock().expect("connection");
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .expect("begin");
            let n = tx
                .prepare_cached(&values_list(b.req.events.len(), false))
                .expect("prepare")
                .execute(rusqlite::params_from_iter(cells(b, stored_at)))
                .expect("insert");
            tx.commit().expect("commit");
            n as u64
        })
    })
}

impl postgres::types::ToSql for Cell<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::T(s) => s.to_sql(ty, out),
            Cell::I(n) => n.to_sql(ty, out),
            Cell::Null => Ok(postgres::types::IsNull::Yes),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <&str as postgres::types::ToSql>::accepts(ty)
            || <i64 as postgres::types::ToSql>::accepts(ty)
    }

    postgres::types::to_sql_checked!();
}

/// One multi-row INSERT per batch in its own transaction, a connection per station.
pub fn floor_pg_insert(schema: &PgSchema, stations: &[Station]) -> Run {
    drop(schema.hub());
    let stored_at = now();
    run_stations(stations, None, |_, _| {
        let mut c = schema.client();
        let stored_at = &stored_at;
        let mut prepared = std::collections::HashMap::new();
        Box::new(move |b| {
            let rows = b.req.events.len();
            let st = prepared
                .entry(rows)
                .or_insert_with(|| c.prepare(&values_list(rows, true)).expect("prepare"))
                .clone();
            let cells = cells(b, stored_at);
            let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                cells.iter().map(|c| c as _).collect();
            let mut tx = c.transaction().expect("begin");
            let n = tx.execute(&st, &params).expect("insert");
            tx.commit().expect("commit");
            n
        })
    })
}

/// COPY's text format of a value.
fn copy_text(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// One COPY per batch in its own transaction, a connection per station; the COPY data
/// is made before the clock starts.
pub fn floor_pg_copy(schema: &PgSchema, stations: &[Station]) -> Run {
    drop(schema.hub());
    let stored_at = now();
    let data: Vec<Vec<(usize, Vec<u8>)>> = stations
        .iter()
        .map(|s| {
            s.batches
                .iter()
                .map(|b| {
                    let mut out = Vec::with_capacity(b.json_len + b.req.events.len() * 300);
                    for row in cells(b, &stored_at).chunks(10) {
                        for (i, c) in row.iter().enumerate() {
                            if i > 0 {
                                out.push(b'\t');
                            }
                            match c {
                                Cell::T(s) => copy_text(&mut out, s),
                                Cell::I(n) => out.extend_from_slice(n.to_string().as_bytes()),
                                Cell::Null => out.extend_from_slice(b"\\N"),
                            }
                        }
                        out.push(b'\n');
                    }
                    (b.req.events.len(), out)
                })
                .collect()
        })
        .collect();
    let copy = format!("COPY events({EVENT_COLUMNS}) FROM STDIN");
    run_stations(stations, None, |i, _| {
        let mut c = schema.client();
        let mut mine = data[i].iter();
        let copy = &copy;
        Box::new(move |_| {
            let (rows, bytes) = mine.next().expect("copy data");
            let mut tx = c.transaction().expect("begin");
            let mut w = tx.copy_in(copy.as_str()).expect("copy");
            w.write_all(bytes).expect("copy data");
            let n = w.finish().expect("copy end");
            tx.commit().expect("commit");
            assert_eq!(n as usize, *rows);
            n
        })
    })
}
