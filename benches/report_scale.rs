//! A year's Biểu 06 over a large register (default 1,000,000 dossiers;
//! `MOTCUA_BENCH_N`), at the counter, side by side with one hand-written SQL `GROUP BY`
//! over the same rows as the floor. Target: ≤ 1 s. Run with
//! `cargo bench --bench report_scale`; `MOTCUA_BENCH_DIR` keeps the seeded database.
//!
//! The register is seeded through the store (signed events, one per dossier, over the
//! 365 days before the period's end); then, for speed, in one SQL transaction: eight
//! procedures of four fields, appointments 3–8 days after reception, and the status
//! changes a year of work leaves (processing, a supplement asked for one dossier in 20,
//! result ready, handed back), written as journal rows whose hashes are placeholders.
//! The report reads those rows as it reads real ones; the journal of this bench database
//! would not verify, and nothing else uses it.

mod common;
use common as support;

use motcua_core::report::{Period, report};
use std::time::{Duration, Instant};

/// The period: the year 2025 closed on the 15th (15/12/2024 – 14/12/2025).
fn period() -> Period {
    Period::year(2025, 15).expect("year")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Appointments, fields and status changes, in SQL (see the module's note).
fn settle(db: &std::path::Path) {
    let c = rusqlite::Connection::open(db).expect("open");
    c.execute_batch(
        "PRAGMA synchronous = OFF;
         BEGIN;
         INSERT OR IGNORE INTO catalog_versions (version, effective_from, source, loaded_at, body)
             VALUES ('bench', '2024-01-01', 'bench', '2025-01-01T00:00:00+07:00', '{}');
         WITH p(k, code, name, field) AS (VALUES
             (0, '1.004873', 'Xác nhận tình trạng hôn nhân', 'Hộ tịch'),
             (1, '1.001193', 'Đăng ký khai sinh', 'Hộ tịch'),
             (2, '1.000656', 'Đăng ký khai tử', 'Hộ tịch'),
             (3, '2.000815', 'Chứng thực bản sao từ bản chính', 'Chứng thực'),
             (4, '2.000884', 'Chứng thực chữ ký', 'Chứng thực'),
             (5, '1.001699', 'Xác nhận hộ gia đình nghèo', 'Bảo trợ xã hội'),
             (6, '1.004222', 'Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Xây dựng'),
             (7, '2.001019', 'Đăng ký thường trú', 'Cư trú'))
         INSERT OR REPLACE INTO procedures
             (version, code, name, field, term, term_unconfirmed, fee, documents, folded)
             SELECT 'bench', code, name, field, '3wd', 0, '{}', '[]', lower(name) FROM p;
         CREATE TEMP TABLE p AS SELECT * FROM (VALUES
             (0, '1.004873', 'Xác nhận tình trạng hôn nhân'),
             (1, '1.001193', 'Đăng ký khai sinh'),
             (2, '1.000656', 'Đăng ký khai tử'),
             (3, '2.000815', 'Chứng thực bản sao từ bản chính'),
             (4, '2.000884', 'Chứng thực chữ ký'),
             (5, '1.001699', 'Xác nhận hộ gia đình nghèo'),
             (6, '1.004222', 'Cấp giấy phép xây dựng nhà ở riêng lẻ'),
             (7, '2.001019', 'Đăng ký thường trú'));
         UPDATE dossiers SET
             procedure_code = (SELECT column2 FROM p WHERE column1 = dossiers.rowid % 8),
             procedure_name = (SELECT column3 FROM p WHERE column1 = dossiers.rowid % 8),
             catalog_version = 'bench',
             due_at = substr(datetime(received_at, '+' || (3 + rowid % 6) || ' days'), 1, 10)
                      || 'T17:00:00';
         CREATE TEMP TABLE steps (dossier_id TEXT, code TEXT, at TEXT, frm TEXT, tos TEXT);
         -- Four in five processed; one in twenty asked for a supplement first; of the
         -- processed, three in four ready (some after the appointment), two in three of
         -- those handed back.
         INSERT INTO steps SELECT id, code, datetime(received_at, '+1 day'), 'received',
             'processing' FROM dossiers WHERE rowid % 5 != 0;
         INSERT INTO steps SELECT id, code, datetime(received_at, '+1 day', '+1 hour'),
             'processing', 'supplement_requested' FROM dossiers WHERE rowid % 20 = 1;
         INSERT INTO steps SELECT id, code, datetime(received_at, '+3 days'),
             'supplement_requested', 'processing' FROM dossiers WHERE rowid % 20 = 1;
         INSERT INTO steps SELECT id, code,
             datetime(received_at, '+' || (2 + rowid % 9) || ' days'), 'processing',
             'result_ready' FROM dossiers WHERE rowid % 5 != 0 AND rowid % 4 != 0;
         INSERT INTO steps SELECT id, code,
             datetime(received_at, '+' || (4 + rowid % 9) || ' days'), 'result_ready',
             'returned' FROM dossiers WHERE rowid % 5 != 0 AND rowid % 4 != 0
                                         AND rowid % 3 != 0;
         INSERT INTO events (seq, event_id, station_id, wall_time, clerk, kind, dossier_id,
                             payload, prev_hash, hash)
             SELECT (SELECT max(seq) FROM events) + row_number() OVER (ORDER BY at, tos),
                    'bench-' || row_number() OVER (ORDER BY at, tos),
                    '000.17.22.H56#1',
                    replace(at, ' ', 'T') || '+07:00', 'lan', 'status_changed', dossier_id,
                    json_object('code', code, 'from', frm, 'to', tos, 'note', NULL),
                    'bench', 'bench-' || row_number() OVER (ORDER BY at, tos)
             FROM steps ORDER BY at, tos;
         COMMIT;",
    )
    .expect("settle");
}

/// The floor: the same counts in one SQL statement (no journal rules beyond the first
/// end; a dossier's supplement time is left out, which only makes the floor cheaper),
/// over the register and the journal as they are (`narrow` false), or over the narrow
/// rows the report reads (`narrow` true: report_steps and the index dossiers_report).
fn floor(db: &std::path::Path, p: &Period, narrow: bool) -> (Duration, u64) {
    let c = rusqlite::Connection::open(db).expect("open");
    let ends = if narrow {
        "SELECT d.id AS dossier_id, min(substr(s.wall_time, 1, 19)) AS ended
         FROM report_steps s JOIN dossiers d ON d.rowid = s.dossier_rowid
         WHERE s.status IN ('result_ready', 'returned', 'refused', 'stopped', 'withdrawn')
         GROUP BY s.dossier_rowid"
    } else {
        "SELECT dossier_id, min(substr(wall_time, 1, 19)) AS ended
         FROM events
         WHERE kind IN ('status_changed', 'upstream_status')
           AND json_extract(payload, '$.to') IN
               ('result_ready', 'returned', 'refused', 'stopped', 'withdrawn')
         GROUP BY dossier_id"
    };
    let sql = format!("
        WITH ends AS ({ends})
        SELECT coalesce(p.field, ''),
            count(*) FILTER (WHERE d.received_at >= ?1),
            count(*) FILTER (WHERE d.received_at < ?1),
            count(*) FILTER (WHERE e.ended < ?2 AND substr(e.ended, 1, 10) < substr(d.due_at, 1, 10)),
            count(*) FILTER (WHERE e.ended < ?2 AND substr(e.ended, 1, 10) >= substr(d.due_at, 1, 10)
                                  AND e.ended <= d.due_at),
            count(*) FILTER (WHERE e.ended < ?2 AND e.ended > d.due_at),
            count(*) FILTER (WHERE (e.ended IS NULL OR e.ended >= ?2) AND d.due_at >= ?2),
            count(*) FILTER (WHERE (e.ended IS NULL OR e.ended >= ?2) AND d.due_at < ?2)
        FROM dossiers d
        LEFT JOIN procedures p ON p.version = d.catalog_version AND p.code = d.procedure_code
        LEFT JOIN ends e ON e.dossier_id = d.id
        WHERE d.received_at < ?2 AND (d.received_at >= ?1 OR e.ended IS NULL OR e.ended >= ?1)
        GROUP BY 1");
    let (start, end) = (
        p.start().format("%Y-%m-%dT%H:%M:%S").to_string(),
        p.end().format("%Y-%m-%dT%H:%M:%S").to_string(),
    );
    let t = Instant::now();
    let mut stmt = c.prepare(&sql).expect("sql");
    let rows: Vec<(String, i64, i64)> = stmt
        .query_map([&start, &end], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let elapsed = t.elapsed();
    (elapsed, rows.iter().map(|(_, a, b)| (a + b) as u64).sum())
}

fn main() {
    let n: u64 = std::env::var("MOTCUA_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let keep = std::env::var_os("MOTCUA_BENCH_DIR").map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("motcua.sqlite");
    let p = period();
    if !db.exists() {
        let mut store = support::open_station(&dir);
        let start = Instant::now();
        support::seed_year(&mut store, n, p.from);
        drop(store);
        let seeded = start.elapsed();
        settle(&db);
        println!(
            "seeded {n} dossiers in {:.1} s, their appointments and status changes in {:.1} s ({} MB)",
            seeded.as_secs_f64(),
            (start.elapsed() - seeded).as_secs_f64(),
            std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) / 1_000_000
        );
    }
    let store = motcua_store::Store::open(&db).expect("open");
    let mut totals = 0;
    let mut facts_times = Vec::new();
    let mut report_times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let facts = store.report_facts(p.end()).expect("facts");
        facts_times.push(t.elapsed());
        let r = report(p, &facts);
        report_times.push(t.elapsed());
        totals = r.total.received_total;
    }
    let floors: Vec<(Duration, u64)> = (0..3).map(|_| floor(&db, &p, false)).collect();
    let floor_total = floors[0].1;
    let floor_time = median(floors.into_iter().map(|f| f.0).collect());
    let narrow: Vec<(Duration, u64)> = (0..3).map(|_| floor(&db, &p, true)).collect();
    assert_eq!(narrow[0].1, floor_total);
    let narrow_time = median(narrow.into_iter().map(|f| f.0).collect());
    let whole = median(report_times);
    println!(
        "year report at the counter: {n} dossiers, {totals} counted (floor {floor_total}); \
         facts {:.0} ms, report {:.0} ms (median of 3); SQL GROUP BY floor over the raw \
         tables {:.0} ms (report/floor {:.2}), over the narrow rows {:.0} ms (report/floor \
         {:.2}); target 1000 ms, report/target {:.2}",
        ms(median(facts_times)),
        ms(whole),
        ms(floor_time),
        ms(whole) / ms(floor_time),
        ms(narrow_time),
        ms(whole) / ms(narrow_time),
        ms(whole) / 1000.0
    );
    assert_eq!(
        totals, floor_total,
        "the report and the floor count the same dossiers"
    );
}
