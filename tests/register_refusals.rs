//! Input the counter must refuse, through the real CLI on a real data directory: document
//! arguments without the `NAME:KIND:COUNT` shape, bidi and invisible characters in text
//! fields, a password of control characters, a station key from another station; chip-card
//! QR strings of newer cards and scanners that must be accepted; storage failures told in
//! Vietnamese.

mod common;

use common::{motcua, ok, run, station};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn receive(dir: &Path, extra: &[&str]) -> Output {
    let mut c = motcua(dir);
    c.args([
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "1.001193",
        "--received-at",
        "2026-11-20T09:00",
        "--json",
    ]);
    c.args(extra);
    run(&mut c)
}

fn refused(out: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected a clean refusal, got {:?}: {err}",
        out.status
    );
    assert!(err.starts_with("Lỗi: "), "{err}");
    assert!(err.contains(needle), "expected «{needle}» in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn dossiers(dir: &Path) -> usize {
    let listed: Value = serde_json::from_str(&ok(motcua(dir).args(["list", "--json"]))).unwrap();
    listed.as_array().unwrap().len()
}

#[test]
fn document_arguments_without_the_shape_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    station(d, 1);
    // The help says NAME:KIND:COUNT; a bare name is refused with the shape and an example.
    for bad in [
        ":",
        "a:b:c",
        "Hợp đồng: mua bán",
        ":bản chính:1",
        "Giấy chứng sinh",
    ] {
        refused(
            &receive(d, &["--applicant", "A", "--document", bad]),
            "Thành phần hồ sơ: «",
        );
    }
    refused(
        &receive(
            d,
            &[
                "--applicant",
                "A",
                "--document",
                "Giấy chứng sinh:bản chính:1e3",
            ],
        ),
        "Số lượng giấy tờ: số bản «1e3»",
    );
    refused(
        &receive(
            d,
            &[
                "--applicant",
                "A",
                "--document",
                "Giấy chứng sinh:bản chính:12345678901234567890",
            ],
        ),
        "Số lượng giấy tờ: phải từ 1 đến 999",
    );
    // Two bad ones are both reported.
    let err = refused(
        &receive(
            d,
            &["--applicant", "A", "--document", ":", "--document", "a:b:c"],
        ),
        "«:»",
    );
    assert!(err.contains("«a:b:c»"), "{err}");
    assert_eq!(dossiers(d), 0, "nothing stored by a refusal");
    // The shapes the README shows still work.
    let out = receive(
        d,
        &[
            "--applicant",
            "A",
            "--document",
            "Tờ khai đăng ký khai sinh:bản chính:1",
            "--document",
            "Hợp đồng: mua bán:bản sao:2",
            "--document",
            "Giấy chứng sinh:bản chính:1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs[1]["name"], "Hợp đồng: mua bán");
    assert_eq!(docs[1]["count"], 2);
    assert_eq!(docs[2]["name"], "Giấy chứng sinh");
}

#[test]
fn bidi_invisible_and_control_characters_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    station(d, 1);
    refused(
        &receive(d, &["--applicant", "Nguyễn\u{202E}Văn An"]),
        "Họ và tên: chứa ký tự đổi chiều văn bản U+202E",
    );
    refused(
        &receive(d, &["--applicant", "A\u{2067}B\u{2069}"]),
        "Họ và tên: chứa ký tự đổi chiều văn bản U+2067",
    );
    refused(
        &receive(d, &["--applicant", "Trần\u{200B}Thị Bình"]),
        "Họ và tên: chứa ký tự ẩn (không nhìn thấy) U+200B",
    );
    refused(
        &receive(d, &["--applicant", "A", "--address", "Thôn 3\u{FEFF}"]),
        "Địa chỉ: chứa ký tự ẩn",
    );
    refused(
        &receive(d, &["--applicant", "A", "--owner", "Lê\u{200D}Văn"]),
        "Chủ hồ sơ: chứa ký tự ẩn",
    );
    refused(
        &receive(d, &["--applicant", "A", "--note", "ghi\u{7}chú"]),
        "Ghi chú: chứa ký tự điều khiển U+0007",
    );
    refused(
        &receive(
            d,
            &[
                "--applicant",
                "A",
                "--document",
                "Tờ\u{202D}khai:bản chính:1",
            ],
        ),
        "Thành phần hồ sơ: chứa ký tự đổi chiều văn bản U+202D",
    );
    assert_eq!(dossiers(d), 0);
}

#[test]
fn a_password_of_control_characters_is_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    station(d, 1);
    for password in [
        "\0\0\0\0\0\0\0\0\0\0\0\0",
        "mật khẩu\u{1b}dài",
        "mật\u{200B}khẩu dài",
    ] {
        let mut add = motcua(d);
        add.args([
            "user",
            "add",
            "hoa",
            "--full-name",
            "Lê Thị Hoa",
            "--password-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
        let mut child = add.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        refused(&out, "Mật khẩu: chứa ");
    }
    let users = ok(motcua(d).arg("verify"));
    assert!(!users.is_empty());
}

#[test]
fn a_station_key_from_another_station_is_refused_before_it_signs() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    station(&a, 1);
    station(&b, 2);
    let own = std::fs::read(a.join("station.key")).unwrap();
    let events_before = ok(motcua(&a).args(["verify", "--json"]));
    std::fs::copy(b.join("station.key"), a.join("station.key")).unwrap();
    let err = refused(
        &receive(&a, &["--applicant", "Nguyễn Văn An"]),
        "không phải khóa của quầy 000.17.22.H56#1",
    );
    assert!(err.contains("station.key"), "{err}");
    refused(&run(motcua(&a).arg("list")), "không phải khóa của quầy");
    // The right key back: nothing was written with the wrong one.
    std::fs::write(a.join("station.key"), own).unwrap();
    assert_eq!(ok(motcua(&a).args(["verify", "--json"])), events_before);
    assert_eq!(dossiers(&a), 0);
}

#[test]
fn card_qr_of_newer_cards_and_scanners_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let qr = "001099012345|123456789|Nguyễn Văn A|01011999|Nam|Xã X, Tỉnh Y|15082021";
    for text in [
        format!("{qr}||"),
        format!("{qr}|Nguyễn Văn Cha|Trần Thị Mẹ"),
        format!("\u{FEFF}{qr}"),
        format!("\u{FEFF}{qr}|Nguyễn Văn Cha|Trần Thị Mẹ|"),
    ] {
        let out = ok(motcua(dir.path()).args(["card-qr", &text, "--json"]));
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["full_name"], "Nguyễn Văn A", "{text}");
        assert_eq!(v["address"], "Xã X, Tỉnh Y", "{text}");
        assert!(!out.contains("Cha") && !out.contains("Mẹ"), "{out}");
    }
    let wrong_sex = format!("{}|Cha|Mẹ", qr.replace("|Nam|", "|Nữ|"));
    refused(
        &run(motcua(dir.path()).args(["card-qr", &wrong_sex])),
        "giới tính không khớp",
    );
}

#[test]
fn a_damaged_database_is_explained_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    station(d, 1);
    let ok_out = receive(d, &["--applicant", "Nguyễn Văn An"]);
    assert!(ok_out.status.success());
    // Fold the WAL in, then overwrite every page after the first with garbage.
    let db = d.join("motcua.sqlite");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let mut bytes = std::fs::read(&db).unwrap();
    let page: usize = 4096;
    for b in &mut bytes[page..] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let err = refused(
        &receive(d, &["--applicant", "Trần Thị Bình"]),
        "tệp cơ sở dữ liệu bị hỏng nên dữ liệu CHƯA được lưu",
    );
    assert!(err.contains("motcua restore"), "{err}");
    for english in ["malformed", "database disk image", "not a database"] {
        assert!(
            !err.contains(english),
            "SQLite's English reached the clerk: {err}"
        );
    }
}
