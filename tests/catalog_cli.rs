//! The procedure catalogue through the real binary on a real data directory: a new
//! station's built-in list (xã Vĩnh Bảo, Hải Phòng), `motcua catalog import` of real
//! national-portal records, receiving under a case and a channel, refused files, repeated
//! and newer versions.

mod common;

use common::{add_clerk_lan, motcua, ok, run};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixture(code: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/catalog/national/{code}.json"))
}

fn record(code: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(code)).unwrap()).unwrap()
}

/// The five fixture records as one array file.
fn five(dir: &Path) -> PathBuf {
    let all: Vec<Value> = ["1.001193", "2.000815", "2.000635", "1.009122", "1.004222"]
        .iter()
        .map(|c| record(c))
        .collect();
    write_json(dir, "five.json", &Value::Array(all))
}

fn write_json(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, serde_json::to_string_pretty(v).unwrap()).unwrap();
    file
}

/// `motcua init` with nothing but the station (the built-in catalogue), then clerk lan.
fn new_station(dir: &Path) -> String {
    let out = ok(motcua(dir).args([
        "init",
        "--agency-id",
        "000.31.11.H31",
        "--agency-name",
        "UBND xã Vĩnh Bảo",
        "--parent-name",
        "UBND thành phố Hải Phòng",
        "--station",
        "1",
    ]));
    add_clerk_lan(dir);
    ok(motcua(dir).args(["config", "set", "max-backdate-days", "3660"]));
    out
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// How many catalogue versions and events the database holds.
fn counts(dir: &Path) -> (i64, i64) {
    let db = rusqlite::Connection::open_with_flags(
        dir.join("motcua.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let n = |sql: &str| db.query_row(sql, [], |r| r.get(0)).unwrap();
    (
        n("SELECT count(*) FROM catalog_versions"),
        n("SELECT count(*) FROM events"),
    )
}

fn current_version(dir: &Path) -> String {
    let db = rusqlite::Connection::open_with_flags(
        dir.join("motcua.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    db.query_row(
        "SELECT value FROM settings WHERE key = 'catalog_version'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Receives with `extra` arguments after the clerk, applicant and one document; JSON.
fn receive(dir: &Path, procedure: &str, extra: &[&str]) -> std::process::Output {
    run(motcua(dir)
        .args([
            "receive",
            "--clerk",
            "lan",
            "--procedure",
            procedure,
            "--applicant",
            "Phạm Thị Thu",
            "--document",
            "Tờ khai:bản chính:1",
            "--json",
        ])
        .args(extra))
}

fn received(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(&String::from_utf8(out.stdout).unwrap())
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_new_station_offers_the_vinh_bao_list_and_keeps_residence_off_the_counter() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    let said = new_station(&d);
    assert!(
        said.contains("Danh mục thủ tục: phiên bản vinh-bao-2026.09.29+dvcqg-20260718 (274 thủ tục tiếp nhận tại quầy, 13 thủ tục khác chỉ lưu trong danh mục"),
        "{said}"
    );
    let offered = json_of(&ok(motcua(&d).args(["catalog", "search", "", "--json"])));
    let offered = offered.as_array().unwrap();
    assert_eq!(offered.len(), 274);
    assert!(offered.iter().all(|p| p["handled_by"] != "commune_police"));
    assert!(!offered.iter().any(|p| p["code"] == "1.004222"));
    let all = json_of(&ok(
        motcua(&d).args(["catalog", "search", "", "--all", "--json"])
    ));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 287);
    let hidden: Vec<&str> = all
        .iter()
        .filter(|p| p["offered"] == false)
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(hidden.len(), 13);
    assert!(hidden.contains(&"1.004222") && hidden.contains(&"1.004194"));
    // By words, as the clerk types them.
    // Liên thông procedures mention thường trú and are offered; Đăng ký thường trú is not.
    let out = ok(motcua(&d).args(["catalog", "search", "thuong tru"]));
    assert!(
        out.contains("3.000722") && !out.contains("1.004222"),
        "{out}"
    );
    let out = ok(motcua(&d).args(["catalog", "search", "thuong tru", "--all"]));
    assert!(
        out.starts_with("1.004222  Đăng ký thường trú  [Đăng ký, quản lý cư trú; thời hạn 7 ngày làm việc; 1 trường hợp]  (không tiếp nhận tại quầy: Công an cấp xã)"),
        "{out}"
    );
    let out = ok(motcua(&d).args(["catalog", "search", "khai sinh"]));
    assert!(
        out.starts_with(
            "1.001193  Thủ tục đăng ký khai sinh  [Hộ tịch; thời hạn 1 ngày làm việc; 2 trường hợp]"
        ),
        "{out}"
    );
    // Not received at the counter, and said so by field.
    let out = receive(&d, "1.004222", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Thủ tục hành chính: thủ tục 1.004222 «Đăng ký thường trú» không tiếp nhận tại quầy một cửa (do Công an cấp xã thực hiện)"), "{}", stderr(&out));
    // A procedure the list has a term for is received; one it has none for says why.
    let v = received(receive(
        &d,
        "1.004873",
        &["--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(v["procedure"]["term"], "3wd");
    assert_eq!(
        v["procedure"]["catalog_version"],
        "vinh-bao-2026.09.29+dvcqg-20260718"
    );
    assert_eq!(
        v["procedure"]["term_source"],
        json!({"kind": "catalogue", "text": "Trường hợp 1.004873.01: 3 ngày làm việc"})
    );
    assert_eq!(v["procedure"]["case"]["code"], "1.004873.01");
    assert_eq!(
        v["due_at"], "2026-11-27T09:00:00",
        "3 working days, 24/11 off"
    );
    // 1.000464 is not in the national catalogue: no term, and the refusal says why.
    let out = receive(&d, "1.000464", &[]);
    assert!(stderr(&out).contains("Thời hạn giải quyết: thủ tục 1.000464 chưa có thời hạn giải quyết trong danh mục (thủ tục không có trong CSDL quốc gia về TTHC: chưa có thời hạn giải quyết); hãy ghi thời hạn theo văn bản niêm yết"), "{}", stderr(&out));
    // The clerk gives the term from the posted listing: received, due as that term says,
    // and the dossier keeps that the term was typed.
    let v = received(receive(
        &d,
        "1.000464",
        &[
            "--term",
            "5 ngày làm việc",
            "--received-at",
            "2026-11-23T09:00",
        ],
    ));
    assert_eq!(v["procedure"]["term"], "5wd");
    assert_eq!(
        v["procedure"]["term_source"],
        json!({"kind": "typed", "text": "5 ngày làm việc"})
    );
    assert_eq!(
        v["due_at"], "2026-12-01T09:00:00",
        "5 working days, 24/11 off"
    );
    let out = receive(&d, "1.000464", &["--term", "năm ngày"]);
    assert!(
        stderr(&out).contains("Thời hạn giải quyết:"),
        "{}",
        stderr(&out)
    );
    // Where the list has a confirmed term, a typed one is refused, not silently dropped.
    let out = receive(&d, "1.004873", &["--term", "1 ngày"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("danh mục đã có thời hạn 3 ngày làm việc"),
        "{}",
        stderr(&out)
    );
    let out = ok(motcua(&d).args(["catalog", "show", "2.000635"]));
    assert!(out.contains("Trường hợp 2.000635.01: Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh\n  Trực tiếp: 15 ngày làm việc"), "{out}");
}

#[test]
fn national_records_import_and_the_case_and_channel_give_the_appointment() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    new_station(&d);
    let shipped = current_version(&d);
    // One record exactly as the portal answers it, the same as the shipped one: nothing
    // changes, and it says so.
    let before = counts(&d);
    let out = ok(motcua(&d)
        .arg("catalog")
        .arg("import")
        .arg(fixture("1.001193")));
    assert_eq!(
        out,
        format!(
            "bản ghi 1 (1.001193): không đổi\nKhông có gì thay đổi (0 thêm, 0 cập nhật, 1 không đổi, 0 từ chối): danh mục hiện hành vẫn là phiên bản {shipped}.\n"
        )
    );
    assert_eq!(counts(&d), before);
    // The same record with both cases at 2 working days: that procedure's entry is
    // replaced, every other procedure stays receivable.
    let mut two = record("1.001193");
    for case in two["data"]["cases"].as_array_mut().unwrap() {
        case["processingDay"]["qty"] = 2.into();
    }
    let file = write_json(tmp.path(), "two.json", &two);
    let out = ok(motcua(&d).arg("catalog").arg("import").arg(&file));
    assert!(
        out.starts_with(
            "bản ghi 1 (1.001193): cập nhật\nĐã nạp danh mục phiên bản dvcqg-20260415-"
        ),
        "{out}"
    );
    assert!(
        out.contains("(0 thêm, 1 cập nhật, 0 không đổi, 0 từ chối); danh mục hiện hành có 287 thủ tục, 274 tiếp nhận tại quầy"),
        "{out}"
    );
    let version = current_version(&d);
    let v = received(receive(
        &d,
        "1.001193",
        &["--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(
        (v["procedure"]["term"].as_str(), v["due_at"].as_str()),
        (Some("2wd"), Some("2026-11-26T09:00:00")),
        "2 working days, 24/11 off"
    );
    assert_eq!(v["procedure"]["catalog_version"], version.as_str());
    let v = received(receive(
        &d,
        "1.004873",
        &["--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(v["procedure"]["term"], "3wd", "the rest of the list stays");
    // The five as an array: 1.009122 (not in the commune's list) is added, 1.001193
    // goes back to the published record, the rest are as shipped.
    let file = five(tmp.path());
    let out = ok(motcua(&d).arg("catalog").arg("import").arg(&file));
    for line in [
        "bản ghi 1 (1.001193): cập nhật",
        "bản ghi 3 (2.000635): không đổi",
        "bản ghi 4 (1.009122): thêm mới",
        "bản ghi 5 (1.004222): không đổi",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    assert!(
        out.contains(
            "danh mục hiện hành có 288 thủ tục, 275 tiếp nhận tại quầy, 13 không tiếp nhận tại quầy"
        ),
        "{out}"
    );
    let version = current_version(&d);
    assert!(version.starts_with("dvcqg-20260617-"), "{version}");
    // Again: nothing happens, and it says so.
    let before = counts(&d);
    let out = ok(motcua(&d).arg("catalog").arg("import").arg(&file));
    assert!(
        out.ends_with(&format!(
            "Không có gì thay đổi (0 thêm, 0 cập nhật, 5 không đổi, 0 từ chối): danh mục hiện hành vẫn là phiên bản {version}.\n"
        )),
        "{out}"
    );
    assert_eq!(counts(&d), before);

    // Case 2.000635.01, 15 working days, received Monday 23/11/2026 09:00; Tuesday 24/11
    // (Ngày Văn hóa Việt Nam) is off: the engine says Tuesday 15/12 09:00.
    let engine = ok(motcua(&d).args([
        "calendar",
        "due",
        "--received",
        "2026-11-23T09:00",
        "--term",
        "15wd",
    ]));
    assert!(engine.contains("15/12/2026"), "{engine}");
    let v = received(receive(
        &d,
        "2.000635",
        &["--case", "2.000635.01", "--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(v["procedure"]["term"], "15wd");
    assert_eq!(
        v["procedure"]["case"],
        json!({"code": "2.000635.01", "name": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"})
    );
    assert_eq!(v["due_at"], "2026-12-15T09:00:00");
    let first = v["code"].as_str().unwrap().to_string();
    // Case .02 is one calendar day: Friday 20/11 → Saturday, so Monday 23/11 at closing.
    let v = received(receive(
        &d,
        "2.000635",
        &["--case", "02", "--received-at", "2026-11-20T10:00"],
    ));
    assert_eq!(
        (v["procedure"]["term"].as_str(), v["due_at"].as_str()),
        (Some("1d"), Some("2026-11-23T17:00:00"))
    );
    // The building permit by post: the channel has two variants (15 and 10 days), the
    // case's 10 days is one of them: 10 days for a house in town, from Monday 23/11 →
    // Thursday 03/12.
    let v = received(receive(
        &d,
        "1.009122",
        &[
            "--case",
            "1.009122.12",
            "--channel",
            "postal",
            "--post-address",
            "Thôn Đông, xã Vĩnh Bảo",
            "--received-at",
            "2026-11-23T09:00",
        ],
    ));
    assert_eq!(
        (v["procedure"]["term"].as_str(), v["due_at"].as_str()),
        (Some("10d"), Some("2026-12-03T17:00:00"))
    );
    // Without the case, the permit and the extract are refused, naming the field.
    for code in ["1.009122", "2.000635"] {
        let out = receive(&d, code, &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains(&format!("Trường hợp: thủ tục {code} có")),
            "{}",
            stderr(&out)
        );
    }
    let out = receive(&d, "2.000635", &["--case", "2.000635.07"]);
    assert!(stderr(&out).contains("Trường hợp: thủ tục 2.000635 không có trường hợp «2.000635.07» (hoặc mã này dùng cho nhiều trường hợp); các trường hợp: 2.000635.01 (15 ngày làm việc), 2.000635.02 (1 ngày), 2.000635.03 (1 ngày làm việc), 2.000635.04 (1 ngày làm việc)"), "{}", stderr(&out));

    // A newer record (case .01 cut to 10 working days) makes a new current version; the
    // dossier received before keeps its version, term and appointment.
    let mut changed = record("2.000635");
    for case in changed["data"]["cases"].as_array_mut().unwrap() {
        if case["code"] == "2.000635.01" {
            case["processingDay"]["qty"] = 10.into();
        }
    }
    let newer = write_json(tmp.path(), "newer.json", &changed);
    let out = ok(motcua(&d).arg("catalog").arg("import").arg(&newer));
    assert!(out.starts_with("bản ghi 1 (2.000635): cập nhật"), "{out}");
    let v2 = current_version(&d);
    assert_ne!(v2, version);
    let old = json_of(&ok(motcua(&d).args(["show", &first, "--json"])));
    assert_eq!(old["procedure"]["catalog_version"], version.as_str());
    assert_eq!(old["procedure"]["term"], "15wd");
    assert_eq!(old["due_at"], "2026-12-15T09:00:00");
    let v = received(receive(
        &d,
        "2.000635",
        &["--case", "2.000635.01", "--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(v["procedure"]["catalog_version"], v2.as_str());
    assert_eq!(
        (v["procedure"]["term"].as_str(), v["due_at"].as_str()),
        (Some("10wd"), Some("2026-12-08T09:00:00"))
    );
    // The register still verifies.
    ok(motcua(&d).arg("verify"));
}

#[test]
fn a_broken_record_is_named_and_the_others_are_imported_unless_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    new_station(&d);
    let shipped = current_version(&d);
    let before = counts(&d);
    // Two records: a good one (2.000635 with case .01 at 10 working days) and a broken
    // one (a case's term that is no number).
    let mut good = record("2.000635");
    for case in good["data"]["cases"].as_array_mut().unwrap() {
        if case["code"] == "2.000635.01" {
            case["processingDay"]["qty"] = 10.into();
        }
    }
    let mut bad = record("1.009122");
    bad["data"]["cases"][2]["processingDay"]["qty"] = json!({"số": "một"});
    let file = write_json(tmp.path(), "mixed.json", &json!([bad, good]));
    // --strict: every refused record named, nothing stored.
    let out = run(motcua(&d)
        .arg("catalog")
        .arg("import")
        .arg(&file)
        .arg("--strict"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("có 1 bản ghi bị từ chối, không nạp gì (--strict)"),
        "{err}"
    );
    assert!(
        err.contains("bản ghi số 1 (mã 1.009122), trường «cases[2].processingDay.qty»: phải là số"),
        "{err}"
    );
    assert_eq!(counts(&d), before, "nothing stored");
    assert_eq!(current_version(&d), shipped);
    // Without it: the broken one is named, the good one is taken.
    let out = ok(motcua(&d).arg("catalog").arg("import").arg(&file));
    assert!(
        out.starts_with("bản ghi 1 (1.009122): TỪ CHỐI — bản ghi số 1 (mã 1.009122), trường «cases[2].processingDay.qty»: phải là số\nbản ghi 2 (2.000635): cập nhật\n"),
        "{out}"
    );
    assert!(
        out.contains("(0 thêm, 1 cập nhật, 0 không đổi, 1 từ chối)"),
        "{out}"
    );
    let v = received(receive(
        &d,
        "2.000635",
        &["--case", "01", "--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(v["procedure"]["term"], "10wd");
    let out = receive(&d, "1.009122", &[]);
    assert!(
        stderr(&out).contains("không có thủ tục mã «1.009122»"),
        "{}",
        stderr(&out)
    );
    // Not a catalogue at all.
    let file = write_json(tmp.path(), "other.json", &json!({"hello": "world"}));
    let err = stderr(&run(motcua(&d).arg("catalog").arg("import").arg(&file)));
    assert!(err.contains("không nhận ra định dạng tệp"), "{err}");
    // A version label already used for other content.
    let named = |f: &Path| {
        run(motcua(&d)
            .arg("catalog")
            .arg("import")
            .arg(f)
            .args(["--version", "xa-2026.12"]))
    };
    assert!(named(&fixture("1.009122")).status.success());
    let mut other = record("2.000635");
    other["data"]["cases"][0]["processingDay"]["qty"] = 9.into();
    let other = write_json(tmp.path(), "other-635.json", &other);
    let out = named(&other);
    assert!(
        stderr(&out).contains("danh mục phiên bản xa-2026.12 đã có với nội dung khác"),
        "{}",
        stderr(&out)
    );
    // Residence offered on request.
    let out = ok(motcua(&d)
        .arg("catalog")
        .arg("import")
        .arg(fixture("1.004222"))
        .arg("--offer-hidden"));
    assert!(out.contains("bản ghi 1 (1.004222): cập nhật"), "{out}");
    let v = received(receive(
        &d,
        "1.004222",
        &["--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(v["procedure"]["case"]["code"], "1.004222.01");
    assert_eq!(v["procedure"]["term"], "7wd");
}

#[test]
fn the_crawlers_wrapper_imports_and_the_channel_gives_the_published_term() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    new_station(&d);
    // 1.010801, as the crawler stored it ({id, code, name, detail}): trực tiếp 10 ngày,
    // bưu chính 20 ngày, one case of 20 ngày. The channel distinguishes; the single case
    // does not: direct is 10 days.
    let out = ok(motcua(&d)
        .arg("catalog")
        .arg("import")
        .arg(fixture("1.010801.crawl")));
    assert!(out.starts_with("bản ghi 1 (1.010801): thêm mới"), "{out}");
    let direct = received(receive(
        &d,
        "1.010801",
        &["--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(
        (
            direct["procedure"]["term"].as_str(),
            direct["due_at"].as_str()
        ),
        (Some("10d"), Some("2026-12-03T17:00:00"))
    );
    assert_eq!(
        direct["procedure"]["term_source"],
        json!({"kind": "catalogue", "text": "Trực tiếp: 10 ngày"})
    );
    let postal = received(receive(
        &d,
        "1.010801",
        &["--channel", "postal", "--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(
        (
            postal["procedure"]["term"].as_str(),
            postal["due_at"].as_str()
        ),
        (Some("20d"), Some("2026-12-14T17:00:00")),
        "20 days is Sunday 13/12: Monday"
    );
    // 1.004837: one case of 5 working days against 3 on every channel. Neither is more
    // specific: the clerk is asked, with the published texts, and the choice is kept.
    ok(motcua(&d)
        .arg("catalog")
        .arg("import")
        .arg(fixture("1.004837")));
    let out = receive(&d, "1.004837", &["--received-at", "2026-11-23T09:00"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Thời hạn giải quyết: trường hợp 1.004837.01 có các thời hạn công bố khác nhau cho hình thức trực tiếp; hãy chọn một: 1) Trực tiếp: 3 ngày làm việc; 2) Trường hợp 1.004837.01: 5 ngày làm việc"), "{}", stderr(&out));
    let v = received(receive(
        &d,
        "1.004837",
        &["--term-choice", "1", "--received-at", "2026-11-23T09:00"],
    ));
    assert_eq!(
        (v["procedure"]["term"].as_str(), v["due_at"].as_str()),
        (Some("3wd"), Some("2026-11-27T09:00:00"))
    );
    assert_eq!(
        v["procedure"]["term_source"],
        json!({"kind": "catalogue", "text": "Trực tiếp: 3 ngày làm việc", "chosen": true})
    );
    // 1.004946, a child-protection order "trong vòng 12 giờ", executed by the commune
    // chairman as well as the police: offered, direct only, 12 hours of the clock.
    ok(motcua(&d)
        .arg("catalog")
        .arg("import")
        .arg(fixture("1.004946.crawl")));
    let v = received(receive(
        &d,
        "1.004946",
        &["--received-at", "2026-11-27T16:30"],
    ));
    assert_eq!(
        (v["procedure"]["term"].as_str(), v["due_at"].as_str()),
        (Some("12h"), Some("2026-11-28T04:30:00"))
    );
    let out = receive(
        &d,
        "1.004946",
        &["--channel", "postal", "--post-address", "Thôn Đông"],
    );
    assert!(stderr(&out).contains("Hình thức nộp: thủ tục 1.004946 không nhận hồ sơ qua bưu chính; bản ghi chỉ công bố cách thức: trực tiếp"), "{}", stderr(&out));
    ok(motcua(&d).arg("verify"));
}
