//! The two databases behind one small interface: SQL with `?N` placeholders, values that
//! are integers or text, rows as vectors. The hub logic in [`crate::db`] is written once
//! against [`Conn`]; [`Sqlite`] and [`Postgres`] run it.

use crate::db::{Db, SCHEMA};
use crate::error::{HubError, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// A value bound to or read from SQL: every hub column is BIGINT or TEXT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V {
    I(Option<i64>),
    T(Option<String>),
}

impl V {
    /// The value as text ("" for NULL).
    pub fn text(&self) -> String {
        self.opt_text().unwrap_or_default()
    }

    /// The value as text, None for NULL.
    pub fn opt_text(&self) -> Option<String> {
        match self {
            V::T(s) => s.clone(),
            V::I(n) => n.map(|n| n.to_string()),
        }
    }

    /// The value as an integer (0 for NULL or non-numbers).
    pub fn int(&self) -> i64 {
        self.opt_int().unwrap_or(0)
    }

    /// The value as an integer, None for NULL.
    pub fn opt_int(&self) -> Option<i64> {
        match self {
            V::I(n) => *n,
            V::T(s) => s.as_deref().and_then(|s| s.parse().ok()),
        }
    }
}

/// One open transaction.
pub trait Conn {
    /// Runs a statement; the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[V]) -> Result<u64>;
    /// Runs a query; every row.
    fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<Vec<V>>>;
    /// Whether this is PostgreSQL (for locking clauses SQLite does not need).
    fn is_postgres(&self) -> bool;
    /// The first row of a query, if any.
    fn row(&mut self, sql: &str, params: &[V]) -> Result<Option<Vec<V>>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

// ---- SQLite ----

/// The embedded default: one connection behind a mutex (SQLite has one writer anyway).
pub struct Sqlite {
    conn: Mutex<rusqlite::Connection>,
}

impl Sqlite {
    /// Opens (creating if needed) the hub database file and its schema.
    pub fn open(path: &Path) -> Result<Sqlite> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL;")?;
        conn.execute_batch(&SCHEMA.replace("{ID}", "INTEGER PRIMARY KEY AUTOINCREMENT"))?;
        Ok(Sqlite {
            conn: Mutex::new(conn),
        })
    }
}

impl rusqlite::ToSql for V {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            V::I(n) => n.to_sql(),
            V::T(s) => s.to_sql(),
        }
    }
}

struct SqliteTx<'a>(&'a rusqlite::Transaction<'a>);

impl Conn for SqliteTx<'_> {
    fn exec(&mut self, sql: &str, params: &[V]) -> Result<u64> {
        if params.is_empty() && !sql.contains('?') {
            self.0.execute_batch(sql)?;
            return Ok(0);
        }
        let mut st = self.0.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<Vec<V>>> {
        use rusqlite::types::ValueRef;
        let mut st = self.0.prepare_cached(sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i)? {
                    ValueRef::Integer(x) => V::I(Some(x)),
                    ValueRef::Null => V::T(None),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        V::T(Some(String::from_utf8_lossy(t).into_owned()))
                    }
                    ValueRef::Real(f) => V::T(Some(f.to_string())),
                });
            }
            out.push(row);
        }
        Ok(out)
    }

    fn is_postgres(&self) -> bool {
        false
    }
}

impl Db for Sqlite {
    fn tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let mut c = self
            .conn
            .lock()
            .map_err(|_| HubError::Db("kết nối cơ sở dữ liệu bị hỏng".into()))?;
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&mut SqliteTx(&tx))?;
        tx.commit()?;
        Ok(out)
    }
}

// ---- PostgreSQL ----

/// PostgreSQL for production: one connection behind a mutex, prepared statements cached.
pub struct Postgres {
    conn: Mutex<(postgres::Client, HashMap<String, postgres::Statement>)>,
}

impl From<postgres::Error> for HubError {
    fn from(e: postgres::Error) -> Self {
        HubError::Db(e.to_string())
    }
}

/// `?N` placeholders to `$N`.
fn dollar(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

impl Postgres {
    /// Connects (no TLS: the database is local or on a private network) and creates the
    /// schema; `schema` puts every table in that PostgreSQL schema (created if missing).
    pub fn open(url: &str, schema: Option<&str>) -> Result<Postgres> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        if let Some(s) = schema {
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(HubError::BadRequest(format!(
                    "tên schema không hợp lệ: {s}"
                )));
            }
            client.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s}"
            ))?;
        }
        client.batch_execute(&SCHEMA.replace("{ID}", "BIGSERIAL PRIMARY KEY"))?;
        Ok(Postgres {
            conn: Mutex::new((client, HashMap::new())),
        })
    }
}

struct PgTx<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    cache: &'a mut HashMap<String, postgres::Statement>,
}

impl PgTx<'_, '_> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let st = self.tx.prepare(&dollar(sql))?;
        self.cache.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn pg_params(params: &[V]) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    params
        .iter()
        .map(|v| -> Box<dyn postgres::types::ToSql + Sync> {
            match v {
                V::I(n) => Box::new(*n),
                V::T(s) => Box::new(s.clone()),
            }
        })
        .collect()
}

impl Conn for PgTx<'_, '_> {
    fn exec(&mut self, sql: &str, params: &[V]) -> Result<u64> {
        if params.is_empty() && !sql.contains('?') {
            self.tx.batch_execute(sql)?;
            return Ok(0);
        }
        let st = self.statement(sql)?;
        let boxed = pg_params(params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            boxed.iter().map(|b| b.as_ref()).collect();
        Ok(self.tx.execute(&st, &refs)?)
    }

    fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<Vec<V>>> {
        use postgres::types::Type;
        let st = self.statement(sql)?;
        let boxed = pg_params(params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            boxed.iter().map(|b| b.as_ref()).collect();
        let rows = self.tx.query(&st, &refs)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut row = Vec::with_capacity(r.len());
            for (i, col) in r.columns().iter().enumerate() {
                let t = col.type_();
                row.push(if *t == Type::INT8 {
                    V::I(r.try_get::<_, Option<i64>>(i)?)
                } else if *t == Type::INT4 {
                    V::I(r.try_get::<_, Option<i32>>(i)?.map(i64::from))
                } else if *t == Type::INT2 {
                    V::I(r.try_get::<_, Option<i16>>(i)?.map(i64::from))
                } else {
                    V::T(r.try_get::<_, Option<String>>(i)?)
                });
            }
            out.push(row);
        }
        Ok(out)
    }

    fn is_postgres(&self) -> bool {
        true
    }
}

impl Db for Postgres {
    fn tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| HubError::Db("kết nối cơ sở dữ liệu bị hỏng".into()))?;
        let (client, cache) = &mut *guard;
        let mut tx = client.transaction()?;
        let out = f(&mut PgTx { tx: &mut tx, cache })?;
        tx.commit()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            super::dollar("a = ?1 AND b = ?12 OR c = '?'"),
            "a = $1 AND b = $12 OR c = '?'"
        );
    }
}
