//! Helpers shared by the end-to-end tests: run the real binary on a real data directory.
#![allow(dead_code)]

pub mod unikey;
pub mod x11;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The `motcua` binary with `--data-dir dir`.
pub fn motcua(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_motcua"));
    c.arg("--data-dir").arg(dir).env_remove("MOTCUA_DATA_DIR");
    c
}

/// Runs and returns the output, whatever the exit status.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the motcua binary runs")
}

/// Adds the clerk `lan` (password «mật khẩu dài») to the station in `dir`.
pub fn add_clerk_lan(dir: &Path) {
    let out = run_with_stdin(
        motcua(dir).args([
            "user",
            "add",
            "lan",
            "--full-name",
            "Trần Thị Lan",
            "--password-stdin",
        ]),
        "mật khẩu dài\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs with `input` on standard input (a password), whatever the exit status.
pub fn run_with_stdin(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the motcua binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to stdin");
    child.wait_with_output().expect("wait")
}

/// Runs, asserting success; returns stdout.
pub fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "command failed: {:?}\nstdout: {}\nstderr: {}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Sets up station `n` of agency 000.17.22.H56 with clerk `lan`.
pub fn station(dir: &Path, n: u8) {
    station_of(dir, "000.17.22.H56", n);
}

/// The 23-procedure catalogue of 2025 the end-to-end tests were written against (its
/// same-day birth registration, its short names); a new station's default is the Vĩnh
/// Bảo list, tested in `tests/catalog_cli.rs`.
pub fn catalog_2025_07() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalog/commune-procedures.json")
}

/// Sets up station `n` of another agency with clerk `lan`, on [`catalog_2025_07`].
pub fn station_of(dir: &Path, agency_id: &str, n: u8) {
    ok(motcua(dir)
        .args([
            "init",
            "--agency-id",
            agency_id,
            "--agency-name",
            "UBND xã Tân Lập",
            "--parent-name",
            "UBND tỉnh Thanh Hóa",
            "--station",
            &n.to_string(),
            "--catalog",
        ])
        .arg(catalog_2025_07()));
    add_clerk_lan(dir);
    // The tests receive dossiers on fixed days of 2026 (holidays, swap days) whatever the
    // day they run: the station accepts receipts dated up to ten years back.
    ok(motcua(dir).args(["config", "set", "max-backdate-days", "3660"]));
}

/// `receive` arguments of a birth registration (1.001193) for `name` by clerk `lan`.
pub fn receive_args(name: &str) -> Vec<String> {
    [
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "1.001193",
        "--applicant",
        name,
        "--document",
        "Tờ khai đăng ký khai sinh:bản chính:1",
    ]
    .map(String::from)
    .to_vec()
}

/// Receives one birth registration for `name` at the station in `dir`; returns its code.
pub fn receive(dir: &Path, name: &str) -> String {
    let out = ok(motcua(dir).args(receive_args(name)).arg("--json"));
    let v: serde_json::Value = serde_json::from_str(&out).expect("receive json");
    v["code"].as_str().expect("a code").to_string()
}

/// Receives one birth registration for `name` with the ID number `id` (and `extra`
/// arguments of `receive`); returns its code.
pub fn receive_with_id(dir: &Path, name: &str, id: &str, extra: &[&str]) -> String {
    let out = ok(motcua(dir)
        .args(receive_args(name))
        .args(["--id-number", id, "--json"])
        .args(extra));
    let v: serde_json::Value = serde_json::from_str(&out).expect("receive json");
    v["code"].as_str().expect("a code").to_string()
}

/// Receives a marriage-status certificate (1.004873, 3 working days) for `name` by clerk
/// `lan`, at `at` (YYYY-MM-DDTHH:MM) if given, else now; returns its code.
pub fn receive_marriage_status(dir: &Path, name: &str, at: Option<&str>) -> String {
    let mut c = motcua(dir);
    c.args([
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "1.004873",
        "--applicant",
        name,
        "--document",
        "Tờ khai:bản chính:1",
        "--json",
    ]);
    if let Some(at) = at {
        c.args(["--received-at", at]);
    }
    let v: serde_json::Value = serde_json::from_str(&ok(&mut c)).expect("receive json");
    v["code"].as_str().expect("a code").to_string()
}

/// Whether an external tool is installed. In CI (`CI=true`) a missing tool fails the test
/// loudly instead of skipping it.
pub fn require_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{tool} is required in CI but is not installed");
        }
        eprintln!("SKIPPED: {tool} is not installed");
    }
    found
}

// ---- Sync helpers: a real motcua-hub on 127.0.0.1 as a child process. ----

/// The `motcua-hub` binary.
pub fn hub_cmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_motcua-hub"))
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Where a test hub keeps its data.
#[derive(Clone, Debug)]
pub enum Backend {
    /// SQLite file.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL schema of its own in the `test` database, dropped with the test.
    Postgres { url: String, schema: String },
}

/// The PostgreSQL test server's URL (trust auth, user postgres or root, database test).
const PG_URLS: [&str; 2] = [
    "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3",
    "host=127.0.0.1 port=5432 user=root dbname=test connect_timeout=3",
];

impl Backend {
    /// A SQLite backend in `dir`.
    pub fn sqlite(dir: &Path) -> Backend {
        Backend::Sqlite(dir.join("hub.sqlite"))
    }

    /// A fresh PostgreSQL schema, or None (test skipped with a warning) when the server is
    /// not reachable; with `CI=true` an unreachable server fails the test.
    pub fn postgres(test: &str) -> Option<Backend> {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        for url in PG_URLS {
            if let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls) {
                let schema = format!(
                    "t_{}_{}_{}",
                    test,
                    std::process::id(),
                    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create test schema");
                return Some(Backend::Postgres {
                    url: url.to_string(),
                    schema,
                });
            }
        }
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("PostgreSQL at 127.0.0.1:5432 is required in CI but is not reachable");
        }
        eprintln!("SKIPPED: PostgreSQL at 127.0.0.1:5432 is not reachable");
        None
    }

    /// The hub CLI arguments that select this backend.
    pub fn args(&self) -> Vec<String> {
        match self {
            Backend::Sqlite(p) => vec!["--db".into(), p.display().to_string()],
            Backend::Postgres { url, schema } => vec![
                "--database-url".into(),
                url.clone(),
                "--pg-schema".into(),
                schema.clone(),
            ],
        }
    }

    /// A single integer from a query on the hub's tables.
    pub fn count(&self, sql: &str) -> i64 {
        match self {
            Backend::Sqlite(p) => {
                let c = rusqlite::Connection::open(p).expect("hub db");
                c.busy_timeout(std::time::Duration::from_secs(10))
                    .expect("busy timeout");
                c.query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
                    .expect("count query")
                    .unwrap_or(0)
            }
            Backend::Postgres { url, schema } => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).expect("pg");
                c.batch_execute(&format!("SET search_path TO {schema}"))
                    .expect("search path");
                let r = c.query_one(sql, &[]).expect("count query");
                r.try_get::<_, Option<i64>>(0)
                    .or_else(|_| r.try_get::<_, Option<i32>>(0).map(|v| v.map(i64::from)))
                    .expect("an integer")
                    .unwrap_or(0)
            }
        }
    }

    /// Runs SQL on the hub's tables behind the hub's back (a fault, a trigger).
    pub fn exec(&self, sql: &str) {
        match self {
            Backend::Sqlite(p) => {
                let c = rusqlite::Connection::open(p).expect("hub db");
                c.busy_timeout(std::time::Duration::from_secs(10))
                    .expect("busy timeout");
                c.execute_batch(sql).expect("hub sql");
            }
            Backend::Postgres { url, schema } => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).expect("pg");
                c.batch_execute(&format!("SET search_path TO {schema}; {sql}"))
                    .expect("hub sql");
            }
        }
    }

    /// Whether this is the PostgreSQL backend.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres { .. })
    }

    /// Drops a PostgreSQL schema (nothing for SQLite: the temp dir goes).
    pub fn drop_data(&self) {
        if let Backend::Postgres { url, schema } = self
            && let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// A running hub; killed (SIGKILL) when dropped.
pub struct Hub {
    pub child: Option<std::process::Child>,
    pub port: u16,
    pub backend: Backend,
}

impl Hub {
    /// Starts `motcua-hub serve` on a free port.
    pub fn start(backend: &Backend) -> Hub {
        Hub::start_on(backend, free_port())
    }

    /// Starts the hub on `port` and waits (bounded) until /healthz answers.
    pub fn start_on(backend: &Backend, port: u16) -> Hub {
        Hub::start_with(backend, port, &[])
    }

    /// Starts the hub on `port` with extra `serve` arguments.
    pub fn start_with(backend: &Backend, port: u16, extra: &[&str]) -> Hub {
        let child = hub_cmd()
            .arg("serve")
            .args(backend.args())
            .args(extra)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("motcua-hub starts");
        let hub = Hub {
            child: Some(child),
            port,
            backend: backend.clone(),
        };
        for _ in 0..200 {
            if http(port, "GET", "/healthz", &[], b"").0 == 200 {
                return hub;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("motcua-hub did not come up on port {port}");
    }

    /// Starts the hub on a free port with its stderr (the request log) written to `log`.
    pub fn start_logged(backend: &Backend, log: &Path) -> Hub {
        let port = free_port();
        let child = hub_cmd()
            .arg("serve")
            .args(backend.args())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(log).expect("hub log file"))
            .spawn()
            .expect("motcua-hub starts");
        let hub = Hub {
            child: Some(child),
            port,
            backend: backend.clone(),
        };
        for _ in 0..200 {
            if http(port, "GET", "/healthz", &[], b"").0 == 200 {
                return hub;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("motcua-hub did not come up on port {port}");
    }

    /// Peak resident memory of the hub process (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        self.status_kib("VmHWM")
    }

    /// Resident memory of the hub process now (VmRSS), in KiB.
    pub fn rss_kib(&self) -> u64 {
        self.status_kib("VmRSS")
    }

    fn status_kib(&self, field: &str) -> u64 {
        let pid = self.child.as_ref().expect("hub running").id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"))
    }

    /// The hub process's environment as it runs (after any exec of its own).
    pub fn environment(&self) -> String {
        let pid = self.child.as_ref().expect("hub running").id();
        let env = std::fs::read(format!("/proc/{pid}/environ")).expect("proc environ");
        String::from_utf8_lossy(&env).replace('\0', "\n")
    }

    /// The citizen lookup page for a code and secret (status 200 asserted).
    pub fn lookup(&self, code: &str, secret: &str) -> String {
        let (status, page) = http(
            self.port,
            "GET",
            &format!("/tra-cuu?ma={code}&mk={secret}"),
            &[],
            b"",
        );
        assert_eq!(status, 200);
        String::from_utf8(page).unwrap()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// SIGKILL, no goodbye.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// A `motcua-hub` admin command on this hub's database.
    pub fn admin(&self, args: &[&str]) -> String {
        let mut c = hub_cmd();
        c.args(args).args(self.backend.args());
        ok(&mut c).trim().to_string()
    }

    /// Enrols station `dir` (already initialised) with this hub.
    pub fn enroll(&self, dir: &Path, station: u8) {
        self.enroll_of(dir, "000.17.22.H56", station);
    }

    /// Enrols station `dir` of another agency (set up by [`station_of`]) with this hub.
    pub fn enroll_of(&self, dir: &Path, agency_id: &str, station: u8) {
        let token = self.admin(&[
            "station",
            "add",
            "--agency-id",
            agency_id,
            "--station",
            &station.to_string(),
        ]);
        ok(motcua(dir).args(["sync", "enroll", "--hub", &self.url(), "--token", &token]));
    }

    /// A single integer from a query on the hub's tables.
    pub fn count(&self, sql: &str) -> i64 {
        self.backend.count(sql)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `f` on a fresh SQLite hub database.
pub fn with_sqlite(f: impl FnOnce(&Backend)) {
    let d = tempfile::tempdir().expect("temp dir");
    f(&Backend::sqlite(d.path()));
}

/// Runs `f` on a fresh PostgreSQL schema, dropped afterwards (even when `f` panics);
/// skipped with a warning when the server is unreachable outside CI.
pub fn with_postgres(name: &str, f: impl FnOnce(&Backend)) {
    struct Cleanup(Backend);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            self.0.drop_data();
        }
    }
    if let Some(b) = Backend::postgres(name) {
        let guard = Cleanup(b);
        f(&guard.0);
    }
}

/// A minimal HTTP/1.1 request on 127.0.0.1 (Connection: close); (status, body). Status 0
/// when the connection failed.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return (0, Vec::new());
    };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(30)));
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    if s.write_all(req.as_bytes())
        .and_then(|()| s.write_all(body))
        .is_err()
    {
        return (0, Vec::new());
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let Some(split) = out.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (0, Vec::new());
    };
    let head = String::from_utf8_lossy(&out[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut rest = out[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        rest = dechunk(&rest);
    }
    (status, rest)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(p) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..p]).trim(), 16).unwrap_or(0);
        if n == 0 || b.len() < p + 2 + n {
            break;
        }
        out.extend_from_slice(&b[p + 2..p + 2 + n]);
        b = &b[(p + 4 + n).min(b.len())..];
    }
    out
}

/// `motcua sync status --json` of a station.
pub fn sync_status(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(motcua(dir).args(["sync", "status", "--json"]))).expect("status json")
}

/// Seeds `count` dossiers at a station (clerk lan).
pub fn seed(dir: &Path, count: u64, seed: u64) {
    ok(motcua(dir).args([
        "dev",
        "seed",
        "--clerk",
        "lan",
        "--count",
        &count.to_string(),
        "--end",
        "2026-11-20",
        "--seed",
        &seed.to_string(),
    ]));
}

/// The journal head seq of a station.
pub fn head_seq(dir: &Path) -> i64 {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).expect("db");
    c.query_row("SELECT seq FROM journal_head", [], |r| r.get(0))
        .expect("head")
}

/// Starts cupsd if it is not running and adds a cups-pdf queue; returns its output folders.
pub fn cups_pdf_queue(name: &str) -> Vec<std::path::PathBuf> {
    let running = Command::new("lpstat")
        .arg("-r")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("is running"));
    if !running {
        std::fs::create_dir_all("/run/cups").unwrap();
        assert!(
            Command::new("/usr/sbin/cupsd").status().unwrap().success(),
            "cupsd did not start"
        );
        let t = Instant::now();
        while !Command::new("lpstat")
            .arg("-r")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("is running"))
        {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "cupsd is not answering"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let out = Command::new("lpadmin")
        .args([
            "-p",
            name,
            "-v",
            "cups-pdf:/",
            "-m",
            "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
            "-E",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lpadmin: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    vec![
        Path::new(&home).join("PDF"),
        "/root/PDF".into(),
        "/var/spool/cups-pdf/ANONYMOUS".into(),
    ]
}

/// Reads one request (headers and Content-Length body); returns its first line.
pub fn read_request(s: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut buf = Vec::new();
    let mut b = [0u8; 8192];
    loop {
        match s.read(&mut b) {
            Ok(0) | Err(_) => return String::new(),
            Ok(n) => buf.extend_from_slice(&b[..n]),
        }
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..p]).to_string();
            let len = head
                .lines()
                .find_map(|l| {
                    let l = l.to_ascii_lowercase();
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            while buf.len() < p + 4 + len {
                match s.read(&mut b) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&b[..n]),
                }
            }
            return head.lines().next().unwrap_or("").to_string();
        }
    }
}

/// The station's journal and signed head, as its counter would push them.
pub fn journal_json(dir: &Path) -> (Vec<serde_json::Value>, serde_json::Value) {
    let c = rusqlite::Connection::open(dir.join("motcua.sqlite")).unwrap();
    let mut st = c
        .prepare(
            "SELECT seq, event_id, station_id, wall_time, clerk, kind, dossier_id, payload,
                    prev_hash, hash FROM events ORDER BY seq",
        )
        .unwrap();
    let events = st
        .query_map([], |r| {
            Ok(serde_json::json!({
                "seq": r.get::<_, i64>(0)?,
                "event_id": r.get::<_, String>(1)?,
                "station_id": r.get::<_, String>(2)?,
                "wall_time": r.get::<_, String>(3)?,
                "clerk": r.get::<_, String>(4)?,
                "kind": r.get::<_, String>(5)?,
                "dossier_id": r.get::<_, Option<String>>(6)?,
                "payload": r.get::<_, String>(7)?,
                "prev_hash": r.get::<_, String>(8)?,
                "hash": r.get::<_, String>(9)?,
            }))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let head = c
        .query_row("SELECT seq, hash, signature FROM journal_head", [], |r| {
            Ok(serde_json::json!({
                "seq": r.get::<_, i64>(0)?,
                "hash": r.get::<_, String>(1)?,
                "signature": r.get::<_, String>(2)?,
            }))
        })
        .unwrap();
    (events, head)
}

/// The text of a PDF as `pdftotext` (poppler) reads it back, in UTF-8.
pub fn pdftotext(pdf: &Path) -> String {
    assert!(
        require_tool("pdftotext"),
        "pdftotext (poppler-utils) is needed"
    );
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The counts of a Biểu 06 row as `motcua report --format json` names them, in the form's
/// column order (3) … (13).
pub const REPORT_KEYS: [&str; 11] = [
    "received_total",
    "received_online",
    "received_direct",
    "carried",
    "resolved_total",
    "early",
    "on_time",
    "resolved_late",
    "pending_total",
    "pending_in_time",
    "pending_late",
];
