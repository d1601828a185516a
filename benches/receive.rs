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
            if i % 50_000 == 0 {
                days += 1;
            }
            let when = at - chrono::Days::new(days);
            store.receive(&support::request(i, when), support::now()).expect("receive")
        })
    });
}

criterion_group!(benches, receive);
criterion_main!(benches);
