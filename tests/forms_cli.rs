//! The official forms through the real CLI on a real data directory: each of the seven
//! forms of the 2025 set (TT 03/2025/TT-VPCP) rendered from the register and read back
//! with poppler field by field in the official order (header columns apart, then the
//! body); the receipt of a person, of a dossier filed under an authorisation and of an
//! organisation; fonts embedded and subset; long input inside the margins; the 2018 set
//! when the station selects it; the receipt printed through CUPS to a cups-pdf queue.

mod common;

use common::{cups_pdf_queue, motcua, ok, require_tool, run, station};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

// ---- reading PDFs back ---------------------------------------------------------------

/// Points per millimetre.
const MM: f64 = 72.0 / 25.4;

fn poppler(args: &[&str], pdf: &Path) -> String {
    let out = Command::new(args[0])
        .args(&args[1..])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?} failed on {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

fn text(pdf: &Path) -> String {
    poppler(&["pdftotext", "-enc", "UTF-8"], pdf)
}

fn info(pdf: &Path) -> String {
    String::from_utf8(Command::new("pdfinfo").arg(pdf).output().unwrap().stdout).unwrap()
}

fn pages(pdf: &Path) -> usize {
    info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Text of a rectangle of page `page` (points, origin top-left).
fn crop(pdf: &Path, page: usize, x: f64, y: f64, w: f64, h: f64) -> String {
    let n = |v: f64| format!("{}", v.round().max(0.0));
    let p = page.to_string();
    poppler(
        &[
            "pdftotext",
            "-enc",
            "UTF-8",
            "-f",
            &p,
            "-l",
            &p,
            "-x",
            &n(x),
            "-y",
            &n(y),
            "-W",
            &n(w),
            "-H",
            &n(h),
        ],
        pdf,
    )
}

/// A word box of `pdftotext -bbox`.
#[derive(Debug)]
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Every page's size and words.
fn words(pdf: &Path) -> Vec<(f64, f64, Vec<Word>)> {
    let html = poppler(&["pdftotext", "-bbox", "-enc", "UTF-8"], pdf);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let s = tag.find(&key).unwrap() + key.len();
        tag[s..s + tag[s..].find('"').unwrap()].parse().unwrap()
    };
    let mut out: Vec<(f64, f64, Vec<Word>)> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            out.push((attr(line, "width"), attr(line, "height"), Vec::new()));
        } else if line.starts_with("<word ") {
            let t = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            out.last_mut().unwrap().2.push(Word {
                text: t
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
            });
        }
    }
    out
}

/// Page `page` in three parts: the left header column, the right header column and
/// everything from the first `title_word` down (pdftotext alone interleaves the
/// header's columns).
fn parts(pdf: &Path, page: usize, title_word: &str) -> (String, String, String) {
    let all = words(pdf);
    let (w, h, ws) = &all[page - 1];
    let find = |t: &str| {
        ws.iter()
            .find(|x| x.text == t)
            .unwrap_or_else(|| panic!("`{t}` not on page {page}"))
    };
    let split = find("CỘNG").x0 - 2.0;
    let title = find(title_word).y0 - 2.0;
    (
        crop(pdf, page, 0.0, 0.0, split, title),
        crop(pdf, page, split, 0.0, w - split, title),
        crop(pdf, page, 0.0, title, *w, h - title),
    )
}

/// The words of `ws` whose centre lies in `x0..x1` and whose top in `y0..y1`, line by
/// line, left to right (cells of a table column, their hyphens kept).
fn region(ws: &[Word], x0: f64, x1: f64, y0: f64, y1: f64) -> String {
    let mut inside: Vec<&Word> = ws
        .iter()
        .filter(|w| {
            let cx = (w.x0 + w.x1) / 2.0;
            cx >= x0 && cx < x1 && w.y0 >= y0 && w.y0 < y1
        })
        .collect();
    inside.sort_by(|a, b| {
        ((a.y0 * 10.0).round(), a.x0)
            .partial_cmp(&((b.y0 * 10.0).round(), b.x0))
            .unwrap()
    });
    inside
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts the `expected` strings occur in `text` in this order (whitespace folded).
fn in_order(what: &str, text: &str, expected: &[&str]) {
    let t = fold(text);
    let mut at = 0;
    for e in expected {
        let e = fold(e);
        match t[at..].find(&e) {
            Some(i) => at += i + e.len(),
            None => panic!(
                "{what}: «{e}» {} in:\n{t}",
                if t.contains(&e) {
                    "out of order"
                } else {
                    "missing"
                }
            ),
        }
    }
}

/// Every font embedded, subset (a `ABCDEF+` tag) and with a ToUnicode map.
fn fonts_embedded_and_subset(what: &str, pdf: &Path) {
    let out =
        String::from_utf8(Command::new("pdffonts").arg(pdf).output().unwrap().stdout).unwrap();
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{what}: no fonts\n{out}");
    for row in rows {
        let c: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(c[0].as_bytes()[6], b'+', "{what}: not subset: {row}");
        assert_eq!(&c[4..7], ["yes", "yes", "yes"], "{what}: {row}");
    }
}

/// Every word inside the NĐ 30 frame (top and bottom 20, left 30, right 15 mm), except
/// the page numbers in the top margin; no two words overlapping.
fn inside_margins(what: &str, pdf: &Path) {
    for (i, (w, h, ws)) in words(pdf).iter().enumerate() {
        let (l, r, t, b) = (30.0 * MM, w - 15.0 * MM, 20.0 * MM, h - 20.0 * MM);
        for x in ws {
            let inside =
                x.x0 >= l - 0.05 && x.x1 <= r + 0.05 && x.y0 >= t - 0.05 && x.y1 <= b + 0.05;
            let page_number = x.text.chars().all(|c| c.is_ascii_digit()) && x.y1 <= t;
            assert!(
                inside || page_number,
                "{what}, page {}: {x:?} outside",
                i + 1
            );
        }
        for (k, a) in ws.iter().enumerate() {
            for c in &ws[k + 1..] {
                let dx = a.x1.min(c.x1) - a.x0.max(c.x0);
                let dy = a.y1.min(c.y1) - a.y0.max(c.y0);
                assert!(dx <= 0.05 || dy <= 0.05, "{what}: {a:?} overlaps {c:?}");
            }
        }
    }
}

// ---- the register -------------------------------------------------------------------

const AGENCY: &str = "UBND XÃ TÂN LẬP";
const UNIT_CAPS: &str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ TÂN LẬP";
const UNIT: &str = "Trung tâm Phục vụ hành chính công xã Tân Lập";
const NATIONAL: [&str; 2] = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
];

fn receive(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "receive",
        "--clerk",
        "lan",
        "--procedure",
        "1.004873",
        "--phone",
        "0912345678",
        "--email",
        "anh@example.vn",
        "--document",
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân:bản chính:1",
        "--document",
        "Căn cước:bản sao chứng thực:2",
        "--received-at",
        "2026-04-23T09:00",
        "--json",
    ];
    if !extra.contains(&"--address") {
        args.extend(["--address", "Số 12, ngõ 34, thôn Đông, xã Tân Lập"]);
    }
    args.extend(extra);
    serde_json::from_str(&ok(motcua(dir).args(&args))).unwrap()
}

const PERSON: [&str; 4] = [
    "--applicant",
    "Nguyễn Thị Ngọc Ánh",
    "--id-number",
    "001199012345",
];

/// A station with one dossier received on Thu 23/04/2026 09:00 (3 working days: due 29/04).
fn one_dossier(dir: &Path) -> Value {
    station(dir, 1);
    receive(dir, &PERSON)
}

fn code_of(v: &Value) -> String {
    v["code"].as_str().unwrap().to_string()
}

/// The header of a 2025 form on `page`: left column (agency over unit), right column
/// (national name, motto, date line); returns the body.
fn header_2025(what: &str, pdf: &Path, page: usize, title_word: &str, date: &str) -> String {
    let (l, r, body) = parts(pdf, page, title_word);
    in_order(what, &l, &[AGENCY, UNIT_CAPS]);
    in_order(what, &r, &[NATIONAL[0], NATIONAL[1], date]);
    body
}

/// Mẫu 01's body for the dossiers of these tests, from the title down.
fn receipt_body(code: &str, secret: &str, entry: &str, copy: &str, who: &[String]) -> Vec<String> {
    let mut e = vec![
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".to_string(),
        format!("Mã hồ sơ: {code}"),
        format!("Mã tra cứu: {secret}"),
        copy.to_string(),
        UNIT.to_string(),
    ];
    e.extend(who.iter().cloned());
    e.extend(
        [
            "Nội dung yêu cầu giải quyết: Xác nhận tình trạng hôn nhân",
            "Thành phần hồ sơ nộp gồm:",
            "1. Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (Bản chính: 01)",
            "2. Căn cước (Bản sao chứng thực: 02)",
            "Số lượng hồ sơ: 01 (bộ)",
            "Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
            "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23 tháng 4 năm 2026.",
            "Thời gian trả kết quả giải quyết hồ sơ 09 giờ 00 phút, ngày 29 tháng 4 năm 2026.",
            &format!("Đăng ký nhận kết quả tại: {UNIT}"),
            "Vào Sổ theo dõi hồ sơ, Quyển số 01/2026",
            &format!("Số thứ tự {entry}"),
            "NGƯỜI NỘP HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "(Chữ ký số của người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)",
        ]
        .map(str::to_string),
    );
    e
}

/// Both copies of a receipt read back: header columns and body, page by page.
fn check_receipt(what: &str, pdf: &Path, body: impl Fn(&str) -> Vec<String>) {
    assert_eq!(pages(pdf), 2, "{what}: one A4 page per copy");
    for (page, copy) in [(1, "(Liên 1: Lưu)"), (2, "(Liên 2: Giao người nộp)")] {
        let b = header_2025(what, pdf, page, "GIẤY", "Tân Lập, ngày 23 tháng 4 năm 2026");
        let e = body(copy);
        in_order(what, &b, &e.iter().map(String::as_str).collect::<Vec<_>>());
    }
    fonts_embedded_and_subset(what, pdf);
    inside_margins(what, pdf);
}

// ---- the tests ----------------------------------------------------------------------

#[test]
fn receipt_from_the_register_reads_back_exactly() {
    if !require_tool("pdftotext") || !require_tool("zbarimg") || !require_tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let v = one_dossier(&d);
    let code = code_of(&v);
    let secret = v["lookup_secret"].as_str().unwrap();
    ok(motcua(&d).args([
        "config",
        "set",
        "lookup-url",
        "https://tracuu.thanhhoa.gov.vn/tra-cuu",
    ]));
    let pdf = dir.path().join("r.pdf");
    ok(motcua(&d).args(["receipt", &code, "-o"]).arg(&pdf));
    let who: Vec<String> = [
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Nguyễn Thị Ngọc Ánh",
        "Số định danh cá nhân/tổ chức: 001199012345",
        "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập",
        "Số điện thoại: 0912345678",
        "Email: anh@example.vn",
    ]
    .map(str::to_string)
    .to_vec();
    check_receipt("Mẫu 01", &pdf, |copy| {
        let mut e = receipt_body(&code, secret, "0001", copy, &who);
        e.push("Nguyễn Thị Ngọc Ánh".into());
        e.push("Trần Thị Lan".into());
        e
    });
    assert!(
        !text(&pdf).contains("Trường hợp ủy quyền"),
        "no proxy, no clause"
    );
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
        .args(["receipt", &code, "--layout", "a5x2", "-o"])
        .arg(&a5));
    assert_eq!(pages(&a5), 1, "both A5 copies on one sheet");
}

#[test]
fn receipts_of_a_proxy_and_of_an_organisation() {
    if !require_tool("pdftotext") || !require_tool("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    station(&d, 1);
    let proxy = receive(
        &d,
        &[
            "--applicant",
            "Nguyễn Thị Ngọc Ánh",
            "--id-number",
            "001199012345",
            "--proxy",
            "Lê Văn Đức",
            "--proxy-id-number",
            "038090001234",
            "--proxy-address",
            "Thôn Yên Trường, xã Tân Lập",
            "--proxy-phone",
            "0987654321",
            "--proxy-email",
            "duc@example.vn",
            "--proxy-authorisation",
            "Giấy ủy quyền ngày 20/4/2026, chứng thực tại UBND xã Tân Lập",
        ],
    );
    let org = receive(
        &d,
        &[
            "--organisation",
            "--applicant",
            "Hợp tác xã Nông nghiệp Tân Lập",
            "--id-number",
            "2801234567",
            "--representative",
            "Phạm Văn Hùng",
        ],
    );
    let f = |n: &str| dir.path().join(n);
    let (pcode, psecret) = (code_of(&proxy), proxy["lookup_secret"].as_str().unwrap());
    ok(motcua(&d)
        .args(["receipt", &pcode, "-o"])
        .arg(f("proxy.pdf")));
    let who: Vec<String> = [
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Nguyễn Thị Ngọc Ánh",
        "Số định danh cá nhân/tổ chức: 001199012345",
        "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập",
        "Số điện thoại: 0912345678",
        "Email: anh@example.vn",
        "(Trường hợp ủy quyền thì cung cấp thêm thông tin của người ủy quyền, bao gồm: họ và tên, địa chỉ, số định danh cá nhân, số điện thoại, email, giấy tờ ủy quyền).",
        "Họ và tên: Lê Văn Đức",
        "Số định danh cá nhân: 038090001234",
        "Địa chỉ: Thôn Yên Trường, xã Tân Lập",
        "Số điện thoại: 0987654321",
        "Email: duc@example.vn",
        "Giấy tờ ủy quyền: Giấy ủy quyền ngày 20/4/2026, chứng thực tại UBND xã Tân Lập",
    ]
    .map(str::to_string)
    .to_vec();
    check_receipt("Mẫu 01, ủy quyền", &f("proxy.pdf"), |copy| {
        let mut e = receipt_body(&pcode, psecret, "0001", copy, &who);
        // The authorised person signs as NGƯỜI NỘP HỒ SƠ.
        e.push("Lê Văn Đức".into());
        e.push("Trần Thị Lan".into());
        e
    });

    let (ocode, osecret) = (code_of(&org), org["lookup_secret"].as_str().unwrap());
    ok(motcua(&d).args(["receipt", &ocode, "-o"]).arg(f("org.pdf")));
    let who: Vec<String> = [
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Hợp tác xã Nông nghiệp Tân Lập",
        "Số định danh cá nhân/tổ chức: 2801234567",
        "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập",
    ]
    .map(str::to_string)
    .to_vec();
    check_receipt("Mẫu 01, tổ chức", &f("org.pdf"), |copy| {
        let mut e = receipt_body(&ocode, osecret, "0002", copy, &who);
        // Its representative signs.
        e.push("Phạm Văn Hùng".into());
        e.push("Trần Thị Lan".into());
        e
    });
    assert!(!text(&f("org.pdf")).contains("Trường hợp ủy quyền"));
}

#[test]
fn the_other_six_forms_from_the_register_read_back_in_order() {
    if !require_tool("pdftotext") || !require_tool("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let v = one_dossier(&d);
    let code = code_of(&v);
    let f = |n: &str| dir.path().join(n);
    // Letters are dated the day they are made (station time, UTC+7).
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let dated = |_form: &str| format!("Tân Lập, {}", date_words(today));

    // Mẫu 02, by its 2025 name.
    ok(motcua(&d)
        .args([
            "form",
            "mau02",
            &code,
            "--item",
            "Bản sao giấy khai sinh",
            "--item",
            "Ảnh 4x6",
            "--reason",
            "Thiếu giấy tờ",
            "-o",
        ])
        .arg(f("02.pdf")));
    let body = header_2025("Mẫu 02", &f("02.pdf"), 1, "PHIẾU", &dated("02"));
    in_order(
        "Mẫu 02",
        &body,
        &[
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            &format!("Mã hồ sơ: {code}"),
            "Hồ sơ của: Nguyễn Thị Ngọc Ánh",
            "Nội dung yêu cầu giải quyết: Xác nhận tình trạng hôn nhân",
            "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập",
            "Số điện thoại 0912345678",
            "Email: anh@example.vn",
            "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
            "1. Bản sao giấy khai sinh",
            "2. Ảnh 4x6",
            "Lý do: Thiếu giấy tờ",
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với Trần Thị Lan số điện thoại",
            "để được hướng dẫn./.",
            "NGƯỜI HƯỚNG DẪN",
            "(Ký và ghi rõ họ tên)",
            "(Chữ ký số của Người hướng dẫn nếu là biểu mẫu điện tử)",
            "Trần Thị Lan",
        ],
    );

    // Mẫu 03: the citizen signs too.
    ok(motcua(&d)
        .args([
            "form",
            "refusal",
            &code,
            "--reason",
            "Hồ sơ không thuộc thẩm quyền",
            "-o",
        ])
        .arg(f("03.pdf")));
    let body = header_2025("Mẫu 03", &f("03.pdf"), 1, "PHIẾU", &dated("03"));
    in_order(
        "Mẫu 03",
        &body,
        &[
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            UNIT,
            "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh",
            "Số định danh cá nhân/tổ chức: 001199012345",
            "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập",
            "Số điện thoại: 0912345678",
            "Email: anh@example.vn",
            &format!("Mã hồ sơ (nếu có): {code}"),
            "Nội dung yêu cầu giải quyết: Xác nhận tình trạng hôn nhân",
            "Qua xem xét, Bộ phận Tiếp nhận và Trả kết quả thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            "Hồ sơ không thuộc thẩm quyền",
            "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Chữ ký số của Người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)",
            "Nguyễn Thị Ngọc Ánh",
            "Trần Thị Lan",
        ],
    );

    // Mẫu 04 (motcua called it Mẫu 05 before): signed by the head of the agency.
    // A new date before the promised one is refused, and nothing is recorded.
    let bad = run(motcua(&d)
        .args([
            "form",
            "apology",
            &code,
            "--reason",
            "Chậm",
            "--new-due",
            "2026-04-01T08:00",
            "--clerk",
            "lan",
            "-o",
        ])
        .arg(f("x.pdf")));
    assert_eq!(bad.status.code(), Some(1));
    let why = String::from_utf8_lossy(&bad.stderr);
    assert!(why.contains("phải sau ngày hẹn cũ"), "{why}");
    ok(motcua(&d)
        .args([
            "form",
            "04",
            &code,
            "--reason",
            "Cần xác minh thêm",
            "--new-due",
            "2026-05-06T16:00",
            "--clerk",
            "lan",
            "-o",
        ])
        .arg(f("04.pdf")));
    let body = header_2025("Mẫu 04", &f("04.pdf"), 1, "PHIẾU", &dated("04"));
    in_order(
        "Mẫu 04",
        &body,
        &[
            "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            "Kính gửi: Nguyễn Thị Ngọc Ánh",
            &format!(
                "Ngày 23 tháng 4 năm 2026, UBND xã Tân Lập tiếp nhận giải quyết hồ sơ đề nghị giải quyết thủ tục hành chính Xác nhận tình trạng hôn nhân của Ông/Bà/Tổ chức Nguyễn Thị Ngọc Ánh; số định danh: 001199012345; mã số hồ sơ: {code}."
            ),
            "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00, ngày 29 tháng 4 năm 2026.",
            "Tuy nhiên đến nay, UBND xã Tân Lập chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức đúng thời hạn quy định ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
            "Lý do: Cần xác minh thêm",
            "UBND xã Tân Lập xin trân trọng gửi lời xin lỗi đến Ông (Bà)/Tổ chức",
            "UBND xã Tân Lập xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào ngày 06 tháng 5 năm 2026.",
            "Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này./.",
            "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
            "(Ký và ghi rõ họ tên)",
            "(Chữ ký số của Thủ trưởng cơ quan, đơn vị nếu là biểu mẫu điện tử)",
        ],
    );
    assert!(
        d.join("receipts/2026")
            .join(format!("{code}-mau04.pdf"))
            .exists()
    );

    // Mẫu 06 through processing to the returned result: the journal's steps filled in.
    for (to, note) in [
        ("processing", "chuyển công chức tư pháp"),
        ("result_ready", ""),
        ("returned", "Người nhận kết quả: Nguyễn Thị Ngọc Ánh"),
    ] {
        let mut c = motcua(&d);
        c.args(["transition", &code, to, "--clerk", "lan"]);
        if !note.is_empty() {
            c.args(["--note", note]);
        }
        ok(&mut c);
    }
    ok(motcua(&d)
        .args(["form", "mau06", &code, "-o"])
        .arg(f("06.pdf")));
    let pdf = f("06.pdf");
    let body = header_2025(
        "Mẫu 06",
        &pdf,
        1,
        "PHIẾU",
        "Tân Lập, ngày 23 tháng 4 năm 2026",
    );
    in_order(
        "Mẫu 06",
        &body,
        &[
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            &format!("Mã số hồ sơ: {code}"),
            "Cơ quan (bộ phận) giải quyết hồ sơ: UBND xã Tân Lập",
            "Cơ quan phối hợp giải quyết hồ sơ:",
            "Ngày nhận: 23/04/2026",
            // The apology above gave a new appointment: the slip holds it, and the first.
            "Hẹn trả kết quả vào 16 giờ 00 phút, ngày 06 tháng 5 năm 2026.",
            "Đã hẹn lại (Mẫu 04); hẹn ban đầu: 09 giờ 00 phút, ngày 29 tháng 4 năm 2026",
        ],
    );
    // The table column by column (42, 52, 38, 33 mm from the left margin), from its
    // tallest header cell down to the footnotes.
    let all = words(&pdf);
    let (_, h, ws) = &all[0];
    let top = ws
        .iter()
        .find(|x| x.text == "Kết" && x.x0 > 124.0 * MM)
        .unwrap()
        .y0
        - 2.0;
    let bottom = ws
        .iter()
        .find(|x| x.text == "Ghi" && x.x0 < 80.0 * MM && x.y0 > top)
        .map_or(*h, |x| x.y0);
    let col = |from: f64, width: f64| {
        region(
            ws,
            (30.0 + from) * MM,
            (30.0 + from + width) * MM,
            top,
            bottom,
        )
    };
    in_order(
        "Mẫu 06, Tên đơn vị",
        &col(0.0, 42.0),
        &[
            "Tên đơn vị",
            "1. Giao: Bộ phận TN&TKQ 2. Nhận: UBND xã Tân Lập",
            "1. Giao: UBND xã Tân Lập 2. Nhận: Bộ phận TN&TKQ",
            "1. Giao: Bộ phận TN&TKQ 2. Nhận: Nguyễn Thị Ngọc Ánh",
            "1. Giao: 2. Nhận:",
        ],
    );
    let times = fold(&col(42.0, 52.0));
    assert!(times.starts_with("Thời gian giao nhận hồ sơ"), "{times}");
    assert_eq!(times.matches("Người giao Người nhận").count(), 4, "{times}");
    assert_eq!(
        times.matches(" phút, ngày ").count(),
        3,
        "three filled times: {times}"
    );
    assert!(times.contains("….giờ….phút, ngày…../…../……"), "{times}");
    assert!(times.matches("Trần Thị Lan").count() >= 3, "{times}");
    in_order(
        "Mẫu 06, Kết quả",
        &col(94.0, 38.0),
        &[
            "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
            "quá hạn",
        ],
    );
    in_order(
        "Mẫu 06, Ghi chú",
        &col(132.0, 33.0),
        &[
            "Ghi chú",
            "Được tiếp nhận → Đang xử lý: chuyển công chức tư pháp",
            "Đang xử lý → Đã xử lý xong",
            "Đã xử lý xong → Đã trả kết quả: Người nhận kết quả: Nguyễn Thị Ngọc Ánh",
        ],
    );
    in_order(
        "Mẫu 06",
        &text(&pdf),
        &[
            "Ghi chú:",
            "- Kết quả giải quyết hồ sơ do bên nhận nhập thông tin/ghi khi nhận bàn giao hồ sơ.",
            "- Việc lưu vết được thực hiện tự động theo chức năng của Hệ thống thông tin giải quyết thủ tục hành chính và thể hiện trên mẫu phiếu điện tử.",
        ],
    );

    // Mẫu 05: a second dossier withdrawn at the applicant's request.
    let other = code_of(&receive(
        &d,
        &["--applicant", "Đỗ Văn Bình", "--id-number", "001099054321"],
    ));
    let early = run(motcua(&d)
        .args(["form", "stop", &other, "-o"])
        .arg(f("early.pdf")));
    assert_eq!(early.status.code(), Some(1), "not withdrawn yet");
    ok(motcua(&d).args([
        "transition",
        &other,
        "withdrawn",
        "--clerk",
        "lan",
        "--note",
        "Người nộp xin rút hồ sơ để bổ sung giấy tờ",
    ]));
    ok(motcua(&d)
        .args(["form", "mau05", &other, "-o"])
        .arg(f("05.pdf")));
    let body = header_2025("Mẫu 05", &f("05.pdf"), 1, "THÔNG", &dated("05"));
    in_order(
        "Mẫu 05",
        &body,
        &[
            "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            "Kính gửi: Đỗ Văn Bình",
            UNIT,
            "Hồ sơ của: Đỗ Văn Bình",
            "Số định danh cá nhân/tổ chức: 001099054321",
            &format!("Mã hồ sơ: {other}"),
            "Nội dung yêu cầu giải quyết: Xác nhận tình trạng hôn nhân",
            "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23 tháng 4 năm 2026.",
            &format!(
                "{UNIT} nhận được yêu cầu dừng thực hiện thủ tục hành chính trực tiếp của Ông/Bà/Tổ chức."
            ),
            &format!("{UNIT} thông báo dừng giải quyết hồ sơ nêu trên."),
            "Lý do: Người nộp xin rút hồ sơ để bổ sung giấy tờ",
            "Việc trả lại hồ sơ và phí, lệ phí đã nộp (nếu có) được thực hiện theo quy định.",
            "Xin thông báo cho Ông/Bà/Tổ chức được biết./.",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "Trần Thị Lan",
        ],
    );

    // Mẫu 07: the ledger with the 2025 columns and footnotes.
    ok(motcua(&d)
        .args(["ledger", "--from", "2026-04-01", "--to", "2026-04-30", "-o"])
        .arg(f("07.pdf")));
    let pdf = f("07.pdf");
    let body = header_2025("Mẫu 07", &pdf, 1, "SỔ", &dated("07"));
    in_order(
        "Mẫu 07",
        &body,
        &[
            "SỔ THEO DÕI HỒ SƠ",
            "Quyển số: 01/2026",
            "Từ ngày 01/04/2026 đến ngày 30/04/2026",
        ],
    );
    // Columns left to right (mm from the left margin): the header, then the rows; the
    // header starts with the group heading "Nhận và trả kết quả".
    let all = words(&pdf);
    let (_, h, ws) = &all[0];
    let top = ws
        .iter()
        .filter(|x| x.text == "Nhận" && x.x0 > 187.0 * MM)
        .map(|x| x.y0)
        .fold(f64::INFINITY, f64::min)
        - 2.0;
    let bottom = ws.iter().find(|x| x.text == "Ghi").map_or(*h, |x| x.y0);
    let col = |from: f64, width: f64| {
        region(
            ws,
            (30.0 + from) * MM,
            (30.0 + from + width) * MM,
            top,
            bottom,
        )
    };
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    in_order("Mẫu 07, STT", &col(0.0, 10.0), &["STT", "1", "2"]);
    assert_eq!(
        squeeze(&col(10.0, 29.0)),
        squeeze(&format!("Mã hồ sơ {code} {other}")),
        "codes"
    );
    in_order(
        "Mẫu 07, tên",
        &col(71.0, 28.0),
        &["Tên tổ chức, cá nhân", "Nguyễn Thị Ngọc Ánh", "Đỗ Văn Bình"],
    );
    in_order(
        "Mẫu 07, địa chỉ",
        &col(99.0, 34.0),
        &["Địa chỉ/SĐT", "0912345678"],
    );
    assert!(
        col(157.0, 95.0).starts_with("Nhận và trả kết quả"),
        "the group heading"
    );
    in_order(
        "Mẫu 07, nhận",
        &col(157.0, 20.0),
        &["Nhận hồ sơ", "23/04/2026 09:00", "23/04/2026 09:00"],
    );
    in_order(
        "Mẫu 07, hẹn",
        &col(177.0, 20.0),
        &["Hẹn trả kết quả", "29/04/2026 09:00"],
    );
    in_order("Mẫu 07, trả", &col(197.0, 20.0), &["Trả kết quả"]);
    in_order(
        "Mẫu 07, phương thức",
        &col(217.0, 21.0),
        &["Phương thức nhận kết quả", "Trực tiếp", "Trực tiếp"],
    );
    in_order("Mẫu 07, ký", &col(238.0, 14.0), &["Ký nhận"]);
    in_order(
        "Mẫu 07",
        &text(&pdf),
        &[
            "Ghi chú:",
            "- Sổ theo dõi hồ sơ được lập theo từng lĩnh vực hoặc nhóm lĩnh vực tại Bộ phận Một cửa.",
            "- Trường hợp áp dụng Sổ theo dõi hồ sơ điện tử",
        ],
    );
    let bad = run(motcua(&d)
        .args(["ledger", "--from", "2026-04-30", "--to", "2026-04-01", "-o"])
        .arg(f("y.pdf")));
    assert_eq!(bad.status.code(), Some(1));

    for n in ["02", "03", "04", "05", "06", "07"] {
        let pdf = f(&format!("{n}.pdf"));
        fonts_embedded_and_subset(&format!("Mẫu {n}"), &pdf);
        inside_margins(&format!("Mẫu {n}"), &pdf);
    }
}

/// The date line's date as NĐ 30 writes it ("ngày 05 tháng 3 năm 2026").
fn date_words(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

#[test]
fn long_input_stays_inside_the_margins() {
    if !require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    station(&d, 1);
    let name: String = "Nguyễn Thị Ngọc Huyền Trưởng Ẩn Ỹ "
        .repeat(5)
        .chars()
        .take(150)
        .collect();
    let address: String =
        "Số nhà 118, ngách 27/14, ngõ Quỳnh Lôi, đường Nguyễn Trãi, tổ dân phố Đồng Lạc, "
            .repeat(7)
            .chars()
            .take(500)
            .collect();
    let doc = format!(
        "{}:bản sao chứng thực:2",
        "Quyết định công nhận quyền sử dụng đất của hộ gia đình "
            .repeat(5)
            .trim()
    );
    let mut args: Vec<String> = [
        "--applicant",
        &name,
        "--id-number",
        "001199012345",
        "--address",
        &address,
        "--proxy",
        &name,
        "--proxy-id-number",
        "038090001234",
        "--proxy-address",
        &address,
        "--proxy-authorisation",
        &address[..address.char_indices().nth(300).unwrap().0],
    ]
    .map(String::from)
    .to_vec();
    for _ in 0..25 {
        args.push("--document".into());
        args.push(doc.clone());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let code = code_of(&receive(&d, &refs));
    let f = |n: &str| dir.path().join(n);
    for layout in ["a4x2", "a5x2"] {
        let pdf = f(&format!("r-{layout}.pdf"));
        ok(motcua(&d)
            .args(["receipt", &code, "--layout", layout, "-o"])
            .arg(&pdf));
        assert!(pages(&pdf) > 2, "{layout}: a long copy continues");
        if layout == "a4x2" {
            inside_margins("Mẫu 01, long", &pdf);
        }
        assert!(
            fold(&text(&pdf)).contains(&fold(&address)),
            "{layout}: the whole address"
        );
    }
    let reason = format!("{address}\n{address}");
    ok(motcua(&d)
        .args(["form", "refusal", &code, "--reason", &reason, "-o"])
        .arg(f("03.pdf")));
    inside_margins("Mẫu 03, long", &f("03.pdf"));
    ok(motcua(&d).args([
        "transition",
        &code,
        "processing",
        "--clerk",
        "lan",
        "--note",
        &address,
    ]));
    ok(motcua(&d)
        .args(["form", "control", &code, "-o"])
        .arg(f("06.pdf")));
    inside_margins("Mẫu 06, long", &f("06.pdf"));
    ok(motcua(&d)
        .args(["ledger", "--from", "2026-04-23", "--to", "2026-04-23", "-o"])
        .arg(f("07.pdf")));
    // The ledger is landscape: check it against its own frame.
    for (w, h, ws) in words(&f("07.pdf")) {
        for x in ws {
            let page_number = x.text.chars().all(|c| c.is_ascii_digit()) && x.y1 <= 20.0 * MM;
            assert!(
                page_number
                    || (x.x0 >= 30.0 * MM - 0.05
                        && x.x1 <= w - 15.0 * MM + 0.05
                        && x.y0 >= 20.0 * MM - 0.05
                        && x.y1 <= h - 20.0 * MM + 0.05),
                "Mẫu 07, long: {x:?} outside"
            );
        }
    }
}

#[test]
fn the_2018_set_when_the_station_selects_it_and_the_unit_setting() {
    if !require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let v = one_dossier(&d);
    let code = code_of(&v);
    let f = |n: &str| dir.path().join(n);
    // A unit name must be one of the two the forms allow.
    let bad = run(motcua(&d).args(["config", "set", "receiving-unit", "Phòng một cửa"]));
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Trung tâm Phục vụ hành chính công"));
    ok(motcua(&d).args([
        "config",
        "set",
        "receiving-unit",
        "Bộ phận Tiếp nhận và Trả kết quả UBND xã Tân Lập",
    ]));
    ok(motcua(&d).args(["receipt", &code, "-o"]).arg(f("unit.pdf")));
    let (l, _, body) = parts(&f("unit.pdf"), 1, "GIẤY");
    in_order(
        "unit",
        &l,
        &[AGENCY, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ UBND XÃ TÂN LẬP"],
    );
    in_order(
        "unit",
        &body,
        &[
            "(Liên 1: Lưu)",
            "Bộ phận Tiếp nhận và Trả kết quả UBND xã Tân Lập",
            "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức",
        ],
    );

    let bad = run(motcua(&d).args(["config", "set", "form-set", "2020"]));
    assert_eq!(bad.status.code(), Some(1));
    ok(motcua(&d).args(["config", "set", "form-set", "2018"]));
    ok(motcua(&d).args(["receipt", &code, "-o"]).arg(f("01.pdf")));
    in_order(
        "2018 Mẫu 01",
        &text(&f("01.pdf")),
        &[
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "(Liên 1: Lưu)",
            "Bộ phận tiếp nhận và trả kết quả UBND xã Tân Lập",
            "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh",
            "Số CCCD/định danh cá nhân: 001199012345",
            "1. Thành phần hồ sơ nộp gồm:",
            "1.1. Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (Bản chính: 01)",
            "3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
            "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23 tháng 4 năm 2026",
            "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026",
        ],
    );
    ok(motcua(&d)
        .args([
            "form",
            "apology",
            &code,
            "--reason",
            "Cần xác minh thêm",
            "--new-due",
            "2026-05-06T16:00",
            "--clerk",
            "lan",
            "-o",
        ])
        .arg(f("04.pdf")));
    let t = text(&f("04.pdf"));
    assert!(
        t.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
        "{t}"
    );
    assert!(t.contains("TM. UBND XÃ TÂN LẬP"), "{t}");
    let out = ok(motcua(&d)
        .args([
            "form",
            "refusal",
            &code,
            "--reason",
            "Không thuộc thẩm quyền",
            "-o",
        ])
        .arg(f("03.pdf")));
    assert!(
        out.contains("phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "{out}"
    );
    assert!(text(&f("03.pdf")).contains("Sau khi xem xét"));
    ok(motcua(&d)
        .args(["ledger", "--from", "2026-04-01", "--to", "2026-04-30", "-o"])
        .arg(f("so.pdf")));
    let t = fold(&text(&f("so.pdf")));
    assert!(
        t.contains("Ngày, tháng, năm") && !t.contains("Nhận và trả kết quả"),
        "{t}"
    );
    // The 2025-only forms still print (the control slip is the 2018 Mẫu 05 too).
    ok(motcua(&d)
        .args(["form", "control", &code, "-o"])
        .arg(f("06.pdf")));
    assert!(text(&f("06.pdf")).contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"));
    // Back to the default.
    ok(motcua(&d).args(["config", "set", "form-set", "2025"]));
    ok(motcua(&d)
        .args(["receipt", &code, "--force", "-o"])
        .arg(f("01.pdf")));
    assert!(text(&f("01.pdf")).contains("Số định danh cá nhân/tổ chức"));
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
    let code = code_of(&v);
    let queue = "MotcuaTestPDF";
    let folders = cups_pdf_queue(queue);
    let started = std::time::SystemTime::now();
    let out = ok(motcua(&d).args(["print", &code, "--printer", queue]));
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

    let failed = run(motcua(&d).args(["print", &code, "--printer", "MáyInKhôngTồnTại"]));
    let err = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{err}");
    assert!(err.contains("vẫn được lưu an toàn"), "{err}");
    let shown: Value =
        serde_json::from_str(&ok(motcua(&d).args(["show", &code, "--json"]))).unwrap();
    assert_eq!(shown["code"], code.as_str());
    ok(motcua(&d).arg("verify"));
}
