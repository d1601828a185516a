//! The hub's HTTP API (axum): enrolment, push, change feed, upstream status, health,
//! metrics, province counts and the citizen lookup page. Storage calls, inflating and
//! parsing run on the blocking pool; every answer is logged in one line on stderr and
//! counted for `/metrics` (see [`crate::metrics`]).
//!
//! A push is bounded before it costs memory: at most [`MAX_CONCURRENT_PUSHES`] are read at
//! once (the others wait up to [`PUSH_WAIT`], then get 503 with `Retry-After`), the body as
//! sent is read up to [`MAX_PUSH_BODY`], and it is inflated and parsed as a stream that is
//! refused (413) as soon as it passes [`MAX_PUSH_JSON`]. So a push holds at most its body
//! and the parsed batch, whatever a gzip bomb would inflate to.

use crate::db::{Principal, Storage};
use crate::error::HubError;
use crate::metrics::{ErrorKind, Metrics, PushInfo};
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use motcua_core::status::Status;
use motcua_core::wire::{
    EnrollRequest, ErrorBody, HUB_TIME_HEADER, IDEMPOTENCY_HEADER, ItemOutcome, PushRequest,
    StatusRequest,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest body of the requests other than a push (enrolment, status): they are a few
/// hundred bytes.
const MAX_BODY: usize = 64 * 1024;
/// Most events in one push: the counter sends batches of `motcua_sync::BATCH` (1000).
pub const MAX_PUSH_EVENTS: usize = 1000;
/// Largest push JSON, after inflating. A real batch of 1000 dossier events (`motcua dev
/// seed`, receipts with five documents) is 1.26 MB of JSON, about 1.3 KB an event, and
/// gzips to about 0.3 MB; 8 MiB is 6.6 times that, 8 KB an event on average (a dossier
/// with a 2000-character note, long addresses and 20 documents is about 5 KB).
pub const MAX_PUSH_JSON: u64 = 8 * 1024 * 1024;
/// Largest push body as sent (gzip, or plain JSON when not compressed).
pub const MAX_PUSH_BODY: usize = MAX_PUSH_JSON as usize;
/// Pushes read, checked and stored at once. Storage takes one batch at a time on SQLite
/// (one connection) anyway; four keep the pool busy while bounding memory to about four
/// bodies and four parsed batches.
pub const MAX_CONCURRENT_PUSHES: usize = 4;
/// How long a push waits for a slot before it is answered 503.
pub const PUSH_WAIT: Duration = Duration::from_secs(10);
/// `Retry-After` of a push answered 503 because the hub is busy.
const BUSY_RETRY_AFTER_SECS: u64 = 5;
/// How long the hub waits for a push body to arrive (slow rural links included).
const PUSH_READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Largest sequence number and cursor: the databases store them as BIGINT.
const MAX_SEQ: u64 = i64::MAX as u64;
/// Citizen lookups allowed per client address per minute.
const LOOKUPS_PER_MINUTE: u32 = 20;
/// The lookup page is HTML rendered by the server with no scripts, styles, images or
/// forms: it may load nothing and be framed by nobody.
const LOOKUP_CSP: &str =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    /// Added to the hub's clock in answers (tests of the counter's skew detection).
    pub clock_skew: chrono::Duration,
    lookups: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Slots of the push concurrency limit.
    pushes: Arc<tokio::sync::Semaphore>,
    /// The PostgreSQL pool's use for `/metrics` (None: one SQLite connection).
    pub pool: Option<crate::sql::PoolGauge>,
    /// Reverse proxies whose `X-Forwarded-For` is believed when they connect: the lookup
    /// rate limit then counts the citizen's address, not the proxy's. Empty: the header is
    /// ignored (anyone could write it).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}

impl AppState {
    /// State over a storage backend.
    pub fn new(storage: Arc<dyn Storage>) -> AppState {
        AppState {
            storage,
            clock_skew: chrono::Duration::zero(),
            lookups: Arc::default(),
            metrics: Arc::default(),
            pushes: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_PUSHES)),
            pool: None,
            trusted_proxies: Arc::default(),
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let (code, kind) = match &self {
            HubError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            HubError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            HubError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            HubError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            HubError::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "storage"),
            HubError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            HubError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "media_type"),
            HubError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
        };
        let retry = match &self {
            HubError::Busy(s) => Some(*s),
            _ => None,
        };
        let mut res = (
            code,
            Json(ErrorBody {
                error: self.to_string(),
            }),
        )
            .into_response();
        if let Some(s) = retry {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res.extensions_mut().insert(ErrorKind(kind));
        res
    }
}

/// The router with every route.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/enroll", post(enroll))
        .route("/api/v1/push", post(push))
        .route("/api/v1/changes", get(changes))
        .route("/api/v1/journal", get(journal))
        .route("/api/v1/dossiers/{code}/status", post(set_status))
        .route("/api/v1/counts", get(counts))
        .route("/api/v1/alerts", get(alerts))
        .route("/tra-cuu", get(lookup))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(json_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .layer(axum::middleware::map_response_with_state(
            state.clock_skew,
            stamp_time,
        ))
        .with_state(state)
}

/// The route template of a path, for logs and metrics: never the path itself, which may
/// carry a dossier code, and never the query, which may carry a lookup secret.
fn route_of(path: &str) -> &'static str {
    const ROUTES: [&str; 11] = [
        "/healthz",
        "/metrics",
        "/api/v1/enroll",
        "/api/v1/push",
        "/api/v1/changes",
        "/api/v1/journal",
        "/api/v1/counts",
        "/api/v1/alerts",
        "/api/v1/openapi.json",
        "/tra-cuu",
        "/api/v1/dossiers/{code}/status",
    ];
    if let Some(r) = ROUTES.iter().find(|r| **r == path) {
        return r;
    }
    if path
        .strip_prefix("/api/v1/dossiers/")
        .and_then(|rest| rest.strip_suffix("/status"))
        .is_some_and(|code| !code.is_empty() && !code.contains('/'))
    {
        return ROUTES[10];
    }
    "other"
}

/// Logs every answer in one line on stderr and counts it for `/metrics`.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let route = route_of(req.uri().path());
    let res = next.run(req).await;
    let took = started.elapsed();
    let status = res.status().as_u16();
    let push = res.extensions().get::<PushInfo>();
    let error = res.extensions().get::<ErrorKind>().copied();
    let m = &state.metrics;
    m.record(&method, route, status, took);
    if route == "/api/v1/push" && method == "POST" {
        match push {
            Some(p) => m.record_push(p),
            None => m.record_push_refused(error.map_or("other", |e| e.0)),
        }
    }
    eprintln!(
        "{}",
        crate::metrics::log_line(&method, route, status, took, push, error)
    );
    res
}

/// Answers that axum itself gives (an unknown route, a wrong method, a body over the
/// limit, a malformed query) are plain text: they get the JSON error body the API
/// describes, in Vietnamese.
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/json") || ct.starts_with("text/html") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let (error, kind) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            HubError::TooLarge(format!("tối đa {MAX_BODY} byte")).to_string(),
            "too_large",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (HubError::UnsupportedMediaType.to_string(), "media_type")
        }
        StatusCode::NOT_FOUND => (
            HubError::NotFound("đường dẫn này".into()).to_string(),
            "not_found",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "phương thức HTTP này không dùng được cho đường dẫn này".to_string(),
            "method",
        ),
        s if s.is_server_error() => ("lỗi nội bộ của hub".to_string(), "internal"),
        _ => (HubError::BadRequest(detail).to_string(), "bad_request"),
    };
    let body = serde_json::to_vec(&ErrorBody { error }).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.insert(ErrorKind(kind));
    Response::from_parts(parts, Body::from(body))
}

/// Every answer carries the hub's clock, so counters can measure their offset.
async fn stamp_time(State(skew): State<chrono::Duration>, mut res: Response) -> Response {
    let now = (chrono::Utc::now() + skew).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if let Ok(v) = HeaderValue::from_str(&now) {
        res.headers_mut().insert(HUB_TIME_HEADER, v);
    }
    res
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Runs a storage call (or other blocking work) on the blocking pool, counted in the
/// `storage_calls_in_flight` gauge.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, HubError> + Send + 'static,
) -> Result<T, HubError> {
    struct InFlight(Arc<Metrics>);
    impl Drop for InFlight {
        fn drop(&mut self) {
            self.0.storage_in_flight.fetch_sub(1, Ordering::Relaxed);
        }
    }
    state
        .metrics
        .storage_in_flight
        .fetch_add(1, Ordering::Relaxed);
    let guard = InFlight(state.metrics.clone());
    tokio::task::spawn_blocking(move || {
        let r = f();
        drop(guard);
        r
    })
    .await
    .map_err(|e| HubError::Db(format!("tác vụ bị hủy: {e}")))?
}

async fn principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, HubError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(HubError::Unauthorized)?
        .trim()
        .to_string();
    let storage = state.storage.clone();
    blocking(state, move || storage.authenticate(&token)).await
}

/// Liveness: the hub and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "hub",
    responses((status = 200, description = "Hub and database answer", body = Object),
              (status = 500, description = "Database down", body = ErrorBody)))]
async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, HubError> {
    let storage = state.storage.clone();
    blocking(&state, move || storage.ping()).await?;
    Ok(Json(serde_json::json!({"status": "ok", "time": now()})))
}

/// A station registers its public key with a one-time token and receives its credential.
#[utoipa::path(post, path = "/api/v1/enroll", tag = "station",
    request_body(content = EnrollRequest, content_type = "application/json"),
    responses((status = 200, body = motcua_core::wire::EnrollResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn enroll(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<motcua_core::wire::EnrollResponse>, HubError> {
    let req: EnrollRequest = serde_json::from_slice(&body)?;
    let storage = state.storage.clone();
    Ok(Json(
        blocking(&state, move || storage.enroll(&req, &now())).await?,
    ))
}

/// A reader that refuses to give more than `left` bytes: one byte past the cap is an
/// error and sets `over`, so a body is refused as soon as it crosses the cap.
struct Capped<R> {
    inner: R,
    left: u64,
    read: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.over = true;
            return Err(std::io::Error::other("push body over the cap"));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        self.read += n as u64;
        Ok(n)
    }
}

fn too_large_json() -> HubError {
    HubError::TooLarge(format!(
        "một lần gửi tối đa {} MiB JSON (sau khi giải nén)",
        MAX_PUSH_JSON / (1024 * 1024)
    ))
}

/// Inflates (when `gz`) and parses a push body as one stream, never holding the inflated
/// JSON: refused as soon as it passes [`MAX_PUSH_JSON`]. Returns the request and the
/// size of its JSON.
fn decode_push(gz: bool, body: &[u8]) -> Result<(PushRequest, u64), HubError> {
    let source: Box<dyn Read + '_> = if gz {
        Box::new(flate2::read::GzDecoder::new(body))
    } else {
        Box::new(body)
    };
    let mut capped = Capped {
        inner: source,
        left: MAX_PUSH_JSON,
        read: 0,
        over: false,
    };
    let parsed: Result<PushRequest, _> =
        serde_json::from_reader(std::io::BufReader::with_capacity(64 * 1024, &mut capped));
    let req = match parsed {
        Ok(r) => r,
        Err(_) if capped.over => return Err(too_large_json()),
        Err(e) if e.is_io() => {
            return Err(HubError::BadRequest(format!("nội dung nén hỏng: {e}")));
        }
        Err(e) => return Err(e.into()),
    };
    if req.events.len() > MAX_PUSH_EVENTS {
        return Err(HubError::BadRequest(format!(
            "một lần gửi tối đa {MAX_PUSH_EVENTS} sự kiện, lần này có {}",
            req.events.len()
        )));
    }
    if req.head.seq > MAX_SEQ || req.events.iter().any(|e| e.seq > MAX_SEQ) {
        return Err(HubError::BadRequest(format!(
            "số thứ tự sự kiện vượt quá {MAX_SEQ}"
        )));
    }
    Ok((req, capped.read))
}

/// Whether a Content-Type names JSON (`application/json`, parameters allowed).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads a push body as sent, refusing it as soon as it passes [`MAX_PUSH_BODY`].
async fn read_push_body(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, HubError> {
    let too_large = || {
        HubError::TooLarge(format!(
            "một lần gửi tối đa {} MiB",
            MAX_PUSH_BODY / (1024 * 1024)
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_PUSH_BODY as u64) {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(
        declared.map_or(64 * 1024, |n| usize::try_from(n).unwrap_or(MAX_PUSH_BODY)),
    );
    let mut body = body;
    let read = async {
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| {
                HubError::BadRequest(format!("không đọc được nội dung gửi lên: {e}"))
            })?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > MAX_PUSH_BODY {
                    return Err(too_large());
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(())
    };
    tokio::time::timeout(PUSH_READ_TIMEOUT, read)
        .await
        .map_err(|_| {
            HubError::BadRequest("nội dung gửi lên đến quá chậm, hãy gửi lại".to_string())
        })??;
    Ok(out)
}

/// A slot of the push concurrency limit; gauges follow it.
struct PushSlot {
    _permit: tokio::sync::OwnedSemaphorePermit,
    metrics: Arc<Metrics>,
}

impl Drop for PushSlot {
    fn drop(&mut self) {
        self.metrics
            .pushes_in_flight
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// Waits up to [`PUSH_WAIT`] for a slot; then the hub is busy (503, `Retry-After`).
async fn push_slot(state: &AppState) -> Result<PushSlot, HubError> {
    let m = &state.metrics;
    m.pushes_waiting.fetch_add(1, Ordering::Relaxed);
    let permit = tokio::time::timeout(PUSH_WAIT, state.pushes.clone().acquire_owned()).await;
    m.pushes_waiting.fetch_sub(1, Ordering::Relaxed);
    match permit {
        Ok(Ok(p)) => {
            m.pushes_in_flight.fetch_add(1, Ordering::Relaxed);
            Ok(PushSlot {
                _permit: p,
                metrics: m.clone(),
            })
        }
        _ => Err(HubError::Busy(BUSY_RETRY_AFTER_SECS)),
    }
}

/// Pushes journal events in station-sequence order (gzip JSON); per-item answers.
#[utoipa::path(post, path = "/api/v1/push", tag = "station",
    request_body(content = PushRequestDoc, content_type = "application/json",
        description = "May be sent with Content-Encoding: gzip; at most 8 MiB as sent and \
            8 MiB of JSON after inflating, at most 1000 events"),
    params(("idempotency-key" = Option<String>, Header, description = "Batch identity")),
    responses((status = 200, body = motcua_core::wire::PushResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody),
              (status = 413, description = "Body or inflated JSON too large", body = ErrorBody),
              (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
              (status = 503, description = "Too many pushes at once", body = ErrorBody,
                  headers(("retry-after" = u64, description = "Seconds to wait before sending again")))),
    security(("bearer" = [])))]
async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HubError> {
    let Principal::Station { station_id, .. } = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    if !is_json(&headers) {
        return Err(HubError::UnsupportedMediaType);
    }
    // The slot is taken before the body is read: waiting pushes hold no body.
    let _slot = push_slot(&state).await?;
    let body = read_push_body(&headers, body).await?;
    let gz = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let body_bytes = body.len() as u64;
    let (req, json_bytes) = blocking(&state, move || decode_push(gz, &body)).await?;
    if req.station_id != station_id {
        return Err(HubError::Forbidden);
    }
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let mut info = PushInfo {
        station_id: station_id.clone(),
        first_seq: req.events.first().map(|e| e.seq),
        last_seq: req.events.last().map(|e| e.seq),
        events: req.events.len(),
        json_bytes,
        body_bytes,
        ..PushInfo::default()
    };
    let storage = state.storage.clone();
    let resp = blocking(&state, move || {
        storage.push(&station_id, key.as_deref(), &req, &now())
    })
    .await?;
    for r in &resp.results {
        match r.outcome {
            ItemOutcome::Accepted => info.accepted += 1,
            ItemOutcome::Duplicate => info.duplicate += 1,
            ItemOutcome::Rejected => info.rejected += 1,
            ItemOutcome::Gap => info.gap += 1,
        }
    }
    let mut res = Json(resp).into_response();
    res.extensions_mut().insert(info);
    Ok(res)
}

/// Query of the change feed.
#[derive(Debug, Deserialize)]
struct ChangesQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u64>,
}

impl ChangesQuery {
    /// The cursor, refused above what the databases store (BIGINT).
    fn since(&self) -> Result<u64, HubError> {
        if self.since > MAX_SEQ {
            return Err(HubError::BadRequest(format!(
                "since phải từ 0 đến {MAX_SEQ}"
            )));
        }
        Ok(self.since)
    }
}

/// Upstream changes for the station's agency after a cursor.
#[utoipa::path(get, path = "/api/v1/changes", tag = "station",
    params(("since" = Option<u64>, Query, description = "Last change applied",
                minimum = 0, maximum = 9223372036854775807_i64),
           ("limit" = Option<u64>, Query, description = "At most this many (1..5000)")),
    responses((status = 200, body = motcua_core::wire::ChangesResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<motcua_core::wire::ChangesResponse>, HubError> {
    let Query(q) = q.map_err(|e| HubError::BadRequest(e.body_text()))?;
    let Principal::Station { agency_id, .. } = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let since = q.since()?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 5000);
    let storage = state.storage.clone();
    Ok(Json(
        blocking(&state, move || storage.changes(&agency_id, since, limit)).await?,
    ))
}

/// The calling station's own journal as the hub stored it, after a sequence number, with
/// the heads it signed: what a counter that lost events (an old backup restored, a
/// replacement PC) rebuilds its journal from.
#[utoipa::path(get, path = "/api/v1/journal", tag = "station",
    params(("since" = Option<u64>, Query, description = "Last event the counter holds",
                minimum = 0, maximum = 9223372036854775807_i64),
           ("limit" = Option<u64>, Query, description = "At most this many (1..5000)")),
    responses((status = 200, body = motcua_core::wire::JournalResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn journal(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<motcua_core::wire::JournalResponse>, HubError> {
    let Query(q) = q.map_err(|e| HubError::BadRequest(e.body_text()))?;
    let Principal::Station { station_id, .. } = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let since = q.since()?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 5000);
    let storage = state.storage.clone();
    Ok(Json(
        blocking(&state, move || storage.journal(&station_id, since, limit)).await?,
    ))
}

/// A processing system records a dossier's processing status.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/status", tag = "processor",
    params(("code" = String, Path, description = "Dossier code")),
    request_body(content = StatusRequest, content_type = "application/json"),
    responses((status = 204, description = "Recorded"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn set_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<StatusCode, HubError> {
    let Principal::Processor(_) = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let req: StatusRequest = serde_json::from_slice(&body)?;
    let storage = state.storage.clone();
    blocking(&state, move || {
        storage.set_status(&code, req.status, req.note.as_deref(), &now())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Dossiers per agency and status across the province.
#[utoipa::path(get, path = "/api/v1/counts", tag = "processor",
    responses((status = 200, body = Vec<crate::db::CountRow>),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn counts(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<crate::db::CountRow>>, HubError> {
    let Principal::Processor(_) = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let storage = state.storage.clone();
    Ok(Json(blocking(&state, move || storage.counts()).await?))
}

/// Problems found in stations' journals (tampering, broken chains, bad signatures).
#[utoipa::path(get, path = "/api/v1/alerts", tag = "processor",
    responses((status = 200, body = Vec<crate::db::Alert>),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn alerts(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<crate::db::Alert>>, HubError> {
    let Principal::Processor(_) = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let storage = state.storage.clone();
    Ok(Json(blocking(&state, move || storage.alerts()).await?))
}

/// Query of the citizen lookup page.
#[derive(Debug, Deserialize)]
struct LookupQuery {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    mk: String,
}

/// Keeps all but the initials of each word but the last: "Trần Thị Lan" -> "T. T. Lan".
fn mask_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == n {
                (*w).to_string()
            } else {
                format!("{}.", w.chars().next().unwrap_or('?'))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tra cứu hồ sơ</title></head><body><h1>Tra cứu hồ sơ</h1>{body}</body></html>"
    ))
}

/// Citizen lookup page (Vietnamese HTML); a wrong secret answers like an unknown code.
#[utoipa::path(get, path = "/tra-cuu", tag = "citizen",
    params(("ma" = Option<String>, Query, description = "Dossier code"),
           ("mk" = Option<String>, Query, description = "Lookup secret")),
    responses((status = 200, description = "Result page", content_type = "text/html", body = String),
              (status = 400, body = ErrorBody),
              (status = 429, description = "Too many lookups", content_type = "text/html", body = String,
                  headers(("retry-after" = u64, description = "Seconds until lookups are allowed again")))))]
async fn lookup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    q: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let client = client_address(peer.ip(), &headers, &state.trusted_proxies);
    let mut res = lookup_page(&state, client, q).await;
    // The page shows a dossier's status to whoever holds its secret: no cache keeps it,
    // it loads nothing, no other site frames it, and the secret in its address is never
    // sent on as a referrer.
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(LOOKUP_CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// The address a lookup is counted against: the peer, or — when the peer is a trusted
/// proxy — the nearest address in `X-Forwarded-For` that is not one of the trusted
/// proxies (addresses further left were written by the client and prove nothing).
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // A hop that is not an address: nothing left of it can be believed.
            Err(_) => return peer,
        }
    }
    peer
}

async fn lookup_page(
    state: &AppState,
    client: std::net::IpAddr,
    q: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return HubError::BadRequest(e.body_text()).into_response(),
    };
    // Per client address (per hub instance: behind several instances a proxy limits too).
    let client = client.to_string();
    // Ok(()) or Err(seconds until this client's minute is over).
    let allowed = match state.lookups.lock() {
        Ok(mut m) => {
            if m.len() > 100_000 {
                m.retain(|_, (t, _)| t.elapsed() <= Duration::from_secs(60));
            }
            let e = m.entry(client).or_insert((Instant::now(), 0));
            if e.0.elapsed() > Duration::from_secs(60) {
                *e = (Instant::now(), 0);
            }
            e.1 += 1;
            if e.1 <= LOOKUPS_PER_MINUTE {
                Ok(())
            } else {
                Err(60u64.saturating_sub(e.0.elapsed().as_secs()).max(1))
            }
        }
        Err(_) => Err(60),
    };
    if let Err(wait) = allowed {
        let mut res = (
            StatusCode::TOO_MANY_REQUESTS,
            page("<p>Quá nhiều lượt tra cứu. Xin vui lòng thử lại sau một phút.</p>"),
        )
            .into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return res;
    }
    let storage = state.storage.clone();
    let code = q.ma.trim().chars().take(64).collect::<String>();
    let found = blocking(state, move || storage.lookup(&code)).await;
    let not_found = || {
        page("<p>Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập. Xin kiểm tra lại giấy tiếp nhận.</p>")
            .into_response()
    };
    match found {
        Ok(Some(d)) if !q.mk.is_empty() && d.lookup_secret == q.mk.trim() => page(&format!(
            "<p>Mã hồ sơ: {}</p><p>Người nộp: {}</p><p>Trạng thái: {}</p><p>Hẹn trả kết quả: {}</p>",
            escape(&d.code),
            escape(&mask_name(&d.applicant_name)),
            escape(d.status.label()),
            escape(d.due_at.as_deref().unwrap_or("chưa có")),
        ))
        .into_response(),
        Ok(_) => not_found(),
        Err(e) => e.into_response(),
    }
}

/// Counters in the Prometheus text format, for provincial IT's monitoring.
///
/// No credential: Prometheus scrapes it on the province's internal network, and it holds
/// totals only (requests by route template and status, latency, pushes, items by
/// outcome, push slots, database connections, memory): no station ids, dossier codes,
/// names, ID numbers, secrets or tokens. Keep it off the public address at the proxy
/// as the rest of the operator surface.
#[utoipa::path(get, path = "/metrics", tag = "hub",
    responses((status = 200, description = "Prometheus text exposition 0.0.4",
        content_type = "text/plain", body = String)))]
async fn metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(
        MAX_CONCURRENT_PUSHES,
        state.pool.as_ref().map(|p| p.stats()),
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// `PushRequest` as the hub accepts it (the wire type keeps events as
/// `motcua_core::journal::Event`, which has no schema of its own).
#[derive(utoipa::ToSchema)]
#[schema(as = PushRequest)]
#[allow(dead_code)]
struct PushRequestDoc {
    /// `<agency id>#<station number>`: the station of the credential.
    station_id: String,
    head: SignedHeadDoc,
    /// Journal events in station-sequence order.
    #[schema(max_items = 1000)]
    events: Vec<PushEventDoc>,
}

/// The signed head of the station's journal at the batch's last event.
#[derive(utoipa::ToSchema)]
#[schema(as = PushHead)]
#[allow(dead_code)]
struct SignedHeadDoc {
    #[schema(minimum = 0, maximum = 9223372036854775807_i64)]
    seq: u64,
    hash: String,
    /// Ed25519 signature (hex) over `journal::head_message`.
    signature: String,
}

/// One journal event, as the counter signed it (`motcua_core::journal::Event`).
#[derive(utoipa::ToSchema)]
#[schema(as = PushEvent)]
#[allow(dead_code)]
struct PushEventDoc {
    /// Gap-free sequence of the station, from 1.
    #[schema(minimum = 0, maximum = 9223372036854775807_i64)]
    seq: u64,
    /// UUIDv7 of the event.
    event_id: String,
    station_id: String,
    /// Wall time at the station, RFC 3339 with offset.
    wall_time: String,
    clerk: String,
    kind: EventKindDoc,
    dossier_id: Option<String>,
    /// Canonical JSON body.
    payload: String,
    prev_hash: String,
    hash: String,
}

/// What happened (`motcua_core::journal::EventKind`).
#[derive(utoipa::ToSchema)]
#[schema(as = PushEventKind)]
#[allow(dead_code)]
#[schema(rename_all = "snake_case")]
enum EventKindDoc {
    StationInitialized,
    UserAdded,
    UserChanged,
    CatalogLoaded,
    DossierReceived,
    StatusChanged,
    UpstreamStatus,
    StationRekeyed,
    LossAccepted,
}

/// The OpenAPI 3 description, generated from the handlers and wire types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "motcua-hub", description = "Province hub of the motcua one-stop counters"),
    paths(healthz, enroll, push, changes, journal, set_status, counts, alerts, lookup, metrics),
    components(schemas(ErrorBody, motcua_core::wire::ChangeItem, motcua_core::wire::Change)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the bearer credential scheme.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    Json(ApiDoc::openapi())
}

/// Parses a status name for the CLI.
pub fn parse_status(s: &str) -> Result<Status, HubError> {
    s.parse()
        .map_err(|e: motcua_core::status::UnknownStatus| HubError::BadRequest(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_client_is_the_nearest_untrusted_forwarded_address() {
        use axum::http::{HeaderMap, HeaderValue};
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let proxy = ip("10.0.0.1");
        let edge = ip("10.0.0.2");
        let xff = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
            h
        };
        let client = |peer, h: &HeaderMap| super::client_address(peer, h, &[proxy, edge]);
        // Not from a trusted proxy: the header is anyone's to write.
        assert_eq!(
            super::client_address(ip("203.0.113.9"), &xff("1.2.3.4"), &[]),
            ip("203.0.113.9")
        );
        assert_eq!(
            client(ip("203.0.113.9"), &xff("1.2.3.4")),
            ip("203.0.113.9")
        );
        // From the proxy: the last hop it saw; a forged left part changes nothing.
        assert_eq!(client(proxy, &xff("198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(
            client(proxy, &xff("6.6.6.6, 198.51.100.7")),
            ip("198.51.100.7")
        );
        // Through two trusted proxies.
        assert_eq!(
            client(proxy, &xff("198.51.100.7, 10.0.0.2")),
            ip("198.51.100.7")
        );
        // Nothing usable: the proxy itself.
        assert_eq!(client(proxy, &HeaderMap::new()), proxy);
        assert_eq!(client(proxy, &xff("garbage")), proxy);
    }

    #[test]
    fn names_are_masked() {
        assert_eq!(super::mask_name("Trần Thị Lan"), "T. T. Lan");
        assert_eq!(super::mask_name("Lan"), "Lan");
    }
}
