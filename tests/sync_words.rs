//! What the counter says of the hub, for each way the hub answers: offline only when the
//! hub could not be reached; otherwise what it answered (refused, blocked, busy, a server
//! error), in `motcua sync status` (its text and its JSON); and a station blocked because
//! the hub's copy of an event differs from the counter's intact journal is not told that
//! its own journal may have been edited.

mod common;

use common::{Backend, Hub, free_port, motcua, ok, read_request, run, seed, station, sync_status};
use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A hub that enrols anyone and answers every other request with `answer`.
fn fixed_hub(answer: &'static str, stop: Arc<AtomicBool>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let Ok((mut s, _)) = l.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            s.set_nonblocking(false).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let line = read_request(&mut s);
            let reply = if line.contains("/api/v1/enroll") {
                let body = r#"{"station_id":"000.17.22.H56#1","credential":"fake-credential"}"#;
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                answer.to_string()
            };
            let _ = s.write_all(reply.as_bytes());
        }
    });
    port
}

fn error(status: &str, body: &str) -> String {
    let json = format!(r#"{{"error":"{body}"}}"#);
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    )
}

/// The line of `motcua sync status` that says the state (or that the station is not
/// enrolled).
fn status_line(dir: &std::path::Path) -> String {
    let out = ok(motcua(dir).args(["sync", "status"]));
    out.lines()
        .find(|l| l.starts_with("Tình trạng: ") || l.starts_with("Quầy chưa"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn each_hub_answer_has_its_own_words() {
    // (what the hub answers, the JSON answer, words that must be said)
    let cases: Vec<(String, &str, &str)> = vec![
        (
            error("500 Internal Server Error", "lỗi cơ sở dữ liệu"),
            "server_error",
            "máy chủ tỉnh báo lỗi",
        ),
        (
            error("401 Unauthorized", "sai thông tin xác thực"),
            "refused",
            "máy chủ tỉnh từ chối quầy",
        ),
        (
            error("403 Forbidden", "không được phép"),
            "refused",
            "máy chủ tỉnh từ chối quầy",
        ),
        (
            error("503 Service Unavailable", "bận").replace(
                "Connection: close\r\n",
                "Connection: close\r\nRetry-After: 1\r\n",
            ),
            "busy",
            "đang bận",
        ),
    ];
    for (answer, kind, words) in cases {
        let stop = Arc::new(AtomicBool::new(false));
        let answer: &'static str = Box::leak(answer.into_boxed_str());
        let port = fixed_hub(answer, stop.clone());
        let d = tempfile::tempdir().unwrap();
        station(d.path(), 1);
        seed(d.path(), 3, 1);
        let url = format!("http://127.0.0.1:{port}");
        ok(motcua(d.path()).args(["sync", "enroll", "--hub", &url, "--token", "t"]));
        let out = run(motcua(d.path()).args(["sync", "--once", "--timeout", "5"]));
        assert!(!out.status.success(), "{kind}");
        stop.store(true, Ordering::Relaxed);
        let s = sync_status(d.path());
        assert_eq!(s["answer"], kind, "{s}");
        assert_eq!(s["online"], true, "the hub answered ({kind}): {s}");
        let line = status_line(d.path());
        assert!(line.contains(words), "{kind}: {line}");
        assert!(!line.contains("mất kết nối"), "{kind}: {line}");
        // The hub is named once, on a line of its own; the state says what it did.
        let out = ok(motcua(d.path()).args(["sync", "status"]));
        assert!(out.contains(&format!("Máy chủ tỉnh: {url}\n")), "{out}");
        assert!(
            !out.lines()
                .any(|l| l.starts_with("Máy chủ tỉnh") && l.contains("máy chủ tỉnh")),
            "{out}"
        );
    }
}

#[test]
fn offline_only_when_the_hub_cannot_be_reached_and_never_before_enrolling() {
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    // Never enrolled: nothing about a connection, and how to enrol.
    let line = status_line(d.path());
    assert!(line.contains("chưa đăng ký với máy chủ tỉnh"), "{line}");
    let out = ok(motcua(d.path()).args(["sync", "status"]));
    assert!(!out.contains("mất kết nối"), "{out}");
    assert!(out.contains("«motcua sync enroll --hub "), "{out}");
    assert!(
        out.contains("Lần đồng bộ thành công gần nhất: chưa có"),
        "{out}"
    );
    assert_eq!(sync_status(d.path())["answer"], serde_json::Value::Null);

    // Enrolled with a real hub, then the hub is gone.
    let hd = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut hub = Hub::start_on(&Backend::sqlite(hd.path()), port);
    hub.enroll(d.path(), 1);
    let line = status_line(d.path());
    assert!(line.contains("chưa đồng bộ lần nào"), "{line}");
    seed(d.path(), 3, 1);
    ok(motcua(d.path()).args(["sync", "--once"]));
    assert_eq!(sync_status(d.path())["answer"], "ok");
    assert!(status_line(d.path()).contains("đang kết nối"));
    // The last success as a clerk reads a time (`19:06 06/12/2026`, Vietnam time), not
    // as the register keeps it.
    let kept = sync_status(d.path())["last_success_at"]
        .as_str()
        .unwrap()
        .to_string();
    let at = chrono::DateTime::parse_from_rfc3339(&kept)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let out = ok(motcua(d.path()).args(["sync", "status"]));
    let shown = format!(
        "Lần đồng bộ thành công gần nhất: {}\n",
        at.format("%H:%M %d/%m/%Y")
    );
    assert!(out.contains(&shown), "{out}");
    hub.kill();
    let out = run(motcua(d.path()).args(["sync", "--once", "--timeout", "2"]));
    assert!(!out.status.success());
    let s = sync_status(d.path());
    assert_eq!(s["answer"], "unreachable", "{s}");
    assert_eq!(s["online"], false, "{s}");
    assert!(status_line(d.path()).contains("mất kết nối"));
}

#[test]
fn a_hub_whose_copy_differs_does_not_blame_the_counters_intact_journal() {
    let hd = tempfile::tempdir().unwrap();
    let backend = Backend::sqlite(hd.path());
    let hub = Hub::start(&backend);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    hub.enroll(d.path(), 1);
    seed(d.path(), 3, 1);
    ok(motcua(d.path()).args(["sync", "--once"]));
    // The hub's record of where the station's chain stands no longer matches it.
    backend.exec(&format!(
        "UPDATE stations SET last_hash = '{}'",
        "ab".repeat(32)
    ));
    // The next event is refused (it does not continue the hub's idea of the chain) and
    // quarantined; the one after it cannot be sent while the hub waits for it.
    seed(d.path(), 1, 2);
    let _ = run(motcua(d.path()).args(["sync", "--once"]));
    assert_eq!(sync_status(d.path())["quarantined"], 1);
    seed(d.path(), 1, 3);
    let out = run(motcua(d.path()).args(["sync", "--once"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nhật ký tại quầy vẫn nguyên vẹn"), "{err}");
    assert!(!err.contains("có thể đã bị sửa"), "{err}");
    ok(motcua(d.path()).arg("verify"));
    let s = sync_status(d.path());
    assert_eq!(s["answer"], "blocked", "{s}");
    assert!(status_line(d.path()).contains("ngừng nhận"));
}
