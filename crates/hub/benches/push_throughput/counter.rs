//! The counter's side, built before any clock starts: each station's journal of genuine
//! `dossier_received` events (synthetic citizens from `motcua_core::sample`), hash chained,
//! cut into signed push batches in every form a mode sends them.

use super::BATCH;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use ed25519_dalek::{Signer, SigningKey};
use motcua_core::code::{AgencyId, DossierCode, StationNo};
use motcua_core::dossier::{Channel, Dossier, ResultDelivery};
use motcua_core::journal::{Event, EventKind, GENESIS_HASH, head_message};
use motcua_core::sample::{Person, Rng};
use motcua_core::status::Status;
use motcua_core::wire::{PushRequest, SignedHead};
use std::io::Write;

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
/// Dossiers a counter receives in one working day here (well inside station 1's block).
const PER_DAY: usize = 400;

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
    let (p_code, p_name, p_term, p_documents) = rng.pick(PROCEDURES);
    let secret_bytes: Vec<u8> = (0..16).map(|_| rng.next_u64() as u8).collect();
    let applicant = Person::generate(rng, &commune).into_party();
    let owner = (rng.below(5) == 0).then(|| Person::generate(rng, &commune).into_party());
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
    let fee = (rng.below(3) == 0).then(|| 10_000 * (rng.below(10) + 1));
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
pub struct Batch {
    pub req: PushRequest,
    /// The client's idempotency key: `<station>:<first>-<last>:<head hash>`.
    pub key: String,
    /// gzip of the request JSON, as the client sends it.
    pub gz: Vec<u8>,
    /// JSON bytes before gzip.
    pub json_len: usize,
    /// `events.body` of each event, as the hub stores it.
    pub bodies: Vec<String>,
}

pub struct Station {
    pub agency: AgencyId,
    pub station_id: String,
    pub key: SigningKey,
    pub batches: Vec<Batch>,
}

impl Station {
    pub fn events(&self) -> usize {
        self.batches.iter().map(|b| b.req.events.len()).sum()
    }
}

/// Station 1 of commune `n`, with a journal of `events` dossiers received, in batches.
pub fn station(n: usize, events: usize) -> Station {
    let agency: AgencyId = format!("000.17.22.H{:02}", 56 + n).parse().expect("agency");
    let station_id = format!("{agency}#1");
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let mut rng = Rng::new(0x6d6f_7463_7561 ^ n as u64);
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
