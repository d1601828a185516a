//! Real databases of older releases upgrade to the same schema as a fresh one, keep every
//! dossier and verify: version 1 (`tests/fixtures/counter-v1/`, before ledger numbers
//! were stored: the ledger is numbered as version 1 did), version 4
//! (`tests/fixtures/counter-v4/`, before organisation applicants, proxies and cases) and
//! version 5 (`tests/fixtures/counter-v5/`, before a dossier kept where its term came
//! from; upgraded through version 7, which fills the reports' `report_steps` from the
//! journal).

use motcua_core::calendar::Term;
use motcua_core::dossier::{DocumentInput, DocumentKind};
use motcua_store::{CURRENT_VERSION, Store};
use rusqlite::Connection;
use std::path::Path;

fn fixture(
    name: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    ed25519_dalek::SigningKey,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("motcua.sqlite");
    std::fs::copy(root.join("motcua.sqlite"), &db).unwrap();
    std::fs::copy(root.join("station.key"), dir.path().join("station.key")).unwrap();
    if root.join("motcua.sqlite.head").exists() {
        std::fs::copy(
            root.join("motcua.sqlite.head"),
            dir.path().join("motcua.sqlite.head"),
        )
        .unwrap();
    }
    let key = motcua_store::keys::load(&dir.path().join("station.key")).unwrap();
    (dir, db, key)
}

/// Every table's columns (name, type, not null, default, primary key), plus the SQL of
/// every index, trigger and virtual table: what `ALTER TABLE` and a fresh `CREATE TABLE`
/// must agree on (the stored text of an altered table differs only in layout).
fn structure(c: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut st = c
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let rows: Vec<(String, String, Option<String>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (kind, name, sql) in rows {
        let sql = sql.unwrap_or_default();
        if kind == "table" && !sql.contains("VIRTUAL") {
            let strict: i64 = c
                .query_row(
                    "SELECT strict FROM pragma_table_list WHERE name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .unwrap();
            out.push(format!("table {name} strict={strict}"));
            let mut cols = c
                .prepare(
                    "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?1)",
                )
                .unwrap();
            for col in cols
                .query_map([&name], |r| {
                    Ok(format!(
                        "  {} {} nn={} d={:?} pk={}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, i64>(4)?
                    ))
                })
                .unwrap()
            {
                out.push(col.unwrap());
            }
        } else if !sql.is_empty() && !name.starts_with("dossier_search_") {
            out.push(format!("{kind} {name}: {sql}"));
        }
    }
    out
}

#[test]
fn version_1_database_upgrades_to_the_fresh_schema_and_keeps_its_ledger() {
    let (dir, db, key) = fixture("counter-v1");
    {
        let c = Connection::open(&db).unwrap();
        let v: u32 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1, "the fixture is a version-1 database");
    }
    let mut store = Store::open(&db).unwrap().with_signer(key);
    assert!(
        dir.path().join("motcua.sqlite.v1.bak").exists(),
        "copied before upgrading"
    );
    let summary = store.verify().unwrap();
    assert_eq!(summary.dossiers, 4);

    let fresh_path = dir.path().join("fresh.sqlite");
    drop(Store::open(&fresh_path).unwrap());
    let upgraded = Connection::open(&db).unwrap();
    let fresh = Connection::open(&fresh_path).unwrap();
    let v: u32 = upgraded
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, CURRENT_VERSION);
    assert_eq!(structure(&upgraded), structure(&fresh));
    // The search table was made again from its rows: every dossier is found by a piece of
    // its code, and the 3-character prefix index is in place.
    assert_eq!(store.search("h56", None, 10).unwrap().len(), 4);
    let prefixes: String = upgraded
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'dossier_search'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(prefixes.contains("prefix = '1 2 3'"), "{prefixes}");

    // Numbered as version 1 counted them: in order of receipt, restarting each year.
    let entries: Vec<(String, i64)> = upgraded
        .prepare("SELECT code, ledger_entry FROM dossiers ORDER BY received_at")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let numbers: Vec<i64> = entries.iter().map(|e| e.1).collect();
    assert_eq!(numbers, [1, 2, 1, 2], "{entries:?}");

    // The next dossier of 2026 goes on from there; verify stays green.
    let next = upgraded
        .query_row(
            "SELECT used FROM ledger_counters WHERE year = 2026",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(next, 2);
    let code: motcua_core::code::DossierCode = entries[3].0.parse().unwrap();
    let d = store.dossier(&code).unwrap();
    assert_eq!(d.ledger_entry, Some(2));
    let input = motcua_core::dossier::DossierInput {
        applicant_name: "Sau khi nâng cấp".into(),
        documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
        sets: 1,
        ..Default::default()
    }
    .validate(chrono::NaiveDate::from_ymd_opt(2026, 1, 6).unwrap())
    .unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-01-06T09:00:00+07:00").unwrap();
    let new = store
        .receive(
            &motcua_store::ReceiveRequest {
                input,
                procedure: d.procedure.clone(),
                received_at: now.naive_local(),
                due_at: None,
                clerk: "lan".into(),
            },
            now,
        )
        .unwrap();
    assert_eq!(new.ledger_entry, Some(3));
    store.verify().unwrap();
}

/// Receives a new dossier beside the upgraded ones at `now` (RFC 3339).
fn receive_new(
    store: &mut Store,
    input: motcua_core::dossier::DossierInput,
    procedure: motcua_core::dossier::ProcedureRef,
    now: &str,
) -> motcua_core::dossier::Dossier {
    let now = chrono::DateTime::parse_from_rfc3339(now).unwrap();
    let input = input.validate(now.date_naive()).unwrap();
    store
        .receive(
            &motcua_store::ReceiveRequest {
                input,
                procedure,
                received_at: now.naive_local(),
                due_at: None,
                clerk: "lan".into(),
            },
            now,
        )
        .unwrap()
}

/// Every dossier row as the version-4 release wrote it, column by column.
fn rows_v4(c: &Connection) -> Vec<Vec<rusqlite::types::Value>> {
    let cols = "id, code, lookup_secret, applicant_name, id_number, phone, email, address, owner, \
        procedure_code, procedure_name, catalog_version, term, documents, sets, channel, \
        result_delivery, fee, received_at, received_day, due_at, clerk, status, note, \
        updated_at, ledger_entry";
    let mut st = c
        .prepare(&format!("SELECT {cols} FROM dossiers ORDER BY rowid"))
        .unwrap();
    let n = st.column_count();
    st.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every event's sequence number and hash.
fn journal(c: &Connection) -> Vec<(i64, String)> {
    c.prepare("SELECT seq, hash FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn version_4_database_upgrades_with_every_dossier_intact() {
    let (dir, db, key) = fixture("counter-v4");
    let (before, events_before) = {
        let c = Connection::open(&db).unwrap();
        let v: u32 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 4, "the fixture is a version-4 database");
        (rows_v4(&c), journal(&c))
    };
    assert_eq!(before.len(), 3);
    assert_eq!(events_before.len(), 10);

    let mut store = Store::open(&db).unwrap().with_signer(key);
    assert!(dir.path().join("motcua.sqlite.v4.bak").exists());
    let summary = store.verify().unwrap();
    assert_eq!((summary.events, summary.dossiers), (10, 3));

    let upgraded = Connection::open(&db).unwrap();
    assert_eq!(
        rows_v4(&upgraded),
        before,
        "every old column kept as it was"
    );
    assert_eq!(
        journal(&upgraded),
        events_before,
        "the journal is untouched"
    );
    type NewColumns = (String, Option<String>, Option<String>, Option<String>);
    let new_cols: Vec<NewColumns> = upgraded
        .prepare("SELECT applicant_kind, representative, proxy, case_code FROM dossiers")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        new_cols
            .iter()
            .all(|c| c.0 == "person" && c.1.is_none() && c.2.is_none() && c.3.is_none()),
        "{new_cols:?}"
    );
    let fresh_path = dir.path().join("fresh.sqlite");
    drop(Store::open(&fresh_path).unwrap());
    let fresh = Connection::open(&fresh_path).unwrap();
    assert_eq!(structure(&upgraded), structure(&fresh));

    // The owner recorded by version 4 reads back; a new dossier filed by an authorised
    // person for an organisation is stored and verifies beside the old ones.
    let code: motcua_core::code::DossierCode = "000.17.22.H56-261130-0002".parse().unwrap();
    let old = store.dossier(&code).unwrap();
    assert_eq!(old.owner.as_ref().unwrap().full_name, "Phạm Văn Cường");
    assert_eq!(old.applicant.kind, motcua_core::dossier::PartyKind::Person);
    assert!(old.proxy.is_none());
    let input = motcua_core::dossier::DossierInput {
        applicant_kind: motcua_core::dossier::PartyKind::Organisation,
        applicant_name: "Hợp tác xã Nông nghiệp Tân Lập".into(),
        id_number: Some("2801234567".into()),
        representative: Some("Đỗ Văn Hải".into()),
        proxy_name: Some("Ngô Thị Mai".into()),
        proxy_id_number: Some("038190012345".into()),
        proxy_authorisation: Some("Giấy ủy quyền số 05/2026/UQ ngày 01/12/2026".into()),
        documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
        sets: 1,
        ..Default::default()
    };
    let new = receive_new(
        &mut store,
        input,
        old.procedure.clone(),
        "2026-12-02T09:00:00+07:00",
    );
    let back = store.dossier(&new.code).unwrap();
    assert_eq!(back, new);
    assert_eq!(back.applicant.id_number.as_deref(), Some("2801234567"));
    assert_eq!(back.proxy.as_ref().unwrap().full_name, "Ngô Thị Mai");
    let summary = store.verify().unwrap();
    assert_eq!((summary.events, summary.dossiers), (11, 4));
}

/// Every dossier row as the version-5 release wrote it, column by column.
fn rows_v5(c: &Connection) -> Vec<Vec<rusqlite::types::Value>> {
    let cols = "id, code, lookup_secret, applicant_name, id_number, phone, email, address, owner, \
        procedure_code, procedure_name, catalog_version, term, documents, sets, channel, \
        result_delivery, fee, received_at, received_day, due_at, clerk, status, note, \
        updated_at, ledger_entry, applicant_kind, representative, proxy, case_code, case_name";
    let mut st = c
        .prepare(&format!("SELECT {cols} FROM dossiers ORDER BY rowid"))
        .unwrap();
    let n = st.column_count();
    st.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn version_5_database_upgrades_and_old_dossiers_say_their_term_source_was_not_kept() {
    let (dir, db, key) = fixture("counter-v5");
    let (before, events_before) = {
        let c = Connection::open(&db).unwrap();
        let v: u32 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 5, "the fixture is a version-5 database");
        (rows_v5(&c), journal(&c))
    };
    assert_eq!(before.len(), 4);
    assert_eq!(events_before.len(), 9);

    let mut store = Store::open(&db).unwrap().with_signer(key);
    assert!(dir.path().join("motcua.sqlite.v5.bak").exists());
    let summary = store.verify().unwrap();
    assert_eq!((summary.events, summary.dossiers), (9, 4));

    let upgraded = Connection::open(&db).unwrap();
    assert_eq!(rows_v5(&upgraded), before, "every old column kept");
    assert_eq!(journal(&upgraded), events_before, "the journal untouched");
    let sources: Vec<Option<String>> = upgraded
        .prepare("SELECT term_source FROM dossiers")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(sources, vec![None; 4], "not recorded before version 6");
    // Version 7: the reports' narrow rows are filled from the journal as it was.
    let count = |sql: &str| -> i64 { upgraded.query_row(sql, [], |r| r.get(0)).unwrap() };
    let changes = count(
        "SELECT count(*) FROM events WHERE kind IN
         ('status_changed', 'upstream_status', 'appointment_extended')",
    );
    assert!(changes > 0, "the fixture has status changes");
    assert_eq!(count("SELECT count(*) FROM report_steps"), changes);
    assert_eq!(
        count(
            "SELECT count(*) FROM report_steps s JOIN events e ON e.seq = s.seq
             JOIN dossiers d ON d.rowid = s.dossier_rowid AND d.id = e.dossier_id
             WHERE CASE e.kind WHEN 'appointment_extended' THEN s.extension = e.payload
                   ELSE s.status = json_extract(e.payload, '$.to') END"
        ),
        changes,
        "each row is its event's"
    );
    let fresh_path = dir.path().join("fresh.sqlite");
    drop(Store::open(&fresh_path).unwrap());
    let fresh = Connection::open(&fresh_path).unwrap();
    assert_eq!(structure(&upgraded), structure(&fresh));

    // The typed term of version 5 reads back, without a source; a new dossier keeps its
    // source and verifies beside the old ones.
    let code: motcua_core::code::DossierCode = "000.17.22.H56-261204-0001".parse().unwrap();
    let old = store.dossier(&code).unwrap();
    assert_eq!(old.procedure.term, Some(Term::WorkingDays(5)));
    assert_eq!(old.procedure.term_source, None);
    let input = motcua_core::dossier::DossierInput {
        applicant_name: "Sau khi nâng cấp".into(),
        documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
        sets: 1,
        ..Default::default()
    };
    let mut procedure = old.procedure.clone();
    procedure.term_source = Some(motcua_core::dossier::TermSource::Typed {
        text: "5 ngày làm việc".into(),
    });
    let new = receive_new(&mut store, input, procedure, "2026-12-07T09:00:00+07:00");
    let back = store.dossier(&new.code).unwrap();
    assert_eq!(back, new);
    assert_eq!(
        back.procedure.term_source,
        Some(motcua_core::dossier::TermSource::Typed {
            text: "5 ngày làm việc".into()
        })
    );
    let summary = store.verify().unwrap();
    assert_eq!((summary.events, summary.dossiers), (10, 5));
}

/// What older releases journaled with the term as a string reads into today's typed
/// dossier and catalogue and writes back to the very bytes the journal's hashes cover
/// (and the stored catalogue bodies a reload is compared with).
#[test]
fn old_journaled_dossiers_and_catalogues_write_back_byte_for_byte() {
    use motcua_core::catalog::Catalog;
    use motcua_core::dossier::Dossier;
    let mut dossiers = 0;
    for name in ["counter-v1", "counter-v4", "counter-v5"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name)
            .join("motcua.sqlite");
        let c =
            Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let texts = |sql: &str| -> Vec<String> {
            let mut st = c.prepare(sql).unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        for payload in texts("SELECT payload FROM events WHERE kind = 'dossier_received'") {
            let d: Dossier = serde_json::from_str(&payload).unwrap();
            assert!(d.procedure.term.is_some(), "{name}: {payload}");
            assert_eq!(serde_json::to_string(&d).unwrap(), payload, "{name}");
            dossiers += 1;
        }
        let bodies = texts("SELECT body FROM catalog_versions");
        assert!(!bodies.is_empty(), "{name}");
        for body in bodies {
            let cat = Catalog::from_json(&body).unwrap();
            assert_eq!(serde_json::to_string(&cat).unwrap(), body, "{name}");
        }
    }
    assert_eq!(dossiers, 11);
}

#[test]
fn version_8_keeps_every_account_and_the_dossiers_references_and_takes_an_office_head() {
    let (_dir, db, key) = fixture("counter-v5");
    let accounts = |c: &Connection| -> Vec<(String, String, String, i64)> {
        c.prepare("SELECT username, role, password_hash, active FROM users ORDER BY username")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = accounts(&Connection::open(&db).unwrap());
    assert!(!before.is_empty());
    let mut store = Store::open(&db).unwrap().with_signer(key);
    let c = Connection::open(&db).unwrap();
    assert_eq!(
        accounts(&c),
        before,
        "every account as it was, its password too"
    );
    let dangling: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
    // The dossiers still reference the accounts table: a dossier of an unknown clerk is
    // refused by the database itself.
    c.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let orphan = c.execute(
        "UPDATE dossiers SET clerk = 'nobody' WHERE rowid = (SELECT min(rowid) FROM dossiers)",
        [],
    );
    assert!(orphan.is_err(), "{orphan:?}");
    store
        .add_user(
            &motcua_store::NewUser {
                username: "truong".into(),
                full_name: "Nguyễn Văn Trưởng".into(),
                role: motcua_store::Role::Head,
                password: "mật khẩu của lãnh đạo".into(),
            },
            "system",
            chrono::DateTime::parse_from_rfc3339("2026-12-07T08:00:00+07:00").unwrap(),
        )
        .unwrap();
    assert_eq!(store.user("truong").unwrap().role, motcua_store::Role::Head);
    store.verify().unwrap();
}
