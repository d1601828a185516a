//! A hub that answers 500s, times out, truncates or garbles its answers: the counter backs
//! off, never crashes and loses nothing; a real hub then gets everything.

mod common;

use common::{Backend, Hub, head_seq, motcua, ok, read_request, seed, station, sync_status};
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// A fake hub: enrolment works, everything else misbehaves in turn.
fn fake_hub(stop: Arc<AtomicBool>, served: Arc<AtomicUsize>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let mut n = 0usize;
        while !stop.load(Ordering::Relaxed) {
            let Ok((mut s, _)) = l.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            s.set_nonblocking(false).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let line = read_request(&mut s);
            served.fetch_add(1, Ordering::Relaxed);
            let ok_json = |body: &str| {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let answer = if line.contains("/api/v1/enroll") {
                ok_json(r#"{"station_id":"000.17.22.H56#1","credential":"fake-credential"}"#)
            } else {
                n += 1;
                match n % 6 {
                    0 => "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops!".to_string(),
                    1 => {
                        // Never answer within the client's timeout.
                        std::thread::sleep(Duration::from_millis(1500));
                        String::new()
                    }
                    2 => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\nConnection: close\r\n\r\n{\"results\":[{\"seq\":1,".to_string(),
                    3 => ok_json("<html>không phải JSON</html>"),
                    4 => ok_json(r#"{"results":"accepted","expected_seq":"x"}"#),
                    _ => String::new(), // close without a word
                }
            };
            let _ = s.write_all(answer.as_bytes());
        }
    });
    port
}

#[test]
fn misbehaving_hub_costs_nothing() {
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let port = fake_hub(stop.clone(), served.clone());
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 30, 1);
    let url = format!("http://127.0.0.1:{port}");
    ok(motcua(a.path()).args(["sync", "enroll", "--hub", &url, "--token", "t"]));
    let out = ok(motcua(a.path())
        .args(["sync", "run", "--rounds", "12", "--interval", "0.01"])
        .args([
            "--backoff-base",
            "0.02",
            "--backoff-max",
            "0.1",
            "--timeout",
            "1",
        ]));
    drop(out);
    stop.store(true, Ordering::Relaxed);
    assert!(served.load(Ordering::Relaxed) >= 12);
    let s = sync_status(a.path());
    let head = head_seq(a.path());
    assert_eq!(s["pending"].as_i64(), Some(head), "{s}");
    assert_eq!(s["quarantined"], 0, "{s}");
    // Online means the hub answered: a 500 or garbage is an answer, a timeout is not.
    assert_eq!(s["online"], s["answer"] != "unreachable", "{s}");
    assert_ne!(s["answer"], "ok", "{s}");
    assert!(s["failures"].as_i64().unwrap() >= 12, "{s}");
    assert!(
        s["last_error"].as_str().unwrap().contains("máy chủ tỉnh"),
        "{s}"
    );
    ok(motcua(a.path()).arg("verify"));

    // The real hub gets everything once the station enrols with it.
    let hd = tempfile::tempdir().unwrap();
    let hub = Hub::start(&Backend::sqlite(hd.path()));
    hub.enroll(a.path(), 1);
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 30);
    assert_eq!(sync_status(a.path())["pending"], 0);
}
