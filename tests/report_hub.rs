//! The province's Biểu 06 at the hub: two stations of one agency receive and settle
//! dossiers and push them; the hub's report for the agency (SQLite and PostgreSQL)
//! equals, field by field and cell by cell, the sum of the stations' own reports, on the
//! command line and over HTTP (`GET /api/v1/report`).

mod common;

use common::{Backend, Hub, REPORT_KEYS, motcua, ok, station, with_postgres, with_sqlite};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

fn rows(report: &Value) -> BTreeMap<String, Vec<u64>> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let cells = REPORT_KEYS
                .iter()
                .map(|k| r[*k].as_u64().unwrap())
                .collect();
            (r["field"].as_str().unwrap().to_string(), cells)
        })
        .collect()
}

/// Station `dir` receives `n` dossiers over the last weeks and settles some; their
/// codes.
fn work(dir: &Path, n: u64, salt: u64) -> Vec<String> {
    let mut codes = Vec::new();
    let procedures = ["1.004873", "2.001019", "1.004222", "1.001699"];
    for k in 0..n {
        let day = today() - chrono::Days::new((k * 3 + salt) % 25 + 1);
        let out = ok(motcua(dir).args([
            "receive",
            "--clerk",
            "lan",
            "--procedure",
            procedures[((k + salt) % 4) as usize],
            "--applicant",
            &format!("Lê Văn Số {k}"),
            "--document",
            "Tờ khai:bản chính:1",
            "--received-at",
            &format!("{day}T10:00"),
            "--json",
        ]));
        let code = serde_json::from_str::<Value>(&out).unwrap()["code"]
            .as_str()
            .unwrap()
            .to_string();
        if k % 3 == salt % 3 {
            ok(motcua(dir).args(["transition", &code, "result_ready", "--clerk", "lan"]));
        } else if k % 5 == 0 {
            ok(motcua(dir).args([
                "transition",
                &code,
                "withdrawn",
                "--clerk",
                "lan",
                "--note",
                "Xin rút",
            ]));
        }
        codes.push(code);
    }
    codes
}

fn check(b: &Backend) {
    // The hub holds no catalogue at first: each dossier's field is the one its
    // reception's event names.
    let hub = Hub::start(b);
    let tmp = tempfile::tempdir().unwrap();
    let (d1, d2) = (tmp.path().join("s1"), tmp.path().join("s2"));
    station(&d1, 1);
    station(&d2, 2);
    hub.enroll(&d1, 1);
    hub.enroll(&d2, 2);
    let codes = work(&d1, 14, 0);
    work(&d2, 11, 1);
    for d in [&d1, &d2] {
        ok(motcua(d).args(["sync", "--once"]));
    }
    let (from, to) = (
        (today() - chrono::Days::new(40)).to_string(),
        today().to_string(),
    );
    let (mid, _) = ((today() - chrono::Days::new(12)).to_string(), ());
    compare(b, &d1, &d2, &[from.as_str(), mid.as_str()], &to);
    // The hub read each pushed event once into its dossier's report row. The stations
    // work on: new dossiers, and a dossier pushed before the first report settled now.
    // The next report reads what was pushed since, and is again the sum of the
    // stations'.
    let read = hub.count("SELECT count(*) FROM report_dossiers");
    assert_eq!(read, 25);
    let settled = "SELECT count(*) FROM report_dossiers WHERE ended_from IS NOT NULL";
    let ended = hub.count(settled);
    work(&d2, 3, 2);
    ok(motcua(&d1).args(["transition", &codes[1], "result_ready", "--clerk", "lan"]));
    for d in [&d1, &d2] {
        ok(motcua(d).args(["sync", "--once"]));
    }
    compare(b, &d1, &d2, &[from.as_str(), mid.as_str()], &to);
    assert_eq!(hub.count("SELECT count(*) FROM report_dossiers"), read + 3);
    assert!(
        hub.count(settled) > ended,
        "the dossier settled since is read"
    );
    assert_eq!(
        hub.count(
            "SELECT count(*) FROM report_marks m WHERE m.seq =
                 (SELECT max(seq) FROM events e WHERE e.station_id = m.station_id)"
        ),
        2,
        "every station's events were read to the last"
    );
    // Rows read again from scratch give the same report, the catalogue now published
    // at the hub (the events' fields are still the ones counted).
    let catalog = common::catalog_2025_07();
    hub.admin(&["catalog", "publish", catalog.to_str().unwrap()]);
    b.exec("DELETE FROM report_dossiers");
    b.exec("DELETE FROM report_marks");
    compare(b, &d1, &d2, &[from.as_str(), mid.as_str()], &to);
    over_http_and_csv(b, &hub, &from, &to);
}

/// The hub's report for the agency, for periods from each of `froms` to `to`, is the sum
/// of the two stations' own, field by field (fields the catalogue names: none is
/// "Chưa xác định lĩnh vực").
fn compare(b: &Backend, d1: &Path, d2: &Path, froms: &[&str], to: &str) {
    for &from in froms {
        let station_report = |d: &Path| -> Value {
            serde_json::from_str(&ok(motcua(d).args([
                "report", "bieu06", "--from", from, "--to", to, "--format", "json",
            ])))
            .unwrap()
        };
        let (r1, r2) = (station_report(d1), station_report(d2));
        let mut sum = rows(&r1);
        for (field, cells) in rows(&r2) {
            let e = sum.entry(field).or_insert_with(|| vec![0; 11]);
            for (a, b) in e.iter_mut().zip(cells) {
                *a += b;
            }
        }
        let mut c = common::hub_cmd();
        c.args([
            "report",
            "--agency-id",
            "000.17.22.H56",
            "--from",
            from,
            "--to",
            to,
        ])
        .args(b.args());
        let hub_json: Value = serde_json::from_str(&ok(&mut c)).unwrap();
        assert_eq!(hub_json.as_array().unwrap().len(), 1);
        let at_hub = &hub_json[0]["report"];
        assert_eq!(rows(at_hub), sum, "{from}..{to}");
        let fields: Vec<String> = rows(at_hub).into_keys().collect();
        assert!(
            fields.len() >= 2 && fields.iter().all(|f| !f.starts_with("Chưa xác định")),
            "{fields:?}"
        );
        for k in REPORT_KEYS {
            assert_eq!(
                at_hub["total"][k].as_u64().unwrap(),
                r1["total"][k].as_u64().unwrap() + r2["total"][k].as_u64().unwrap(),
                "{k}"
            );
        }
        assert!(at_hub["total"]["received_total"].as_u64().unwrap() > 0);
    }
}

/// The report over HTTP equals the command line's; refusals; one per agency as CSV.
fn over_http_and_csv(b: &Backend, hub: &Hub, from: &str, to: &str) {
    // The same report over HTTP, for the province's systems (a processor's credential).
    let token = hub.admin(&["processor", "add", "bao-cao-tinh"]);
    let auth = format!("Bearer {token}");
    let month = today().format("%Y-%m").to_string();
    let path = format!("/api/v1/report?agency_id=000.17.22.H56&period={month}&start_day=1");
    let (st, body) = common::http(hub.port, "GET", &path, &[("Authorization", &auth)], b"");
    assert_eq!(st, 200, "{}", String::from_utf8_lossy(&body));
    let over_http: Value = serde_json::from_slice(&body).unwrap();
    let mut c = common::hub_cmd();
    c.args([
        "report",
        "--agency-id",
        "000.17.22.H56",
        "--month",
        &month,
        "--start-day",
        "1",
    ])
    .args(b.args());
    let by_cli: Value = serde_json::from_str(&ok(&mut c)).unwrap();
    assert_eq!(rows(&over_http[0]["report"]), rows(&by_cli[0]["report"]));
    assert_eq!(
        over_http[0]["report"]["total"],
        by_cli[0]["report"]["total"]
    );
    // Without a credential, refused; a period that is no period, said so.
    let (st, _) = common::http(hub.port, "GET", &path, &[], b"");
    assert_eq!(st, 401);
    let (st, body) = common::http(
        hub.port,
        "GET",
        "/api/v1/report?period=2026-13",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(st, 400);
    assert!(
        String::from_utf8_lossy(&body).contains("kỳ báo cáo không hợp lệ"),
        "{}",
        String::from_utf8_lossy(&body)
    );
    // Without --agency-id: one report per agency, the same for this one.
    let mut c = common::hub_cmd();
    c.args(["report", "--from", from, "--to", to, "--format", "csv"])
        .args(b.args());
    let csv = ok(&mut c);
    assert!(csv.contains("Tổng số"), "{csv}");
}

#[test]
fn the_hubs_report_for_an_agency_is_the_sum_of_its_stations_sqlite() {
    with_sqlite(check);
}

#[test]
fn the_hubs_report_for_an_agency_is_the_sum_of_its_stations_postgres() {
    with_postgres("report_hub", check);
}
