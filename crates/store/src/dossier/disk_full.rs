//! A full disk while receiving: nothing half-written, the register usable after.

use super::*;
use crate::testutil::*;

/// SQLite reports SQLITE_FULL when the database cannot grow; `max_page_count` makes
/// that happen for real without filling the machine's disk.
#[test]
fn full_disk_is_a_clear_error_and_loses_nothing() {
    let (_d, mut s) = store();
    let first = s
        .receive(&request("Trước khi đầy", "2026-11-25T09:00"), now())
        .unwrap();
    let pages: i64 = s
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    s.conn
        .pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let mut err = None;
    for i in 0..500 {
        let mut r = request(
            &format!("Hồ sơ {i} {}", "x".repeat(140)),
            "2026-11-25T10:00",
        );
        r.input.applicant.address = Some("Địa chỉ rất dài ".repeat(30));
        if let Err(e) = s.receive(&r, now()) {
            err = Some(e);
            break;
        }
    }
    let e = err.expect("the database filled up");
    assert!(matches!(e, StoreError::DiskFull), "{e:?}");
    assert!(e.to_string().contains("ổ đĩa đã đầy"), "{e}");
    s.conn
        .pragma_update(None, "max_page_count", 1_000_000_000i64)
        .unwrap();
    assert_eq!(s.dossier(&first.code).unwrap(), first);
    s.verify().unwrap();
    let again = s
        .receive(&request("Sau khi dọn ổ đĩa", "2026-11-25T11:00"), now())
        .unwrap();
    assert_eq!(s.dossier(&again.code).unwrap(), again);
    s.verify().unwrap();
}
