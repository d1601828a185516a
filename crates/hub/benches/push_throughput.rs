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
//! What the hub does that the floor does not: per event, parse the dossier payload, check
//! the event's SHA-256 and chain link, serialise the event again for `events.body` (the
//! floor's bodies are made before the clock) and write the register's `dossiers` row
//! (primary key on the code, unique id, the agency/status index, `ON CONFLICT DO
//! NOTHING`): as many rows again as the floor writes, with three indexes; per batch: the
//! batch's SHA-256, the Ed25519 check of the head, the `stations` row read (FOR UPDATE on
//! PostgreSQL) and updated, the `station_heads` row, the idempotency lookup and its row
//! (the batch's answer as JSON). The rows go in a few statements per batch like the
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

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use ed25519_dalek::{Signer, SigningKey};
use motcua_core::code::{AgencyId, DossierCode, StationNo};
use motcua_core::dossier::{Channel, Dossier, Party, ResultDelivery};
use motcua_core::journal::{Event, EventKind, GENESIS_HASH, head_message};
use motcua_core::status::Status;
use motcua_core::wire::{
    EnrollRequest, IDEMPOTENCY_HEADER, ItemOutcome, PushRequest, PushResponse, SignedHead,
};
use motcua_hub::db::{HubStore, Storage};
use motcua_hub::schema::migrate;
use motcua_hub::sql::{PgOptions, Postgres, Sqlite};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// Events per push batch: the counter's `motcua_sync::BATCH`.
const BATCH: usize = 1000;
/// Procedures of the built-in commune catalogue (version [`CATALOG_VERSION`], from
/// `assets/catalog/`): code, name, term and the documents handed in, with their kind.
/// Copied rather than read, so the benchmark does not follow the catalogue's format.
type Procedure = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);
const PROCEDURES: &[Procedure] = &[
    (
        "1.001193",
        "Đăng ký khai sinh",
        "same-day",
        &[
            ("Tờ khai đăng ký khai sinh", "original"),
            (
                "Giấy chứng sinh (hoặc văn bản của người làm chứng / giấy cam đoan về việc sinh)",
                "original",
            ),
            ("Giấy tờ tùy thân của người đi đăng ký", "copy"),
            ("Giấy chứng nhận kết hôn của cha, mẹ (nếu có)", "copy"),
            ("Văn bản ủy quyền (nếu đăng ký thay)", "certified_copy"),
        ],
    ),
    (
        "1.000894",
        "Đăng ký kết hôn",
        "same-day",
        &[
            ("Tờ khai đăng ký kết hôn", "original"),
            ("Giấy tờ tùy thân của hai bên nam, nữ", "copy"),
            (
                "Giấy xác nhận tình trạng hôn nhân (nếu cư trú nơi khác)",
                "original",
            ),
        ],
    ),
    (
        "1.000656",
        "Đăng ký khai tử",
        "same-day",
        &[
            ("Tờ khai đăng ký khai tử", "original"),
            ("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử", "original"),
            ("Giấy tờ tùy thân của người đi đăng ký", "copy"),
        ],
    ),
    (
        "1.004884",
        "Đăng ký lại khai sinh",
        "5wd",
        &[
            ("Tờ khai đăng ký lại khai sinh", "original"),
            ("Bản sao giấy tờ liên quan đến nội dung khai sinh", "copy"),
            ("Giấy tờ tùy thân của người yêu cầu", "copy"),
        ],
    ),
    (
        "1.001022",
        "Đăng ký nhận cha, mẹ, con",
        "3wd",
        &[
            ("Tờ khai đăng ký nhận cha, mẹ, con", "original"),
            ("Chứng cứ chứng minh quan hệ cha, mẹ, con", "original"),
            ("Giấy tờ tùy thân của các bên", "copy"),
        ],
    ),
    (
        "1.004837",
        "Đăng ký giám hộ",
        "3wd",
        &[
            ("Tờ khai đăng ký giám hộ", "original"),
            ("Văn bản cử người giám hộ", "original"),
            ("Giấy tờ tùy thân của người giám hộ", "copy"),
        ],
    ),
    (
        "1.004873",
        "Xác nhận tình trạng hôn nhân",
        "3wd",
        &[
            ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "original"),
            ("Giấy tờ tùy thân của người yêu cầu", "copy"),
        ],
    ),
    (
        "2.000635",
        "Cấp bản sao trích lục hộ tịch",
        "same-day",
        &[
            ("Tờ khai cấp bản sao trích lục hộ tịch", "original"),
            ("Giấy tờ tùy thân của người yêu cầu", "copy"),
        ],
    ),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "same-day",
        &[
            ("Bản chính giấy tờ, văn bản", "original"),
            ("Bản sao cần chứng thực", "copy"),
        ],
    ),
    (
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "same-day",
        &[
            ("Giấy tờ tùy thân còn giá trị sử dụng", "original"),
            (
                "Giấy tờ, văn bản cần chứng thực chữ ký (chưa ký)",
                "original",
            ),
        ],
    ),
    (
        "1.004222",
        "Đăng ký thường trú",
        "7wd",
        &[
            ("Tờ khai thay đổi thông tin cư trú", "original"),
            ("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", "copy"),
        ],
    ),
    (
        "1.004194",
        "Đăng ký tạm trú",
        "3wd",
        &[
            ("Tờ khai thay đổi thông tin cư trú", "original"),
            ("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", "copy"),
        ],
    ),
    (
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "3wd",
        &[
            ("Giấy đề nghị đăng ký hộ kinh doanh", "original"),
            (
                "Giấy tờ pháp lý của cá nhân đối với chủ hộ kinh doanh",
                "copy",
            ),
            ("Biên bản họp thành viên hộ gia đình (nếu có)", "copy"),
        ],
    ),
];
const CATALOG_VERSION: &str = "2025.07-xa";
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

// ---- the counter's side, built before any clock starts ----

/// splitmix64: deterministic people and procedures.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoa", "Hùng",
    "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngọc", "Phúc", "Phương", "Quân",
    "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Uyên", "Việt", "Yến",
];
const HAMLETS: &[&str] = &[
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Thượng",
    "Hạ",
    "Trung",
    "Đồng Tâm",
];
const PROVINCE_CODES: &[&str] = &["001", "038", "040", "079", "022", "031", "046", "066"];
/// Dossiers a counter receives in one working day here (well inside station 1's block).
const PER_DAY: usize = 400;

fn person(rng: &mut Rng, commune: &str) -> Party {
    let prefix = ["09", "03", "08", "07", "05"][rng.below(5)];
    Party {
        full_name: format!(
            "{} {} {}",
            rng.pick(SURNAMES),
            rng.pick(MIDDLE),
            rng.pick(GIVEN)
        ),
        id_number: Some(format!(
            "{}{}{:02}{:06}",
            rng.pick(PROVINCE_CODES),
            rng.below(4),
            rng.below(100),
            rng.below(1_000_000)
        )),
        phone: Some(format!("{prefix}{:08}", rng.below(100_000_000))),
        email: None,
        address: Some(format!(
            "Thôn {} {}, {commune}",
            rng.pick(HAMLETS),
            rng.below(20) + 1
        )),
        ..Party::default()
    }
}

/// The `i`-th dossier (0-based) a station of `agency` receives.
fn dossier(rng: &mut Rng, agency: &AgencyId, i: usize) -> Dossier {
    let commune = format!("xã {}", agency.as_str());
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");
    let day = start + TimeDelta::days((i / PER_DAY) as i64);
    let index = (i % PER_DAY) as u32;
    let received_at: NaiveDateTime = day.and_time(
        NaiveTime::from_num_seconds_from_midnight_opt(7 * 3600 + 30 * 60 + index * 85, 0)
            .expect("time"),
    );
    let (p_code, p_name, p_term, p_documents) = PROCEDURES[rng.below(PROCEDURES.len())];
    let secret_bytes: Vec<u8> = (0..16).map(|_| rng.next() as u8).collect();
    let applicant = person(rng, &commune);
    let owner = (rng.below(5) == 0).then(|| person(rng, &commune));
    let post = rng.below(10) == 0;
    let code =
        DossierCode::mint(agency, StationNo::new(1).expect("station"), day, index).expect("code");
    let result_delivery = if post {
        ResultDelivery::Post {
            address: applicant.address.clone().unwrap_or_default(),
        }
    } else {
        ResultDelivery::Counter
    };
    // Through serde rather than a struct literal, so that fields the dossier gains (all
    // optional in its JSON) do not break the benchmark: the value is a real `Dossier`.
    let documents: Vec<_> = p_documents
        .iter()
        .map(|(name, kind)| serde_json::json!({"name": name, "kind": kind, "count": 1}))
        .collect();
    let fee = (rng.below(3) == 0).then(|| 10_000 * (rng.below(10) as u64 + 1));
    let note = (rng.below(8) == 0).then_some("Công dân hẹn nhận kết quả buổi chiều");
    serde_json::from_value(serde_json::json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "code": code,
        "lookup_secret": motcua_core::secret::from_random(&secret_bytes).expect("secret"),
        "applicant": applicant,
        "owner": owner,
        "procedure": {
            "code": p_code,
            "name": p_name,
            "catalog_version": CATALOG_VERSION,
            "term": p_term,
        },
        "documents": documents,
        "sets": 1,
        "channel": if post { Channel::Postal } else { Channel::Direct },
        "result_delivery": result_delivery,
        "fee": fee,
        "received_at": received_at,
        "due_at": received_at + TimeDelta::days(3),
        "clerk": "lan",
        "status": Status::Received,
        "note": note,
        "ledger_entry": i + 1,
    }))
    .expect("a Dossier")
}

/// One push batch in every form a mode sends it.
struct Batch {
    req: PushRequest,
    /// The client's idempotency key: `<station>:<first>-<last>:<head hash>`.
    key: String,
    /// gzip of the request JSON, as the client sends it.
    gz: Vec<u8>,
    /// JSON bytes before gzip.
    json_len: usize,
    /// `events.body` of each event, as the hub stores it.
    bodies: Vec<String>,
}

struct Station {
    agency: AgencyId,
    station_id: String,
    key: SigningKey,
    batches: Vec<Batch>,
}

impl Station {
    fn events(&self) -> usize {
        self.batches.iter().map(|b| b.req.events.len()).sum()
    }
}

/// Station 1 of commune `n`, with a journal of `events` dossiers received, in batches.
fn station(n: usize, events: usize) -> Station {
    let agency: AgencyId = format!("000.17.22.H{:02}", 56 + n).parse().expect("agency");
    let station_id = format!("{agency}#1");
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let mut rng = Rng(0x6d6f_7463_7561 ^ n as u64);
    let wall_base =
        chrono::DateTime::parse_from_rfc3339("2026-01-05T07:30:00+07:00").expect("wall time");
    let mut prev = GENESIS_HASH.to_string();
    let mut all = Vec::with_capacity(events);
    for i in 0..events {
        let d = dossier(&mut rng, &agency, i);
        let wall = wall_base
            + TimeDelta::days((i / PER_DAY) as i64)
            + TimeDelta::seconds((i % PER_DAY) as i64 * 85 + 40);
        let mut e = Event {
            seq: i as u64 + 1,
            event_id: uuid::Uuid::now_v7().to_string(),
            station_id: station_id.clone(),
            wall_time: wall.to_rfc3339(),
            clerk: d.clerk.clone(),
            kind: EventKind::DossierReceived,
            dossier_id: Some(d.id.clone()),
            payload: serde_json::to_string(&d).expect("payload"),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        e.hash = e.fields().hash();
        prev.clone_from(&e.hash);
        all.push(e);
    }
    let mut batches = Vec::new();
    let mut rest = all.into_iter().peekable();
    while rest.peek().is_some() {
        let events: Vec<Event> = rest.by_ref().take(BATCH).collect();
        let (first, last) = (&events[0], &events[events.len() - 1]);
        let head = SignedHead {
            seq: last.seq,
            hash: last.hash.clone(),
            signature: hex::encode(
                key.sign(&head_message(&station_id, last.seq, &last.hash))
                    .to_bytes(),
            ),
        };
        let key_ = format!("{station_id}:{}-{}:{}", first.seq, last.seq, head.hash);
        let bodies = events
            .iter()
            .map(|e| serde_json::to_string(e).expect("body"))
            .collect();
        let req = PushRequest {
            station_id: station_id.clone(),
            head,
            events,
        };
        let json = serde_json::to_vec(&req).expect("json");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&json).expect("gzip");
        batches.push(Batch {
            req,
            key: key_,
            gz: gz.finish().expect("gzip"),
            json_len: json.len(),
            bodies,
        });
    }
    Station {
        agency,
        station_id,
        key,
        batches,
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

// ---- the floor ----

/// `(?1, …, ?10), (?11, …)` for `rows` rows of the events columns.
fn values_list(rows: usize, dollar: bool) -> String {
    let mut s = String::with_capacity(rows * 60);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..10 {
            if c > 0 {
                s.push_str(", ");
            }
            s.push(if dollar { '$' } else { '?' });
            s.push_str(&(r * 10 + c + 1).to_string());
        }
        s.push(')');
    }
    format!("INSERT INTO events({EVENT_COLUMNS}) VALUES {s}")
}

/// The bound values of one batch's rows, as the hub binds them.
#[derive(Debug)]
enum Cell<'a> {
    T(&'a str),
    I(i64),
    Null,
}

fn cells<'a>(b: &'a Batch, stored_at: &'a str) -> Vec<Cell<'a>> {
    let mut v = Vec::with_capacity(b.req.events.len() * 10);
    for (e, body) in b.req.events.iter().zip(&b.bodies) {
        v.extend([
            Cell::T(&e.station_id),
            Cell::I(e.seq as i64),
            Cell::T(&e.event_id),
            Cell::T(e.kind.as_str()),
            e.dossier_id.as_deref().map_or(Cell::Null, Cell::T),
            Cell::T(&e.hash),
            Cell::T(body),
            Cell::T("accepted"),
            Cell::Null,
            Cell::T(stored_at),
        ]);
    }
    v
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            Cell::T(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::I(n) => ToSqlOutput::Owned(Value::Integer(*n)),
            Cell::Null => ToSqlOutput::Owned(Value::Null),
        })
    }
}

/// One multi-row INSERT per batch in its own IMMEDIATE transaction, on one connection
/// shared by the threads (the hub's own SQLite model), same pragmas as the hub's.
fn floor_sqlite(path: &Path, stations: &[Station]) -> Run {
    drop(sqlite_hub(path));
    let conn = rusqlite::Connection::open(path).expect("open");
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .expect("wal");
    conn.execute_batch("PRAGMA synchronous = FULL;")
        .expect("synchronous");
    let conn = Mutex::new(conn);
    let stored_at = now();
    run_stations(stations, None, |_, _| {
        let (conn, stored_at) = (&conn, &stored_at);
        Box::new(move |b| {
            let mut c = conn.lock().expect("connection");
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .expect("begin");
            let n = tx
                .prepare_cached(&values_list(b.req.events.len(), false))
                .expect("prepare")
                .execute(rusqlite::params_from_iter(cells(b, stored_at)))
                .expect("insert");
            tx.commit().expect("commit");
            n as u64
        })
    })
}

impl postgres::types::ToSql for Cell<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::T(s) => s.to_sql(ty, out),
            Cell::I(n) => n.to_sql(ty, out),
            Cell::Null => Ok(postgres::types::IsNull::Yes),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <&str as postgres::types::ToSql>::accepts(ty)
            || <i64 as postgres::types::ToSql>::accepts(ty)
    }

    postgres::types::to_sql_checked!();
}

/// One multi-row INSERT per batch in its own transaction, a connection per station.
fn floor_pg_insert(schema: &PgSchema, stations: &[Station]) -> Run {
    drop(schema.hub());
    let stored_at = now();
    run_stations(stations, None, |_, _| {
        let mut c = schema.client();
        let stored_at = &stored_at;
        let mut prepared = std::collections::HashMap::new();
        Box::new(move |b| {
            let rows = b.req.events.len();
            let st = prepared
                .entry(rows)
                .or_insert_with(|| c.prepare(&values_list(rows, true)).expect("prepare"))
                .clone();
            let cells = cells(b, stored_at);
            let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                cells.iter().map(|c| c as _).collect();
            let mut tx = c.transaction().expect("begin");
            let n = tx.execute(&st, &params).expect("insert");
            tx.commit().expect("commit");
            n
        })
    })
}

/// COPY's text format of a value.
fn copy_text(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// One COPY per batch in its own transaction, a connection per station; the COPY data
/// is made before the clock starts.
fn floor_pg_copy(schema: &PgSchema, stations: &[Station]) -> Run {
    drop(schema.hub());
    let stored_at = now();
    let data: Vec<Vec<(usize, Vec<u8>)>> = stations
        .iter()
        .map(|s| {
            s.batches
                .iter()
                .map(|b| {
                    let mut out = Vec::with_capacity(b.json_len + b.req.events.len() * 300);
                    for row in cells(b, &stored_at).chunks(10) {
                        for (i, c) in row.iter().enumerate() {
                            if i > 0 {
                                out.push(b'\t');
                            }
                            match c {
                                Cell::T(s) => copy_text(&mut out, s),
                                Cell::I(n) => out.extend_from_slice(n.to_string().as_bytes()),
                                Cell::Null => out.extend_from_slice(b"\\N"),
                            }
                        }
                        out.push(b'\n');
                    }
                    (b.req.events.len(), out)
                })
                .collect()
        })
        .collect();
    let copy = format!("COPY events({EVENT_COLUMNS}) FROM STDIN");
    run_stations(stations, None, |i, _| {
        let mut c = schema.client();
        let mut mine = data[i].iter();
        let copy = &copy;
        Box::new(move |_| {
            let (rows, bytes) = mine.next().expect("copy data");
            let mut tx = c.transaction().expect("begin");
            let mut w = tx.copy_in(copy.as_str()).expect("copy");
            w.write_all(bytes).expect("copy data");
            let n = w.finish().expect("copy end");
            tx.commit().expect("commit");
            assert_eq!(n as usize, *rows);
            n
        })
    })
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
