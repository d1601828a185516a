//! Push throughput of the hub alone, counter time excluded: accepted events per second on
//! SQLite and PostgreSQL with 1 and with 8 stations pushing at once, beside a floor (the
//! very same `events` rows written by a bare multi-row INSERT, and by COPY on PostgreSQL).
//!
//! Every event is genuine, as a counter makes it: a `dossier_received` event whose payload
//! is a real `Dossier` (a procedure of the built-in catalogue with its documents), hash
//! chained from the genesis hash, pushed in batches of 1000 (the client's `BATCH`) with a
//! head signed by the station's Ed25519 key and the client's idempotency key. All of it
//! (and the gzip bodies of the HTTP mode, and the floor's rows) is built before the clock
//! starts. Each measurement starts on an empty database (a new SQLite file, a new
//! PostgreSQL schema, dropped afterwards).
//!
//! Modes:
//! * `hub in-process`: `Storage::push` called directly (the request already parsed).
//! * `hub HTTP`: the real `motcua-hub serve` on 127.0.0.1, gzip JSON POSTed to
//!   `/api/v1/push` with ureq (inflate, parse, authentication and the push slots included).
//! * `floor INSERT` / `floor COPY`: the rows the hub stores in `events` for the same events
//!   (same columns, same JSON bodies), one transaction per 1000 rows, written with no
//!   checks at all. On SQLite the threads share one connection behind a mutex, as the hub
//!   does; on PostgreSQL each has its own connection.
//!
//! What the hub does that the floor does not: per event, read the dossier payload's
//! register fields, check the event's SHA-256 and chain link, serialise the event again
//! for `events.body` (the floor's bodies are made before the clock; the hub's on another
//! thread while the database stores the dossiers) and write the register's `dossiers` row
//! (primary key on the code, unique id, the agency/status index; a plain INSERT on
//! PostgreSQL, `ON CONFLICT DO NOTHING` when a code or id is taken, and on SQLite): as
//! many rows again as the floor writes, with three indexes; per batch: the batch's
//! SHA-256 (over its events' hashes), the Ed25519 check of the head, the `stations` row
//! read (FOR UPDATE on PostgreSQL) and updated, the `station_heads` row, the idempotency
//! lookup and its row (the batch's answer as JSON). The rows go in a few statements per batch like the
//! floor's (on PostgreSQL one per table, about ten round trips a batch; on SQLite chunks
//! of at most 1024 rows). Over HTTP, add authentication, the push slot (4 at once),
//! reading, inflating and parsing the body.
//!
//! Reading the figures: with one station the hub's own work (payloads read, bodies
//! written, about 10 ms a batch) and the database's (the `dossiers` rows cost PostgreSQL
//! about as much as the `events` rows) follow each other; with eight they overlap, but
//! share the machine's cores with the database. The `pg:` note says what the backends
//! waited for (`hub`: the hub's next statement, `lock:*` would be stations serialised by
//! a lock) and `cpu:` whether the cores were the limit. Other work on the machine skews
//! every figure (the run says how busy it was before it started).
//!
//! ```sh
//! cargo build --release --bin motcua-hub     # for the HTTP mode
//! cargo bench -p motcua-hub --bench push_throughput
//! ```
//!
//! Environment:
//! * `MOTCUA_BENCH_EVENTS`: events per measurement, over all stations (default 64000:
//!   64 batches from one station, 8 from each of 8; a full run took 60–90 s on the
//!   2-core machine it was written on, most of it PostgreSQL with one station).
//! * `MOTCUA_BENCH_STATIONS`: station counts to measure (default `1,8`; at most 9).
//! * `MOTCUA_BENCH_PG_URL`: PostgreSQL (default `host=127.0.0.1 port=5432 user=postgres
//!   dbname=test`); `none` skips PostgreSQL. An unreachable server is skipped with a note.
//! * `MOTCUA_BENCH_BACKENDS`: which to measure (default `sqlite,postgres`).
//! * `MOTCUA_BENCH_HTTP`: `0` skips the HTTP mode.
//! * `MOTCUA_HUB_BIN`: the `motcua-hub` binary (default: `motcua-hub` beside the bench's
//!   own target directory, i.e. `target/release/motcua-hub`).

use counter::{Batch, Station, station};
use floor::{floor_pg_copy, floor_pg_insert, floor_sqlite};
use motcua_core::wire::{EnrollRequest, IDEMPOTENCY_HEADER, ItemOutcome, PushResponse};
use motcua_hub::db::{HubStore, Storage};
use motcua_hub::schema::migrate;
use motcua_hub::sql::{PgOptions, Postgres, Sqlite};
use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

mod counter;
mod floor;

/// Events per push batch: the counter's `motcua_sync::BATCH`.
const BATCH: usize = 1000;
const DEFAULT_PG_URL: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3";
/// The `events` columns, in the order the hub inserts them.
const EVENT_COLUMNS: &str =
    "station_id, seq, event_id, kind, dossier_id, hash, body, outcome, reason, stored_at";

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not valid")),
        _ => default,
    }
}

// ---- running stations at once ----

/// A station's pusher: made on its thread before the start, then called once per batch;
/// answers the events accepted.
type Pusher<'a> = Box<dyn FnMut(&'a Batch) -> u64 + 'a>;

/// What one measurement did.
struct Run {
    /// Events accepted (or rows written, for the floor).
    events: u64,
    /// Wall time from the start to the last station done.
    took: Duration,
    /// How long each batch took, every station's.
    batches: Vec<Duration>,
    /// Cores used while it ran.
    cpu: String,
}

/// Runs every station on its own thread, all started together: `setup` (given the
/// station's index) runs before the start, the clock covers only the pushes. `hub` is the
/// hub's process when it is not this one, for its CPU use.
fn run_stations<'a, S>(stations: &'a [Station], hub: Option<u32>, setup: S) -> Run
where
    S: Fn(usize, &'a Station) -> Pusher<'a> + Sync,
{
    let start = Barrier::new(stations.len() + 1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = stations
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (start, setup) = (&start, &setup);
                scope.spawn(move || {
                    let mut push = setup(i, s);
                    start.wait();
                    let mut times = Vec::with_capacity(s.batches.len());
                    let mut n = 0;
                    for b in &s.batches {
                        let t = Instant::now();
                        n += push(b);
                        times.push(t.elapsed());
                    }
                    (n, times)
                })
            })
            .collect();
        start.wait();
        let t0 = Instant::now();
        let cpu = Cpu::start(hub);
        let mut run = Run {
            events: 0,
            took: Duration::ZERO,
            batches: Vec::new(),
            cpu: String::new(),
        };
        for h in handles {
            let (n, times) = h.join().expect("station thread");
            run.events += n;
            run.batches.extend(times);
        }
        run.took = t0.elapsed();
        run.cpu = cpu.note(run.took);
        run
    })
}

/// Counts the accepted items of an answer; anything else is a broken benchmark.
fn accepted(s: &Station, b: &Batch, resp: &PushResponse) -> u64 {
    let n = resp
        .results
        .iter()
        .filter(|r| r.outcome == ItemOutcome::Accepted)
        .count();
    assert_eq!(
        n,
        b.req.events.len(),
        "{}: batch {} not all accepted: {:?}",
        s.station_id,
        b.key,
        resp.results
            .iter()
            .find(|r| r.outcome != ItemOutcome::Accepted)
    );
    assert_eq!(resp.expected_seq, b.req.head.seq + 1);
    n as u64
}

/// Registers every station with the hub as `motcua sync enroll` does; their credentials.
fn enroll(storage: &dyn Storage, stations: &[Station]) -> Vec<String> {
    stations
        .iter()
        .map(|s| {
            let token = storage
                .add_enrol_token(s.agency.as_str(), 1, &now())
                .expect("token");
            storage
                .enroll(
                    &EnrollRequest {
                        token,
                        station_id: s.station_id.clone(),
                        public_key: hex::encode(s.key.verifying_key().to_bytes()),
                    },
                    &now(),
                )
                .expect("enroll")
                .credential
        })
        .collect()
}

fn push_in_process(storage: &dyn Storage, stations: &[Station]) -> Run {
    run_stations(stations, None, |_, s| {
        Box::new(move |b| {
            let resp = storage
                .push(&s.station_id, Some(&b.key), &b.req, &now())
                .expect("push");
            accepted(s, b, &resp)
        })
    })
}

// ---- the backends ----

static NEXT_SCHEMA: AtomicU32 = AtomicU32::new(0);

/// A fresh PostgreSQL schema, dropped (CASCADE) when this goes.
struct PgSchema {
    url: String,
    name: String,
}

impl PgSchema {
    fn new(url: &str) -> PgSchema {
        PgSchema {
            url: url.to_string(),
            name: format!(
                "bench_push_{}_{}",
                std::process::id(),
                NEXT_SCHEMA.fetch_add(1, Ordering::Relaxed)
            ),
        }
    }

    fn options(&self) -> PgOptions {
        let mut o = PgOptions::new(&self.url);
        o.schema = Some(self.name.clone());
        o
    }

    /// A plain connection with this schema on its search path.
    fn client(&self) -> postgres::Client {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect");
        c.batch_execute(&format!("SET search_path TO {}", self.name))
            .expect("search_path");
        c
    }

    /// The hub over this schema, migrated.
    fn hub(&self) -> HubStore<Postgres> {
        let pg = Postgres::open(&self.options()).expect("open PostgreSQL");
        migrate(&pg, &now()).expect("migrate");
        HubStore::new(pg)
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

fn sqlite_hub(path: &Path) -> HubStore<Sqlite> {
    let db = Sqlite::open(path).expect("open SQLite");
    migrate(&db, &now()).expect("migrate");
    HubStore::new(db)
}

/// `url` with an `application_name` (last one wins if it had one).
fn with_application_name(url: &str, name: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}application_name={name}")
    } else {
        format!("{url} application_name={name}")
    }
}

/// Samples, every 20 ms, what this run's PostgreSQL backends are doing (those with the
/// run's application name, the hub's pool), to tell a lock that serialises stations from
/// CPU, WAL flushes and round trips.
struct Waits {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<(u64, std::collections::BTreeMap<String, u64>)>,
}

impl Waits {
    fn start(url: &str) -> Waits {
        let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut seen = std::collections::BTreeMap::new();
            let mut ticks = 0;
            while !flag.load(Ordering::Relaxed) {
                let rows = c
                    .query(
                        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity
                         WHERE application_name = current_setting('application_name')
                           AND pid <> pg_backend_pid()
                           AND state IN ('active', 'idle in transaction')",
                        &[],
                    )
                    .expect("pg_stat_activity");
                ticks += 1;
                for r in rows {
                    let state: Option<String> = r.get(0);
                    let kind: Option<String> = r.get(1);
                    let event: Option<String> = r.get(2);
                    let label = match (state.as_deref(), kind.as_deref(), event.as_deref()) {
                        (Some("idle in transaction"), _, _) | (_, Some("Client"), _) => {
                            "hub".to_string()
                        }
                        (_, None, _) => "cpu".to_string(),
                        (_, Some("IO"), Some(e)) if e.starts_with("WAL") => "wal".to_string(),
                        (_, Some("LWLock"), Some(e)) if e.starts_with("WAL") => "wal".to_string(),
                        (_, Some("Lock"), Some(e)) => format!("lock:{e}"),
                        (_, Some(k), e) => format!("{k}:{}", e.unwrap_or("?")),
                    };
                    *seen.entry(label).or_default() += 1;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            (ticks, seen)
        });
        Waits { stop, handle }
    }

    /// Shares of the samples, largest first (locks always shown), and the mean number
    /// of backends busy.
    fn finish(self) -> String {
        self.stop.store(true, Ordering::Relaxed);
        let (ticks, seen) = self.handle.join().expect("sampler");
        let total: u64 = seen.values().sum();
        if total == 0 {
            return "pg: no sample".into();
        }
        let mut v: Vec<_> = seen.into_iter().collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1));
        let parts: Vec<String> = v
            .iter()
            .filter(|(l, c)| l.starts_with("lock") || *c * 100 >= total)
            .map(|(l, c)| format!("{l} {:.0}%", *c as f64 * 100.0 / total as f64))
            .collect();
        format!(
            "pg: {} ({:.1} busy)",
            parts.join(", "),
            total as f64 / ticks.max(1) as f64
        )
    }
}

// ---- HTTP: the real motcua-hub serve ----

/// The `motcua-hub` binary: `MOTCUA_HUB_BIN`, else beside this bench's target directory.
fn hub_binary() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("MOTCUA_HUB_BIN") {
        return Some(PathBuf::from(p));
    }
    // target/release/deps/push_throughput-<hash> → target/release/motcua-hub
    let exe = std::env::current_exe().ok()?;
    let p = exe.parent()?.parent()?.join("motcua-hub");
    p.exists().then_some(p)
}

/// A running `motcua-hub serve`, stopped with SIGTERM when this goes.
struct Served {
    child: std::process::Child,
    base: String,
}

impl Served {
    fn start(bin: &Path, backend: &[String], log: &Path) -> Served {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = std::process::Command::new(bin)
            .arg("serve")
            .args(backend)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(log).expect("log"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        let base = format!("http://127.0.0.1:{port}");
        let mut served = Served { child, base };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if ureq::get(&format!("{}/healthz", served.base))
                .call()
                .is_ok()
            {
                return served;
            }
            if let Ok(Some(status)) = served.child.try_wait() {
                panic!(
                    "motcua-hub serve exited ({status}): {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "motcua-hub serve did not answer");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs every pre-built gzip body as the sync client does; a 503 (all push slots taken
/// for 10 s) is sent again and counted.
fn push_http(served: &Served, stations: &[Station], credentials: &[String]) -> (Run, u32) {
    let busy = AtomicU32::new(0);
    let url = format!("{}/api/v1/push", served.base);
    let run = run_stations(stations, Some(served.child.id()), |i, s| {
        let bearer = format!("Bearer {}", credentials[i]);
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(120))
            .build();
        let (url, busy) = (&url, &busy);
        Box::new(move |b| {
            loop {
                let res = agent
                    .post(url)
                    .set("Authorization", &bearer)
                    .set(IDEMPOTENCY_HEADER, &b.key)
                    .set("Content-Type", "application/json")
                    .set("Content-Encoding", "gzip")
                    .send_bytes(&b.gz);
                match res {
                    Ok(r) => {
                        let text = r.into_string().expect("answer");
                        let resp: PushResponse = serde_json::from_str(&text).expect("json");
                        return accepted(s, b, &resp);
                    }
                    Err(ureq::Error::Status(503, _)) => {
                        busy.fetch_add(1, Ordering::Relaxed);
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Err(e) => panic!("push: {e}"),
                }
            }
        })
    });
    (run, busy.into_inner())
}

/// CPU time used so far, from `/proc` (Linux; 100 ticks a second): a process's (user +
/// system) and the whole machine's busy time.
#[derive(Clone, Copy)]
struct Cpu {
    process: Option<u32>,
    proc_ticks: u64,
    machine_ticks: u64,
    cores: usize,
}

impl Cpu {
    fn ticks(pid: Option<u32>) -> (u64, u64) {
        let stat = match pid {
            Some(p) => std::fs::read_to_string(format!("/proc/{p}/stat")),
            None => std::fs::read_to_string("/proc/self/stat"),
        }
        .unwrap_or_default();
        // Fields after the command name (which may hold spaces) close with ')'.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let f: Vec<u64> = after
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        let process = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
        let all = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let m: Vec<u64> = all
            .lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .skip(1)
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
        let busy = m.iter().take(8).sum::<u64>()
            - m.get(3).copied().unwrap_or(0)
            - m.get(4).copied().unwrap_or(0);
        (process, busy)
    }

    /// Starts counting for `pid` (None: this process).
    fn start(pid: Option<u32>) -> Cpu {
        let (proc_ticks, machine_ticks) = Cpu::ticks(pid);
        Cpu {
            process: pid,
            proc_ticks,
            machine_ticks,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }

    /// Cores used since the start, over `took` of wall time.
    fn note(self, took: Duration) -> String {
        let (p, m) = Cpu::ticks(self.process);
        let secs = took.as_secs_f64().max(1e-3);
        format!(
            "cpu: hub {:.1}, machine {:.1} of {} cores",
            p.saturating_sub(self.proc_ticks) as f64 / 100.0 / secs,
            m.saturating_sub(self.machine_ticks) as f64 / 100.0 / secs,
            self.cores
        )
    }
}

// ---- the table ----

struct Row {
    backend: &'static str,
    mode: &'static str,
    stations: usize,
    events: u64,
    seconds: f64,
    note: String,
}

impl Row {
    fn rate(&self) -> f64 {
        self.events as f64 / self.seconds
    }
}

fn print_row(r: &Row, rows: &[Row]) {
    let floor = |mode: &str| {
        rows.iter()
            .find(|f| f.backend == r.backend && f.stations == r.stations && f.mode == mode)
            .map(Row::rate)
    };
    let ratio =
        |f: Option<f64>| f.map_or_else(|| "-".to_string(), |f| format!("{:.2}", r.rate() / f));
    println!(
        "{:<9} {:<15} {:>8} {:>7} {:>8.2} {:>9.0} {:>9} {:>9}  {}",
        r.backend,
        r.mode,
        r.stations,
        r.events,
        r.seconds,
        r.rate(),
        ratio(floor("floor INSERT")),
        ratio(floor("floor COPY")),
        r.note
    );
}

fn main() {
    let total: usize = env_or("MOTCUA_BENCH_EVENTS", 64_000);
    let counts: Vec<usize> = std::env::var("MOTCUA_BENCH_STATIONS")
        .unwrap_or_else(|_| "1,8".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("MOTCUA_BENCH_STATIONS: numbers 1 to 9")
        })
        .collect();
    assert!(
        counts.iter().all(|n| (1..=9).contains(n)),
        "MOTCUA_BENCH_STATIONS: numbers 1 to 9"
    );
    let backends =
        std::env::var("MOTCUA_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let sqlite = backends.split(',').any(|b| b.trim() == "sqlite");
    let pg_url = std::env::var("MOTCUA_BENCH_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into());
    let pg_url = match pg_url.as_str() {
        _ if !backends.split(',').any(|b| b.trim() == "postgres") => None,
        "none" | "" => None,
        url => match postgres::Client::connect(url, postgres::NoTls) {
            // Tagged, so that the backends of this run can be told from any others.
            Ok(_) => Some(with_application_name(
                url,
                &format!("motcua_bench_{}", std::process::id()),
            )),
            Err(e) => {
                println!("PostgreSQL skipped: {url}: {e}");
                None
            }
        },
    };
    let http = std::env::var("MOTCUA_BENCH_HTTP").map_or(true, |v| v != "0");
    let bin = if http { hub_binary() } else { None };
    if http && bin.is_none() {
        println!(
            "HTTP mode skipped: no motcua-hub binary (cargo build --release --bin motcua-hub, or MOTCUA_HUB_BIN)"
        );
    }
    let (_, a) = Cpu::ticks(None);
    std::thread::sleep(Duration::from_secs(1));
    let (_, b) = Cpu::ticks(None);
    eprintln!(
        "# before the run the machine was busy {:.1} of {} cores (other work skews every figure)",
        b.saturating_sub(a) as f64 / 100.0,
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    let tmp = tempfile::tempdir().expect("tempdir");

    let mut rows: Vec<Row> = Vec::new();
    println!(
        "{:<9} {:<15} {:>8} {:>7} {:>8} {:>9} {:>9} {:>9}",
        "backend", "mode", "stations", "events", "seconds", "events/s", "÷INSERT", "÷COPY"
    );
    for &n in &counts {
        let per = total.div_ceil(n);
        let t0 = Instant::now();
        let stations: Vec<Station> = std::thread::scope(|scope| {
            let hs: Vec<_> = (0..n)
                .map(|i| scope.spawn(move || station(i, per)))
                .collect();
            hs.into_iter().map(|h| h.join().expect("build")).collect()
        });
        let events: usize = stations.iter().map(Station::events).sum();
        let batches: usize = stations.iter().map(|s| s.batches.len()).sum();
        let json: usize = stations
            .iter()
            .flat_map(|s| &s.batches)
            .map(|b| b.json_len)
            .sum();
        let gz: usize = stations
            .iter()
            .flat_map(|s| &s.batches)
            .map(|b| b.gz.len())
            .sum();
        eprintln!(
            "# {n} station(s): {events} events in {batches} batches built in {:.1} s (not timed): \
             {} bytes of JSON an event, {:.0} KB gzip a batch",
            t0.elapsed().as_secs_f64(),
            json / events,
            gz as f64 / batches as f64 / 1024.0
        );
        let mut add = |backend, mode, run: &Run, extra: String| {
            let row = Row {
                backend,
                mode,
                stations: n,
                events: run.events,
                seconds: run.took.as_secs_f64(),
                note: join_notes(&[batch_note(run), run.cpu.clone(), extra]),
            };
            print_row(&row, &rows);
            rows.push(row);
        };
        let fresh = |name: &str| tmp.path().join(format!("{name}-{n}.sqlite"));

        if sqlite {
            let run = floor_sqlite(&fresh("floor"), &stations);
            add("sqlite", "floor INSERT", &run, String::new());
            {
                let hub = sqlite_hub(&fresh("hub"));
                enroll(&hub, &stations);
                let run = push_in_process(&hub, &stations);
                add("sqlite", "hub in-process", &run, String::new());
            }
            if let Some(bin) = &bin {
                let path = fresh("http");
                let credentials = enroll(&sqlite_hub(&path), &stations);
                let served = Served::start(
                    bin,
                    &["--db".into(), path.display().to_string()],
                    &tmp.path().join(format!("hub-sqlite-{n}.log")),
                );
                let (run, busy) = push_http(&served, &stations, &credentials);
                drop(served);
                add("sqlite", "hub HTTP", &run, busy_note(busy));
            }
        }

        if let Some(url) = &pg_url {
            let run = floor_pg_insert(&PgSchema::new(url), &stations);
            add("postgres", "floor INSERT", &run, String::new());
            let run = floor_pg_copy(&PgSchema::new(url), &stations);
            add("postgres", "floor COPY", &run, String::new());
            {
                let schema = PgSchema::new(url);
                let hub = schema.hub();
                enroll(&hub, &stations);
                let waits = Waits::start(url);
                let run = push_in_process(&hub, &stations);
                let waits = waits.finish();
                drop(hub);
                add("postgres", "hub in-process", &run, waits);
            }
            if let Some(bin) = &bin {
                let schema = PgSchema::new(url);
                let credentials = enroll(&schema.hub(), &stations);
                let served = Served::start(
                    bin,
                    &[
                        "--database-url".into(),
                        url.clone(),
                        "--pg-schema".into(),
                        schema.name.clone(),
                    ],
                    &tmp.path().join(format!("hub-pg-{n}.log")),
                );
                let waits = Waits::start(url);
                let (run, busy) = push_http(&served, &stations, &credentials);
                let waits = waits.finish();
                drop(served);
                add(
                    "postgres",
                    "hub HTTP",
                    &run,
                    join_notes(&[waits, busy_note(busy)]),
                );
            }
        }
    }
    eprintln!(
        "# notes: batch = one push of up to {BATCH} events (p50 and slowest); pg = what the \
         PostgreSQL backends of the run were doing, sampled every 20 ms (hub: waiting for the \
         hub's next statement, cpu: running, wal: writing or flushing WAL, lock:*: waiting \
         for another transaction), and the mean number of them busy; cpu = cores used \
         during the run by the hub (this process in-process, motcua-hub serve over HTTP; the \
         floor's client is this process) and by the whole machine (PostgreSQL included)"
    );
}

/// The batch latencies of a run: median and slowest.
fn batch_note(run: &Run) -> String {
    let mut t = run.batches.clone();
    t.sort();
    match (t.get(t.len() / 2), t.last()) {
        (Some(p50), Some(max)) => format!(
            "batch p50 {:.0} ms, max {:.0} ms",
            p50.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        ),
        _ => String::new(),
    }
}

/// The non-empty notes, separated.
fn join_notes(notes: &[String]) -> String {
    notes
        .iter()
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ")
}

fn busy_note(busy: u32) -> String {
    if busy == 0 {
        String::new()
    } else {
        format!("{busy} push(es) answered 503 (slots busy) and sent again")
    }
}
