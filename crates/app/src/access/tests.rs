//! The access log's rules on a real register: one entry for each view, search, print and
//! export, under the right reader; one entry for a search typed key by key; a person's
//! entries by ID number; the chain catching an edited entry; no full ID number kept.

use super::*;
use crate::counter::AccountForm;
use crate::counter::testing::*;
use crate::forms::PrintRequest;
use motcua_store::Role;

/// The journal's access entries, oldest first.
fn entries(f: &mut Fixture) -> Vec<AccessEntry> {
    let lan = f.counter.reviewer("lan").unwrap();
    let mut all = f.counter.access_log(&AccessQuery::default(), &lan).unwrap();
    all.reverse();
    all
}

/// Admin `lan` and clerk `hoa`, three dossiers (two of one person), `hoa` signed in.
fn register() -> (Fixture, Vec<String>) {
    let mut f = fixture();
    let lan = f.counter.admin("lan").unwrap();
    f.counter
        .add_user(
            &AccountForm {
                username: "hoa".into(),
                full_name: "Lê Thị Hoa".into(),
                role: Role::Clerk,
                password: "mật khẩu dài".into(),
                confirm: None,
            },
            &lan,
        )
        .unwrap();
    let mut codes = Vec::new();
    for (name, id) in [
        ("Nguyễn Văn An", "001099012345"),
        ("Trần Thị Bình", "038199054321"),
        ("Nguyễn Văn An", "001099012345"),
    ] {
        let mut form = form(name);
        form.input.id_number = Some(id.into());
        codes.push(f.counter.receive(&form).unwrap().dossier.code.to_string());
    }
    f.counter.login("hoa", "mật khẩu dài").unwrap();
    (f, codes)
}

#[test]
fn a_view_a_search_a_print_and_an_export_each_leave_one_entry_by_the_reader() {
    let (mut f, codes) = register();
    f.counter.detail(&codes[1]).unwrap();
    let found = f.counter.search("tran thi binh", None, 10).unwrap();
    assert_eq!(found.len(), 1);
    f.counter
        .print_receipt(&codes[1], &PrintRequest::default())
        .unwrap();
    let r = f.counter.receipt(&codes[1], None).unwrap();
    let out = f.dir.path().join("mau01.pdf");
    f.counter.export(&r, &out, Existing::Refuse).unwrap();
    assert!(out.exists());
    let log = entries(&mut f);
    let actions: Vec<_> = log.iter().map(|e| e.access.action).collect();
    assert_eq!(
        actions,
        [
            AccessAction::View,
            AccessAction::Search,
            AccessAction::Print,
            AccessAction::Export
        ]
    );
    for e in &log {
        assert_eq!(e.clerk, "hoa", "{e:?}");
        assert_eq!(e.access.dossiers, [codes[1].clone()], "{e:?}");
    }
    assert!(log[3].access.what.contains("mau01.pdf"), "{:?}", log[3]);
    // Rendering alone (kept for reprint, shown to nobody) is not an access.
    f.counter.receipt(&codes[0], None).unwrap();
    assert_eq!(entries(&mut f).len(), 4);
}

#[test]
fn a_search_typed_key_by_key_and_scrolled_is_one_entry_listing_every_dossier_shown() {
    let (mut f, codes) = register();
    for typed in ["n", "ng", "nguy", "nguyen van", "nguyen van an"] {
        let q = RegisterQuery {
            text: typed.into(),
            ..RegisterQuery::default()
        };
        f.counter.register_page(&q, 0, 50).unwrap();
        f.counter.register_page(&q, 1, 50).unwrap();
    }
    assert!(entries(&mut f).is_empty(), "gathered, not written yet");
    // Another search: the first one is written.
    let other = RegisterQuery {
        text: "binh".into(),
        ..RegisterQuery::default()
    };
    f.counter.register_page(&other, 0, 50).unwrap();
    let log = entries(&mut f);
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].access.action, AccessAction::Search);
    assert_eq!(log[0].access.what, "Tìm «nguyen van an»");
    let mut shown = log[0].access.dossiers.clone();
    shown.sort();
    let mut an = vec![codes[0].clone(), codes[2].clone()];
    an.sort();
    assert_eq!(shown, an, "every dossier shown while typing, once each");
    // Signing out (or the window's tick) writes the second.
    f.counter.set_reader(None).unwrap();
    let log = entries(&mut f);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].access.dossiers, [codes[1].clone()]);
    assert_eq!(log[1].clerk, "hoa");
}

#[test]
fn a_persons_entries_are_found_by_their_id_number_and_the_review_is_logged() {
    let (mut f, codes) = register();
    f.counter.detail(&codes[0]).unwrap();
    f.counter.detail(&codes[1]).unwrap();
    f.counter.detail(&codes[2]).unwrap();
    let lan = f.counter.reviewer("lan").unwrap();
    let q = AccessQuery {
        id_number: Some("001099012345".into()),
        ..AccessQuery::default()
    };
    let found = f.counter.access_log(&q, &lan).unwrap();
    let named: Vec<_> = found
        .iter()
        .flat_map(|e| e.access.dossiers.clone())
        .collect();
    // The two views of their dossiers, and the review that just found them.
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        !named.contains(&codes[1]),
        "another person's dossier: {named:?}"
    );
    assert_eq!(found[0].access.action, AccessAction::Review);
    assert_eq!(found[0].access.subject.as_deref(), Some("001*******45"));
    assert_eq!(
        found[0].clerk, "hoa",
        "the reader signed in, acting as admin lan"
    );
    let again = f.counter.access_log(&q, &lan).unwrap();
    assert_eq!(again.len(), 4);
    let by_clerk = AccessQuery {
        clerk: Some("nobody".into()),
        ..AccessQuery::default()
    };
    assert!(f.counter.access_log(&by_clerk, &lan).unwrap().is_empty());
    let other_day = AccessQuery {
        from: chrono::NaiveDate::from_ymd_opt(2026, 11, 26),
        ..AccessQuery::default()
    };
    assert!(f.counter.access_log(&other_day, &lan).unwrap().is_empty());
    let that_day = AccessQuery {
        from: chrono::NaiveDate::from_ymd_opt(2026, 11, 25),
        to: chrono::NaiveDate::from_ymd_opt(2026, 11, 25),
        ..AccessQuery::default()
    };
    assert_eq!(f.counter.access_log(&that_day, &lan).unwrap().len(), 5);
}

#[test]
fn no_entry_holds_a_whole_id_number_and_lists_show_it_masked() {
    let (mut f, codes) = register();
    let found = f.counter.search("038199054321", None, 10).unwrap();
    assert_eq!(found.len(), 1, "a whole ID number still finds the dossier");
    assert_eq!(found[0].code, codes[1]);
    assert_eq!(found[0].id_masked.as_deref(), Some("038*******21"));
    let rows = f
        .counter
        .register_page(&RegisterQuery::default(), 0, 10)
        .unwrap();
    assert!(rows.iter().all(|r| r.summary.id_masked.is_some()));
    let lan = f.counter.reviewer("lan").unwrap();
    let q = AccessQuery {
        id_number: Some("038199054321".into()),
        ..AccessQuery::default()
    };
    f.counter.access_log(&q, &lan).unwrap();
    f.counter.settle_access_now().unwrap();
    let conn = rusqlite::Connection::open(&f.counter.paths().db).unwrap();
    let payloads: Vec<String> = conn
        .prepare("SELECT payload FROM events WHERE kind = 'data_accessed'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(payloads.len(), 3, "{payloads:?}");
    for p in payloads {
        assert!(
            !p.contains("038199054321") && !p.contains("001099012345"),
            "{p}"
        );
    }
}

#[test]
fn an_edited_entry_breaks_the_chain() {
    let (mut f, codes) = register();
    f.counter.detail(&codes[1]).unwrap();
    assert!(f.counter.verify().is_ok());
    let conn = rusqlite::Connection::open(&f.counter.paths().db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_append_only_update;
         UPDATE events SET clerk = 'lan' WHERE kind = 'data_accessed';",
    )
    .unwrap();
    let e = f.counter.verify().unwrap_err().to_string();
    assert!(e.contains("sự kiện số"), "{e}");
}

#[test]
fn a_read_whose_entry_cannot_be_written_is_refused() {
    let (mut f, codes) = register();
    let conn = rusqlite::Connection::open(&f.counter.paths().db).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no_access BEFORE INSERT ON events WHEN NEW.kind = 'data_accessed'
         BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .unwrap();
    let e = f.counter.detail(&codes[0]).unwrap_err().to_string();
    assert!(e.contains("không ghi được nhật ký truy cập"), "{e}");
    f.counter
        .print_receipt(&codes[0], &PrintRequest::default())
        .unwrap_err();
    assert!(f.printer.recorded().is_empty(), "nothing printed unlogged");
}
