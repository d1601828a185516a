//! The official forms through the real CLI: rendered from the register, read back with
//! poppler, the QR decoded, and the receipt printed through CUPS to a cups-pdf queue.

mod common;

use common::{cups_pdf_queue, motcua, ok, require_tool, run, station};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn info(pdf: &Path) -> String {
    String::from_utf8(Command::new("pdfinfo").arg(pdf).output().unwrap().stdout).unwrap()
}

/// A station with one dossier received on Thu 23/04/2026 09:00 (3 working days: due 29/04).
fn one_dossier(dir: &Path) -> Value {
    station(dir, 1);
    let out = ok(motcua(dir).args([
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "1.004873",
        "--applicant",
        "Nguyễn Thị Ngọc Ánh",
        "--id-number",
        "001199012345",
        "--phone",
        "0912345678",
        "--email",
        "anh@example.vn",
        "--address",
        "Số 12, ngõ 34, thôn Đông, xã Tân Lập",
        "--document",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân:bản chính:1",
        "--document",
        "Căn cước:bản sao chứng thực:2",
        "--received-at",
        "2026-04-23T09:00",
        "--json",
    ]));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn receipt_from_the_register_reads_back_exactly() {
    if !require_tool("pdftotext") || !require_tool("zbarimg") || !require_tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let v = one_dossier(&d);
    let code = v["code"].as_str().unwrap();
    let secret = v["lookup_secret"].as_str().unwrap();
    ok(motcua(&d).args([
        "config",
        "set",
        "lookup-url",
        "https://tracuu.thanhhoa.gov.vn/tra-cuu",
    ]));
    let pdf = dir.path().join("r.pdf");
    ok(motcua(&d).args(["receipt", code, "-o"]).arg(&pdf));
    let t = text(&pdf);
    let lines = [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        &format!("Mã hồ sơ: {code}"),
        "(Liên 1: Lưu)",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh",
        "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập",
        "Nội dung yêu cầu giải quyết: Xác nhận tình trạng hôn nhân",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (Bản chính: 01)",
        "Căn cước (Bản sao chứng thực: 02)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23 tháng 4 năm 2026",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026",
        "Trần Thị Lan",
        "(Liên 2: Giao người nộp)",
    ];
    let mut at = 0;
    for l in lines {
        let found = t[at..]
            .find(l)
            .unwrap_or_else(|| panic!("«{l}» missing or out of order in:\n{t}"));
        at += found;
    }
    assert!(
        t.contains("09 giờ 00 phút, ngày 29 tháng 4 năm 2026"),
        "due date on the slip:\n{t}"
    );
    assert!(t.contains(secret));
    let png = dir.path().join("page");
    assert!(
        Command::new("pdftoppm")
            .args(["-png", "-r", "150", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(&png)
            .status()
            .unwrap()
            .success()
    );
    let qr = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(dir.path().join("page-1.png"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&qr.stdout).trim(),
        format!("https://tracuu.thanhhoa.gov.vn/tra-cuu?ma={code}&mk={secret}")
    );
    // A copy is kept for reprint, readable by the owner only.
    let kept = d.join("receipts/2026").join(format!("{code}-mau01.pdf"));
    assert!(kept.exists());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&kept).unwrap().permissions().mode() & 0o077,
        0
    );
    let a5 = dir.path().join("a5.pdf");
    ok(motcua(&d)
        .args(["receipt", code, "--layout", "a5x2", "-o"])
        .arg(&a5));
    assert!(info(&a5).contains("Pages:           1"));
}

#[test]
fn other_forms_and_the_ledger() {
    if !require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let v = one_dossier(&d);
    let code = v["code"].as_str().unwrap();
    let f = |n: &str| dir.path().join(n);
    ok(motcua(&d)
        .args([
            "form",
            "supplement",
            code,
            "--item",
            "Bản sao giấy khai sinh",
            "--item",
            "Ảnh 4x6",
            "--reason",
            "Thiếu giấy tờ",
            "-o",
        ])
        .arg(f("02.pdf")));
    let t = text(&f("02.pdf"));
    for s in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Bản sao giấy khai sinh",
        "Ảnh 4x6",
        "Thiếu giấy tờ",
        "NGƯỜI HƯỚNG DẪN",
    ] {
        assert!(t.contains(s), "«{s}» missing in Mẫu 02:\n{t}");
    }
    ok(motcua(&d)
        .args([
            "form",
            "refusal",
            code,
            "--reason",
            "Hồ sơ không thuộc thẩm quyền",
            "-o",
        ])
        .arg(f("03.pdf")));
    let t = text(&f("03.pdf"));
    for s in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Hồ sơ không thuộc thẩm quyền",
        "Nguyễn Thị Ngọc Ánh",
    ] {
        assert!(t.contains(s), "«{s}» missing in Mẫu 03:\n{t}");
    }
    ok(motcua(&d)
        .args([
            "form",
            "apology",
            code,
            "--reason",
            "Cần xác minh thêm",
            "--new-due",
            "2026-05-06T16:00",
            "-o",
        ])
        .arg(f("05.pdf")));
    let t = text(&f("05.pdf"));
    for s in [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Cần xác minh thêm",
        code,
    ] {
        assert!(t.contains(s), "«{s}» missing in Mẫu 05:\n{t}");
    }
    let bad = run(motcua(&d)
        .args([
            "form",
            "apology",
            code,
            "--reason",
            "x",
            "--new-due",
            "2026-04-01T08:00",
            "-o",
        ])
        .arg(f("x.pdf")));
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("phải sau ngày hẹn cũ"));
    ok(motcua(&d)
        .args(["ledger", "--from", "2026-04-01", "--to", "2026-04-30", "-o"])
        .arg(f("so.pdf")));
    // Cells wrap: compare with whitespace collapsed.
    let t = text(&f("so.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The code wraps at its hyphen in the narrow column (pdftotext then drops the hyphen).
    let (agency, rest) = code.split_at(code.find('-').unwrap());
    for s in [
        "SỔ THEO DÕI HỒ SƠ",
        agency,
        &rest[1..],
        "23/04/2026 09:00",
        "29/04/2026 09:00",
    ] {
        assert!(t.contains(s), "«{s}» missing in the ledger:\n{t}");
    }
    // Neighbouring cells interleave line by line in pdftotext: check the name word by word.
    for w in ["Nguyễn", "Thị", "Ngọc", "Ánh", "0912345678"] {
        assert!(
            t.split(' ').any(|x| x == w),
            "«{w}» missing in the ledger:\n{t}"
        );
    }
    let bad = run(motcua(&d)
        .args(["ledger", "--from", "2026-04-30", "--to", "2026-04-01", "-o"])
        .arg(f("y.pdf")));
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn printing_through_cups_and_a_failed_print_loses_nothing() {
    if !require_tool("cupsd") || !require_tool("lp") || !require_tool("pdfinfo") {
        return;
    }
    if !Path::new("/usr/lib/cups/backend/cups-pdf").exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "printer-driver-cups-pdf is required in CI"
        );
        eprintln!("SKIPPED: printer-driver-cups-pdf is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let v = one_dossier(&d);
    let code = v["code"].as_str().unwrap();
    let queue = "MotcuaTestPDF";
    let folders = cups_pdf_queue(queue);
    let started = std::time::SystemTime::now();
    let out = ok(motcua(&d).args(["print", code, "--printer", queue]));
    assert!(out.contains("Đã gửi giấy tiếp nhận hồ sơ"), "{out}");
    let wanted = format!("GiayTiepNhan-{code}");
    let t = Instant::now();
    let printed = loop {
        let hit = folders
            .iter()
            .filter_map(|f| std::fs::read_dir(f).ok())
            .flatten()
            .flatten()
            .find(|e| {
                e.file_name().to_string_lossy().starts_with(&wanted)
                    && e.metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|m| m >= started)
            });
        if let Some(e) = hit {
            // cups-pdf writes the file in place; wait until it is complete.
            std::thread::sleep(Duration::from_millis(500));
            break e.path();
        }
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the printed PDF never appeared in {folders:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    let i = info(&printed);
    assert!(
        i.contains("Pages:           2"),
        "two copies (Liên 1, Liên 2):\n{i}"
    );
    assert!(i.contains("595") && i.contains("842"), "A4:\n{i}");

    let failed = run(motcua(&d).args(["print", code, "--printer", "MáyInKhôngTồnTại"]));
    let err = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{err}");
    assert!(err.contains("vẫn được lưu an toàn"), "{err}");
    let shown: Value =
        serde_json::from_str(&ok(motcua(&d).args(["show", code, "--json"]))).unwrap();
    assert_eq!(shown["code"], code);
    ok(motcua(&d).arg("verify"));
}
