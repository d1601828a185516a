//! The access log from the command line, end to end: reads logged under the account named
//! with `--as` (else the station's owner), the log read by an admin only and filtered by
//! a citizen's ID number, the entries pushed to a real hub, and no whole ID number in them.

mod common;
use common::*;

#[test]
fn reads_are_logged_under_the_reader_filtered_by_id_number_and_pushed_to_the_hub() {
    let hd = tempfile::tempdir().unwrap();
    let hub = Hub::start(&Backend::sqlite(hd.path()));
    let a = tempfile::tempdir().unwrap();
    let dir = a.path();
    station(dir, 1);
    let an = receive_with_id(dir, "Nguyễn Văn An", "001099012345", &[]);
    let binh = receive_with_id(dir, "Trần Thị Bình", "038199054321", &[]);
    // The list masks; the reads are logged.
    let list = ok(motcua(dir).args(["--as", "lan", "list", "--search", "001099012345"]));
    assert!(list.contains("Nguyễn Văn An (001*******45)"), "{list}");
    assert!(
        !list.contains("001099012345") && !list.contains(&binh),
        "{list}"
    );
    ok(motcua(dir).args(["show", &binh]));
    let pdf = dir.join("giay-tiep-nhan.pdf");
    ok(motcua(dir)
        .args(["--as", "lan", "receipt", &an, "-o"])
        .arg(&pdf));
    // A clerk may not read the log; the station's owner (an admin) may.
    let refused = run(motcua(dir).args(["--as", "lan", "access-log"]));
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("quản trị viên"),
        "{refused:?}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&ok(motcua(dir).args(["access-log", "--json"]))).unwrap();
    let seen: Vec<(String, String, Vec<String>)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["clerk"].as_str().unwrap().to_string(),
                e["access"]["action"].as_str().unwrap().to_string(),
                serde_json::from_value(e["access"]["dossiers"].clone()).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("lan".to_string(), "export".to_string(), vec![an.clone()]),
            ("system".to_string(), "view".to_string(), vec![binh.clone()]),
            ("lan".to_string(), "search".to_string(), vec![an.clone()]),
        ],
        "{log:#}"
    );
    // By ID number: the entries naming An's dossier, and the review itself.
    let text = ok(motcua(dir).args(["access-log", "--id-number", "001099012345"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("Xem nhật ký truy cập") && lines[0].contains("001*******45"));
    assert!(
        lines[1].contains("lan") && lines[1].contains("Xuất tệp"),
        "{text}"
    );
    assert!(
        lines[2].contains("Tìm kiếm") && lines[2].contains("001*******45"),
        "{text}"
    );
    assert!(
        !text.contains(&binh) && !text.contains("001099012345"),
        "{text}"
    );
    let day = ok(motcua(dir).args(["access-log", "--clerk", "lan", "--day", "2020-01-01"]));
    assert!(day.contains("Không có lượt truy cập nào"), "{day}");
    ok(motcua(dir).arg("verify"));
    // Pushed like every event; the hub keeps no whole ID number of the log either.
    hub.enroll(dir, 1);
    ok(motcua(dir).args(["sync", "--once"]));
    assert_eq!(
        hub.count("SELECT count(*) FROM events WHERE kind = 'data_accessed'"),
        4
    );
    assert_eq!(
        hub.count(
            "SELECT count(*) FROM events WHERE kind = 'data_accessed'
             AND (body LIKE '%001099012345%' OR body LIKE '%038199054321%')"
        ),
        0
    );
}

#[test]
fn the_office_head_reads_the_log_and_answers_a_request_but_changes_nothing() {
    let a = tempfile::tempdir().unwrap();
    let dir = a.path();
    station(dir, 1);
    receive_with_id(dir, "Nguyễn Văn An", "001099012345", &[]);
    let added = run_with_stdin(
        motcua(dir)
            .args(["user", "add", "truong", "--full-name", "Nguyễn Văn Trưởng"])
            .args(["--role", "head", "--password-stdin"]),
        "mật khẩu của lãnh đạo\n",
    );
    assert!(added.status.success());

    // Nothing read yet: an empty log, not a refusal.
    let log = ok(motcua(dir).args(["--as", "truong", "access-log", "--json"]));
    assert_eq!(log.trim(), "[]");
    let letter = dir.join("tra-loi.pdf");
    ok(motcua(dir)
        .args([
            "--as",
            "truong",
            "person-data",
            "--id-number",
            "001099012345",
            "-o",
        ])
        .arg(&letter));
    assert!(letter.is_file());
    // Nothing of the station: settings, backup.
    for args in [
        vec!["config", "set", "copies", "2"],
        vec!["backup", "-o", "sao-luu.sqlite"],
    ] {
        let out = run(motcua(dir).args(["--as", "truong"]).args(&args));
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("chỉ quản trị viên"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The review is logged under the head.
    let log: serde_json::Value =
        serde_json::from_str(&ok(motcua(dir).args(["access-log", "--json"]))).unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["clerk"] == "truong" && e["access"]["action"] == "request"),
        "{log:#}"
    );
}
