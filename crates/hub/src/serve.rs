//! Serving connections, plain or TLS, so that no client can exhaust them. Each connection
//! is HTTP/1.1 (hyper) with a header timeout that also closes a keep-alive connection idle
//! between requests, a TLS handshake has its own timeout, and the number of open
//! connections is capped below the process's file limit: when the cap is reached the
//! connection idle the longest is closed to make room, and when every connection is busy
//! with a request the new one is closed at once. Request bodies have their own deadlines
//! (`api`). On SIGTERM or Ctrl+C the listener is closed at once and running requests get
//! a grace period.

use crate::ServeError;
use crate::api::{self, AppState};
use crate::metrics::Metrics;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{Notify, watch};

/// Most connections open at once unless `--max-connections` says otherwise (and never
/// more than the file limit allows, see [`connection_cap`]).
pub const DEFAULT_MAX_CONNECTIONS: usize = 1000;
/// How long a connection may take to send a request's headers, counted from when the
/// hub starts waiting for them: a new connection, or a kept-alive one after its last
/// answer (so it is also the idle timeout).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a TLS handshake may take.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Files the process keeps open besides its connections: the listener, the database
/// (SQLite's file, journal and shared memory), standard streams, the runtime's own.
/// The PostgreSQL pool's connections are added to it.
const RESERVED_FILES: usize = 64;
/// The fewest connections the cap allows, however low the file limit.
const MIN_CONNECTIONS: usize = 16;
/// Largest buffer a connection reads headers and body chunks into.
const MAX_CONNECTION_BUFFER: usize = 64 * 1024;

/// How the hub holds its connections.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Most connections open at once (lowered to fit the file limit).
    pub max_connections: usize,
    /// After SIGTERM or Ctrl+C, how long requests already running may take.
    pub grace: Duration,
}

impl ServeOptions {
    /// The defaults with this grace period.
    pub fn new(grace: Duration) -> ServeOptions {
        ServeOptions {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            grace,
        }
    }
}

/// The soft limit on open files of this process, from `/proc/self/limits` (Linux); None
/// when unknown or unlimited.
pub fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// The connection cap: `wanted`, lowered so that the connections, the database's
/// `db_connections` and [`RESERVED_FILES`] stay under the file limit `files`.
pub fn connection_cap(wanted: usize, files: Option<usize>, db_connections: usize) -> usize {
    let cap = match files {
        Some(n) => wanted.min(n.saturating_sub(RESERVED_FILES + db_connections)),
        None => wanted,
    };
    cap.max(MIN_CONNECTIONS)
}

/// One open connection as the registry sees it.
struct Entry {
    /// Requests being handled on it now.
    busy: u32,
    /// When it last became idle (accepted, or its last request answered).
    idle_since: Instant,
    /// Closes it at once when the cap needs its place.
    shed: Arc<Notify>,
}

/// The open connections: how many, which are idle, and which to close for a new one.
struct Registry {
    conns: Mutex<HashMap<u64, Entry>>,
    next: std::sync::atomic::AtomicU64,
    cap: usize,
    /// Woken when the last connection closes (graceful shutdown waits for it).
    emptied: Notify,
    metrics: Arc<Metrics>,
}

impl Registry {
    fn new(cap: usize, metrics: Arc<Metrics>) -> Registry {
        Registry {
            conns: Mutex::default(),
            next: std::sync::atomic::AtomicU64::new(0),
            cap,
            emptied: Notify::new(),
            metrics,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        // A panic while holding this lock leaves the map consistent (every change is one
        // insert or remove): carry on with it.
        self.conns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Admits a new connection: its id and shed signal. At the cap, the connection idle
    /// the longest is closed to make room; when none is idle, None (the new one is
    /// closed).
    fn admit(&self) -> Option<(u64, Arc<Notify>)> {
        let mut conns = self.lock();
        if conns.len() >= self.cap {
            let oldest = conns
                .iter()
                .filter(|(_, e)| e.busy == 0)
                .min_by_key(|(_, e)| e.idle_since)
                .map(|(id, _)| *id);
            match oldest.and_then(|id| conns.remove(&id)) {
                Some(e) => {
                    e.shed.notify_one();
                    self.metrics
                        .connections_shed
                        .fetch_add(1, Ordering::Relaxed);
                }
                None => {
                    self.metrics
                        .connections_refused
                        .fetch_add(1, Ordering::Relaxed);
                    return None;
                }
            }
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let shed = Arc::new(Notify::new());
        conns.insert(
            id,
            Entry {
                busy: 0,
                idle_since: Instant::now(),
                shed: shed.clone(),
            },
        );
        self.publish(conns.len());
        Some((id, shed))
    }

    /// A request began on connection `id`.
    fn begin(&self, id: u64) {
        if let Some(e) = self.lock().get_mut(&id) {
            e.busy += 1;
        }
    }

    /// A request on connection `id` was answered.
    fn end(&self, id: u64) {
        if let Some(e) = self.lock().get_mut(&id) {
            e.busy = e.busy.saturating_sub(1);
            e.idle_since = Instant::now();
        }
    }

    /// Connection `id` closed (or was shed).
    fn remove(&self, id: u64) {
        let mut conns = self.lock();
        conns.remove(&id);
        self.publish(conns.len());
        if conns.is_empty() {
            self.emptied.notify_waiters();
        }
    }

    fn publish(&self, open: usize) {
        self.metrics
            .connections_open
            .store(i64::try_from(open).unwrap_or(i64::MAX), Ordering::Relaxed);
    }

    /// Resolves once no connection is open.
    async fn all_closed(&self) {
        loop {
            let emptied = self.emptied.notified();
            tokio::pin!(emptied);
            emptied.as_mut().enable();
            if self.lock().is_empty() {
                return;
            }
            emptied.await;
        }
    }
}

/// Marks a request answered when dropped (also when the connection is cut mid-request).
struct Busy {
    registry: Arc<Registry>,
    id: u64,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.registry.end(self.id);
    }
}

/// Where the accepted connections go: the router, the registry, the stop signal.
#[derive(Clone)]
struct Shared {
    router: axum::Router,
    registry: Arc<Registry>,
    stopping: watch::Receiver<bool>,
}

/// Serves HTTP/1.1 on one connection until it ends, is shed, or the hub stops (then
/// the request running finishes first).
async fn connection<I>(io: I, peer: SocketAddr, shared: Shared, id: u64, shed: Arc<Notify>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Shared {
        router,
        registry,
        mut stopping,
    } = shared;
    let reg = registry.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        reg.begin(id);
        let busy = Busy {
            registry: reg.clone(),
            id,
        };
        req.extensions_mut().insert(ConnectInfo(peer));
        let mut router = router.clone();
        async move {
            let res = tower_service::Service::call(&mut router, req.map(Body::new)).await;
            drop(busy);
            res
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_CONNECTION_BUFFER)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = shed.notified() => {}
        () = async {
            // The guard `wait_for` returns must not live across an await.
            let _ = stopping.wait_for(|s| *s).await.map(|_| ());
        } => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
    registry.remove(id);
}

/// How a new connection is opened before HTTP: as it is, or through a TLS handshake.
#[derive(Clone)]
enum Transport {
    Plain,
    Tls(tokio_rustls::TlsAcceptor),
}

/// Opens an accepted connection (TLS handshake within [`TLS_HANDSHAKE_TIMEOUT`]) and
/// serves it.
async fn open(
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    transport: Transport,
    shared: Shared,
    id: u64,
    shed: Arc<Notify>,
) {
    let registry = shared.registry.clone();
    match transport {
        Transport::Plain => connection(tcp, peer, shared, id, shed).await,
        Transport::Tls(acceptor) => {
            let handshake = tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(tcp));
            tokio::select! {
                r = handshake => match r {
                    Ok(Ok(tls)) => connection(tls, peer, shared, id, shed).await,
                    _ => registry.remove(id),
                },
                () = shed.notified() => registry.remove(id),
            }
        }
    }
}

/// Accepts connections on `listener` until SIGTERM or Ctrl+C, then lets the running
/// requests finish (at most `opts.grace`).
async fn run(
    state: AppState,
    listener: tokio::net::TcpListener,
    transport: Transport,
    opts: &ServeOptions,
) -> Result<(), ServeError> {
    let db = state.pool.as_ref().map_or(1, |p| p.stats().max as usize);
    let files = open_file_limit();
    let cap = connection_cap(opts.max_connections, files, db);
    if cap < opts.max_connections {
        eprintln!(
            "motcua-hub: giữ tối đa {cap} kết nối cùng lúc (giới hạn tệp mở của tiến trình là {})",
            files.unwrap_or(0)
        );
    }
    let registry = Arc::new(Registry::new(cap, state.metrics.clone()));
    state
        .metrics
        .connections_max
        .store(i64::try_from(cap).unwrap_or(i64::MAX), Ordering::Relaxed);
    let (stop, stopping) = watch::channel(false);
    let shared = Shared {
        router: api::router(state),
        registry: registry.clone(),
        stopping,
    };
    let signal = crate::shutdown_signal();
    tokio::pin!(signal);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut signal => break,
        };
        let (tcp, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of files or buffers for a moment (the cap should prevent it): the
                // connection stays in the backlog and is taken when there is room.
                eprintln!("motcua-hub: không nhận được kết nối mới: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Some((id, shed)) = registry.admit() else {
            continue;
        };
        let _ = tcp.set_nodelay(true);
        tokio::spawn(open(tcp, peer, transport.clone(), shared.clone(), id, shed));
    }
    drop(listener);
    let _ = stop.send(true);
    tokio::time::timeout(opts.grace, registry.all_closed())
        .await
        .map_err(|_| ServeError::GraceExpired(opts.grace.as_secs()))?;
    eprintln!("motcua-hub: đã dừng");
    Ok(())
}

/// Binds `listen`.
async fn bind(listen: &str) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|reason| ServeError::Bind {
            addr: listen.to_string(),
            reason,
        })
}

/// Serves the API on `listen` until SIGTERM or Ctrl+C; then stops accepting and lets
/// running requests finish (at most `opts.grace`, after which it fails).
pub async fn serve(state: AppState, listen: &str, opts: &ServeOptions) -> Result<(), ServeError> {
    let listener = bind(listen).await?;
    eprintln!("motcua-hub listening on http://{}", listener.local_addr()?);
    run(state, listener, Transport::Plain, opts).await
}

/// The rustls server configuration from PEM files (HTTP/1.1 only).
fn tls_config(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, ServeError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let failed = |reason: std::io::Error| ServeError::Tls {
        cert: cert.to_path_buf(),
        key: key.to_path_buf(),
        reason,
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| failed(std::io::Error::other(e.to_string())))?;
    let private = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| failed(std::io::Error::other(e.to_string())))?;
    // rustls is built with ring only (no OpenSSL, no aws-lc), so that is its provider.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(std::io::Error::other(e.to_string())))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| failed(std::io::Error::other(e.to_string())))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Serves the API over TLS (rustls) on `listen` until SIGTERM or Ctrl+C; then stops
/// accepting and lets running requests finish (at most `opts.grace`).
pub async fn serve_tls(
    state: AppState,
    listen: &str,
    cert: &Path,
    key: &Path,
    opts: &ServeOptions,
) -> Result<(), ServeError> {
    let config = tls_config(cert, key)?;
    let listener = bind(listen).await?;
    eprintln!("motcua-hub listening on https://{}", listener.local_addr()?);
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    run(state, listener, Transport::Tls(acceptor), opts).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_under_the_file_limit() {
        assert_eq!(connection_cap(1000, None, 8), 1000);
        assert_eq!(connection_cap(1000, Some(65536), 8), 1000);
        assert_eq!(connection_cap(1000, Some(1024), 8), 1024 - 64 - 8);
        assert_eq!(connection_cap(1000, Some(50), 1), MIN_CONNECTIONS);
    }

    #[test]
    fn the_oldest_idle_connection_makes_room() {
        let r = Registry::new(2, Arc::default());
        let (a, shed_a) = r.admit().unwrap();
        let (b, _) = r.admit().unwrap();
        r.begin(b);
        // At the cap: `a` is idle, so it goes.
        let (c, _) = r.admit().unwrap();
        assert!(r.lock().get(&a).is_none());
        // `shed_a` holds the notification for its task.
        let waker = futures_notified(&shed_a);
        assert!(waker);
        // `b` busy and `c` idle: `c` goes; then both busy, a new one is refused.
        r.begin(c);
        assert!(r.admit().is_none());
        r.end(c);
        assert!(r.admit().is_some());
    }

    /// Whether a stored notification is waiting on `n`.
    fn futures_notified(n: &Notify) -> bool {
        let f = n.notified();
        tokio::pin!(f);
        // A stored permit makes the first poll ready.
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        std::future::Future::poll(f.as_mut(), &mut cx).is_ready()
    }
}
