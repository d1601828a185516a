//! Two stations of one agency each receive 5,000 dossiers on the same day with no
//! network: all 10,000 codes are distinct and valid.

mod common;

use common::{motcua, ok, station};
use motcua_core::code::{DossierCode, StationNo};
use std::collections::HashSet;

fn codes(dir: &std::path::Path) -> Vec<String> {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    let mut st = c.prepare("SELECT code FROM dossiers").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn two_offline_stations_never_collide() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    station(b.path(), 2);
    let seed = |dir: &std::path::Path, s: &str| {
        motcua(dir)
            .args([
                "dev",
                "seed",
                "--clerk",
                "lan",
                "--count",
                "5000",
                "--end",
                "2026-11-20",
            ])
            .args(["--batch", "250", "--seed", s])
            .spawn()
            .unwrap()
    };
    // Both stations work at the same time, each on its own database (no network).
    let mut ca = seed(a.path(), "1");
    let mut cb = seed(b.path(), "1");
    assert!(ca.wait().unwrap().success());
    assert!(cb.wait().unwrap().success());

    let (ka, kb) = (codes(a.path()), codes(b.path()));
    assert_eq!((ka.len(), kb.len()), (5000, 5000));
    let all: HashSet<&String> = ka.iter().chain(&kb).collect();
    assert_eq!(all.len(), 10_000, "codes collide between stations");
    for (codes, n) in [(&ka, 1), (&kb, 2)] {
        for c in codes {
            let parsed: DossierCode = c.parse().unwrap_or_else(|e| panic!("{c}: {e}"));
            assert_eq!(parsed.to_string(), *c);
            assert_eq!(parsed.agency.as_str(), "000.17.22.H56");
            assert_eq!(parsed.date.to_string(), "2026-11-20");
            assert_eq!(
                StationNo::owner_of(parsed.sequence).map(StationNo::get),
                Some(n)
            );
        }
    }
    assert!(ka.contains(&"000.17.22.H56-261120-0001".to_string()));
    assert!(kb.contains(&"000.17.22.H56-261120-1000".to_string()));
    // Past their 4-digit blocks both went on in their own overflow blocks.
    assert!(ka.contains(&"000.17.22.H56-261120-100000".to_string()));
    assert!(kb.contains(&"000.17.22.H56-261120-200000".to_string()));
    ok(motcua(a.path()).arg("verify"));
    ok(motcua(b.path()).arg("verify"));
}
