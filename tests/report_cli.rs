//! `motcua report`: Biểu 06 over a register of known mix, every cell reconciled with a recount
//! written here in SQL straight from the database (the register and its journal), the
//! CSV read back, the index ratios printed.

mod common;

use common::{REPORT_KEYS, motcua, ok, run, station};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The station's clock's today in Vietnam.
fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// Per field: the eleven counts, recounted with SQL for the days `from`..=`to` (up to now
/// when `to` is today).
fn recount(db: &Path, from: &str, to: &str) -> BTreeMap<String, [u64; 11]> {
    let c = rusqlite::Connection::open(db).unwrap();
    // Every wall time is Vietnam's (+07:00): its first 19 characters are local time.
    let offsets: i64 = c
        .query_row(
            "SELECT count(*) FROM events WHERE substr(wall_time, 20) NOT LIKE '%+07:00'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(offsets, 0, "a wall time not in Vietnam's offset");
    let sql = "
        WITH ends AS (
            SELECT dossier_id, min(replace(substr(wall_time, 1, 19), 'T', ' ')) AS ended
            FROM events
            WHERE kind IN ('status_changed', 'upstream_status')
              AND json_extract(payload, '$.to') IN
                  ('result_ready', 'returned', 'refused', 'stopped', 'withdrawn')
            GROUP BY dossier_id),
        d AS (
            SELECT p.field AS field, replace(d.received_at, 'T', ' ') AS received,
                   replace(d.due_at, 'T', ' ') AS due, ends.ended AS ended
            FROM dossiers d
            JOIN procedures p ON p.version = d.catalog_version AND p.code = d.procedure_code
            LEFT JOIN ends ON ends.dossier_id = d.id)
        SELECT field,
            count(*) FILTER (WHERE received >= ?1),
            count(*) FILTER (WHERE received < ?1),
            count(*) FILTER (WHERE ended < ?2 AND date(ended) < date(due)),
            count(*) FILTER (WHERE ended < ?2 AND date(ended) >= date(due) AND ended <= due),
            count(*) FILTER (WHERE ended < ?2 AND ended > due),
            count(*) FILTER (WHERE (ended IS NULL OR ended >= ?2) AND due >= ?2),
            count(*) FILTER (WHERE (ended IS NULL OR ended >= ?2) AND due < ?2)
        FROM d
        WHERE received < ?2 AND (received >= ?1 OR ended IS NULL OR ended >= ?1)
        GROUP BY field";
    let start = format!("{from} 00:00:00");
    // A period not over is counted as things stand now (the second after now).
    let end = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d")
        .unwrap()
        .succ_opt()
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .min(
            (chrono::Utc::now() + chrono::Duration::hours(7)).naive_utc()
                + chrono::Duration::seconds(1),
        )
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let mut stmt = c.prepare(sql).unwrap();
    let rows = stmt
        .query_map([&start, &end], |r| {
            let n = |k| r.get::<_, i64>(k).map(|v| v as u64);
            let (direct, carried) = (n(1)?, n(2)?);
            let (early, on_time, late) = (n(3)?, n(4)?, n(5)?);
            let (in_time, overdue) = (n(6)?, n(7)?);
            Ok((
                r.get::<_, String>(0)?,
                [
                    direct + carried,
                    0,
                    direct,
                    carried,
                    early + on_time + late,
                    early,
                    on_time,
                    late,
                    in_time + overdue,
                    in_time,
                    overdue,
                ],
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn reported(dir: &Path, from: &str, to: &str) -> (Value, BTreeMap<String, [u64; 11]>) {
    let json: Value = serde_json::from_str(&ok(motcua(dir).args([
        "report", "bieu06", "--from", from, "--to", to, "--format", "json",
    ])))
    .unwrap();
    let cells = |r: &Value| -> [u64; 11] { REPORT_KEYS.map(|k| r[k].as_u64().unwrap()) };
    let rows = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["field"].as_str().unwrap().to_string(), cells(r)))
        .collect();
    (json, rows)
}

/// Words of a PDF's first page with the centres of their boxes (x, y from the top),
/// from `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<(String, f64, f64)> {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let k = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[k..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            let x = (attr(tag, "xMin") + attr(tag, "xMax")) / 2.0;
            let y = (attr(tag, "yMin") + attr(tag, "yMax")) / 2.0;
            (text, x, y)
        })
        .collect()
}

#[test]
fn every_cell_of_bieu_06_equals_a_recount_from_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    station(&d, 1);
    let today = today();
    // 45 dossiers over the last four weeks, five procedures of four fields with terms of
    // the day, working days and calendar days, received at the counter (backdated).
    let procedures = ["1.004873", "2.001019", "1.004222", "1.001699", "1.001193"];
    let codes: Vec<String> = (0..45u64)
        .map(|k| {
            let day = today - chrono::Days::new(k % 28 + 1);
            let out = ok(motcua(&d).args([
                "receive",
                "--clerk",
                "lan",
                "--procedure",
                procedures[k as usize % 5],
                "--applicant",
                &format!("Nguyễn Văn Số {k}"),
                "--document",
                "Tờ khai:bản chính:1",
                "--received-at",
                &format!("{day}T09:{:02}", k % 60),
                "--json",
            ]));
            let v: Value = serde_json::from_str(&out).unwrap();
            v["code"].as_str().unwrap().to_string()
        })
        .collect();
    // A known mix: a third processed and ready (some after one supplement), a seventh
    // withdrawn, the rest pending.
    for (k, code) in codes.iter().enumerate() {
        if k % 3 == 0 {
            if k % 2 == 0 {
                ok(motcua(&d).args([
                    "transition",
                    code,
                    "supplement_requested",
                    "--clerk",
                    "lan",
                    "--note",
                    "Thiếu bản sao giấy khai sinh",
                ]));
            }
            ok(motcua(&d).args(["transition", code, "processing", "--clerk", "lan"]));
            ok(motcua(&d).args(["transition", code, "result_ready", "--clerk", "lan"]));
        } else if k % 7 == 0 {
            ok(motcua(&d).args([
                "transition",
                code,
                "withdrawn",
                "--clerk",
                "lan",
                "--note",
                "Người nộp xin rút hồ sơ",
            ]));
        }
    }
    let db = d.join("motcua.sqlite");
    let first = (today - chrono::Days::new(40)).to_string();
    let mid = (today - chrono::Days::new(10)).to_string();
    let before_mid = (today - chrono::Days::new(11)).to_string();
    for (from, to) in [
        (first.as_str(), today.to_string()),
        (mid.as_str(), today.to_string()),
        (first.as_str(), before_mid.clone()),
    ] {
        let (json, rows) = reported(&d, from, &to);
        let expect = recount(&db, from, &to);
        assert_eq!(rows, expect, "{from}..{to}");
        let total = &json["total"];
        let sum: u64 = expect.values().map(|c| c[0]).sum();
        assert_eq!(total["received_total"].as_u64().unwrap(), sum);
        assert!(!expect.is_empty());
    }
    // The whole period: the mix is what it was made to be.
    let (json, _) = reported(&d, &first, &today.to_string());
    let t = &json["total"];
    assert_eq!(t["received_total"], 45);
    assert_eq!(
        t["resolved_total"],
        15 + (0..45).filter(|k| k % 3 != 0 && k % 7 == 0).count()
    );
    // Some of each kind, so that the columns were reconciled with something in them ("on
    // time" needs an end on the appointment's day before its hour, which depends on when
    // the test runs: the unit tests cover it).
    for k in ["early", "resolved_late", "pending_in_time", "pending_late"] {
        assert!(t[k].as_u64().unwrap() > 0, "no {k}: {t}");
    }
    // From ten days back, the older dossiers still open are carried over.
    let (json, _) = reported(&d, &mid, &today.to_string());
    assert!(json["total"]["carried"].as_u64().unwrap() > 0, "{json}");

    // Biểu 06 of the whole period written to a file, in `format` (with `extra` options).
    let export = |format: &str, extra: &[&str]| -> std::path::PathBuf {
        let out = tmp.path().join(format!("bieu06.{format}"));
        ok(motcua(&d)
            .args([
                "report",
                "bieu06",
                "--from",
                &first,
                "--to",
                &today.to_string(),
            ])
            .args(["--format", format])
            .args(extra)
            .arg("-o")
            .arg(&out));
        out
    };
    // CSV: the title, the 13 columns, a row per field, the totals.
    let out = export("csv", &[]);
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "\"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\""
    );
    assert!(lines[1].starts_with("Kỳ báo cáo: Từ ngày "), "{}", lines[1]);
    // Up to today: not over, so the figures say how far they go.
    assert!(
        lines[1].contains(". Số liệu tính đến ")
            && lines[1].ends_with("(kỳ báo cáo chưa kết thúc)"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[4].split(',').count(), 13, "{}", lines[4]);
    let last: Vec<&str> = lines.last().unwrap().split(',').collect();
    assert_eq!(last[1], "Tổng số");
    assert_eq!(last[2], "45");
    // Not written over without --force.
    let again = run(motcua(&d)
        .args([
            "report", "bieu06", "--year", "2026", "--format", "csv", "-o",
        ])
        .arg(&out));
    assert!(!again.status.success());

    // The PDF in the form's layout: read back with pdftotext, the totals under their
    // columns by position.
    if common::require_tool("pdftotext") {
        let pdf = export("pdf", &["--prepared-by", "Trần Thị Lan"]);
        let text = common::pdftotext(&pdf);
        for part in [
            "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
            "Kỳ báo cáo: Từ ngày",
            "Số liệu tính đến",
            "(kỳ báo cáo chưa kết thúc)",
            "Đơn vị báo cáo: UBND xã Tân Lập",
            "Đơn vị tính: Số hồ sơ TTHC",
            "Số hồ sơ nhận giải quyết",
            "Số hồ sơ đã giải quyết",
            "Số hồ sơ đang giải quyết",
            "Hộ tịch",
            "Chứng thực",
            "NGƯỜI LẬP BIỂU",
            "THỦ TRƯỞNG ĐƠN VỊ",
            "Trần Thị Lan",
        ] {
            assert!(text.contains(part), "«{part}» missing in {text}");
        }
        let words = words(&pdf);
        let at = |w: &str| {
            words
                .iter()
                .find(|(t, _, _)| t == w)
                .unwrap_or_else(|| panic!("no {w}"))
                .1
        };
        let columns: Vec<f64> = (1..=13).map(|n| at(&format!("({n})"))).collect();
        let (_, _, y) = words
            .iter()
            .filter(|(t, x, _)| t == "Tổng" && *x > columns[0] && *x < columns[2])
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .expect("the totals row")
            .clone();
        let mut numbers: Vec<&(String, f64, f64)> = words
            .iter()
            .filter(|(t, _, wy)| (wy - y).abs() < 2.0 && t.parse::<u64>().is_ok())
            .collect();
        numbers.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (whole, _) = reported(&d, &first, &today.to_string());
        let totals = &whole["total"];
        let expect: Vec<u64> = REPORT_KEYS.map(|k| totals[k].as_u64().unwrap()).to_vec();
        let got: Vec<u64> = numbers.iter().map(|w| w.0.parse().unwrap()).collect();
        assert_eq!(got, expect, "the totals row");
        for (k, w) in numbers.iter().enumerate() {
            let nearest = columns
                .iter()
                .enumerate()
                .min_by(|a, b| (a.1 - w.1).abs().total_cmp(&(b.1 - w.1).abs()))
                .unwrap()
                .0;
            assert_eq!(nearest, k + 2, "{} is under column ({})", w.0, nearest + 1);
        }
    }

    // XLSX: a workbook (its cells are read back in the application's tests).
    let xlsx = export("xlsx", &[]);
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a zip");

    // The index ratios, in words.
    let text = ok(motcua(&d).args([
        "report",
        "chiso",
        "--from",
        &first,
        "--to",
        &today.to_string(),
    ]));
    assert!(text.contains("Tỷ lệ hồ sơ giải quyết đúng hạn: "), "{text}");
    assert!(text.contains("Mức độ hài lòng: chưa đo được"), "{text}");
    // A period that does not exist is refused in Vietnamese.
    let bad = run(motcua(&d).args(["report", "bieu06", "--month", "2026-13"]));
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("kỳ báo cáo không hợp lệ"));
}
