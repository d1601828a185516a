//! What the real binary writes: files the user names (never over an existing file without
//! --force, never through a symbolic link, never half a file on a full disk) and stdout
//! (a full or closed stdout never turns a saved dossier into a panic and a retry).

mod common;

use common::{motcua, ok, receive, receive_args, run, seed, station};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How many dossiers of the register carry applicant `name`.
fn count_named(dir: &Path, name: &str) -> usize {
    let out = ok(motcua(dir).args(["list", "--search", name, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array().unwrap().len()
}

/// Every entry of `dir` (names), sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The commands that write a file the user names, each to `out`.
fn writers(code: &str, out: &Path) -> Vec<Vec<String>> {
    let o = out.display().to_string();
    vec![
        vec!["receipt".into(), code.into(), "-o".into(), o.clone()],
        vec![
            "form".into(),
            "refusal".into(),
            code.into(),
            "--reason".into(),
            "thiếu giấy tờ".into(),
            "-o".into(),
            o.clone(),
        ],
        vec![
            "ledger".into(),
            "--from".into(),
            "2026-01-01".into(),
            "--to".into(),
            "2027-12-31".into(),
            "-o".into(),
            o.clone(),
        ],
        vec!["backup".into(), "-o".into(), o],
    ]
}

#[test]
fn an_existing_file_is_refused_unless_forced() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let code = receive(&dir, "Nguyễn Văn An");
    let outdir = t.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let out = outdir.join("existing");
    for args in writers(&code, &out) {
        std::fs::write(&out, b"the citizen's scanned letter").unwrap();
        let r = run(motcua(&dir).args(&args));
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("đã có") && err.contains("--force"), "{err}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"the citizen's scanned letter"
        );
        ok(motcua(&dir).args(&args).arg("--force"));
        let bytes = std::fs::read(&out).unwrap();
        assert!(
            bytes.starts_with(b"%PDF") || bytes.starts_with(b"SQLite format 3"),
            "{args:?} replaced the file"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{args:?}");
        }
        assert_eq!(
            listing(&outdir),
            ["existing"],
            "{args:?}: no temp file left"
        );
        // A new name needs no --force.
        std::fs::remove_file(&out).unwrap();
        ok(motcua(&dir).args(&args));
        assert!(out.exists());
        std::fs::remove_file(&out).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_written_through_even_with_force() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let code = receive(&dir, "Nguyễn Văn An");
    let outdir = t.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let target = outdir.join("target.txt");
    let link = outdir.join("link.pdf");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for args in writers(&code, &link) {
        std::fs::write(&target, b"keep me").unwrap();
        for force in [false, true] {
            let mut cmd = motcua(&dir);
            cmd.args(&args);
            if force {
                cmd.arg("--force");
            }
            let r = run(&mut cmd);
            let err = String::from_utf8_lossy(&r.stderr);
            assert_eq!(r.status.code(), Some(1), "{args:?} {force}: {err}");
            assert!(err.contains("liên kết tượng trưng"), "{err}");
            assert_eq!(std::fs::read(&target).unwrap(), b"keep me", "{args:?}");
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        }
    }
    // A dangling link: refused too, nothing created where it points.
    std::fs::remove_file(&target).unwrap();
    let r = run(motcua(&dir).args(["receipt", &code, "-o"]).arg(&link));
    assert_eq!(r.status.code(), Some(1));
    assert!(!target.exists());
    assert_eq!(listing(&outdir), ["link.pdf"]);
}

/// `motcua args…` with the file size limit at `blocks` × 512 bytes (`ulimit -f`): a write
/// past it fails with EFBIG, as on a full disk (SIGXFSZ ignored, so the write reports it).
fn with_file_limit(dir: &Path, blocks: u32, args: &[String]) -> std::process::Output {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("MOTCUA_DATA_DIR")
        .output()
        .expect("sh runs");
    assert_ne!(
        out.status.code(),
        None,
        "killed by a signal: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_full_disk_leaves_no_partial_file() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    let code = receive(&dir, "Nguyễn Văn An");
    // Enough dossiers that the ledger and the backup are far over the limit, which stays
    // above what SQLite needs to open the register (its 32 KiB -shm).
    seed(&dir, 200, 7);
    let limit = 120; // 61,440 bytes
    let outdir = t.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let out = outdir.join("file");
    for args in writers(&code, &out).into_iter().skip(2) {
        let r = with_file_limit(&dir, limit, &args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("Lỗi:"), "{err}");
        assert!(
            listing(&outdir).is_empty(),
            "{args:?}: {:?}",
            listing(&outdir)
        );
        // Without the limit the same command writes the whole file.
        ok(motcua(&dir).args(&args));
        assert!(std::fs::metadata(&out).unwrap().len() > limit as u64 * 512);
        std::fs::remove_file(&out).unwrap();
    }
    // The receipt's copy kept for reprint is written first: it fails the same way and
    // leaves neither a partial kept copy nor the output.
    let receipts = dir.join("receipts");
    if receipts.exists() {
        std::fs::remove_dir_all(&receipts).unwrap();
    }
    let args: Vec<String> = vec![
        "receipt".into(),
        code.clone(),
        "-o".into(),
        out.display().to_string(),
    ];
    let r = with_file_limit(&dir, 80, &args); // 40 KiB: over the -shm, under a receipt (~55 KiB)
    assert_eq!(
        r.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(listing(&outdir).is_empty(), "{:?}", listing(&outdir));
    let year: PathBuf = std::fs::read_dir(&receipts)
        .unwrap()
        .next()
        .expect("the year folder")
        .unwrap()
        .path();
    assert!(
        listing(&year).is_empty(),
        "kept copies: {:?}",
        listing(&year)
    );
    ok(motcua(&dir).args(&args));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert_eq!(listing(&year).len(), 1);
}

/// Runs `motcua args…` with stdout a pipe whose reading end is already closed.
fn with_closed_stdout(dir: &Path, args: &[String]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    motcua(dir)
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Runs `motcua args…` with stdout on /dev/full (every write: ENOSPC).
fn with_full_stdout(dir: &Path, args: &[String]) -> std::process::Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    motcua(dir)
        .args(args)
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_full_stdout_says_the_dossier_was_saved_and_exits_3() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    for json in [false, true] {
        let name = format!("Đầu Ra Đầy {json}");
        let mut args = receive_args(&name);
        if json {
            args.push("--json".into());
        }
        let r = with_full_stdout(&dir, &args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(3), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("ổ đĩa đã đầy"), "{err}");
        assert!(err.contains("ĐÃ được tiếp nhận và lưu"), "{err}");
        assert!(err.contains("ĐỪNG chạy lại"), "{err}");
        assert_eq!(count_named(&dir, &name), 1, "saved once");
        let code = err
            .split_whitespace()
            .find(|w| w.starts_with("000.17.22.H56-"))
            .expect("the code in the message");
        let shown = ok(motcua(&dir).args(["show", code, "--json"]));
        assert!(shown.contains(&name), "{shown}");
    }
    // Commands that only read: the same exit code, nothing claimed saved.
    for args in [
        vec!["list".to_string()],
        vec!["verify".to_string()],
        vec!["catalog".into(), "search".into(), "khai sinh".into()],
    ] {
        let r = with_full_stdout(&dir, &args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(3), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("ĐÃ"), "{err}");
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_success() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("d");
    station(&dir, 1);
    for json in [false, true] {
        let name = format!("Ống Đóng Sớm {json}");
        let mut args = receive_args(&name);
        if json {
            args.push("--json".into());
        }
        let r = with_closed_stdout(&dir, &args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(0), "{err}");
        assert!(err.is_empty(), "quiet: {err}");
        assert_eq!(count_named(&dir, &name), 1, "saved once");
    }
    seed(&dir, 50, 3);
    for args in [
        vec!["list".to_string()],
        vec![
            "calendar".into(),
            "due".into(),
            "--received".into(),
            "2026-04-23T09:00".into(),
            "--term".into(),
            "3wd".into(),
        ],
    ] {
        let r = with_closed_stdout(&dir, &args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
