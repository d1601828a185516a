//! Part 6: an encrypted register in the window. With no key open on the machine (Linux:
//! no Windows account to seal it to), the sign-in page says so, a password that opens no
//! slot is told what to do, and the clerk's own password opens the register, reads the
//! station and signs in at once.

use super::*;

#[test]
fn an_encrypted_register_opens_with_the_clerks_password_at_sign_in() {
    let s = Station::new();
    let code = s.receive_marriage_status("Nguyễn Thị Hồng Nhung", Some("038199012345"), None);
    motcua_app::at_rest::encrypt(&s.paths, &s.env(), "lan", "mật khẩu dài", &[]).unwrap();
    // As a new process finds it on a machine with no Windows account to open it.
    motcua_store::cipher::remove_account_slot(&s.paths.db).unwrap();
    motcua_app::at_rest::close(&s.paths);

    let mut w = s.open();
    assert!(w.shows(T::RegisterLocked.vi()));
    w.type_text("lan");
    w.enter();
    w.type_text("không phải mật khẩu");
    w.enter();
    assert!(w.shows(T::RegisterNotOpened.vi()), "told what to do");
    assert!(!w.shows("F1 Tiếp nhận"));
    // The password field was cleared and has the focus; the username stays.
    w.type_text("mật khẩu dài");
    w.enter();
    assert!(w.shows("F1 Tiếp nhận"), "signed in");
    w.key(Named::F2);
    assert!(w.shows(&code) && w.shows("Nguyễn Thị Hồng Nhung") && w.shows("038*******45"));
    let app = w.state();
    assert_eq!(
        app.station.as_ref().map(|s| s.agency_name.as_str()),
        Some("UBND xã Tân Lập"),
        "the station was read once the register opened"
    );
    let raw = std::fs::read(&s.paths.db).unwrap();
    let name = "Nguyễn Thị Hồng Nhung".as_bytes();
    assert!(!raw.windows(name.len()).any(|x| x == name));
}
