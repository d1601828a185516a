//! A child process receives dossiers in a loop and is killed with SIGKILL at random
//! moments, many times. After each restart every dossier whose receive returned is there,
//! `verify` passes, no code repeats and the station sequence has no gap.

mod common;

use common::{motcua, ok, station};
use motcua_core::sample::Rng;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

const ROUNDS: u64 = 30;

#[test]
fn sigkill_never_loses_a_returned_dossier() {
    let dir = tempfile::tempdir().unwrap();
    station(dir.path(), 1);
    let db = dir.path().join("motcua.sqlite");
    let mut rng = Rng::new(0x5EED);
    let mut confirmed: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        let mut child = motcua(dir.path())
            .args([
                "dev",
                "receive-loop",
                "--clerk",
                "lan",
                "--count",
                "1000000",
            ])
            .args(["--seed", &round.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        std::thread::sleep(Duration::from_millis(30 + rng.below(400)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // Only whole lines count: a code is confirmed once its line was printed.
        let lines = reader.join().unwrap();
        confirmed.extend(lines.into_iter().filter(|l| l.len() >= 25));

        let c = rusqlite::Connection::open(&db).unwrap();
        let mut st = c.prepare("SELECT code FROM dossiers").unwrap();
        let stored: HashSet<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for code in &confirmed {
            assert!(
                stored.contains(code),
                "round {round}: confirmed {code} is missing"
            );
        }
        let (n, max): (i64, i64) = c
            .query_row("SELECT count(*), max(seq) FROM events", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(n, max, "round {round}: the station sequence has a gap");
        let rows: i64 = c
            .query_row("SELECT count(*) FROM dossiers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows as usize, stored.len(), "round {round}: a code repeats");
        drop(st);
        drop(c);
        ok(motcua(dir.path()).arg("verify"));
    }
    assert!(
        confirmed.len() as u64 > ROUNDS,
        "the loop should have confirmed dossiers in most rounds, got {}",
        confirmed.len()
    );
    let unique: HashSet<&String> = confirmed.iter().collect();
    assert_eq!(unique.len(), confirmed.len(), "a code was handed out twice");
    eprintln!("{} dossiers confirmed over {ROUNDS} kills", confirmed.len());
}
