//! One credential cannot starve the hub and idle connections cannot exhaust it, against a
//! real hub on 127.0.0.1: slow bodies sent with one station's valid token while another
//! station pushes (on SQLite and PostgreSQL); 1,100 idle connections to a hub whose file
//! limit is 1,024 while `/healthz` and the lookup page answer, the idle connections then
//! closed by the hub itself.

mod common;

use common::{
    Backend, Hub, free_port, head_seq, http, motcua, run, seed, station, with_postgres, with_sqlite,
};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The longest the attacker keeps its slow bodies going.
const ATTACK: Duration = Duration::from_secs(58);

/// A station set up, enrolled with the hub, and its credential.
fn enrolled(hub: &Hub, dir: &Path, n: u8) -> String {
    station(dir, n);
    hub.enroll(dir, n);
    std::fs::read_to_string(dir.join("sync.credential"))
        .unwrap()
        .trim()
        .to_string()
}

/// A push with a valid credential whose body announces 1 MB and then comes at 2 KiB a
/// second (a rate a slow link could have), until `stop`, [`ATTACK`] or the hub closing
/// the connection; the status line the hub answered, if it did.
fn slow_body(port: u16, cred: &str, stop: &AtomicBool) -> String {
    let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) else {
        return "no connection".into();
    };
    let head = format!(
        "POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {cred}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{\"station_id\":\""
    );
    let t = Instant::now();
    let mut ok = c.write_all(head.as_bytes()).is_ok();
    while ok && !stop.load(Ordering::Relaxed) && t.elapsed() < ATTACK {
        std::thread::sleep(Duration::from_secs(1));
        ok = c.write_all(&[b'a'; 2048]).is_ok();
    }
    let _ = c.set_read_timeout(Some(Duration::from_secs(2)));
    let mut answer = Vec::new();
    let _ = c.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or("no answer")
        .to_string()
}

/// A metric's value on `/metrics` (0 when absent).
fn metric(port: u16, name: &str) -> f64 {
    let (_, m) = http(port, "GET", "/metrics", &[], b"");
    String::from_utf8_lossy(&m)
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn slow_bodies_of_one_credential_do_not_starve_another_station_sqlite() {
    with_sqlite(slow_bodies_of_one_credential_do_not_starve_another_station);
}

#[test]
fn slow_bodies_of_one_credential_do_not_starve_another_station_postgres() {
    with_postgres(
        "slow_bodies",
        slow_bodies_of_one_credential_do_not_starve_another_station,
    );
}

fn slow_bodies_of_one_credential_do_not_starve_another_station(b: &Backend) {
    let hub = Hub::start(b);
    let attacker = tempfile::tempdir().unwrap();
    let cred = enrolled(&hub, attacker.path(), 1);
    let honest = tempfile::tempdir().unwrap();
    enrolled(&hub, honest.path(), 2);
    seed(honest.path(), 20, 1);
    let stop = AtomicBool::new(false);
    std::thread::scope(|sc| {
        // Six slow bodies with station 1's valid credential: more than the hub's push
        // slots (four), each coming just fast enough not to look dead.
        let attacks: Vec<_> = (0..6)
            .map(|_| sc.spawn(|| slow_body(hub.port, &cred, &stop)))
            .collect();
        let t = Instant::now();
        while metric(hub.port, "motcua_hub_pushes_in_flight") < 1.0 {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "the attack never began"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_secs(1));
        // Station 2 syncs while the attack goes on.
        let t = Instant::now();
        let out = run(motcua(honest.path()).args(["sync", "--once"]));
        let took = t.elapsed();
        let attack_over = attacks.iter().all(|a| a.is_finished());
        stop.store(true, Ordering::Relaxed);
        let answers: Vec<String> = attacks.into_iter().map(|a| a.join().unwrap()).collect();
        assert!(
            out.status.success(),
            "the honest station's sync failed after {took:?} while one credential sent slow bodies: {}\nattacker answered: {answers:?}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !attack_over && took < Duration::from_secs(40),
            "the honest sync finished only after {took:?} (attack over: {attack_over}); attacker answered: {answers:?}"
        );
        eprintln!("honest sync took {took:?} under attack; attacker answered: {answers:?}");
    });
    assert_eq!(
        hub.count(
            "SELECT count(*) FROM events WHERE station_id = '000.17.22.H56#2' AND outcome = 'accepted'"
        ),
        head_seq(honest.path())
    );
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE station_id = '000.17.22.H56#1'"),
        0
    );
}

/// GET on 127.0.0.1 with bounded waits (connect and answer within `within`); (status,
/// body), status 0 when no answer came.
fn get(port: u16, path: &str, within: Duration) -> (u16, String) {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut s) = TcpStream::connect_timeout(&addr, within) else {
        return (0, "no connection".into());
    };
    s.set_read_timeout(Some(within)).unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return (0, "not sent".into());
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Raises this test process's own soft limit on open files (the hub's is set apart), so
/// that it can hold 1,100 connections; a limit already high enough is left alone.
fn raise_own_file_limit() {
    let _ = std::process::Command::new("prlimit")
        .args(["--pid", &std::process::id().to_string(), "--nofile=4096:"])
        .output();
}

#[test]
fn eleven_hundred_idle_connections_leave_the_hub_answering() {
    if !common::require_tool("prlimit") {
        return;
    }
    raise_own_file_limit();
    with_sqlite(|b| {
        // The hub runs with 1,024 open files at most, a common default.
        let port = free_port();
        let child = std::process::Command::new("prlimit")
            .arg("--nofile=1024:1024")
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_motcua-hub"))
            .arg("serve")
            .args(b.args())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("motcua-hub starts under prlimit");
        let hub = Hub {
            child: Some(child),
            port,
            backend: b.clone(),
        };
        let t = Instant::now();
        while get(port, "/healthz", Duration::from_secs(5)).0 != 200 {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "the hub did not come up"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // 1,100 connections that send nothing.
        let idle: Vec<TcpStream> = (0..1100)
            .map(|i| {
                TcpStream::connect(("127.0.0.1", hub.port))
                    .unwrap_or_else(|e| panic!("idle connection {i}: {e}"))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let within = Duration::from_secs(20);
        let t = Instant::now();
        let (st, answer) = get(hub.port, "/healthz", within);
        assert_eq!(
            st,
            200,
            "/healthz with 1,100 idle connections open, after {:?}: {answer}",
            t.elapsed()
        );
        let (st, answer) = get(
            hub.port,
            "/tra-cuu?ma=000.17.22.H56-261120-0001&mk=ABCDEF",
            within,
        );
        assert_eq!(st, 200, "the lookup page: {answer}");
        assert!(answer.contains("Không tìm thấy hồ sơ"), "{answer}");
        // The idle connections are not kept for ever: the newest, never shed to make room,
        // is closed by the hub once it has waited long enough for a request.
        let mut newest = idle.last().unwrap().try_clone().unwrap();
        newest
            .set_read_timeout(Some(Duration::from_secs(45)))
            .unwrap();
        let t = Instant::now();
        let mut buf = [0u8; 64];
        let closed = match newest.read(&mut buf) {
            Ok(_) => true,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        };
        assert!(
            closed,
            "an idle connection still open after {:?}",
            t.elapsed()
        );
        drop(idle);
        assert_eq!(get(hub.port, "/healthz", within).0, 200);
    });
}
