//! Shared setup for the register benchmarks: a station on a temp database and a request
//! generator. Included with `#[path]` by each bench.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use motcua_core::code::StationNo;
use motcua_core::dossier::{DossierInput, ProcedureRef};
use motcua_store::{NewUser, ReceiveRequest, Role, StationSetup, Store, keys};
use std::path::Path;

pub fn now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&motcua_core::vn_offset())
}

pub fn open_station(dir: &Path) -> Store {
    let key = keys::generate(&dir.join("station.key")).expect("key");
    let mut s = Store::open(&dir.join("motcua.sqlite"))
        .expect("open")
        .with_signer(key);
    s.init_station(
        &StationSetup {
            agency_id: "000.17.22.H56".parse().expect("agency"),
            agency_name: "UBND xã Tân Lập".into(),
            parent_name: None,
            station_no: StationNo::new(1).expect("station"),
        },
        now(),
    )
    .expect("init");
    s.add_user(
        &NewUser {
            username: "lan".into(),
            full_name: "Trần Thị Lan".into(),
            role: Role::Clerk,
            password: "mật khẩu dài".into(),
        },
        "system",
        now(),
    )
    .expect("user");
    s
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hằng", "Hùng", "Lan", "Linh", "Nam", "Phúc",
    "Quân", "Sơn", "Trang", "Yến",
];

pub fn request(i: u64, at: NaiveDateTime) -> ReceiveRequest {
    let pick = |list: &[&'static str], k: u64| list[(k % list.len() as u64) as usize];
    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let input = DossierInput {
        applicant_name: format!(
            "{} {} {}",
            pick(SURNAMES, h),
            pick(MIDDLE, h >> 8),
            pick(GIVEN, h >> 16)
        ),
        id_number: Some(format!("0010{:02}{:06}", (h >> 24) % 100, i % 1_000_000)),
        phone: Some(format!("09{:08}", (h >> 32) % 100_000_000)),
        address: Some(format!("Thôn {} xã Tân Lập", (h >> 40) % 30)),
        documents: vec![("Tờ khai".into(), "bản chính".into(), 1)],
        sets: 1,
        ..Default::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"))
    .expect("valid");
    ReceiveRequest {
        input,
        procedure: ProcedureRef {
            code: "1.004873".into(),
            name: "Xác nhận tình trạng hôn nhân".into(),
            catalog_version: "bench".into(),
            term: "3wd".into(),
            case: None,
            term_source: None,
        },
        received_at: at,
        due_at: None,
        clerk: "lan".into(),
    }
}
