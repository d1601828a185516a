use super::*;
use crate::Store;
use crate::testutil::*;

const NAME: &str = "Nguyễn Thị Hồng Nhung";

/// Whether the raw bytes of `path` (and of its -wal, if any) hold `needle` anywhere.
fn holds(path: &Path, needle: &str) -> bool {
    let mut files = vec![path.to_path_buf()];
    files.push(with_suffix(path, "-wal"));
    files.iter().filter(|p| p.exists()).any(|p| {
        let bytes = std::fs::read(p).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

/// How many dossiers the register at `db` lists (its key open in this process).
fn dossiers_in(db: &Path) -> usize {
    Store::open(db).unwrap().search("", None, 10).unwrap().len()
}

/// A register with one dossier of [`NAME`] and a plain backup of it, both closed.
fn plain_register() -> (tempfile::TempDir, PathBuf, PathBuf, String) {
    let (dir, mut s) = store();
    let d = s
        .receive(&request(NAME, "2026-11-25T09:00"), now())
        .unwrap();
    let db = dir.path().join("motcua.sqlite");
    let bak = dir.path().join("before.sqlite");
    s.backup(&bak).unwrap();
    drop(s);
    assert!(
        holds(&db, NAME),
        "the plain register holds the name (the probe works)"
    );
    assert!(holds(&bak, NAME));
    (dir, db, bak, d.code.to_string())
}

#[test]
fn an_encrypted_register_and_its_backups_hold_no_readable_name() {
    let (dir, db, bak, code) = plain_register();
    let done = encrypt(&db, "lan", "mật khẩu dài", std::slice::from_ref(&bak)).unwrap();
    assert_eq!(done.dossiers, 1);
    assert_eq!(done.copies, vec![bak.clone()]);
    assert!(!is_plain_file(&db) && !is_plain_file(&bak));
    assert!(!holds(&db, NAME) && !holds(&bak, NAME));
    assert!(!holds(&db, "001099012345"), "nor the ID number");

    // Opened in this process already: the store reads and searches as before.
    let mut s = Store::open(&db).unwrap();
    assert_eq!(
        s.dossier(&code.parse().unwrap())
            .unwrap()
            .applicant
            .full_name,
        NAME
    );
    assert_eq!(
        s.search("hong nhung", None, 10).unwrap().len(),
        1,
        "the FTS index came along"
    );
    s = s.with_signer(crate::keys::load(&dir.path().join("station.key")).unwrap());
    s.receive(&request("Lê Văn Tám", "2026-11-25T10:00"), now())
        .unwrap();
    let later = dir.path().join("after.sqlite");
    s.backup(&later).unwrap();
    drop(s);
    assert!(!holds(&db, "Lê Văn Tám") && !holds(&later, "Lê Văn Tám"));
    assert!(
        !holds(&later, NAME),
        "a backup of the encrypted register is encrypted"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys_path(&db))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is the owner's only");
    }

    // A new process on another machine (no Windows account to open it): locked until a
    // slot opens.
    remove_account_slot(&db).unwrap();
    forget(&db);
    assert!(matches!(Store::open(&db), Err(StoreError::Locked(_))));
    assert!(!unlock(&db, "mật khẩu sai").unwrap());
    assert!(matches!(Store::open(&db), Err(StoreError::Locked(_))));
    assert!(unlock(&db, "mật khẩu dài").unwrap());
    assert_eq!(dossiers_in(&db), 2);

    // The recovery code opens it too, typed in lower case and without dashes.
    forget(&db);
    let typed = done.recovery_code.replace('-', "").to_lowercase();
    assert!(unlock(&db, &typed).unwrap());

    // Restoring the backup made before the encryption: it is encrypted on its way in.
    let key = crate::keys::load(&dir.path().join("station.key")).unwrap();
    let plain_again = dir.path().join("plain.sqlite");
    {
        let c = Connection::open(&plain_again).unwrap();
        // A plain copy as an old backup would be (made from the encrypted one by export).
        let enc = crate::cipher::open_with(
            &later,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
            remembered(&db).as_ref(),
        )
        .unwrap();
        enc.execute(
            "ATTACH DATABASE ?1 AS plain KEY ''",
            [plain_again.to_str().unwrap()],
        )
        .unwrap();
        enc.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .unwrap();
        enc.execute_batch(&format!(
            "PRAGMA plain.user_version = {}",
            crate::CURRENT_VERSION
        ))
        .unwrap();
        enc.execute_batch("DETACH DATABASE plain").unwrap();
        drop(c);
    }
    assert!(is_plain_file(&plain_again) && holds(&plain_again, NAME));
    Store::restore(&plain_again, &db, &key, "20261207-101500").unwrap();
    assert!(!holds(&db, NAME), "the restored register is encrypted");
    assert_eq!(dossiers_in(&db), 2);
    let aside = with_suffix(&db, ".before-restore-20261207-101500");
    assert!(
        aside.exists() && !holds(&aside, NAME),
        "the copy set aside is encrypted too"
    );
}

#[test]
fn each_account_gets_its_own_slot_and_loses_it() {
    let (_dir, db, _bak, _code) = plain_register();
    encrypt(&db, "lan", "mật khẩu dài", &[]).unwrap();
    let kinds: Vec<SlotKind> = slots(&db).unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds.contains(&SlotKind::Windows), cfg!(windows));
    remove_account_slot(&db).unwrap();
    set_password_slot(&db, "binh", "mật khẩu của Bình").unwrap();
    assert!(
        slots(&db)
            .unwrap()
            .contains(&(SlotKind::Password, "binh".to_string()))
    );
    // At a later sign-in, a slot Bình has is left as it is.
    add_missing_password_slot(&db, "binh", "another password").unwrap();
    forget(&db);
    assert!(
        set_password_slot(&db, "an", "x").is_err(),
        "no slot is added while the key is not open"
    );
    assert!(unlock(&db, "mật khẩu của Bình").unwrap());
    assert!(!unlock(&db, "another password").unwrap());
    remove_password_slot(&db, "binh").unwrap();
    forget(&db);
    assert!(!unlock(&db, "mật khẩu của Bình").unwrap());
    let kinds: Vec<SlotKind> = slots(&db).unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, [SlotKind::Password, SlotKind::Recovery]);
}

#[test]
fn a_cut_between_the_two_renames_is_finished_at_the_next_open() {
    let (_dir, db, _bak, _code) = plain_register();
    encrypt(&db, "lan", "mật khẩu dài", &[]).unwrap();
    remove_account_slot(&db).unwrap();
    // As if the power failed after the register was replaced but before the key file
    // took its name.
    std::fs::rename(keys_path(&db), pending_keys_path(&db)).unwrap();
    forget(&db);
    assert!(
        unlock(&db, "mật khẩu dài").unwrap(),
        "the pending key file is adopted"
    );
    assert!(keys_path(&db).exists() && !pending_keys_path(&db).exists());
    Store::open(&db).unwrap();
}

#[test]
fn a_cut_before_the_register_was_replaced_leaves_it_plain() {
    let (_dir, db, _bak, _code) = plain_register();
    let key = RegisterKey::generate();
    let file = KeyFile {
        format: 1,
        cipher: "sqlcipher4".into(),
        slots: vec![password_slot(&key, "lan", "mật khẩu dài").unwrap()],
    };
    write_keys(&pending_keys_path(&db), &file).unwrap();
    assert!(!is_encrypted(&db).unwrap());
    assert!(
        !pending_keys_path(&db).exists(),
        "the unused key file is removed"
    );
    assert_eq!(dossiers_in(&db), 1);
}

#[test]
fn a_register_in_use_is_not_encrypted_under_its_user() {
    let (_dir, db, _bak, _code) = plain_register();
    let other = Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = encrypt(&db, "lan", "mật khẩu dài", &[]).unwrap_err();
    assert!(e.to_string().contains("đang được mở"), "{e}");
    assert!(!is_encrypted(&db).unwrap() && is_plain_file(&db));
    other.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn recovery_codes_are_eight_groups_of_four() {
    let c = new_recovery_code();
    assert_eq!(c.len(), 39, "{c}");
    assert!(
        c.split('-')
            .all(|g| g.len() == 4 && g.bytes().all(|b| BASE32.contains(&b)))
    );
    assert_ne!(c, new_recovery_code());
}

#[test]
fn the_windows_account_opens_the_register_by_itself_and_no_other_machine_does() {
    let (_dir, db, _bak, _code) = plain_register();
    let done = encrypt(&db, "lan", "mật khẩu dài", &[]).unwrap();
    assert_eq!(done.sealed_to_account, cfg!(windows));
    forget(&db);
    if cfg!(windows) {
        // A new process of the same account: no password asked.
        assert_eq!(dossiers_in(&db), 1);
        // The sealed blob from another account or machine does not open: here, damaged.
        let mut file = read_keys(&db).unwrap();
        for s in file
            .slots
            .iter_mut()
            .filter(|s| s.kind == SlotKind::Windows)
        {
            s.sealed.replace_range(
                0..2,
                if s.sealed.starts_with("00") {
                    "01"
                } else {
                    "00"
                },
            );
        }
        write_keys(&keys_path(&db), &file).unwrap();
        forget(&db);
    }
    assert!(matches!(Store::open(&db), Err(StoreError::Locked(_))));
}
