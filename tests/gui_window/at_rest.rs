//! The encrypted register in the real window under Xvfb: opened by the keyboard sign-in,
//! a whole ID number typed in F2 logged masked with the opening.

use super::*;

/// A file holding `secret` (owner-only), for MOTCUA_PASSWORD_FILE.
fn secret_file(dir: &Path, secret: &str) -> PathBuf {
    let p = dir.join("mat-khau");
    std::fs::write(&p, format!("{secret}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

#[test]
fn an_encrypted_register_opens_at_the_sign_in_and_a_whole_number_typed_is_logged_masked() {
    if !tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    station(&dir, 1);
    add_account(&dir, "boss", "Hà Văn Bảo", "admin", "boss-mot-cua-2026");
    let hang = receive_with_id(&dir, "Đặng Thị Hằng", "038199012345", &[]);
    receive_with_id(&dir, "Lê Văn Cường", "001088054321", &[]);
    let enc = run_with_stdin(
        motcua(&dir).args(["--as", "boss", "encrypt", "--password-stdin"]),
        "boss-mot-cua-2026\n",
    );
    assert!(enc.status.success());
    let name = "Đặng Thị Hằng".as_bytes();
    let raw = std::fs::read(dir.join("motcua.sqlite")).unwrap();
    assert!(!raw.windows(name.len()).any(|w| w == name), "encrypted");

    // Linux has no Windows account to open it: the sign-in does, by keyboard.
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let x = Xvfb::start();
    let w = Window::open(&x, &dir, "encrypted");
    w.type_text("boss");
    w.key("Return");
    w.type_text("boss-mot-cua-2026");
    w.key("Return");
    std::thread::sleep(Duration::from_millis(1500));
    w.key("F2");
    std::thread::sleep(Duration::from_millis(500));
    w.type_text("038199012345");
    std::thread::sleep(Duration::from_millis(800));
    w.key("Return");
    std::thread::sleep(Duration::from_millis(1000));
    w.screenshot("encrypted-dossier");

    // The window logged the search (masked) and the opening under the admin signed in.
    let pw = secret_file(tmp.path(), "boss-mot-cua-2026");
    let start = Instant::now();
    let seen = loop {
        let log: Value = serde_json::from_str(&ok(motcua(&dir)
            .args(["access-log", "--json"])
            .env("MOTCUA_PASSWORD_FILE", &pw)))
        .unwrap();
        let seen: Vec<(String, String, String)> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["clerk"] == "boss")
            .map(|e| {
                (
                    e["access"]["action"].as_str().unwrap().to_string(),
                    e["access"]["what"].as_str().unwrap_or_default().to_string(),
                    e["access"]["dossiers"].to_string(),
                )
            })
            .collect();
        if seen.iter().any(|s| s.0 == "view") {
            break seen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the window logged {seen:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        seen.iter()
            .any(|s| s.0 == "search" && s.1 == "Tìm «038*******45»" && s.2.contains(&hang)),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|s| s.0 == "view" && s.2.contains(&hang)),
        "{seen:?}"
    );
    assert!(
        seen.iter().all(|s| !s.1.contains("038199012345")),
        "{seen:?}"
    );
    drop(w);
    let raw = std::fs::read(dir.join("motcua.sqlite")).unwrap();
    assert!(
        !raw.windows(name.len()).any(|w| w == name),
        "still encrypted"
    );
}
