//! The register encrypted at rest, from the command line: an old plain register (a
//! version-1 database with its -wal, upgraded) encrypted with its upgrade copy and a
//! backup kept elsewhere, after which no citizen's name or ID number is anywhere in the
//! raw bytes of the data directory or the backups; the register opened only with an
//! account's password or the recovery code (MOTCUA_PASSWORD_FILE), and backups made
//! afterwards encrypted too and restorable.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const OLD_NAME: &str = "Nguyễn Văn An";
const NEW_NAME: &str = "Phạm Thị Thu Hà";
const NEW_ID: &str = "038199012345";

/// Every file under `dir` (recursively) whose raw bytes hold `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            found.extend(files_holding(&p, needle));
        } else if std::fs::read(&p)
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
        {
            found.push(p);
        }
    }
    found
}

/// A file holding `secret` (owner-only), as MOTCUA_PASSWORD_FILE names it.
fn secret_file(dir: &Path, name: &str, secret: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{secret}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    p
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn an_old_plain_register_is_encrypted_with_its_copies_and_opens_only_with_a_secret() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let elsewhere = root.path().join("usb");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/counter-v1");
    for f in std::fs::read_dir(&fixture).unwrap().flatten() {
        std::fs::copy(f.path(), dir.join(f.file_name())).unwrap();
    }
    // The first command upgrades it (keeping a plain `.v1.bak` beside it).
    let out = run_with_stdin(
        motcua(&dir).args([
            "user",
            "add",
            "boss",
            "--full-name",
            "Hoàng Văn Bảo",
            "--role",
            "admin",
            "--password-stdin",
        ]),
        "mật khẩu của Bảo\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("motcua.sqlite.v1.bak").exists());
    ok(motcua(&dir).args(["config", "set", "max-backdate-days", "3660"]));
    let code = receive_with_id(&dir, NEW_NAME, NEW_ID, &[]);
    let backup = elsewhere.join("truoc-ma-hoa.sqlite");
    ok(motcua(&dir).arg("backup").arg("-o").arg(&backup));
    // The probe works: the plain files hold both names.
    assert!(!files_holding(&dir, OLD_NAME).is_empty());
    assert!(!files_holding(&dir, NEW_NAME).is_empty());
    assert!(!files_holding(&elsewhere, NEW_NAME).is_empty());

    // Refused: no admin named, a clerk, a wrong password. The register stays plain.
    let out = run_with_stdin(motcua(&dir).args(["encrypt", "--password-stdin"]), "x\n");
    assert!(
        !out.status.success() && text(&out).contains("--as"),
        "{}",
        text(&out)
    );
    let out = run_with_stdin(
        motcua(&dir).args(["--as", "boss", "encrypt", "--password-stdin"]),
        "sai mật khẩu\n",
    );
    assert!(
        !out.status.success() && text(&out).contains("không đúng"),
        "{}",
        text(&out)
    );
    assert!(ok(motcua(&dir).args(["encrypt", "--status"])).contains("CHƯA được mã hóa"));

    let out = run_with_stdin(
        motcua(&dir)
            .args(["--as", "boss", "encrypt", "--password-stdin", "--copy"])
            .arg(&backup),
        "mật khẩu của Bảo\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let recovery = said
        .lines()
        .find_map(|l| {
            l.strip_prefix("Mã khôi phục")
                .map(|r| r.rsplit(' ').next().unwrap().to_string())
        })
        .expect("the recovery code is shown");
    assert_eq!(recovery.len(), 39, "{said}");
    assert!(
        said.contains("truoc-ma-hoa.sqlite") && said.contains("motcua.sqlite.v1.bak"),
        "{said}"
    );

    // Noise: nothing in the data directory or the backup names anyone any more.
    for needle in [OLD_NAME, NEW_NAME, NEW_ID, "Hoàng Văn Bảo"] {
        assert_eq!(
            files_holding(&dir, needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
        assert_eq!(
            files_holding(&elsewhere, needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }

    // Locked without a secret, with the way in said; refused with a wrong one.
    let out = run(motcua(&dir).arg("list"));
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("đã được mã hóa") && text(&out).contains("MOTCUA_PASSWORD_FILE"));
    let wrong = secret_file(root.path(), "sai", "mật khẩu sai");
    let out = run(motcua(&dir).arg("list").env("MOTCUA_PASSWORD_FILE", &wrong));
    assert!(
        !out.status.success() && text(&out).contains("không mở được"),
        "{}",
        text(&out)
    );

    // The admin's password opens it: everything reads, searches and verifies as before.
    let pw = secret_file(root.path(), "pw", "mật khẩu của Bảo");
    let open = |args: &[&str]| ok(motcua(&dir).args(args).env("MOTCUA_PASSWORD_FILE", &pw));
    let list = open(&["list"]);
    assert!(list.contains(OLD_NAME) && list.contains(NEW_NAME), "{list}");
    assert!(open(&["list", "--search", "thu ha"]).contains(&code));
    assert!(open(&["verify"]).contains("Nhật ký toàn vẹn"));
    let status = open(&["encrypt", "--status"]);
    assert!(
        status.contains("«boss»") && status.contains("mã khôi phục"),
        "{status}"
    );
    let later = receive_after(&dir, &pw, "Đỗ Minh Khôi");
    assert_eq!(files_holding(&dir, "Đỗ Minh Khôi"), Vec::<PathBuf>::new());

    // A backup made now is encrypted, and restores.
    let after = elsewhere.join("sau-ma-hoa.sqlite");
    open(&["backup", "-o", after.to_str().unwrap()]);
    assert_eq!(
        files_holding(&elsewhere, "Đỗ Minh Khôi"),
        Vec::<PathBuf>::new()
    );
    assert!(open(&["restore", after.to_str().unwrap()]).contains("Đã khôi phục"));
    assert!(open(&["show", &later]).contains("Đỗ Minh Khôi"));
    for needle in [OLD_NAME, NEW_NAME, "Đỗ Minh Khôi"] {
        assert_eq!(
            files_holding(&dir, needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }

    // The recovery code opens it too.
    let rec = secret_file(root.path(), "rec", &recovery.to_lowercase());
    assert!(ok(motcua(&dir).arg("list").env("MOTCUA_PASSWORD_FILE", &rec)).contains(NEW_NAME));
}

fn receive_after(dir: &Path, pw: &Path, name: &str) -> String {
    let out = ok(motcua(dir)
        .args(receive_args(name))
        .arg("--json")
        .env("MOTCUA_PASSWORD_FILE", pw));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["code"].as_str().unwrap().to_string()
}
