//! The hub's versioned schema, the same on SQLite and PostgreSQL.
//!
//! The version is the highest row of the `schema_version` table. A new database gets every
//! step of [`STEPS`] in order; an older one the steps after its version. Each step runs in
//! its own transaction together with its row in `schema_version`, so a failed step leaves
//! the database at the version before it. A database whose version is newer than this
//! build is refused and left untouched.
//!
//! A database created before versioning (the tables made with `CREATE TABLE IF NOT
//! EXISTS`, no `schema_version`) is recognised by its tables as version 1 (or 2 when it
//! already has `station_heads`) and upgraded from there.
//!
//! To change the schema, add `migrations/NNNN-what.sql` and a [`Step`] with the next
//! version at the end of [`STEPS`]; never edit a step that has been released. `{ID}`
//! in a step stands for the dialect's auto-numbered primary key; a step must not contain
//! `?` (it runs as a batch of statements).

use crate::error::HubError;
use crate::sql::Db;
use crate::sql::{Conn, V};

/// One upgrade step: the SQL that takes the schema from `to - 1` to `to`.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub to: u32,
    pub sql: &'static str,
}

/// Every step, in order; a fresh database gets them all.
pub const STEPS: &[Step] = &[
    Step {
        to: 1,
        sql: include_str!("../migrations/0001-base.sql"),
    },
    Step {
        to: 2,
        sql: include_str!("../migrations/0002-station-heads.sql"),
    },
    Step {
        to: 3,
        sql: include_str!("../migrations/0003-idempotency-body.sql"),
    },
    Step {
        to: 4,
        sql: include_str!("../migrations/0004-first-due.sql"),
    },
    Step {
        to: 5,
        sql: include_str!("../migrations/0005-lookup.sql"),
    },
    Step {
        to: 6,
        sql: include_str!("../migrations/0006-report-rows.sql"),
    },
    Step {
        to: 7,
        sql: include_str!("../migrations/0007-report-dossiers.sql"),
    },
    Step {
        to: 8,
        sql: include_str!("../migrations/0008-dossier-keys.sql"),
    },
    Step {
        to: 9,
        sql: include_str!("../migrations/0009-report-fields.sql"),
    },
];

/// The version this build writes.
pub const CURRENT_VERSION: u32 = STEPS.len() as u32;

/// The tables of version 1, by which a database from before versioning is recognised.
const V1_TABLES: [&str; 8] = [
    "enrol_tokens",
    "credentials",
    "stations",
    "events",
    "dossiers",
    "changes",
    "alerts",
    "idempotency",
];

const VERSION_TABLE: &str = "CREATE TABLE schema_version (
    version     BIGINT PRIMARY KEY,
    applied_at  TEXT NOT NULL
)";

/// Why the schema could not be brought to [`CURRENT_VERSION`].
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Written by a newer motcua-hub: refused, nothing changed.
    #[error(
        "cơ sở dữ liệu của hub có lược đồ phiên bản {found}, mới hơn phiên bản {supported} mà bản motcua-hub này hỗ trợ: hãy cài bản motcua-hub mới hơn (cơ sở dữ liệu không bị thay đổi)"
    )]
    TooNew { found: u32, supported: u32 },
    /// Tables that are not (all) the hub's, and no version.
    #[error(
        "đây không phải cơ sở dữ liệu của motcua-hub (có các bảng {0} nhưng không có bảng schema_version): hãy chọn tệp hoặc schema PostgreSQL khác (--db, --pg-schema); không có gì bị thay đổi"
    )]
    NotHub(String),
    /// A step failed; the database stays at the version before it.
    #[error("nâng cấp lược đồ cơ sở dữ liệu của hub lên phiên bản {to} thất bại: {source}")]
    Step { to: u32, source: HubError },
    /// The database could not be read or written.
    #[error(transparent)]
    Db(#[from] HubError),
}

/// What [`migrate`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// The version found (0 for an empty database).
    pub from: u32,
    /// The version now, [`CURRENT_VERSION`].
    pub to: u32,
}

/// What one transaction of [`migrate`] found or did.
enum Round {
    Current(u32),
    TooNew(u32),
    NotHub(Vec<String>),
    Stepped { from: u32 },
}

/// The SQL of a step for this dialect: `{ID}` an auto-numbered key; lines starting
/// `--sqlite: ` are SQLite's alone (PostgreSQL reads them as comments), lines starting
/// `--postgres: ` PostgreSQL's alone.
fn dialect(sql: &str, c: &dyn Conn) -> String {
    let id = if c.is_postgres() {
        "BIGSERIAL PRIMARY KEY"
    } else {
        "INTEGER PRIMARY KEY AUTOINCREMENT"
    };
    let sql = sql.replace("{ID}", id);
    if c.is_postgres() {
        sql.replace("--postgres: ", "")
    } else {
        sql.replace("--sqlite: ", "")
    }
}

/// The tables of the database (SQLite) or of the current schema (PostgreSQL).
fn tables(c: &mut dyn Conn) -> crate::error::Result<Vec<String>> {
    let sql = if c.is_postgres() {
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1"
    };
    Ok(c.rows(sql, &[])?.iter().map(|r| r[0].text()).collect())
}

/// The schema version: None when there is no `schema_version` table.
fn recorded(c: &mut dyn Conn, tables: &[String]) -> crate::error::Result<Option<u32>> {
    if !tables.iter().any(|t| t == "schema_version") {
        return Ok(None);
    }
    let v = c
        .row("SELECT max(version) FROM schema_version", &[])?
        .and_then(|r| r[0].opt_int())
        .unwrap_or(0);
    Ok(Some(u32::try_from(v).unwrap_or(u32::MAX)))
}

/// One transaction: reads the version and applies the next step, if any; `applying` is
/// set to the step's version before it runs.
fn round(
    c: &mut dyn Conn,
    now: &str,
    applying: &std::cell::Cell<Option<u32>>,
) -> crate::error::Result<Round> {
    if c.is_postgres() {
        // Hub processes starting together on one database migrate one at a time.
        c.exec(
            "SELECT pg_advisory_xact_lock(hashtext('motcua-hub schema ' || current_schema()))",
            &[],
        )?;
    }
    let tables = tables(c)?;
    let version = match recorded(c, &tables)? {
        Some(v) => v,
        None if tables.is_empty() => {
            c.exec(VERSION_TABLE, &[])?;
            0
        }
        None if V1_TABLES.iter().all(|t| tables.iter().any(|x| x == t)) => {
            // Created before versioning: its tables say which version it is.
            let v = if tables.iter().any(|t| t == "station_heads") {
                2
            } else {
                1
            };
            c.exec(VERSION_TABLE, &[])?;
            for n in 1..=v {
                record(c, n, now)?;
            }
            return Ok(Round::Stepped { from: v });
        }
        None => return Ok(Round::NotHub(tables)),
    };
    if version > CURRENT_VERSION {
        return Ok(Round::TooNew(version));
    }
    let Some(step) = STEPS.iter().find(|s| s.to == version + 1) else {
        return Ok(Round::Current(version));
    };
    applying.set(Some(step.to));
    c.exec(&dialect(step.sql, c), &[])?;
    record(c, step.to, now)?;
    Ok(Round::Stepped { from: version })
}

fn record(c: &mut dyn Conn, version: u32, now: &str) -> crate::error::Result<()> {
    c.exec(
        "INSERT INTO schema_version(version, applied_at) VALUES (?1, ?2)",
        &[V::I(Some(i64::from(version))), V::T(Some(now.to_string()))],
    )?;
    Ok(())
}

/// Brings the database to [`CURRENT_VERSION`], one transaction per step; `now` is stored
/// with each step applied.
pub fn migrate<D: Db>(db: &D, now: &str) -> Result<Migrated, SchemaError> {
    let mut from = None;
    loop {
        let applying = std::cell::Cell::new(None);
        let next = db
            .tx(|c| round(c, now, &applying))
            .map_err(|e| match applying.get() {
                Some(to) => SchemaError::Step { to, source: e },
                None => SchemaError::Db(e),
            })?;
        match next {
            Round::Current(v) => {
                return Ok(Migrated {
                    from: from.unwrap_or(v),
                    to: v,
                });
            }
            Round::TooNew(found) => {
                return Err(SchemaError::TooNew {
                    found,
                    supported: CURRENT_VERSION,
                });
            }
            Round::NotHub(tables) => return Err(SchemaError::NotHub(tables.join(", "))),
            Round::Stepped { from: v } => {
                from.get_or_insert(v);
            }
        }
    }
}

/// The recorded schema version, None when the database has no `schema_version` table.
pub fn version<D: Db>(db: &D) -> crate::error::Result<Option<u32>> {
    db.tx(|c| {
        let t = tables(c)?;
        recorded(c, &t)
    })
}
