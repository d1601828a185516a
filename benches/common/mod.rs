//! Shared setup for the register benchmarks: a station on a temp database and a request
//! generator (its applicants are the core's synthetic citizens, `motcua_core::sample`).
//! Included with `#[path]` by each bench.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use motcua_core::code::StationNo;
use motcua_core::dossier::{DocumentInput, DocumentKind, DossierInput, ProcedureRef};
use motcua_core::sample::{Person, Rng};
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

/// The `i`-th applicant's request (the same `i`, the same citizen), received at `at`.
pub fn request(i: u64, at: NaiveDateTime) -> ReceiveRequest {
    let person = Person::generate(&mut Rng::new(i), "xã Tân Lập");
    let input = DossierInput {
        applicant_name: person.full_name,
        id_number: Some(person.id_number),
        phone: Some(person.phone),
        address: Some(person.address),
        documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
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
            term: Some(motcua_core::calendar::Term::WorkingDays(3)),
            case: None,
            term_source: None,
            field: Some("Hộ tịch".into()),
        },
        received_at: at,
        due_at: None,
        clerk: "lan".into(),
    }
}

/// Receives `n` dossiers through `store`, spread evenly over the 365 days from `first`,
/// 07:00 to 17:00, 10,000 to a transaction.
pub fn seed_year(store: &mut Store, n: u64, first: NaiveDate) {
    let per_day = n.div_ceil(365);
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..n {
        let day = first + chrono::Days::new(i / per_day);
        let secs = 7 * 3600 + ((i % per_day) * 36_000 / per_day) as u32;
        let at = day
            .and_time(chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("t"));
        batch.push(request(i, at));
        if batch.len() == 10_000 || i + 1 == n {
            store.receive_batch(&batch, now()).expect("seed");
            batch.clear();
        }
    }
}
