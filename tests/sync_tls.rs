//! The hub over TLS (rustls): a counter that trusts the hub's CA enrols and pushes; one
//! that does not refuses to talk to it; idle connections over the hub's connection cap
//! neither keep it out nor stay open.

mod common;

use common::{Backend, free_port, hub_cmd, motcua, ok, require_tool, run, seed, station};
use std::path::Path;
use std::process::Command;

/// A CA and a leaf certificate for 127.0.0.1, made with the openssl command-line tool.
fn certificates(dir: &Path) {
    let sh = |script: &str| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    sh(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout ca.key -out ca.pem -days 2 -subj /CN=motcua-test-ca 2>/dev/null",
    );
    sh(
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout hub.key -out hub.csr -subj /CN=127.0.0.1 2>/dev/null",
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    sh(
        "openssl x509 -req -in hub.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -out hub.pem -days 2 -extfile ext.cnf 2>/dev/null",
    );
}

#[test]
fn tls_hub_with_private_ca() {
    if !require_tool("openssl") {
        return;
    }
    let hd = tempfile::tempdir().unwrap();
    certificates(hd.path());
    let backend = Backend::sqlite(hd.path());
    let port = free_port();
    let mut child = hub_cmd()
        .arg("serve")
        .args(backend.args())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--tls-cert")
        .arg(hd.path().join("hub.pem"))
        .arg("--tls-key")
        .arg(hd.path().join("hub.key"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(up, "TLS hub did not come up");
    let url = format!("https://127.0.0.1:{port}");
    let token = || {
        let mut c = hub_cmd();
        c.args([
            "station",
            "add",
            "--agency-id",
            "000.17.22.H56",
            "--station",
            "1",
        ])
        .args(backend.args());
        ok(&mut c).trim().to_string()
    };
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 5, 1);
    // Without the CA the counter does not trust the hub.
    let out = run(motcua(a.path()).args(["sync", "enroll", "--hub", &url, "--token", &token()]));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không kết nối được"));
    // With it, enrolment and push work over TLS.
    let ca = hd.path().join("ca.pem");
    ok(motcua(a.path())
        .args([
            "sync",
            "enroll",
            "--hub",
            &url,
            "--token",
            &token(),
            "--ca-cert",
        ])
        .arg(&ca));
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(backend.count("SELECT count(*) FROM dossiers"), 5);
    let _ = child.kill();
    let _ = child.wait();
}

/// Connections that never begin a handshake are closed by the hub (the oldest when the
/// cap needs room, the others after the handshake timeout), and counters keep syncing
/// over TLS beside them.
#[test]
fn idle_connections_over_the_cap_do_not_keep_counters_out_over_tls() {
    if !require_tool("openssl") {
        return;
    }
    let hd = tempfile::tempdir().unwrap();
    certificates(hd.path());
    let backend = Backend::sqlite(hd.path());
    let port = free_port();
    let mut child = hub_cmd()
        .arg("serve")
        .args(backend.args())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--max-connections", "16"])
        .arg("--tls-cert")
        .arg(hd.path().join("hub.pem"))
        .arg("--tls-key")
        .arg(hd.path().join("hub.key"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(up, "TLS hub did not come up");
    // Forty connections that send nothing, more than twice the cap.
    let idle: Vec<std::net::TcpStream> = (0..40)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let url = format!("https://127.0.0.1:{port}");
    let mut add = hub_cmd();
    add.args([
        "station",
        "add",
        "--agency-id",
        "000.17.22.H56",
        "--station",
        "1",
    ])
    .args(backend.args());
    let token = ok(&mut add).trim().to_string();
    let a = tempfile::tempdir().unwrap();
    station(a.path(), 1);
    seed(a.path(), 5, 2);
    ok(motcua(a.path())
        .args([
            "sync",
            "enroll",
            "--hub",
            &url,
            "--token",
            &token,
            "--ca-cert",
        ])
        .arg(hd.path().join("ca.pem")));
    ok(motcua(a.path()).args(["sync", "--once"]));
    assert_eq!(backend.count("SELECT count(*) FROM dossiers"), 5);
    // The newest idle connection is closed once its handshake is overdue.
    let mut newest = idle.last().unwrap().try_clone().unwrap();
    newest
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 16];
    let closed = match std::io::Read::read(&mut newest, &mut buf) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    };
    assert!(
        closed,
        "a connection that never began a handshake is still open"
    );
    let _ = child.kill();
    let _ = child.wait();
}
