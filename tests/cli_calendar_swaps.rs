//! `motcua calendar due … --json` through the real binary across the 2026 swaps and the 2027
//! Tết and National Day, with a data directory that does not exist (built-in schedules only).

use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// Runs `motcua --data-dir <dir> calendar <args…>` and parses its JSON output.
fn calendar_json(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir)
        .arg("calendar")
        .args(args)
        .env_remove("MOTCUA_DATA_DIR")
        .output()
        .expect("the motcua binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {err}");
    assert!(out.stderr.is_empty(), "{args:?}: unexpected stderr: {err}");
    let text = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {text}"))
}

/// `calendar due --received <received> --term <term> --json`.
fn due(dir: &Path, received: &str, term: &str) -> Value {
    calendar_json(
        dir,
        &["due", "--received", received, "--term", term, "--json"],
    )
}

/// The skipped dates and names of a `due` answer.
fn skipped(v: &Value) -> Vec<(String, String)> {
    v["skipped"]
        .as_array()
        .expect("skipped is an array")
        .iter()
        .map(|s| {
            (
                s["date"].as_str().unwrap_or_default().to_string(),
                s["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(d, n)| (d.to_string(), n.to_string()))
        .collect()
}

#[test]
fn due_across_the_new_year_2026_swap() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("nowhere");
    let v = due(&dir, "2025-12-31T09:00", "1wd");
    assert_eq!(v["due"], "2026-01-05T09:00");
    assert_eq!(
        skipped(&v),
        pairs(&[
            ("2026-01-01", "Tết Dương lịch"),
            (
                "2026-01-02",
                "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù Thứ Bảy 10/01)"
            ),
        ])
    );
    // The make-up Saturday is a working day: a count may end on it, or start from it.
    assert_eq!(
        due(&dir, "2026-01-09T09:00", "1wd"),
        json!({"due": "2026-01-10T09:00", "skipped": []})
    );
    assert_eq!(
        due(&dir, "2026-01-10T09:00", "1wd"),
        json!({"due": "2026-01-12T09:00", "skipped": []})
    );
    assert!(
        !dir.exists(),
        "the calendar must not create the data directory"
    );
}

#[test]
fn due_across_the_national_day_2026_swap() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("nowhere");
    assert_eq!(
        due(&dir, "2026-08-21T09:00", "1wd"),
        json!({"due": "2026-08-22T09:00", "skipped": []})
    );
    let v = due(&dir, "2026-08-28T09:00", "1wd");
    assert_eq!(v["due"], "2026-09-03T09:00");
    assert_eq!(
        skipped(&v),
        pairs(&[
            (
                "2026-08-31",
                "Nghỉ hoán đổi dịp Quốc khánh (làm bù Thứ Bảy 22/08)"
            ),
            ("2026-09-01", "Quốc khánh (ngày liền kề 01/09)"),
            ("2026-09-02", "Quốc khánh (2/9)"),
        ])
    );
    assert!(!dir.exists());
}

#[test]
fn due_across_tet_and_national_day_2027() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("nowhere");
    let v = due(&dir, "2027-02-03T09:00", "1wd");
    assert_eq!(v["due"], "2027-02-11T09:00");
    assert_eq!(
        skipped(&v),
        pairs(&[
            (
                "2027-02-04",
                "Nghỉ bù Tết Nguyên đán (mùng 1 trùng Thứ Bảy 06/02)"
            ),
            ("2027-02-05", "Tết Nguyên đán (29 tháng Chạp)"),
            ("2027-02-08", "Tết Nguyên đán (mùng 3 tháng Giêng)"),
            ("2027-02-09", "Tết Nguyên đán (mùng 4 tháng Giêng)"),
            (
                "2027-02-10",
                "Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật 07/02)"
            ),
        ])
    );
    let v = due(&dir, "2027-09-01T09:00", "1wd");
    assert_eq!(v["due"], "2027-09-06T09:00");
    assert_eq!(
        skipped(&v),
        pairs(&[
            ("2027-09-02", "Quốc khánh (2/9)"),
            ("2027-09-03", "Quốc khánh (ngày liền kề 03/09)"),
        ])
    );
    // New Year 2027 (Friday) and 1/5/2027 on a Saturday, made up on Monday 03/05.
    let v = due(&dir, "2026-12-31T09:00", "1wd");
    assert_eq!(v["due"], "2027-01-04T09:00");
    assert_eq!(skipped(&v), pairs(&[("2027-01-01", "Tết Dương lịch")]));
    let v = due(&dir, "2027-04-29T09:00", "1wd");
    assert_eq!(v["due"], "2027-05-04T09:00");
    assert_eq!(
        skipped(&v),
        pairs(&[
            ("2027-04-30", "Ngày Chiến thắng (30/4)"),
            (
                "2027-05-03",
                "Nghỉ bù Ngày Quốc tế Lao động (trùng Thứ Bảy 01/05)"
            ),
        ])
    );
    assert!(!dir.exists());
}

#[test]
fn holidays_2027_is_the_built_in_schedule() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("nowhere");
    let list = calendar_json(&dir, &["holidays", "2027", "--json"]);
    let list = list.as_array().expect("an array");
    let off: Vec<&str> = list
        .iter()
        .filter(|e| e["kind"] != "makeup_workday")
        .filter_map(|e| e["date"].as_str())
        .filter(|d| d.starts_with("2027-02"))
        .collect();
    assert_eq!(
        off,
        [
            "2027-02-04",
            "2027-02-05",
            "2027-02-06",
            "2027-02-07",
            "2027-02-08",
            "2027-02-09",
            "2027-02-10"
        ]
    );
    assert!(
        list.iter()
            .any(|e| e["date"] == "2027-09-03" && e["kind"] == "holiday")
    );
    let y2026 = calendar_json(&dir, &["holidays", "2026", "--json"]);
    for (date, kind) in [
        ("2026-01-02", "day_off"),
        ("2026-01-10", "makeup_workday"),
        ("2026-08-22", "makeup_workday"),
        ("2026-08-31", "day_off"),
    ] {
        assert!(
            y2026
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["date"] == date && e["kind"] == kind),
            "{date} {kind}"
        );
    }
    assert!(!dir.exists());
}
