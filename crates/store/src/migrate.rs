//! Schema creation and migrations keyed on `PRAGMA user_version`.
//!
//! A new database gets `schema.sql` (the current version). An older one gets each later
//! version's step from `migrations/`, in its own IMMEDIATE transaction together with the
//! version bump.
//! A copy of the file is taken before upgrading; a database newer than this build is
//! refused rather than guessed at.

use crate::{Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};

/// The schema as it is now.
pub const SCHEMA: &str = include_str!("../../../schema.sql");

/// One upgrade step: SQL that takes the schema from `to - 1` to `to`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub to: u32,
    pub sql: &'static str,
}

/// Steps after version 1, in order; `schema.sql` is the result of all of them.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        to: 2,
        sql: include_str!("../../../migrations/0002-ledger-entries-holidays.sql"),
    },
    Migration {
        to: 3,
        sql: include_str!("../../../migrations/0003-search-prefix-3.sql"),
    },
    Migration {
        to: 4,
        sql: include_str!("../../../migrations/0004-receive-requests.sql"),
    },
    Migration {
        to: 5,
        sql: include_str!("../../../migrations/0005-parties-proxies-cases.sql"),
    },
    Migration {
        to: 6,
        sql: include_str!("../../../migrations/0006-term-source.sql"),
    },
    Migration {
        to: 7,
        sql: include_str!("../../../migrations/0007-report-steps.sql"),
    },
    Migration {
        to: 8,
        sql: include_str!("../../../migrations/0008-office-head.sql"),
    },
    Migration {
        to: 9,
        sql: include_str!("../../../migrations/0009-procedure-field.sql"),
    },
];

/// The version this build writes.
pub const CURRENT_VERSION: u32 = 1 + MIGRATIONS.len() as u32;

/// Creates the file readable and writable by the owner only (0600), if it does not exist.
/// SQLite gives its -wal and -shm files the same permissions as the database.
pub fn ensure_private_file(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Brings the database to version `1 + steps.len()`. A new database gets `schema` (which
/// must already be that version) in one step; an older one gets the missing steps.
pub fn migrate(
    conn: &Connection,
    path: &Path,
    schema: &str,
    steps: &[Migration],
    key: Option<&crate::cipher::RegisterKey>,
) -> Result<()> {
    let target = 1 + steps.len() as u32;
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > target {
        return Err(StoreError::TooNew {
            found: version,
            supported: target,
        });
    }
    if version == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(StoreError::Setup(
                "tệp này không phải cơ sở dữ liệu của motcua".to_string(),
            ));
        }
        return apply(conn, schema, target);
    }
    if version < target {
        copy_before_upgrade(conn, path, version, key)?;
    }
    for step in steps.iter().filter(|s| s.to > version) {
        apply(conn, step.sql, step.to)?;
    }
    Ok(())
}

fn apply(conn: &Connection, sql: &str, to: u32) -> Result<()> {
    let mut conn_tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    conn_tx.set_drop_behavior(rusqlite::DropBehavior::Rollback);
    conn_tx.execute_batch(sql)?;
    conn_tx.pragma_update(None, "user_version", to)?;
    conn_tx.commit()?;
    Ok(())
}

/// Copies the database (consistent snapshot through the backup API) to
/// `<file>.v<version>.bak` before an upgrade.
fn copy_before_upgrade(
    conn: &Connection,
    path: &Path,
    version: u32,
    key: Option<&crate::cipher::RegisterKey>,
) -> Result<PathBuf> {
    let mut dest = path.as_os_str().to_owned();
    dest.push(format!(".v{version}.bak"));
    let dest = PathBuf::from(dest);
    ensure_private_file(&dest)?;
    crate::cipher::copy(conn, &dest, key)?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP2: Migration = Migration {
        to: 2,
        sql: "ALTER TABLE settings ADD COLUMN note TEXT;",
    };
    const BROKEN3: Migration = Migration {
        to: 3,
        sql: "CREATE TABLE t3(x); SELECT no_such_function();",
    };

    fn version(c: &Connection) -> u32 {
        c.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    fn schema_of(c: &Connection) -> Vec<String> {
        let mut st = c
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn fresh_database_gets_schema_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sqlite");
        let c = Connection::open(&p).unwrap();
        migrate(&c, &p, SCHEMA, MIGRATIONS, None).unwrap();
        assert_eq!(version(&c), CURRENT_VERSION);
        migrate(&c, &p, SCHEMA, MIGRATIONS, None).unwrap();
        assert_eq!(version(&c), CURRENT_VERSION);
    }

    #[test]
    fn upgrade_copies_first_and_matches_fresh_schema() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.sqlite");
        let c = Connection::open(&old).unwrap();
        migrate(&c, &old, SCHEMA, &[], None).unwrap();
        c.execute("INSERT INTO settings VALUES ('k', 'v')", [])
            .unwrap();
        migrate(&c, &old, SCHEMA, &[STEP2], None).unwrap();
        assert_eq!(version(&c), 2);
        let bak = dir.path().join("old.sqlite.v1.bak");
        let b = Connection::open(&bak).unwrap();
        assert_eq!(version(&b), 1);
        let v: String = b
            .query_row("SELECT value FROM settings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v");

        let fresh = dir.path().join("fresh.sqlite");
        let f = Connection::open(&fresh).unwrap();
        migrate(
            &f,
            &fresh,
            &format!("{SCHEMA}\n{}", STEP2.sql),
            &[STEP2],
            None,
        )
        .unwrap();
        assert_eq!(version(&f), 2);
        assert_eq!(schema_of(&c), schema_of(&f));
    }

    #[test]
    fn failed_step_rolls_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sqlite");
        let c = Connection::open(&p).unwrap();
        migrate(&c, &p, SCHEMA, &[], None).unwrap();
        migrate(&c, &p, SCHEMA, &[STEP2], None).unwrap();
        assert!(migrate(&c, &p, SCHEMA, &[STEP2, BROKEN3], None).is_err());
        assert_eq!(version(&c), 2);
        let t3: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 't3'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(t3, 0);
    }

    #[test]
    fn newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sqlite");
        let c = Connection::open(&p).unwrap();
        migrate(&c, &p, SCHEMA, MIGRATIONS, None).unwrap();
        c.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        let e = migrate(&c, &p, SCHEMA, MIGRATIONS, None).unwrap_err();
        assert!(matches!(e, StoreError::TooNew { .. }));
        assert!(e.to_string().contains("hãy cập nhật phần mềm"));
    }

    #[test]
    fn foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sqlite");
        let c = Connection::open(&p).unwrap();
        c.execute_batch("CREATE TABLE other(x)").unwrap();
        assert!(migrate(&c, &p, SCHEMA, MIGRATIONS, None).is_err());
    }
}
