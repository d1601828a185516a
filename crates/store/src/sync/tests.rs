use crate::testutil::*;
use motcua_core::wire::{Change, ChangeItem};

#[test]
fn push_record_and_upstream_status_keep_verify_green() {
    let (_d, mut s) = store();
    let d = s.receive(&request("A", "2026-11-25T09:00"), now()).unwrap();
    s.set_hub("http://127.0.0.1:1", now()).unwrap();
    let pending = s.pending_events(1000).unwrap();
    assert_eq!(pending.len() as u64, s.signed_head().unwrap().seq);
    let last = pending.last().unwrap().seq;
    s.record_push(
        &crate::PushRecord {
            acked: (1..last).collect(),
            rejected: vec![(last, "lý do".into())],
            requeue_from: None,
        },
        now(),
    )
    .unwrap();
    let st = s.sync_state().unwrap();
    assert_eq!((st.pending, st.quarantined), (0, 1));
    assert_eq!(st.quarantine[0].reason, "lý do");
    let ch = |id, status| ChangeItem {
        id,
        change: Change::Status {
            code: d.code.to_string(),
            status,
            note: None,
            at: "x".into(),
        },
    };
    use motcua_core::status::Status;
    let n = s
        .apply_changes(
            &[ch(1, Status::Processing), ch(2, Status::ResultReady)],
            2,
            now(),
        )
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(s.sync_state().unwrap().cursor, 2);
    assert_eq!(s.dossier(&d.code).unwrap().status, Status::ResultReady);
    s.verify().unwrap();
    assert_eq!(s.sync_state().unwrap().pending, 2);
}

#[test]
fn upstream_change_to_a_closed_dossier_is_a_shown_conflict() {
    use motcua_core::status::Status;
    let (_d, mut s) = store();
    let d = s.receive(&request("B", "2026-11-25T09:00"), now()).unwrap();
    s.set_hub("http://127.0.0.1:1", now()).unwrap();
    let ch = |id, status| ChangeItem {
        id,
        change: Change::Status {
            code: d.code.to_string(),
            status,
            note: None,
            at: "x".into(),
        },
    };
    s.apply_changes(&[ch(1, Status::ResultReady)], 1, now())
        .unwrap();
    s.transition(&d.code, Status::Returned, "lan", None, now())
        .unwrap();
    let n = s
        .apply_changes(&[ch(2, Status::Processing)], 2, now())
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(s.dossier(&d.code).unwrap().status, Status::Returned);
    let st = s.sync_state().unwrap();
    assert_eq!(st.cursor, 2);
    assert_eq!(st.conflicts.len(), 1);
    assert!(
        st.conflicts[0].detail.contains("Đang xử lý"),
        "{:?}",
        st.conflicts
    );
    s.verify().unwrap();
}

#[test]
fn pulled_holiday_schedules_commit_with_the_cursor_and_a_bad_one_is_a_conflict() {
    let (_d, mut s) = store();
    s.set_hub("http://127.0.0.1:1", now()).unwrap();
    let body = include_str!("../../../../assets/calendar/2026.json");
    let item = |id, year, body: &str| ChangeItem {
        id,
        change: Change::Holidays {
            year,
            body: body.into(),
        },
    };
    let n = s.apply_changes(&[item(1, 2026, body)], 1, now()).unwrap();
    assert_eq!(n, 1);
    let stored = s.holiday_schedules().unwrap();
    assert_eq!((stored[0].year, stored[0].body.as_str()), (2026, body));
    // The same text again changes nothing; a broken one and one of the wrong year are
    // conflicts; the cursor moves past all of them.
    let n = s
        .apply_changes(
            &[
                item(2, 2026, body),
                item(3, 2027, "{không phải json"),
                item(4, 2027, body),
            ],
            4,
            now(),
        )
        .unwrap();
    assert_eq!(n, 0);
    let st = s.sync_state().unwrap();
    assert_eq!(st.cursor, 4);
    assert_eq!(st.conflicts.len(), 2, "{:?}", st.conflicts);
    assert!(
        st.conflicts[1].detail.contains("năm 2026 thay vì năm 2027"),
        "{:?}",
        st.conflicts
    );
    assert_eq!(s.holiday_schedules().unwrap().len(), 1);
    s.verify().unwrap();
}

#[test]
fn pulled_catalogue_commits_with_the_cursor_and_a_bad_one_is_a_conflict() {
    let (_d, mut s) = store();
    s.set_hub("http://127.0.0.1:1", now()).unwrap();
    let mut cat = motcua_core::catalog::Catalog::from_json(crate::testutil::TEST_CATALOG).unwrap();
    cat.version = "tinh-2027".into();
    cat.procedures[0].name = "Đăng ký khai sinh (bản của tỉnh)".into();
    let body = serde_json::to_string(&cat).unwrap();
    let item = |id, version: &str, body: &str| ChangeItem {
        id,
        change: Change::Catalog {
            version: version.into(),
            body: body.into(),
        },
    };
    let n = s
        .apply_changes(&[item(1, "tinh-2027", &body)], 1, now())
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(s.catalog_version().unwrap(), "tinh-2027");
    assert_eq!(
        s.procedure("1.001193").unwrap().0.name,
        "Đăng ký khai sinh (bản của tỉnh)"
    );
    assert_eq!(s.sync_state().unwrap().cursor, 1);
    s.verify().unwrap();

    // Same version, other content, and a body that is not a catalogue: both are shown as
    // conflicts, nothing of them is written, and the cursor still moves past them.
    cat.procedures[0].name = "Khác".into();
    let other = serde_json::to_string(&cat).unwrap();
    let n = s
        .apply_changes(
            &[
                item(2, "tinh-2027", &other),
                item(3, "hong", "{không phải json"),
            ],
            3,
            now(),
        )
        .unwrap();
    assert_eq!(n, 0);
    let st = s.sync_state().unwrap();
    assert_eq!(st.cursor, 3);
    assert_eq!(st.conflicts.len(), 2, "{:?}", st.conflicts);
    assert!(
        st.conflicts[0].detail.contains("tinh-2027"),
        "{:?}",
        st.conflicts
    );
    assert_eq!(
        s.procedure("1.001193").unwrap().0.name,
        "Đăng ký khai sinh (bản của tỉnh)"
    );
    let versions: i64 = s
        .conn
        .query_row("SELECT count(*) FROM catalog_versions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 2, "the test catalogue and tinh-2027 only");
    s.verify().unwrap();
}
