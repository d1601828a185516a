//! A real version-1 database (written by the release before ledger numbers were stored,
//! `tests/fixtures/counter-v1/`) upgrades to the same schema as a fresh one, keeps every
//! dossier, numbers the ledger as version 1 did, and verifies.

use motcua_store::{CURRENT_VERSION, Store};
use rusqlite::Connection;
use std::path::Path;

fn fixture() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    ed25519_dalek::SigningKey,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/counter-v1");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("motcua.sqlite");
    std::fs::copy(root.join("motcua.sqlite"), &db).unwrap();
    std::fs::copy(root.join("station.key"), dir.path().join("station.key")).unwrap();
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
    let (dir, db, key) = fixture();
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
        documents: vec![("Tờ khai".into(), "bản chính".into(), 1)],
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
