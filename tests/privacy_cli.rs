//! A person's rights from the command line, end to end: a correction journaled, printed on
//! the next receipt (read back with poppler) and carried to a real hub's register and
//! lookup page (on SQLite and on PostgreSQL); a request to see one's data answered as a
//! letter and a JSON file that hold every dossier of that ID number and nothing of
//! another, the answer logged.

mod common;
use common::*;

fn lookup_page(hub: &Hub, dir: &std::path::Path, code: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&ok(motcua(dir).args(["show", code, "--json"]))).unwrap();
    hub.lookup(code, v["lookup_secret"].as_str().unwrap())
}

#[test]
fn a_correction_is_journaled_printed_on_the_next_receipt_and_shown_at_a_sqlite_hub() {
    with_sqlite(correction_reaches_the_hub);
}

#[test]
fn a_correction_reaches_a_postgresql_hub() {
    with_postgres("privacy_cli_correction", correction_reaches_the_hub);
}

fn correction_reaches_the_hub(backend: &Backend) {
    let hub = Hub::start(backend);
    let a = tempfile::tempdir().unwrap();
    let dir = a.path();
    station(dir, 1);
    let code = receive_with_id(dir, "Nguyễn Văn Anh", "001099012345", &[]);
    hub.enroll(dir, 1);
    ok(motcua(dir).args(["sync", "--once"]));
    assert!(lookup_page(&hub, dir, &code).contains("N. V. Anh"));

    // Refused: no reason, an invalid number, a person the dossier does not record.
    for (args, says) in [
        (
            vec!["--name", "Nguyễn Văn An", "--reason", " "],
            "lý do đính chính",
        ),
        (
            vec!["--id-number", "0010990", "--reason", "Theo CCCD"],
            "12 chữ số",
        ),
        (
            vec![
                "--role",
                "proxy",
                "--name",
                "Lê Văn C",
                "--reason",
                "Theo CCCD",
            ],
            "không ghi người được ủy quyền",
        ),
    ] {
        let out = run(motcua(dir)
            .args(["correct", &code, "--clerk", "lan"])
            .args(&args));
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // The decomposed form an input method can send is stored composed.
    let nfd = "Nguye\u{302}\u{303}n Va\u{306}n An";
    let said = ok(motcua(dir).args([
        "correct",
        &code,
        "--clerk",
        "lan",
        "--name",
        nfd,
        "--reason",
        "Theo thẻ Căn cước công dân xuất trình",
    ]));
    assert!(said.contains("Đã đính chính"), "{said}");
    let shown: serde_json::Value =
        serde_json::from_str(&ok(motcua(dir).args(["show", &code, "--json"]))).unwrap();
    assert_eq!(shown["applicant"]["full_name"], "Nguyễn Văn An");
    // The journal keeps both: the dossier as received, and the correction.
    let (events, _) = journal_json(dir);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "data_corrected").count(),
        1,
        "{kinds:?}"
    );
    let received = events
        .iter()
        .find(|e| e["kind"] == "dossier_received")
        .unwrap();
    assert!(
        received["payload"]
            .as_str()
            .unwrap()
            .contains("Nguyễn Văn Anh")
    );
    ok(motcua(dir).arg("verify"));

    // The next receipt carries the corrected name.
    let pdf = dir.join("giay-tiep-nhan.pdf");
    ok(motcua(dir).args(["receipt", &code, "-o"]).arg(&pdf));
    let text = pdftotext(&pdf);
    assert!(text.contains("Nguyễn Văn An"), "{text}");
    assert!(!text.contains("Nguyễn Văn Anh"), "{text}");

    // At the hub: the register and the lookup page hold the corrected name.
    ok(motcua(dir).args(["sync", "--once"]));
    assert_eq!(
        hub.count(
            "SELECT count(*) FROM events WHERE kind = 'data_corrected' AND outcome = 'accepted'"
        ),
        1
    );
    assert_eq!(
        hub.count("SELECT count(*) FROM dossiers WHERE applicant_name = 'Nguyễn Văn An'"),
        1
    );
    let page = lookup_page(&hub, dir, &code);
    assert!(
        page.contains("N. V. An") && !page.contains("N. V. Anh"),
        "{page}"
    );
}

#[test]
fn a_request_is_answered_with_every_dossier_of_that_number_and_nothing_of_another() {
    let a = tempfile::tempdir().unwrap();
    let dir = a.path();
    station(dir, 1);
    let own = receive_with_id(dir, "Nguyễn Văn An", "001099012345", &[]);
    let proxied = receive_with_id(
        dir,
        "Lê Thị Hoa",
        "038185000001",
        &[
            "--proxy",
            "Nguyễn Văn An",
            "--proxy-id-number",
            "001099012345",
            "--proxy-authorisation",
            "Giấy ủy quyền số 12/2026/UQ",
        ],
    );
    let other = receive_with_id(dir, "Phạm Văn Bình", "038090012345", &[]);
    let letter = dir.join("tra-loi.pdf");
    let json = dir.join("du-lieu.json");
    // A clerk may not answer for the unit.
    let refused = run(motcua(dir)
        .args([
            "--as",
            "lan",
            "person-data",
            "--id-number",
            "001099012345",
            "-o",
        ])
        .arg(&letter));
    assert!(!refused.status.success());
    assert!(!letter.exists());
    let said = ok(motcua(dir)
        .args(["person-data", "--id-number", "001099012345", "-o"])
        .arg(&letter)
        .arg("--json")
        .arg(&json));
    assert!(
        said.contains("2 hồ sơ") && said.contains("001*******45"),
        "{said}"
    );
    assert!(!said.contains("001099012345"), "{said}");

    let text = pdftotext(&letter);
    assert!(
        text.contains("THÔNG BÁO CUNG CẤP DỮ LIỆU CÁ NHÂN"),
        "{text}"
    );
    assert!(
        text.contains("Số định danh cá nhân: 001099012345"),
        "{text}"
    );
    for code in [&own, &proxied] {
        assert!(text.contains(code.as_str()), "{code}: {text}");
    }
    assert!(text.contains("người được ủy quyền"), "{text}");
    assert!(
        !text.contains(&other) && !text.contains("Phạm Văn Bình"),
        "{text}"
    );

    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let codes: Vec<&str> = data["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["dossier"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [own.as_str(), proxied.as_str()]);
    assert_eq!(data["dossiers"][1]["roles"], serde_json::json!(["proxy"]));
    let raw = std::fs::read_to_string(&json).unwrap();
    assert!(!raw.contains(&other) && !raw.contains("038090012345"));
    #[cfg(unix)]
    for f in [&letter, &json] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{}", f.display());
    }

    // The answer is in the access log, naming both dossiers and the number masked.
    let log: serde_json::Value =
        serde_json::from_str(&ok(motcua(dir).args(["access-log", "--json"]))).unwrap();
    let entry = &log[0];
    assert_eq!(entry["access"]["action"], "request");
    assert_eq!(entry["clerk"], "system");
    assert_eq!(
        entry["access"]["dossiers"],
        serde_json::json!([own, proxied])
    );
    assert_eq!(entry["access"]["subject"], "001*******45");
    ok(motcua(dir).arg("verify"));
}
