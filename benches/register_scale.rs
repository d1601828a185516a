//! The register at scale: seeds N dossiers (default 1,000,000; `MOTCUA_BENCH_N`) over a year
//! of days, then measures opening the database and searching it, printing p50/p95/max and
//! the ratio to the targets (search p95 ≤ 10 ms, open ≤ 100 ms). Run with
//! `cargo bench --bench register_scale`. Set `MOTCUA_BENCH_DIR` to keep and reuse the
//! seeded database between runs.

mod common;
use common as support;

use motcua_store::Store;
use std::time::{Duration, Instant};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, samples: &mut [Duration], target_ms: f64) {
    let p50 = percentile(samples, 0.50);
    let p95 = percentile(samples, 0.95);
    let max = percentile(samples, 1.0);
    println!(
        "{name:<42} n={:<5} p50 {:>8.3} ms  p95 {:>8.3} ms  max {:>8.3} ms  target {target_ms} ms  p95/target {:.2}",
        samples.len(),
        ms(p50),
        ms(p95),
        ms(max),
        ms(p95) / target_ms
    );
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
    if !db.exists() {
        let mut store = support::open_station(&dir);
        let start = Instant::now();
        let first = chrono::NaiveDate::from_ymd_opt(2025, 11, 20).expect("date");
        support::seed_year(&mut store, n, first);
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        println!(
            "seeded {n} dossiers in {:.1} s ({} MB)",
            start.elapsed().as_secs_f64(),
            size / 1_000_000
        );
    }

    let mut opens: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            let s = Store::open(&db).expect("open");
            s.station().expect("station");
            t.elapsed()
        })
        .collect();
    report("open the database (+ read station)", &mut opens, 100.0);

    let store = Store::open(&db).expect("open");
    let queries = [
        "nguyen van a",
        "dang",
        "Đặng Thị",
        "0912",
        "H56-251231",
        "tran thi lan",
        "hoang",
        "thon 12",
        // The first digits of an ID number (Thanh Hóa, a man born in the 1900s).
        "0380",
        "pham duc nam",
        "bui",
        "ngo thanh yen",
        "do",
        "le van binh",
        // Short last words, as typed key by key.
        "nguyen v",
        "bui 0",
        "thon 1",
        "n",
        "000.17.22.H56-251231-0001",
    ];
    for q in queries {
        store.search(q, None, 50).expect("warm");
    }
    let mut all = Vec::new();
    for q in queries {
        let mut samples: Vec<Duration> = (0..50)
            .map(|_| {
                let t = Instant::now();
                let hits = store.search(q, None, 50).expect("search");
                std::hint::black_box(hits);
                t.elapsed()
            })
            .collect();
        all.extend_from_slice(&samples);
        report(
            &format!("search «{q}» (top 50, newest first)"),
            &mut samples,
            10.0,
        );
    }
    report("search, all queries", &mut all, 10.0);
}
