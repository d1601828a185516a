//! The two databases behind one small interface: SQL with `?N` placeholders, values that
//! are integers or text (or, on PostgreSQL only, arrays of them), rows as vectors. The hub
//! logic in [`crate::db`] is written once against [`Conn`]; [`Sqlite`] and [`Postgres`]
//! run it. This layer knows no table: the schema is [`crate::schema`]'s.

use crate::error::{HubError, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// A value bound to or read from SQL: every hub column is BIGINT or TEXT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V {
    I(Option<i64>),
    T(Option<String>),
    /// An array of integers, bound as `?N::bigint[]`: PostgreSQL only (many rows in one
    /// statement, e.g. `unnest`); never read back.
    Is(Vec<Option<i64>>),
    /// An array of texts, bound as `?N::text[]`: PostgreSQL only, like [`V::Is`].
    Ts(Vec<Option<String>>),
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
            V::Is(_) | V::Ts(_) => None,
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
            V::Is(_) | V::Ts(_) => None,
        }
    }
}

/// A database: transactions over a [`Conn`]. The hub's logic ([`crate::db::HubStore`],
/// [`crate::schema`]) runs on it and knows nothing of the backend.
pub trait Db: Send + Sync {
    /// Runs `f` in one transaction (committed when `f` returns Ok, rolled back otherwise).
    fn tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T>;
}

/// One open transaction.
pub trait Conn {
    /// Runs a statement; the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[V]) -> Result<u64>;
    /// Runs a query; every row.
    fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<Vec<V>>>;
    /// Runs a statement that may break a unique constraint: None when it did, the
    /// statement then undone and the transaction still usable.
    fn exec_unique(&mut self, sql: &str, params: &[V]) -> Result<Option<u64>>;
    /// Writes rows into a table by PostgreSQL's COPY: `into` is `table(column, …)`, `data`
    /// the rows in COPY's text format ([`copy_rows`], [`copy_value`]). With `unique`, a
    /// row that breaks a unique constraint writes nothing and gives None, the transaction
    /// still usable (as [`Conn::exec_unique`]); without, that is an error like any other.
    /// PostgreSQL only: SQLite has no COPY (an error there; callers ask
    /// [`Conn::is_postgres`]).
    fn copy(&mut self, into: &str, data: &[u8], unique: bool) -> Result<Option<u64>>;
    /// Whether this is PostgreSQL (for locking clauses SQLite does not need).
    fn is_postgres(&self) -> bool;
    /// The first row of a query, if any.
    fn row(&mut self, sql: &str, params: &[V]) -> Result<Option<Vec<V>>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

// ---- SQLite ----

/// Prepared statements an SQLite connection keeps.
const STATEMENT_CACHE: usize = 128;

/// The embedded default: one connection behind a mutex (SQLite has one writer anyway).
pub struct Sqlite {
    conn: Mutex<rusqlite::Connection>,
}

impl Sqlite {
    /// Opens (creating if needed) the hub database file; [`crate::schema::migrate`] puts
    /// the schema in place.
    pub fn open(path: &Path) -> Result<Sqlite> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL;")?;
        // A push writes its rows in multi-row statements of a few sizes per table (see
        // `db::push`): room for them all beside the other statements, so that none is
        // prepared again on every batch (rusqlite keeps 16 by default).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
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
            V::Is(_) | V::Ts(_) => Err(rusqlite::Error::ToSqlConversionFailure(
                "SQLite has no arrays".into(),
            )),
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

    fn exec_unique(&mut self, sql: &str, params: &[V]) -> Result<Option<u64>> {
        // A failed statement is undone by SQLite itself; the transaction goes on.
        let mut st = self.0.prepare_cached(sql)?;
        match st.execute(rusqlite::params_from_iter(params)) {
            Ok(n) => Ok(Some(n as u64)),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
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

    fn copy(&mut self, into: &str, _: &[u8], _: bool) -> Result<Option<u64>> {
        Err(HubError::Db(format!("COPY {into}: SQLite has no COPY")))
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

/// How the hub connects to PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// libpq-style URL or key=value string; `sslmode=require` asks for TLS.
    pub url: String,
    /// PostgreSQL schema to keep the tables in (created if missing).
    pub schema: Option<String>,
    /// Most connections the pool opens.
    pub pool_size: u32,
    /// CA certificate(s) (PEM) the server's certificate must chain to; implies TLS.
    pub ca_file: Option<PathBuf>,
}

/// Default of [`PgOptions::pool_size`].
pub const DEFAULT_POOL_SIZE: u32 = 8;

impl PgOptions {
    /// Options for `url` with the defaults: no schema, [`DEFAULT_POOL_SIZE`], no CA file.
    pub fn new(url: &str) -> PgOptions {
        PgOptions {
            url: url.to_string(),
            schema: None,
            pool_size: DEFAULT_POOL_SIZE,
            ca_file: None,
        }
    }
}

/// How long a transaction waits for a pooled connection before failing with 503. Short:
/// a transaction takes milliseconds and pushes use at most four connections, so a longer
/// wait is a database that refuses connections or does not answer, and every request
/// would wait that long for nothing.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(3);
/// `Retry-After` when every pooled connection is busy.
const POOL_BUSY_RETRY_AFTER_SECS: u64 = 5;

/// PostgreSQL for production: a bounded pool of connections (r2d2), each with its own
/// cache of prepared statements; optionally TLS (rustls) with the server's certificate
/// verified.
pub struct Postgres {
    pool: r2d2::Pool<PgManager>,
}

/// A pooled connection and the statements prepared on it.
pub struct PgConn {
    client: postgres::Client,
    cache: HashMap<String, postgres::Statement>,
    /// Set while a transaction is open and when the connection failed: such a connection
    /// is never handed out again.
    broken: bool,
}

#[derive(Clone)]
enum Tls {
    None,
    Rustls(tokio_postgres_rustls::MakeRustlsConnect),
}

/// Opens the pool's connections.
pub struct PgManager {
    config: postgres::Config,
    tls: Tls,
    schema: Option<String>,
}

impl r2d2::ManageConnection for PgManager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        let mut client = match &self.tls {
            Tls::None => self.config.connect(postgres::NoTls)?,
            Tls::Rustls(t) => self.config.connect(t.clone())?,
        };
        if let Some(s) = &self.schema {
            client.batch_execute(&format!("SET search_path TO {s}"))?;
        }
        Ok(PgConn {
            client,
            cache: HashMap::new(),
            broken: false,
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        conn.client.batch_execute("")
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.broken || conn.client.is_closed()
    }
}

/// The use of the PostgreSQL pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PoolStats {
    /// The most connections the pool opens.
    pub max: u32,
    /// Connections open now.
    pub open: u32,
    /// Open connections waiting for a transaction.
    pub idle: u32,
    /// Open connections running a transaction.
    pub in_use: u32,
}

/// A cheap handle on the pool for reporting its use (e.g. on /metrics).
#[derive(Clone)]
pub struct PoolGauge(r2d2::Pool<PgManager>);

impl PoolGauge {
    /// In-use and idle connections now.
    pub fn stats(&self) -> PoolStats {
        let s = self.0.state();
        PoolStats {
            max: self.0.max_size(),
            open: s.connections,
            idle: s.idle_connections,
            in_use: s.connections.saturating_sub(s.idle_connections),
        }
    }
}

impl From<postgres::Error> for HubError {
    fn from(e: postgres::Error) -> Self {
        // A connection the server or the network closed: the database is unreachable,
        // the transaction was not committed.
        if e.is_closed() {
            return HubError::DbUnavailable(format!("PostgreSQL: {e}"));
        }
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

/// The rustls client configuration: the roots in `ca_file`, else the Mozilla roots.
fn rustls_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(p) => {
            let certs = CertificateDer::pem_file_iter(p)
                .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| {
                    HubError::BadRequest(format!(
                        "không đọc được tệp chứng chỉ CA {}: {e}",
                        p.display()
                    ))
                })?;
            if certs.is_empty() {
                return Err(HubError::BadRequest(format!(
                    "tệp chứng chỉ CA {} không có chứng chỉ nào (cần định dạng PEM)",
                    p.display()
                )));
            }
            for c in certs {
                roots.add(c).map_err(|e| {
                    HubError::BadRequest(format!(
                        "chứng chỉ CA trong {} không dùng được: {e}",
                        p.display()
                    ))
                })?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    // rustls is built with ring only (no OpenSSL, no aws-lc), so that is its provider.
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HubError::Db(format!("không dựng được cấu hình TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Postgres {
    /// Opens the pool (one connection at once, up to `opts.pool_size` as transactions need
    /// them); [`crate::schema::migrate`] puts the schema in place. TLS is used when
    /// `opts.ca_file` is given (then required) or the URL says `sslmode=require`; the
    /// server's certificate and name are always verified (against the CA file, else the
    /// Mozilla roots). Otherwise the connection is plain, for a database that is local or
    /// on a private network.
    pub fn open(opts: &PgOptions) -> Result<Postgres> {
        use postgres::config::SslMode;
        let mut config: postgres::Config = opts.url.parse()?;
        if config.get_application_name().is_none() {
            config.application_name("motcua-hub");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if opts.ca_file.is_some() {
            config.ssl_mode(SslMode::Require);
        }
        let tls = match config.get_ssl_mode() {
            SslMode::Require => Tls::Rustls(tokio_postgres_rustls::MakeRustlsConnect::new(
                rustls_config(opts.ca_file.as_deref())?,
            )),
            _ => Tls::None,
        };
        if let Some(s) = &opts.schema
            && (s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        {
            return Err(HubError::BadRequest(format!(
                "tên schema không hợp lệ: {s}"
            )));
        }
        if opts.pool_size == 0 {
            return Err(HubError::BadRequest(
                "số kết nối PostgreSQL tối đa phải từ 1 trở lên".into(),
            ));
        }
        let manager = PgManager {
            config,
            tls,
            schema: opts.schema.clone(),
        };
        // One connection first, so that an unreachable or refusing server is told at once
        // with its own error; it creates the schema if asked to.
        let mut first = r2d2::ManageConnection::connect(&PgManager {
            schema: None,
            ..manager.clone_config()
        })?;
        if let Some(s) = &opts.schema {
            first
                .client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {s}"))?;
        }
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(opts.pool_size)
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT_TIMEOUT)
            // A connection that failed is marked broken; a dead idle one fails BEGIN, which
            // is retried on another (see `tx`), so no round trip is spent on a check.
            .test_on_check_out(false)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build(manager)
            .map_err(|e| HubError::Db(format!("không mở được kết nối PostgreSQL: {e}")))?;
        Ok(Postgres { pool })
    }

    /// A handle on the pool's use, for reporting.
    pub fn gauge(&self) -> PoolGauge {
        PoolGauge(self.pool.clone())
    }

    /// In-use and idle connections now.
    pub fn pool_stats(&self) -> PoolStats {
        self.gauge().stats()
    }

    /// A pooled connection within [`CHECKOUT_TIMEOUT`]. Failing, the hub is busy when
    /// every connection is in use and none failed to open; otherwise the database is
    /// unreachable (it refused or did not answer), said in those words.
    fn checkout(&self) -> Result<r2d2::PooledConnection<PgManager>> {
        self.pool.get().map_err(|e| {
            let s = self.pool.state();
            let full = s.connections >= self.pool.max_size() && s.idle_connections == 0;
            match e.to_string().split_once(": ") {
                None if full => HubError::Busy(POOL_BUSY_RETRY_AFTER_SECS),
                Some((_, why)) => HubError::DbUnavailable(format!("PostgreSQL: {why}")),
                None => HubError::DbUnavailable(format!(
                    "PostgreSQL không trả lời sau {} giây",
                    CHECKOUT_TIMEOUT.as_secs()
                )),
            }
        })
    }
}

impl PgManager {
    fn clone_config(&self) -> PgManager {
        PgManager {
            config: self.config.clone(),
            tls: self.tls.clone(),
            schema: self.schema.clone(),
        }
    }
}

struct PgTx<'a> {
    client: &'a mut postgres::Client,
    cache: &'a mut HashMap<String, postgres::Statement>,
}

impl PgTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let st = self.client.prepare(&dollar(sql))?;
        self.cache.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

/// The values as PostgreSQL parameters, borrowed (a batch's arrays are megabytes).
fn pg_params(params: &[V]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|v| -> &(dyn postgres::types::ToSql + Sync) {
            match v {
                V::I(n) => n,
                V::T(s) => s,
                V::Is(a) => a,
                V::Ts(a) => a,
            }
        })
        .collect()
}

/// Rows of `width` values in COPY's text format ([`copy_value`]), a line a row.
pub fn copy_rows(width: usize, rows: &[V]) -> Result<Vec<u8>> {
    let size: usize = (rows.iter())
        .map(|v| match v {
            V::T(Some(s)) => s.len() + 1,
            _ => 21,
        })
        .sum();
    let mut out = Vec::with_capacity(size + size / 32);
    for (k, v) in rows.iter().enumerate() {
        copy_value(&mut out, v)?;
        out.push(if (k + 1) % width == 0 { b'\n' } else { b'\t' });
    }
    Ok(out)
}

/// A value in COPY's text format: `\N` for NULL; in a text, backslash, tab, newline
/// and carriage return escaped. Integers and texts only.
pub fn copy_value(out: &mut Vec<u8>, v: &V) -> Result<()> {
    match v {
        V::I(Some(n)) => out.extend_from_slice(n.to_string().as_bytes()),
        V::I(None) | V::T(None) => out.extend_from_slice(b"\\N"),
        V::T(Some(s)) => {
            let mut rest = s.as_bytes();
            // The stretches between bytes to escape are copied whole (JSON bodies hold a
            // backslash every few dozen bytes).
            while let Some(k) =
                (rest.iter()).position(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
            {
                out.extend_from_slice(&rest[..k]);
                out.extend_from_slice(match rest[k] {
                    b'\\' => b"\\\\",
                    b'\t' => b"\\t",
                    b'\n' => b"\\n",
                    _ => b"\\r",
                });
                rest = &rest[k + 1..];
            }
            out.extend_from_slice(rest);
        }
        V::Is(_) | V::Ts(_) => {
            return Err(HubError::Db("COPY: an array is not a column value".into()));
        }
    }
    Ok(())
}

impl Conn for PgTx<'_> {
    fn exec(&mut self, sql: &str, params: &[V]) -> Result<u64> {
        if params.is_empty() && !sql.contains('?') {
            self.client.batch_execute(sql)?;
            return Ok(0);
        }
        let st = self.statement(sql)?;
        Ok(self.client.execute(&st, &pg_params(params))?)
    }

    fn exec_unique(&mut self, sql: &str, params: &[V]) -> Result<Option<u64>> {
        let st = self.statement(sql)?;
        self.client.batch_execute("SAVEPOINT unique_check")?;
        match self.client.execute(&st, &pg_params(params)) {
            Ok(n) => {
                self.client
                    .batch_execute("RELEASE SAVEPOINT unique_check")?;
                Ok(Some(n))
            }
            Err(e) if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => {
                self.client
                    .batch_execute("ROLLBACK TO SAVEPOINT unique_check")?;
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<Vec<V>>> {
        use postgres::types::Type;
        let st = self.statement(sql)?;
        let rows = self.client.query(&st, &pg_params(params))?;
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

    fn copy(&mut self, into: &str, data: &[u8], unique: bool) -> Result<Option<u64>> {
        use std::io::Write;
        if unique {
            self.client.batch_execute("SAVEPOINT unique_check")?;
        }
        let mut w = self.client.copy_in(&format!("COPY {into} FROM STDIN"))?;
        // The writer holds the data until `finish` sends it (one message).
        w.write_all(data)
            .map_err(|e| HubError::Db(format!("COPY {into}: {e}")))?;
        match w.finish() {
            Ok(n) if unique => {
                self.client
                    .batch_execute("RELEASE SAVEPOINT unique_check")?;
                Ok(Some(n))
            }
            Ok(n) => Ok(Some(n)),
            Err(e) if unique && e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => {
                self.client
                    .batch_execute("ROLLBACK TO SAVEPOINT unique_check")?;
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn is_postgres(&self) -> bool {
        true
    }
}

impl Db for Postgres {
    fn tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        // An idle connection the server or the network closed fails BEGIN with nothing
        // done on it: it is dropped and BEGIN tried on another (all may be dead after a
        // server restart, hence as many tries as the pool has connections, plus one).
        let mut tries = self.pool.max_size() + 1;
        let mut conn = loop {
            let mut conn = self.checkout()?;
            match conn.client.batch_execute("BEGIN") {
                Ok(()) => break conn,
                Err(e) => {
                    conn.broken = true;
                    tries -= 1;
                    if tries == 0 {
                        return Err(HubError::DbUnavailable(format!("PostgreSQL: {e}")));
                    }
                }
            }
        };
        // Broken until COMMIT or ROLLBACK succeeds: a panic in `f` or a failed end leaves
        // the connection out of the pool instead of handing out an open transaction.
        conn.broken = true;
        let PgConn { client, cache, .. } = &mut *conn;
        let out = f(&mut PgTx { client, cache });
        let end = match &out {
            Ok(_) => conn.client.batch_execute("COMMIT"),
            Err(_) => conn.client.batch_execute("ROLLBACK"),
        };
        match (out, end) {
            (Ok(v), Ok(())) => {
                conn.broken = false;
                Ok(v)
            }
            (Ok(_), Err(e)) => Err(e.into()),
            (Err(e), r) => {
                conn.broken = r.is_err();
                Err(e)
            }
        }
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

    #[test]
    fn rows_are_written_in_copys_text_format() {
        use super::V;
        let t = |s: &str| V::T(Some(s.to_string()));
        let rows = [
            t("a\tb\nc\rd\\e"),
            V::I(Some(-42)),
            V::T(None),
            t("\\N"),
            V::I(None),
            t("Nguyễn \"Văn\" An"),
        ];
        let text = super::copy_rows(3, &rows).expect("text");
        assert_eq!(
            String::from_utf8(text).expect("utf-8"),
            "a\\tb\\nc\\rd\\\\e\t-42\t\\N\n\\\\N\t\\N\tNguyễn \"Văn\" An\n"
        );
        assert!(super::copy_rows(1, &[V::Ts(vec![])]).is_err());
    }
}
