//! Bad input through the real CLI gets a clear Vietnamese error (exit 1, never a panic),
//! or is stored exactly and safely.

mod common;

use common::{motcua, ok, run, station};
use serde_json::Value;

fn receive(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut c = motcua(dir);
    c.args([
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "1.001193",
        "--json",
    ]);
    if !extra.contains(&"--received-at") {
        c.args(["--received-at", "2026-11-20T09:00"]);
    }
    c.args(extra);
    run(&mut c)
}

fn refused(out: &std::process::Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected a clean error, got {:?}: {err}",
        out.status
    );
    assert!(err.starts_with("Lỗi: "), "{err}");
    assert!(err.contains(needle), "expected «{needle}» in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn malformed_fields_are_refused_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    station(dir.path(), 1);
    let d = dir.path();
    refused(
        &receive(d, &["--applicant", "A", "--id-number", "0010990123A5"]),
        "Số định danh cá nhân: chỉ gồm chữ số",
    );
    refused(
        &receive(d, &["--applicant", "A", "--id-number", "00109901234"]),
        "phải có đúng 12 chữ số",
    );
    refused(
        &receive(d, &["--applicant", "A", "--id-number", "003099012345"]),
        "mã tỉnh 003 không tồn tại",
    );
    refused(
        &receive(d, &["--applicant", "A", "--phone", "0112345678"]),
        "Số điện thoại",
    );
    refused(
        &receive(d, &["--applicant", "A", "--email", "a@b"]),
        "Email",
    );
    refused(
        &receive(d, &["--applicant", "  "]),
        "Họ và tên: không được để trống",
    );
    refused(
        &receive(d, &["--applicant", "A", "--sets", "0"]),
        "Số lượng hồ sơ",
    );
    refused(
        &receive(d, &["--applicant", "A", "--document", "Tờ khai:giấy lộn:1"]),
        "loại giấy tờ",
    );
    refused(
        &receive(d, &["--applicant", "A", "--fee", "-5"]),
        "Phí, lệ phí",
    );
    let long = "Ấ".repeat(40_000);
    refused(&receive(d, &["--applicant", &long]), "quá dài (40000 ký tự");
    let very_long = "a".repeat(100_000);
    refused(
        &receive(d, &["--applicant", &very_long]),
        "quá dài (100000 ký tự",
    );
    refused(
        &receive(
            d,
            &["--applicant", "A", "--received-at", "2026-02-31T09:00"],
        ),
        "thời gian «2026-02-31T09:00» không có thật",
    );
    refused(
        &receive(d, &["--applicant", "A", "--received-at", "hôm qua"]),
        "không đúng dạng năm-tháng-ngàyTgiờ:phút",
    );
    // Nothing of the date library's English reaches the clerk.
    for bad in [
        "2026-02-30T09:00",
        "2026-13-01T09:00",
        "hôm qua",
        "2026-11-25",
    ] {
        let out = receive(d, &["--applicant", "A", "--received-at", bad]);
        let err = String::from_utf8_lossy(&out.stderr);
        for english in ["input", "invalid", "premature", "out of range"] {
            assert!(!err.contains(english), "{bad}: {err}");
        }
    }
    refused(
        &receive(
            d,
            &["--applicant", "A", "--received-at", "2099-01-01T09:00"],
        ),
        "ở tương lai",
    );
    let mut wrong_procedure = motcua(d);
    wrong_procedure.args([
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "9.999999",
        "--applicant",
        "A",
    ]);
    refused(&run(&mut wrong_procedure), "không có thủ tục mã «9.999999»");
    let mut wrong_clerk = motcua(d);
    wrong_clerk.args([
        "receive",
        "--clerk",
        "ghost",
        "--procedure",
        "1.001193",
        "--applicant",
        "A",
    ]);
    refused(&run(&mut wrong_clerk), "không có cán bộ «ghost»");
    refused(
        &run(motcua(d).args(["show", "H56-210531-1"])),
        "mã hồ sơ «H56-210531-1» không hợp lệ",
    );
    refused(
        &run(motcua(d).args(["show", "000.17.22.H56-261120-0042"])),
        "không có hồ sơ mã",
    );
    refused(
        &run(motcua(d).args(["list", "--status", "overdue"])),
        "trạng thái «overdue» không tồn tại",
    );
    // Nothing was stored by any refusal.
    let listed: Value = serde_json::from_str(&ok(motcua(d).args(["list", "--json"]))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0);
    ok(motcua(d).arg("verify"));
}

#[test]
fn awkward_text_is_stored_exactly_and_nfc() {
    let dir = tempfile::tempdir().unwrap();
    station(dir.path(), 1);
    let d = dir.path();
    let sql = "Robert'); DROP TABLE dossiers;-- \"%_\\";
    let out = receive(d, &["--applicant", sql, "--address", "Ngõ 5' OR '1'='1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["applicant"]["full_name"], sql);
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{31b}\u{300}ng";
    let out = receive(
        d,
        &[
            "--applicant",
            nfd,
            "--phone",
            "+84 912 345 678",
            "--id-number",
            "001 099 012 345",
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["applicant"]["full_name"], "Nguyễn Thị Hờng");
    assert_eq!(v["applicant"]["phone"], "0912345678");
    assert_eq!(v["applicant"]["id_number"], "001099012345");
    let code = v["code"].as_str().unwrap().to_string();
    let shown: Value =
        serde_json::from_str(&ok(motcua(d).args(["show", &code, "--json"]))).unwrap();
    assert_eq!(shown["applicant"]["full_name"], "Nguyễn Thị Hờng");
    // Same-day procedure received 20/11/2026 09:00: due at 17:00 that day, so overdue now.
    assert_eq!(shown["due_at"], "2026-11-20T17:00:00");
    assert_eq!(shown["overdue"], true);
    // The register is searchable by the folded form and by the raw NFD form.
    for q in ["nguyen thi hong", nfd, "DROP TABLE", "0912"] {
        let found: Value =
            serde_json::from_str(&ok(motcua(d).args(["list", "--search", q, "--json"]))).unwrap();
        assert!(
            !found.as_array().unwrap().is_empty(),
            "search «{q}» found nothing"
        );
    }
    let tables: Value = serde_json::from_str(&ok(motcua(d).args(["list", "--json"]))).unwrap();
    assert_eq!(
        tables.as_array().unwrap().len(),
        2,
        "the register survived the SQL text"
    );
    ok(motcua(d).arg("verify"));
}

#[test]
fn commands_before_init_explain_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(motcua(dir.path()).args(["list"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("motcua init"), "{err}");
    let out = run(motcua(dir.path()).args([
        "init",
        "--agency-id",
        "H56",
        "--agency-name",
        "X",
        "--station",
        "1",
    ]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mã định danh cơ quan"));
    let out = run(motcua(dir.path()).args([
        "init",
        "--agency-id",
        "000.17.22.H56",
        "--agency-name",
        "X",
        "--station",
        "12",
    ]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Số quầy: phải từ 1 đến 9"));
    station(dir.path(), 3);
    let again = run(motcua(dir.path()).args([
        "init",
        "--agency-id",
        "000.17.22.H56",
        "--agency-name",
        "X",
        "--station",
        "3",
    ]));
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã được thiết lập"));
}

#[test]
fn files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    station(&data, 1);
    receive(&data, &["--applicant", "A"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for f in std::fs::read_dir(&data).unwrap() {
        let p = f.unwrap().path();
        assert_eq!(mode(&p) & 0o077, 0, "{} is readable by others", p.display());
    }
}

#[test]
fn transitions_and_backup_restore_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    station(&d, 1);
    let v: Value =
        serde_json::from_slice(&receive(&d, &["--applicant", "Phạm Văn Đức"]).stdout).unwrap();
    let code = v["code"].as_str().unwrap();
    assert_eq!(v["status"], "received");
    ok(motcua(&d).args([
        "transition",
        code,
        "processing",
        "--clerk",
        "lan",
        "--note",
        "chuyển tư pháp",
    ]));
    refused(
        &run(motcua(&d).args(["transition", code, "returned", "--clerk", "lan"])),
        "không thể chuyển hồ sơ",
    );
    refused(
        &run(motcua(&d).args(["transition", code, "quá hạn", "--clerk", "lan"])),
        "không tồn tại",
    );
    let bak = dir.path().join("backup.sqlite");
    ok(motcua(&d).args(["backup", "-o"]).arg(&bak));
    ok(motcua(&d).args(["transition", code, "result_ready", "--clerk", "lan"]));
    ok(motcua(&d).arg("restore").arg(&bak));
    let shown: Value =
        serde_json::from_str(&ok(motcua(&d).args(["show", code, "--json"]))).unwrap();
    assert_eq!(
        shown["status"], "processing",
        "restored to the backup's state"
    );
    ok(motcua(&d).arg("verify"));
}

#[test]
fn card_qr_prefills_or_explains() {
    let dir = tempfile::tempdir().unwrap();
    let qr = "001099012345|123456789|Nguyễn Văn A|01011999|Nam|Xã X, Tỉnh Y|15082021";
    let v: Value =
        serde_json::from_str(&ok(motcua(dir.path()).args(["card-qr", qr, "--json"]))).unwrap();
    assert_eq!(v["birth_date"], "1999-01-01");
    assert_eq!(v["issued_on"], "2021-08-15");
    assert_eq!(v["full_name"], "Nguyễn Văn A");
    let human = ok(motcua(dir.path()).args(["card-qr", qr]));
    assert!(
        human.contains("001*******45") && !human.contains("001099012345"),
        "ID masked on screen: {human}"
    );
    let bad = "001099012345|123456789|Nguyễn Văn A|01011999|Nữ|Xã X, Tỉnh Y|15082021";
    refused(
        &run(motcua(dir.path()).args(["card-qr", bad])),
        "giới tính không khớp",
    );
}
