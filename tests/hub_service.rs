//! The hub as a service: SIGTERM lets a push in flight finish and refuses new
//! connections, then the process exits 0 with consistent data; the PostgreSQL pool stays
//! within its size and outlives connections the server dropped; TLS to PostgreSQL with
//! the server's certificate verified.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Sends a signal to a process by id.
fn signal(pid: u32, sig: &str) {
    let st = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(st.success());
}

/// Waits (bounded) for the hub process to exit; its exit code.
fn exit_code(hub: &mut Hub, within: Duration) -> Option<i32> {
    let t = Instant::now();
    loop {
        if let Some(st) = hub.child.as_mut().expect("running").try_wait().unwrap() {
            hub.child = None;
            return st.code();
        }
        assert!(
            t.elapsed() < within,
            "motcua-hub did not exit within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn header_end(b: &[u8]) -> Option<usize> {
    b.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
}

/// A TCP relay to the hub that holds back the last byte of the first push it relays:
/// `held` gets a message once the hub has the rest of that request, and the byte goes
/// when `release` gets one.
fn holding_proxy(hub_port: u16) -> (u16, mpsc::Receiver<()>, mpsc::Sender<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (held_tx, held_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let gate = std::sync::Arc::new(std::sync::Mutex::new(Some((held_tx, release_rx))));
    std::thread::spawn(move || {
        for client in l.incoming() {
            let Ok(mut client) = client else { continue };
            let Ok(mut up) = TcpStream::connect(("127.0.0.1", hub_port)) else {
                continue;
            };
            let (mut c2, mut u2) = (client.try_clone().unwrap(), up.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut u2, &mut c2);
                let _ = c2.shutdown(std::net::Shutdown::Both);
            });
            let gate = gate.clone();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 65536];
                loop {
                    // Relay every complete request in the buffer.
                    while let Some(h) = header_end(&buf) {
                        let total = h + content_length(&buf[..h]);
                        if buf.len() < total {
                            break;
                        }
                        let req: Vec<u8> = buf.drain(..total).collect();
                        let push = req.starts_with(b"POST /api/v1/push");
                        let hold = if push {
                            gate.lock().unwrap().take()
                        } else {
                            None
                        };
                        match hold {
                            Some((held, release)) => {
                                if up.write_all(&req[..total - 1]).is_err() {
                                    return;
                                }
                                let _ = held.send(());
                                let _ = release.recv();
                                if up.write_all(&req[total - 1..]).is_err() {
                                    return;
                                }
                            }
                            None => {
                                if up.write_all(&req).is_err() {
                                    return;
                                }
                            }
                        }
                    }
                    match client.read(&mut chunk) {
                        Ok(0) | Err(_) => {
                            let _ = up.shutdown(std::net::Shutdown::Write);
                            return;
                        }
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    (port, held_rx, release_tx)
}

fn sigterm_lets_the_push_in_flight_finish(b: &Backend) {
    let mut hub = Hub::start(b);
    let (proxy, held, release) = holding_proxy(hub.port);
    let dir = tempfile::tempdir().unwrap();
    station(dir.path(), 1);
    seed(dir.path(), 20, 3);
    let token = hub.admin(&[
        "station",
        "add",
        "--agency-id",
        "000.17.22.H56",
        "--station",
        "1",
    ]);
    let via = format!("http://127.0.0.1:{proxy}");
    ok(motcua(dir.path()).args(["sync", "enroll", "--hub", &via, "--token", &token]));

    let sync = motcua(dir.path())
        .args(["sync", "--once"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    held.recv_timeout(Duration::from_secs(60))
        .expect("the counter pushes");
    // The push is in the hub's hands, all but its last byte. Wait until the hub has read
    // its headers and taken it (on a loaded machine the bytes may still be in flight;
    // a connection whose request has not begun is closed by a stopping server), then stop
    // the hub.
    let t = Instant::now();
    loop {
        let (_, m) = http(hub.port, "GET", "/metrics", &[], b"");
        if String::from_utf8_lossy(&m).contains("motcua_hub_pushes_in_flight 1") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the hub never took the push"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    signal(hub.child.as_ref().unwrap().id(), "TERM");
    let t = Instant::now();
    while http(hub.port, "GET", "/healthz", &[], b"").0 != 0 {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the stopping hub still accepts connections"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        hub.child.as_mut().unwrap().try_wait().unwrap().is_none(),
        "the hub waits for the push in flight"
    );
    release.send(()).unwrap();
    assert_eq!(exit_code(&mut hub, Duration::from_secs(30)), Some(0));
    let out = sync.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The batch in flight was answered and taken whole: nothing is pending at the counter,
    // the hub holds every event once.
    let s = sync_status(dir.path());
    assert_eq!(s["pending"], 0, "{s}\n{said}");
    let head = head_seq(dir.path());
    assert_eq!(b.count("SELECT count(*) FROM events"), head, "{said}");
    assert_eq!(
        b.count("SELECT next_seq FROM stations WHERE station_id = '000.17.22.H56#1'"),
        head + 1
    );
    assert_eq!(b.count("SELECT count(*) FROM dossiers"), 20);

    // Started again, the hub carries on: new work goes through, nothing twice.
    let _hub = Hub::start_on(b, hub.port);
    seed(dir.path(), 5, 4);
    ok(motcua(dir.path()).args(["sync", "--once"]));
    assert_eq!(b.count("SELECT count(*) FROM dossiers"), 25);
    assert_eq!(b.count("SELECT count(*) FROM events"), head_seq(dir.path()));
    ok(motcua(dir.path()).arg("verify"));
}

#[test]
fn sigterm_lets_the_push_in_flight_finish_sqlite() {
    with_sqlite(sigterm_lets_the_push_in_flight_finish);
}

#[test]
fn sigterm_lets_the_push_in_flight_finish_postgres() {
    with_postgres("hub_sigterm", sigterm_lets_the_push_in_flight_finish);
}

#[test]
fn idle_hub_stops_on_sigterm_and_ctrl_c_with_exit_0() {
    with_sqlite(|b| {
        for sig in ["TERM", "INT"] {
            let mut hub = Hub::start(b);
            signal(hub.child.as_ref().unwrap().id(), sig);
            assert_eq!(
                exit_code(&mut hub, Duration::from_secs(10)),
                Some(0),
                "{sig}"
            );
        }
    });
}

/// The PostgreSQL backend with a URL naming the hub's connections, so that they can be
/// told apart from every other test's in pg_stat_activity.
fn named(b: &Backend, name: &str) -> (Backend, String) {
    let Backend::Postgres { url, schema } = b else {
        unreachable!()
    };
    let app = format!("{name}_{schema}");
    (
        Backend::Postgres {
            url: format!("{url} application_name={app}"),
            schema: schema.clone(),
        },
        app,
    )
}

fn pg(b: &Backend) -> postgres::Client {
    let Backend::Postgres { url, .. } = b else {
        unreachable!()
    };
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

fn connections(c: &mut postgres::Client, app: &str) -> i64 {
    c.query_one(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
        &[&app],
    )
    .unwrap()
    .get(0)
}

#[test]
fn pool_stays_within_its_size_and_outlives_dropped_connections_postgres() {
    with_postgres("hub_pool", |b| {
        let (nb, app) = named(b, "hubpool");
        let hub = Hub::start_with(&nb, free_port(), &["--pg-pool-size", "2"]);
        let dirs: Vec<_> = (1..=3u8)
            .map(|n| {
                let d = tempfile::tempdir().unwrap();
                station(d.path(), n);
                seed(d.path(), 40, u64::from(n));
                hub.enroll(d.path(), n);
                d
            })
            .collect();
        let mut c = pg(b);
        let syncs: Vec<_> = dirs
            .iter()
            .map(|d| {
                motcua(d.path())
                    .args(["sync", "--once"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut most = 0;
        let mut syncs: Vec<_> = syncs.into_iter().map(Some).collect();
        while syncs.iter().any(Option::is_some) {
            most = most.max(connections(&mut c, &app));
            for s in syncs.iter_mut() {
                if let Some(ch) = s
                    && let Some(st) = ch.try_wait().unwrap()
                {
                    assert!(st.success());
                    *s = None;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!((1..=2).contains(&most), "{most} connections");
        assert_eq!(b.count("SELECT count(*) FROM dossiers"), 120);

        // The server drops every connection of the hub (a restart, a failover): the next
        // requests get new ones, nothing fails.
        c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&app],
        )
        .unwrap();
        let t = Instant::now();
        while connections(&mut c, &app) > 0 {
            assert!(t.elapsed() < Duration::from_secs(10));
            std::thread::sleep(Duration::from_millis(20));
        }
        for (i, d) in dirs.iter().enumerate() {
            seed(d.path(), 2, 10 + i as u64);
            ok(motcua(d.path()).args(["sync", "--once"]));
        }
        assert_eq!(b.count("SELECT count(*) FROM dossiers"), 126);
        assert!(connections(&mut c, &app) <= 2);

        // A pool of no connection is a mistake, told as such.
        let out = hub_cmd()
            .arg("counts")
            .args(nb.args())
            .args(["--pg-pool-size", "0"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("phải từ 1 trở lên"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

#[test]
fn tls_to_postgres_verifies_the_server_postgres() {
    with_postgres("hub_pg_tls", |b| {
        let mut c = pg(b);
        let ssl: String = c.query_one("SHOW ssl", &[]).unwrap().get(0);
        if ssl != "on" {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("the PostgreSQL test server has no TLS (ssl = off)");
            }
            eprintln!("SKIPPED: the PostgreSQL test server has no TLS (ssl = off)");
            return;
        }
        // The Debian server's certificate is self-signed for "localhost": it is its own CA.
        let cert: String = c.query_one("SHOW ssl_cert_file", &[]).unwrap().get(0);
        let Backend::Postgres { url, schema } = b else {
            unreachable!()
        };
        let user = url
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("user="))
            .unwrap();
        let app = format!("hubtls_{schema}");
        let tls = |host: &str, mode: &str| Backend::Postgres {
            url: format!(
                "host={host} port=5432 user={user} dbname=test connect_timeout=3 sslmode={mode} application_name={app}"
            ),
            schema: schema.clone(),
        };

        // With the CA file the connection is TLS, whatever sslmode says.
        let good = tls("localhost", "prefer");
        let hub = Hub::start_with(&good, free_port(), &["--pg-ca-file", &cert]);
        let dir = tempfile::tempdir().unwrap();
        station(dir.path(), 1);
        seed(dir.path(), 5, 1);
        hub.enroll(dir.path(), 1);
        ok(motcua(dir.path()).args(["sync", "--once"]));
        assert_eq!(b.count("SELECT count(*) FROM dossiers"), 5);
        let (all_tls, n): (Option<bool>, i64) = {
            let r = c
                .query_one(
                    "SELECT bool_and(s.ssl), count(*) FROM pg_stat_ssl s
                     JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1",
                    &[&app],
                )
                .unwrap();
            (r.get(0), r.get(1))
        };
        assert!(n >= 1 && all_tls == Some(true), "{n} {all_tls:?}");
        drop(hub);

        // A server the CA did not sign, a name the certificate does not carry, a CA file
        // with no certificate: refused before anything is read or written.
        let not_pem = dir.path().join("ca.txt");
        std::fs::write(&not_pem, "không phải chứng chỉ").unwrap();
        for (backend, ca, says) in [
            (
                tls("localhost", "require"),
                Some("/etc/ssl/certs/ca-certificates.crt"),
                "không kết nối được PostgreSQL",
            ),
            (
                tls("127.0.0.1", "require"),
                Some(cert.as_str()),
                "không kết nối được PostgreSQL",
            ),
            (
                tls("localhost", "require"),
                None,
                "không kết nối được PostgreSQL",
            ),
            (
                tls("localhost", "require"),
                Some(not_pem.to_str().unwrap()),
                "không có chứng chỉ nào",
            ),
        ] {
            let mut cmd = hub_cmd();
            cmd.arg("counts").args(backend.args());
            if let Some(ca) = ca {
                cmd.args(["--pg-ca-file", ca]);
            }
            let out = cmd.output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{ca:?} {err}");
            assert!(err.contains(says), "{ca:?} {err}");
        }
    });
}
