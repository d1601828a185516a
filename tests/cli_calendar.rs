//! `motcua calendar …` through the real binary: JSON contracts, Vietnamese lines, clear
//! errors (exit 1, never a panic), and office-added schedules in `<data_dir>/calendar/`.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `motcua --data-dir <dir> calendar <args…>`.
fn calendar(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir)
        .arg("calendar")
        .args(args)
        .env_remove("MOTCUA_DATA_DIR")
        .output()
        .expect("the motcua binary runs")
}

/// Runs a command that must succeed and returns its stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = calendar(dir, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {err}");
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Runs a `--json` command that must succeed and parses its output.
fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let text = ok(dir, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {text}"))
}

/// Runs a command that must fail cleanly with `needle` in its message.
fn refused(dir: &Path, args: &[&str], needle: &str) {
    let out = calendar(dir, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: expected «{needle}» in: {err}"
    );
}

fn no_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn lunar_json_and_text() {
    let dir = no_dir();
    let d = dir.path();
    assert_eq!(
        ok_json(d, &["lunar", "2026-02-17", "--json"]),
        json!({"day": 1, "month": 1, "year": 2026, "leap": false, "year_name": "Bính Ngọ"})
    );
    assert_eq!(
        ok_json(d, &["lunar", "2025-07-25", "--json"]),
        json!({"day": 1, "month": 6, "year": 2025, "leap": true, "year_name": "Ất Tỵ"})
    );
    assert_eq!(ok_json(d, &["lunar", "2026-02-16", "--json"])["day"], 29);
    let line = ok(d, &["lunar", "2026-04-26"]);
    assert!(
        line.contains("ngày 10 tháng 3 năm Bính Ngọ (2026)"),
        "{line}"
    );
    refused(d, &["lunar", "2026-02-31"], "không có trong lịch");
    refused(d, &["lunar", "17-02-2026"], "YYYY-MM-DD");
    refused(d, &["lunar", "2200-01-01"], "ngoài phạm vi");
}

#[test]
fn solar_json_and_errors() {
    let dir = no_dir();
    let d = dir.path();
    let date = |args: &[&str]| {
        ok_json(d, args)["date"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        date(&[
            "solar", "--day", "1", "--month", "6", "--year", "2025", "--json"
        ]),
        "2025-06-25"
    );
    assert_eq!(
        date(&[
            "solar", "--day", "1", "--month", "6", "--year", "2025", "--leap", "--json"
        ]),
        "2025-07-25"
    );
    assert_eq!(
        date(&[
            "solar", "--day", "1", "--month", "1", "--year", "2007", "--json"
        ]),
        "2007-02-17"
    );
    let line = ok(
        d,
        &["solar", "--day", "10", "--month", "3", "--year", "2026"],
    );
    assert!(line.contains("26/04/2026 (Chủ nhật)"), "{line}");
    refused(
        d,
        &["solar", "--day", "30", "--month", "12", "--year", "2025"],
        "chỉ có 29 ngày",
    );
    refused(
        d,
        &[
            "solar", "--day", "1", "--month", "5", "--year", "2025", "--leap",
        ],
        "không có tháng 5 nhuận",
    );
    refused(
        d,
        &["solar", "--day", "-3", "--month", "1", "--year", "2026"],
        "ngày -3",
    );
    refused(
        d,
        &["solar", "--day", "1", "--month", "13", "--year", "2026"],
        "tháng 13",
    );
    refused(
        d,
        &["solar", "--day", "một", "--month", "1", "--year", "2026"],
        "không phải là số",
    );
    refused(
        d,
        &["solar", "--day", "1", "--month", "1", "--year", "2300"],
        "2300",
    );
    refused(
        d,
        &[
            "solar",
            "--day",
            "1",
            "--month",
            "1",
            "--year",
            "99999999999",
        ],
        "ngoài phạm vi",
    );
}

#[test]
fn holidays_json() {
    let dir = no_dir();
    let d = dir.path();
    let days = ok_json(d, &["holidays", "2026", "--json"]);
    let list = days.as_array().expect("an array");
    assert!(list.contains(&json!({"date": "2026-04-27", "name": "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)", "kind": "compensatory"})));
    assert!(
        list.iter()
            .any(|e| e["date"] == "2026-11-24" && e["kind"] == "holiday")
    );
    assert_eq!(
        list.iter()
            .filter(|e| e["name"]
                .as_str()
                .unwrap_or("")
                .starts_with("Tết Nguyên đán"))
            .count(),
        5
    );
    let y2025 = ok_json(d, &["holidays", "2025", "--json"]);
    assert!(
        y2025
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["date"] == "2025-04-26" && e["kind"] == "makeup_workday")
    );
    assert!(
        y2025
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["date"] == "2025-05-02" && e["kind"] == "day_off")
    );
    // A year without a schedule gets the computed defaults.
    let y2031 = ok_json(d, &["holidays", "2031", "--json"]);
    assert!(
        y2031
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["date"] == "2031-01-23")
    );
    let text = ok(d, &["holidays", "2031"]);
    assert!(text.contains("chưa có lịch công bố"), "{text}");
    refused(d, &["holidays", "1899"], "1899");
    refused(d, &["holidays", "năm nay"], "không phải là số");
}

#[test]
fn due_json_vectors() {
    let dir = no_dir();
    let d = dir.path();
    let due = |received: &str, term: &str| {
        ok_json(
            d,
            &["due", "--received", received, "--term", term, "--json"],
        )
    };
    let v = due("2026-04-23T09:00", "3wd");
    assert_eq!(v["due"], "2026-04-29T09:00");
    assert_eq!(
        v["skipped"],
        json!([{"date": "2026-04-27", "name": "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)"}])
    );
    assert_eq!(due("2026-04-29T10:00", "2wd")["due"], "2026-05-05T10:00");
    assert_eq!(due("2026-02-13T10:00", "5wd")["due"], "2026-02-27T10:00");
    assert_eq!(due("2025-04-04T14:00", "1wd")["due"], "2025-04-08T14:00");
    assert_eq!(due("2026-11-23T08:30", "1wd")["due"], "2026-11-25T08:30");
    assert_eq!(
        due("2023-10-27T09:32", "5wd"),
        json!({"due": "2023-11-03T09:32", "skipped": []})
    );
    assert_eq!(
        due("2026-03-06T14:59", "same-day")["due"],
        "2026-03-06T17:00"
    );
    assert_eq!(
        due("2026-03-06T15:01", "same-day")["due"],
        "2026-03-09T17:00"
    );
    assert_eq!(due("2026-03-10T17:30", "1wd")["due"], "2026-03-11T17:00");
    assert_eq!(due("2026-03-10T09:00", "5d")["due"], "2026-03-16T17:00");
    assert_eq!(due("2026-03-10T10:00", "4wh")["due"], "2026-03-10T16:00");
    let line = ok(
        d,
        &["due", "--received", "2026-04-23T09:00", "--term", "3wd"],
    );
    assert!(
        line.contains("hẹn trả kết quả lúc 09:00 ngày 29/04/2026 (Thứ Tư)"),
        "{line}"
    );
    assert!(line.contains("bỏ qua 27/04 Nghỉ bù Giỗ Tổ"), "{line}");
}

#[test]
fn due_errors() {
    let dir = no_dir();
    let d = dir.path();
    refused(
        d,
        &["due", "--received", "2026-03-10T17:30", "--term", "-1wd"],
        "không được âm",
    );
    refused(
        d,
        &["due", "--received", "2026-03-10T17:30", "--term", "0wd"],
        "lớn hơn 0",
    );
    refused(
        d,
        &["due", "--received", "2026-03-10T17:30", "--term", "3 tuần"],
        "3wd",
    );
    refused(
        d,
        &["due", "--received", "2026-02-30T09:00", "--term", "1wd"],
        "không tồn tại",
    );
    refused(
        d,
        &["due", "--received", "hôm qua", "--term", "1wd"],
        "YYYY-MM-DDTHH:MM",
    );
    refused(
        d,
        &["due", "--received", "2199-12-31T09:00", "--term", "5wd"],
        "ngoài phạm vi",
    );
}

#[test]
fn office_schedules_override_and_are_checked() {
    let dir = no_dir();
    let cal_dir = dir.path().join("calendar");
    std::fs::create_dir_all(&cal_dir).unwrap();
    // 2027: the statutory days plus a (made-up) extra day off on Monday 2027-03-08.
    let mut days: Vec<Value> = ok_json(dir.path(), &["holidays", "2027", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!({"date": e["date"], "kind": e["kind"], "name": e["name"], "confirmed": false, "source": "test"}))
        .collect();
    days.push(json!({"date": "2027-03-08", "kind": "day_off", "name": "Nghỉ thử nghiệm", "confirmed": true, "source": "test"}));
    let file = json!({"year": 2027, "note": "test", "days": days});
    std::fs::write(cal_dir.join("2027.json"), file.to_string()).unwrap();
    let out = calendar(dir.path(), &["holidays", "2027", "--json"]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|e| e["date"] == "2027-03-08" && e["kind"] == "day_off")
    );
    let v = ok_json(
        dir.path(),
        &[
            "due",
            "--received",
            "2027-03-05T09:00",
            "--term",
            "1wd",
            "--json",
        ],
    );
    assert_eq!(v["due"], "2027-03-09T09:00");
    assert_eq!(v["skipped"][0]["name"], "Nghỉ thử nghiệm");

    // An incomplete file is used, with a warning naming what is missing.
    let partial = json!({"year": 2028, "days": [{"date": "2028-01-03", "kind": "day_off", "name": "Nghỉ", "source": "test"}]});
    std::fs::write(cal_dir.join("2028.json"), partial.to_string()).unwrap();
    let out = calendar(dir.path(), &["holidays", "2028", "--json"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Cảnh báo") && err.contains("Giỗ Tổ"), "{err}");

    // A broken file stops with its name in the message.
    std::fs::write(
        cal_dir.join("2029.json"),
        r#"{"year": 2029, "days": [{"date": "2029-02-30"}]}"#,
    )
    .unwrap();
    refused(dir.path(), &["holidays", "2026", "--json"], "2029.json");
    refused(
        dir.path(),
        &["due", "--received", "2026-03-10T09:00", "--term", "1wd"],
        "lịch nghỉ",
    );
    // Lunar conversion does not need the schedules at all.
    assert!(
        calendar(dir.path(), &["lunar", "2026-02-17"])
            .status
            .success()
    );
}

#[test]
fn works_with_a_data_dir_that_does_not_exist() {
    let dir = no_dir();
    let missing = dir.path().join("nowhere");
    assert_eq!(
        ok_json(
            &missing,
            &[
                "due",
                "--received",
                "2026-04-23T09:00",
                "--term",
                "3wd",
                "--json"
            ]
        )["due"],
        "2026-04-29T09:00"
    );
    assert!(
        !missing.exists(),
        "the calendar must not create the data directory"
    );
}
