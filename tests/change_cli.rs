//! The rules the window keeps hold on the command line too, because they live in the
//! application layer: admin-only actions refused for a clerk (`--as`), the apology only for
//! a late dossier and only once, its new appointment recorded and seen on the hub's lookup
//! page, a change carrying its form, and a withdrawal pulled from the hub keeping Mẫu 05.

mod common;

use common::{
    Backend, Hub, http, motcua, ok, receive_marriage_status, run, station, with_postgres,
    with_sqlite,
};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

fn add_user(dir: &Path, acting: Option<&str>, user: &str, role: &str) -> std::process::Output {
    let mut c = motcua(dir);
    if let Some(a) = acting {
        c.args(["--as", a]);
    }
    c.args([
        "user",
        "add",
        user,
        "--full-name",
        "Vũ Minh",
        "--role",
        role,
    ])
    .arg("--password-stdin")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("mật khẩu của minh\n".as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn admin_only_actions_are_refused_for_a_clerk_as_in_the_window() {
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1); // `lan` is a clerk.
    // The data directory's owner makes the first admin.
    let o = add_user(d.path(), None, "minh", "admin");
    assert!(o.status.success(), "{}", stderr(&o));
    let refused = |o: std::process::Output| {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("chỉ quản trị viên"), "{}", stderr(&o));
    };
    refused(run(
        motcua(d.path()).args(["--as", "lan", "config", "set", "copies", "2"])
    ));
    refused(add_user(d.path(), Some("lan"), "hoa", "clerk"));
    let bak = d.path().join("bak.sqlite");
    refused(run(motcua(d.path())
        .args(["--as", "lan", "backup", "-o"])
        .arg(&bak)));
    assert!(!bak.exists());
    let cat = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalog/commune-procedures.json");
    refused(run(motcua(d.path())
        .args(["--as", "lan", "catalog", "import"])
        .arg(&cat)));
    // An unknown account is refused too; nothing changed.
    let o = run(motcua(d.path()).args(["--as", "khong-co", "config", "set", "copies", "2"]));
    assert_eq!(o.status.code(), Some(1));
    let show = ok(motcua(d.path()).args(["config", "show", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["copies"], "1", "{v}");
    // The admin may.
    ok(motcua(d.path()).args(["--as", "minh", "config", "set", "copies", "2"]));
    let o = add_user(d.path(), Some("minh"), "hoa", "clerk");
    assert!(o.status.success(), "{}", stderr(&o));
    ok(motcua(d.path())
        .args(["--as", "minh", "backup", "-o"])
        .arg(&bak));
    assert!(bak.exists());
}

#[test]
fn the_apology_is_for_a_late_dossier_once_and_a_change_keeps_its_form() {
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    let out = |n: &str| d.path().join(n);
    let apology = |code: &str, due: &str, file: &str| {
        run(motcua(d.path())
            .args(["form", "apology", code, "--reason", "Cần xác minh thêm"])
            .args(["--new-due", due, "--clerk", "lan", "-o"])
            .arg(out(file)))
    };
    // Received today, due in three working days: not late.
    let fresh = receive_marriage_status(d.path(), "Vũ Văn Hải", None);
    let o = apology(&fresh, "2030-01-10T16:00", "a.pdf");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("chưa trễ hạn"), "{}", stderr(&o));
    assert!(!out("a.pdf").exists());
    // Received 20/11/2026, due Thu 26/11 09:00: late whenever this runs after it.
    let late = receive_marriage_status(d.path(), "Đỗ Thị Mai", Some("2026-11-20T09:00"));
    let o = apology(&late, "2026-11-25T09:00", "b.pdf");
    assert!(
        stderr(&o).contains("phải sau ngày hẹn cũ"),
        "{}",
        stderr(&o)
    );
    let new_due = (chrono::Local::now() + chrono::Duration::days(5))
        .format("%Y-%m-%dT16:00")
        .to_string();
    let o = apology(&late, &new_due, "c.pdf");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = common::pdftotext(&out("c.pdf"));
    assert!(text.contains("Cần xác minh thêm"), "{text}");
    let shown: serde_json::Value =
        serde_json::from_str(&ok(motcua(d.path()).args(["show", &late, "--json"]))).unwrap();
    assert_eq!(shown["due_at"], format!("{new_due}:00"), "{shown}");
    assert_eq!(shown["overdue"], false, "{shown}");
    let o = apology(&late, "2031-01-10T16:00", "d.pdf");
    assert!(stderr(&o).contains("một lần"), "{}", stderr(&o));
    // A withdrawal at the command line keeps its Mẫu 05, as the window prints it.
    let said = ok(motcua(d.path()).args([
        "transition",
        &fresh,
        "withdrawn",
        "--clerk",
        "lan",
        "--note",
        "Công dân xin rút",
    ]));
    assert!(said.contains("thông báo dừng giải quyết hồ sơ"), "{said}");
    let year = &fresh[14..16];
    let kept = d
        .path()
        .join(format!("receipts/20{year}"))
        .join(format!("{fresh}-mau05.pdf"));
    assert!(kept.exists(), "{said}");
    // A refusal needs its reason on the command line as in the window.
    let other = receive_marriage_status(d.path(), "Lê Văn Tùng", None);
    let o = run(motcua(d.path()).args(["transition", &other, "refused", "--clerk", "lan"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("lý do từ chối"), "{}", stderr(&o));
    ok(motcua(d.path()).arg("verify"));
}

#[test]
fn an_extension_reaches_the_lookup_page_sqlite() {
    with_sqlite(extension_reaches_the_lookup_page);
}

#[test]
fn an_extension_reaches_the_lookup_page_postgres() {
    with_postgres("change_cli_extension", extension_reaches_the_lookup_page);
}

fn extension_reaches_the_lookup_page(b: &Backend) {
    let hub = Hub::start(b);
    let d = tempfile::tempdir().unwrap();
    station(d.path(), 1);
    hub.enroll(d.path(), 1);
    let code = receive_marriage_status(d.path(), "Đỗ Thị Mai", Some("2026-11-20T09:00"));
    let gone = receive_marriage_status(d.path(), "Vũ Văn Hải", None);
    ok(motcua(d.path()).args(["sync", "--once"]));
    let secret = |code: &str| -> String {
        let v: serde_json::Value =
            serde_json::from_str(&ok(motcua(d.path()).args(["show", code, "--json"]))).unwrap();
        v["lookup_secret"].as_str().unwrap().to_string()
    };
    let page = |code: &str| {
        let q = format!("/tra-cuu?ma={code}&mk={}", secret(code)).replace('#', "%23");
        let (st, body) = http(hub.port, "GET", &q, &[], b"");
        assert_eq!(st, 200);
        String::from_utf8(body).unwrap()
    };
    assert!(page(&code).contains("09:00 thứ Năm, 26/11/2026"));
    ok(motcua(d.path())
        .args(["form", "apology", &code, "--reason", "Chờ xác minh"])
        .args(["--new-due", "2027-01-08T16:00", "--clerk", "lan", "-o"])
        .arg(d.path().join("04.pdf")));
    ok(motcua(d.path()).args(["sync", "--once"]));
    let p = page(&code);
    assert!(
        p.contains("16:00 thứ Sáu, 08/01/2027<span class=\"moved\">Đã hẹn lại; hẹn ban đầu: 09:00 thứ Năm, 26/11/2026"),
        "{p}"
    );

    // The province withdraws the other dossier: the next sync keeps its Mẫu 05 and says so.
    hub.admin(&["status", "set", &gone, "withdrawn"]);
    let o = run(motcua(d.path()).args(["sync", "--once"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(said.contains(&gone) && said.contains("Mẫu 05"), "{said}");
    let year = &gone[14..16];
    let kept = d
        .path()
        .join(format!("receipts/20{year}"))
        .join(format!("{gone}-mau05.pdf"));
    let text = common::pdftotext(&kept);
    assert!(text.contains("THÔNG BÁO"), "{text}");
    assert!(text.contains("Vũ Văn Hải"), "{text}");
    ok(motcua(d.path()).arg("verify"));
}
