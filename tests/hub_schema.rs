//! The hub's versioned schema on SQLite and PostgreSQL: a database made by the hub before
//! versioning (tests/fixtures/hub-legacy-*.sql, with rows in it) is recognised, upgraded
//! step by step with its data intact, and ends equal to a fresh one; a newer or a foreign
//! database is refused and left as it was; hubs starting together migrate once.

mod common;

use common::*;

const LEGACY_V1: &str = include_str!("fixtures/hub-legacy-v1.sql");
const LEGACY_V2: &str = include_str!("fixtures/hub-legacy-v2.sql");
const CURRENT: i64 = 9;

/// sha256("tok-processor-1"): a processing system's credential in the fixture.
const PROCESSOR_TOKEN: &str = "tok-processor-1";
const PROCESSOR_HASH: &str = "9dd0f2704701ad467ca7cca0c80fb4467720cbec44404bbcf97f2ece580e3ce6";
/// sha256("tok-station-1").
const STATION_HASH: &str = "5cae557191fad403162c6f3afeb1c1b7dfb53da7f9a6a8c728cddc091a8a3ac1";
const CODE: &str = "000.17.22.H56-260105-0001";

/// A few rows in every table of version 1, in SQL both dialects take.
fn rows() -> String {
    format!(
        "INSERT INTO enrol_tokens VALUES ('{e}', '000.17.22.H56', '000.17.22.H56#2', '2026-01-05T08:00:00Z', NULL);
         INSERT INTO credentials VALUES ('{STATION_HASH}', 'station', '000.17.22.H56#1', '2026-01-05T08:00:00Z', NULL);
         INSERT INTO credentials VALUES ('{PROCESSOR_HASH}', 'processor', 'xu-ly-tinh', '2026-01-05T08:00:00Z', NULL);
         INSERT INTO stations VALUES ('000.17.22.H56#1', '000.17.22.H56', '{k}', 3, '{h2}', '2026-01-05T08:00:00Z');
         INSERT INTO events VALUES ('000.17.22.H56#1', 1, 'ev-1', 'station_initialised', NULL, '{h1}', '{{}}', 'accepted', NULL, '2026-01-05T08:01:00Z');
         INSERT INTO events VALUES ('000.17.22.H56#1', 2, 'ev-2', 'dossier_received', 'd-1', '{h2}', '{{\"x\":\"Nguyễn Văn An\"}}', 'accepted', NULL, '2026-01-05T08:01:00Z');
         INSERT INTO dossiers VALUES ('{CODE}', 'd-1', '000.17.22.H56', '000.17.22.H56#1', 'Nguyễn Văn An', 'bi-mat-1', '2026-01-05T08:00:00+07:00', '2026-01-09T17:00:00+07:00', 'received', '2026-01-05T08:01:00Z');
         INSERT INTO changes(agency_id, body, created_at) VALUES ('000.17.22.H56', '{{\"type\":\"status\",\"code\":\"{CODE}\",\"status\":\"processing\",\"note\":null,\"at\":\"2026-01-05T08:02:00Z\"}}', '2026-01-05T08:02:00Z');
         INSERT INTO alerts(station_id, seq, detail, at) VALUES ('000.17.22.H56#1', 2, 'chuỗi bị sửa', '2026-01-05T08:03:00Z');
         INSERT INTO idempotency VALUES ('lo-1', '000.17.22.H56#1', '{{\"results\":[]}}', '2026-01-05T08:01:00Z');",
        e = "e".repeat(64),
        k = "ab".repeat(32),
        h1 = "11".repeat(32),
        h2 = "22".repeat(32),
    )
}

/// The dialect's SQL of a fixture or step.
fn dialect(b: &Backend, sql: &str) -> String {
    sql.replace(
        "{ID}",
        match b {
            Backend::Sqlite(_) => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Backend::Postgres { .. } => "BIGSERIAL PRIMARY KEY",
        },
    )
}

/// Runs SQL statements on the backend directly (not through the hub).
fn batch(b: &Backend, sql: &str) {
    match b {
        Backend::Sqlite(p) => rusqlite::Connection::open(p)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
        Backend::Postgres { url, schema } => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.batch_execute(&format!("SET search_path TO {schema}; {sql}"))
                .unwrap();
        }
    }
}

/// Text rows of a query on the backend.
fn texts(b: &Backend, sql: &str) -> Vec<String> {
    match b {
        Backend::Sqlite(p) => {
            let c = rusqlite::Connection::open(p).unwrap();
            let mut st = c.prepare(sql).unwrap();
            let n = st.column_count();
            st.query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Text(t) => t,
                            rusqlite::types::Value::Integer(i) => i.to_string(),
                            rusqlite::types::Value::Null => "NULL".into(),
                            other => format!("{other:?}"),
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join(" | "))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
        }
        Backend::Postgres { url, schema } => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.batch_execute(&format!("SET search_path TO {schema}"))
                .unwrap();
            c.simple_query(sql)
                .unwrap()
                .into_iter()
                .filter_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => Some(
                        (0..r.len())
                            .map(|i| r.get(i).unwrap_or("NULL").to_string())
                            .collect::<Vec<_>>()
                            .join(" | ")
                            .replace(schema.as_str(), "S"),
                    ),
                    _ => None,
                })
                .collect()
        }
    }
}

/// The whole schema as text: tables, columns, keys, checks, indexes.
fn schema_of(b: &Backend) -> Vec<String> {
    match b {
        Backend::Sqlite(_) => texts(
            b,
            "SELECT type, name, tbl_name, sql FROM sqlite_schema
             WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
        ),
        Backend::Postgres { schema, .. } => {
            let mut out = texts(
                b,
                &format!(
                    "SELECT table_name, column_name, data_type, is_nullable, column_default,
                            collation_name
                     FROM information_schema.columns WHERE table_schema = '{schema}'
                     ORDER BY table_name, column_name"
                ),
            );
            out.extend(texts(
                b,
                &format!(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                     FROM pg_constraint WHERE connamespace = '{schema}'::regnamespace
                     ORDER BY 1, 2"
                ),
            ));
            out.extend(texts(
                b,
                &format!(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes
                     WHERE schemaname = '{schema}' ORDER BY 1, 2"
                ),
            ));
            out.extend(texts(
                b,
                &format!(
                    "SELECT sequencename, data_type FROM pg_sequences
                     WHERE schemaname = '{schema}' ORDER BY 1"
                ),
            ));
            out
        }
    }
}

fn versions(b: &Backend) -> Vec<String> {
    texts(b, "SELECT version FROM schema_version ORDER BY version")
}

/// Every row of the tables the fixture filled, in a fixed order.
fn data_of(b: &Backend) -> Vec<String> {
    let mut out = Vec::new();
    // The columns of version 1 (a later step may add columns, NULL in these rows).
    for (t, columns, key) in [
        ("enrol_tokens", "*", "token_hash"),
        ("credentials", "*", "token_hash"),
        ("stations", "*", "station_id"),
        ("events", "*", "station_id, seq"),
        ("dossiers", "*", "code"),
        ("changes", "*", "id"),
        ("alerts", "*", "id"),
        (
            "idempotency",
            "key, station_id, response, at",
            "station_id, key",
        ),
    ] {
        for r in texts(b, &format!("SELECT {columns} FROM {t} ORDER BY {key}")) {
            out.push(format!("{t}: {r}"));
        }
    }
    out
}

/// A fresh backend of the same kind as `b`, for the reference schema.
fn fresh_like(b: &Backend, dir: &std::path::Path) -> Option<Backend> {
    match b {
        Backend::Sqlite(_) => Some(Backend::Sqlite(dir.join("fresh.sqlite"))),
        Backend::Postgres { .. } => Backend::postgres("hub_schema_fresh"),
    }
}

fn legacy_database_is_upgraded_with_its_data(b: &Backend, fixture: &str, found: i64) {
    batch(b, &dialect(b, fixture));
    batch(b, &rows());
    let before = data_of(b);
    assert_eq!(before.len(), 10, "{before:#?}");

    // An admin command opens the database first: the migration runs there.
    let counts: serde_json::Value =
        serde_json::from_str(&ok(hub_cmd().arg("counts").args(b.args()))).unwrap();
    assert_eq!(counts[0]["count"], 1, "{counts}");
    assert_eq!(counts[0]["status"], "received", "{counts}");

    // Every step up to the current version is recorded, the found ones included.
    let expect: Vec<String> = (1..=CURRENT).map(|v| v.to_string()).collect();
    assert_eq!(versions(b), expect);
    assert_eq!(
        b.count(&format!(
            "SELECT count(*) FROM schema_version WHERE version <= {found}"
        )),
        found
    );
    // Version 4 adds the dossiers' first_due_at and version 5 their status_note, empty
    // for every dossier found.
    let before: Vec<String> = before
        .into_iter()
        .map(|r| {
            if r.starts_with("dossiers: ") {
                format!("{r} | NULL | NULL")
            } else {
                r
            }
        })
        .collect();
    assert_eq!(data_of(b), before, "the data survived the upgrade");

    // The result is the schema a fresh hub makes.
    let d = tempfile::tempdir().unwrap();
    let fresh = fresh_like(b, d.path()).expect("a second backend");
    struct Drop_(Backend);
    impl Drop for Drop_ {
        fn drop(&mut self) {
            self.0.drop_data();
        }
    }
    let fresh = Drop_(fresh);
    ok(hub_cmd().arg("counts").args(fresh.0.args()));
    assert_eq!(versions(&fresh.0), expect);
    let schema = schema_of(b);
    assert!(schema.len() >= 10, "{schema:#?}");
    assert_eq!(schema, schema_of(&fresh.0));
    // Version 8: the dossiers' keys compare byte by byte (PostgreSQL's collation "C";
    // SQLite's BINARY already), and their index on (agency_id, status) is gone.
    if let Backend::Postgres { schema: name, .. } = b {
        let collated = texts(
            b,
            &format!(
                "SELECT column_name FROM information_schema.columns
                 WHERE table_schema = '{name}' AND table_name = 'dossiers'
                   AND collation_name = 'C' ORDER BY 1"
            ),
        );
        assert_eq!(collated, ["code", "id"]);
    }
    assert!(
        !schema.iter().any(|r| r.contains("dossiers_agency_status")),
        "{schema:#?}"
    );

    // The hub serves the upgraded data: the fixture's processor credential still works,
    // the feed numbering continues after the fixture's change, the lookup finds the
    // dossier, and a new station's head goes into the table version 2 added.
    let hub = Hub::start(b);
    let auth = format!("Bearer {PROCESSOR_TOKEN}");
    let (st, body) = http(
        hub.port,
        "POST",
        &format!("/api/v1/dossiers/{CODE}/status"),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        br#"{"status":"processing"}"#,
    );
    assert_eq!(st, 204, "{}", String::from_utf8_lossy(&body));
    assert_eq!(hub.count("SELECT max(id) FROM changes"), 2);
    let (st, page) = http(
        hub.port,
        "GET",
        &format!("/tra-cuu?ma={CODE}&mk=bi-mat-1"),
        &[],
        b"",
    );
    assert_eq!(st, 200);
    assert!(
        String::from_utf8_lossy(&page).contains("N. V. An")
            && String::from_utf8_lossy(&page).contains("Đang giải quyết"),
        "{}",
        String::from_utf8_lossy(&page)
    );
    let dir = tempfile::tempdir().unwrap();
    station(dir.path(), 3);
    seed(dir.path(), 3, 7);
    hub.enroll(dir.path(), 3);
    ok(motcua(dir.path()).args(["sync", "--once"]));
    assert_eq!(hub.count("SELECT count(*) FROM dossiers"), 4);
    assert!(
        hub.count("SELECT count(*) FROM station_heads WHERE station_id = '000.17.22.H56#3'") >= 1
    );
    drop(hub);
    // Started again on the upgraded database: nothing more to do, nothing changed.
    let again = Hub::start(b);
    drop(again);
    assert_eq!(versions(b), expect);
}

#[test]
fn hub_database_from_before_versioning_is_upgraded_sqlite() {
    with_sqlite(|b| legacy_database_is_upgraded_with_its_data(b, LEGACY_V1, 1));
}

#[test]
fn hub_database_from_before_versioning_is_upgraded_postgres() {
    with_postgres("hub_schema_v1", |b| {
        legacy_database_is_upgraded_with_its_data(b, LEGACY_V1, 1)
    });
}

#[test]
fn hub_database_with_station_heads_is_recognised_as_v2_sqlite() {
    with_sqlite(|b| legacy_database_is_upgraded_with_its_data(b, LEGACY_V2, 2));
}

#[test]
fn hub_database_with_station_heads_is_recognised_as_v2_postgres() {
    with_postgres("hub_schema_v2", |b| {
        legacy_database_is_upgraded_with_its_data(b, LEGACY_V2, 2)
    });
}

fn newer_database_is_refused(b: &Backend) {
    ok(hub_cmd().arg("counts").args(b.args()));
    batch(
        b,
        "INSERT INTO schema_version(version, applied_at) VALUES (99, '2030-01-01T00:00:00Z')",
    );
    let before = schema_of(b);
    for cmd in [
        vec!["counts"],
        vec!["serve", "--listen", "127.0.0.1:0"],
        vec![
            "station",
            "add",
            "--agency-id",
            "000.17.22.H56",
            "--station",
            "1",
        ],
    ] {
        let out = hub_cmd().args(&cmd).args(b.args()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "lược đồ phiên bản 99, mới hơn phiên bản {CURRENT}"
            )) && err.contains("hãy cài bản motcua-hub mới hơn"),
            "{err}"
        );
    }
    assert_eq!(schema_of(b), before);
    assert_eq!(b.count("SELECT count(*) FROM enrol_tokens"), 0);
    assert_eq!(b.count("SELECT max(version) FROM schema_version"), 99);
}

#[test]
fn newer_hub_database_is_refused_untouched_sqlite() {
    with_sqlite(newer_database_is_refused);
}

#[test]
fn newer_hub_database_is_refused_untouched_postgres() {
    with_postgres("hub_schema_newer", newer_database_is_refused);
}

fn foreign_database_is_refused(b: &Backend) {
    batch(b, "CREATE TABLE dossier (id TEXT PRIMARY KEY)");
    let out = hub_cmd().arg("counts").args(b.args()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không phải cơ sở dữ liệu của motcua-hub") && err.contains("dossier"),
        "{err}"
    );
    assert_eq!(
        texts(
            b,
            match b {
                Backend::Sqlite(_) => "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                Backend::Postgres { .. } =>
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            }
        ),
        vec!["1".to_string()],
        "nothing was added"
    );
}

#[test]
fn foreign_database_is_refused_sqlite() {
    with_sqlite(foreign_database_is_refused);
}

#[test]
fn foreign_database_is_refused_postgres() {
    with_postgres("hub_schema_foreign", foreign_database_is_refused);
}

/// Hub processes started at once on one empty database (several instances behind a
/// proxy) migrate it once between them.
fn hubs_starting_together_migrate_once(b: &Backend) {
    let children: Vec<_> = (0..4)
        .map(|_| {
            hub_cmd()
                .arg("counts")
                .args(b.args())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let expect: Vec<String> = (1..=CURRENT).map(|v| v.to_string()).collect();
    assert_eq!(versions(b), expect);
}

#[test]
fn hubs_starting_together_migrate_once_sqlite() {
    with_sqlite(hubs_starting_together_migrate_once);
}

#[test]
fn hubs_starting_together_migrate_once_postgres() {
    with_postgres("hub_schema_together", hubs_starting_together_migrate_once);
}
