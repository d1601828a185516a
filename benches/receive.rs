//! Receive one dossier: one IMMEDIATE transaction, WAL, synchronous=FULL, the journal
//! event hashed and the head signed. Target p50 ≤ 2 ms.

mod common;
use common as support;

use criterion::{Criterion, criterion_group, criterion_main};

fn receive(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = support::open_station(dir.path());
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("time");
    let mut i = 0u64;
    let mut days = 0u64;
    c.bench_function("receive one dossier (synchronous=FULL)", |b| {
        b.iter(|| {
            i += 1;
            // Stay inside one station's daily space: move to the next day every 50,000.
            if i.is_multiple_of(50_000) {
                days += 1;
            }
            let when = at - chrono::Days::new(days);
            store
                .receive(&support::request(i, when), support::now())
                .expect("receive")
        })
    });
}

/// The disk's floor: one 4 KiB write made durable with fdatasync, which is what a WAL
/// commit with synchronous=FULL costs at the least. Receive can't be faster than this.
fn fsync_floor(c: &mut Criterion) {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut f = std::fs::File::create(dir.path().join("floor")).expect("file");
    let page = [0u8; 4096];
    c.bench_function("fsync floor: 4 KiB write + fdatasync", |b| {
        b.iter(|| {
            f.write_all(&page).expect("write");
            f.sync_data().expect("sync")
        })
    });
}

/// What the journal's high-water mark adds to every receive: the file rewritten after
/// the commit (one 256-byte record written in the next slot through the open file, then
/// fdatasync)
/// and the check before the write (read the file, one lookup of the event at the mark's
/// sequence).
fn high_water_mark(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = support::open_station(dir.path());
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("time");
    for i in 0..1000 {
        store
            .receive(&support::request(i, at), support::now())
            .expect("receive");
    }
    let db = store.path().to_path_buf();
    let (seq, hash) = store.journal_head().expect("head");
    let mark = motcua_store::mark::Mark {
        station_id: store.station().expect("station").station_id,
        seq,
        hash,
        skipped: 0,
    };
    // The store keeps the file open after its first write and rewrites it in place: the
    // next slot, then fdatasync (what every receive now pays for a mark that survives a
    // power cut).
    let file = motcua_store::mark::open_for_write(&db).expect("mark file");
    c.bench_function("high-water mark: durable write after commit", |b| {
        b.iter(|| motcua_store::mark::write_to(&file, &mark, |_| false).expect("write"))
    });
    // What the mark cost before it was made durable, for the comparison: the same
    // 256-byte record rewritten in place through an open file, no fdatasync.
    let former = dir.path().join("former.head");
    let f = std::fs::File::create(&former).expect("file");
    let record = [b' '; 256];
    c.bench_function(
        "high-water mark: former in-place write (no fdatasync)",
        |b| {
            b.iter(|| {
                use std::os::unix::fs::FileExt;
                f.write_all_at(&record, 0).expect("write")
            })
        },
    );
    c.bench_function("high-water mark: check before write", |b| {
        b.iter(|| store.check_mark().expect("check"))
    });
}

criterion_group!(benches, receive, fsync_floor, high_water_mark);
criterion_main!(benches);
