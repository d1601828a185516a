//! The encrypted register against the plain one, side by side on the same disk: receiving
//! one dossier (p50/p95 of `MOTCUA_BENCH_RECEIVES`, default 1,000, each a durable
//! transaction), opening the register, searching it at N dossiers (default 1,000,000;
//! `MOTCUA_BENCH_N`), the time to encrypt a register of that size where it lies
//! (`motcua encrypt`) and the file sizes. Prints each figure for both and the ratio
//! encrypted ÷ plain. Run with `cargo bench --bench at_rest`; `MOTCUA_BENCH_DIR` keeps and
//! reuses the seeded plain register between runs.

mod common;
use common as support;

use motcua_store::{Store, cipher, keys};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One line: p50 and p95 of both, and the ratios.
fn compare(name: &str, plain: &mut [Duration], encrypted: &mut [Duration]) {
    let (p50, p95) = (percentile(plain, 0.5), percentile(plain, 0.95));
    let (e50, e95) = (percentile(encrypted, 0.5), percentile(encrypted, 0.95));
    println!(
        "{name:<40} plain p50 {:>8.3} ms p95 {:>8.3} ms | encrypted p50 {:>8.3} ms p95 {:>8.3} ms | ratio p50 {:.2} p95 {:.2}",
        ms(p50),
        ms(p95),
        ms(e50),
        ms(e95),
        ms(e50) / ms(p50),
        ms(e95) / ms(p95)
    );
}

/// A station in `dir`, encrypted (with the key open for this process) when asked.
fn station(dir: &Path, encrypted: bool) -> Store {
    std::fs::create_dir_all(dir).expect("dir");
    drop(support::open_station(dir));
    let db = dir.join("motcua.sqlite");
    if encrypted {
        cipher::encrypt(&db, "lan", "mật khẩu dài", &[]).expect("encrypt");
    }
    let key = keys::load(&dir.join("station.key")).expect("key");
    Store::open(&db).expect("open").with_signer(key)
}

fn receives(store: &mut Store, n: u64) -> Vec<Duration> {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("time");
    (0..n)
        .map(|i| {
            let t = Instant::now();
            store
                .receive(&support::request(i, at), support::now())
                .expect("receive");
            t.elapsed()
        })
        .collect()
}

fn opens(db: &Path) -> Vec<Duration> {
    (0..30)
        .map(|_| {
            let t = Instant::now();
            let s = Store::open(db).expect("open");
            s.station().expect("station");
            t.elapsed()
        })
        .collect()
}

const QUERIES: [&str; 10] = [
    "nguyen van a",
    "Đặng Thị",
    "0912",
    "H56-251231",
    "tran thi lan",
    "thon 12",
    "0380",
    "pham duc nam",
    "nguyen v",
    "000.17.22.H56-251231-0001",
];

fn searches(db: &Path) -> Vec<Duration> {
    let store = Store::open(db).expect("open");
    for q in QUERIES {
        store.search(q, None, 50).expect("warm");
    }
    let mut all = Vec::new();
    for q in QUERIES {
        for _ in 0..30 {
            let t = Instant::now();
            std::hint::black_box(store.search(q, None, 50).expect("search"));
            all.push(t.elapsed());
        }
    }
    all
}

fn size_mb(db: &Path) -> f64 {
    std::fs::metadata(db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
}

fn main() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let n = env("MOTCUA_BENCH_N", 1_000_000);
    let receive_n = env("MOTCUA_BENCH_RECEIVES", 1_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = std::env::var_os("MOTCUA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());

    // Receiving into a fresh register, interleaved in rounds so both see the same disk.
    let work = tempfile::tempdir_in(&root).expect("work dir");
    let mut plain = station(&work.path().join("plain"), false);
    let mut enc = station(&work.path().join("encrypted"), true);
    let (mut rp, mut re) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        rp.extend(receives(&mut plain, receive_n / 10));
        re.extend(receives(&mut enc, receive_n / 10));
    }
    compare(
        &format!("receive one dossier (n={receive_n})"),
        &mut rp,
        &mut re,
    );
    drop((plain, enc));

    // The register at scale: the plain one seeded once, a copy encrypted where it lies.
    let big = root.join(format!("plain-{n}"));
    let db = big.join("motcua.sqlite");
    if !db.exists() {
        let mut store = station(&big, false);
        let t = Instant::now();
        support::seed_year(
            &mut store,
            n,
            chrono::NaiveDate::from_ymd_opt(2025, 11, 20).expect("date"),
        );
        println!("seeded {n} dossiers in {:.1} s", t.elapsed().as_secs_f64());
    }
    let enc_dir = work.path().join("big-encrypted");
    std::fs::create_dir_all(&enc_dir).expect("dir");
    let enc_db = enc_dir.join("motcua.sqlite");
    Store::open(&db)
        .expect("open")
        .backup(&enc_db)
        .expect("copy");
    let t = Instant::now();
    let done = cipher::encrypt(&enc_db, "lan", "mật khẩu dài", &[]).expect("encrypt");
    println!(
        "encrypt a register of {} dossiers where it lies: {:.1} s ({:.0} MB plain, {:.0} MB encrypted, ratio {:.3})",
        done.dossiers,
        t.elapsed().as_secs_f64(),
        size_mb(&db),
        size_mb(&enc_db),
        size_mb(&enc_db) / size_mb(&db)
    );
    compare(
        &format!("open + read station ({n} dossiers)"),
        &mut opens(&db),
        &mut opens(&enc_db),
    );
    compare(
        &format!("search, 10 queries x 30 ({n} dossiers)"),
        &mut searches(&db),
        &mut searches(&enc_db),
    );
    // Opening the key: what a sign-in (or MOTCUA_PASSWORD_FILE) adds once per process.
    let t = Instant::now();
    cipher::forget(&enc_db);
    assert!(cipher::unlock(&enc_db, "mật khẩu dài").expect("unlock"));
    println!(
        "open the key with a password (Argon2id, once per process): {:.1} ms",
        ms(t.elapsed())
    );
}
