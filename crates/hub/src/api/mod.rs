//! The hub's HTTP API (axum): enrolment, push ([`push`]), change feed, upstream status,
//! health, metrics, province counts and the citizen lookup page ([`lookup`]). Storage
//! calls, inflating and parsing run on the blocking pool; every answer is logged in one
//! line on stderr and counted for `/metrics` (see [`crate::metrics`]).

mod admit;
mod lookup;
mod lookup_page;
mod push;
mod worker;

pub use admit::{BODY_BUDGET, BODY_DEADLINE, BODY_GRACE, MAX_BODIES, MIN_BODY_RATE};
pub use lookup::client_address;
pub use push::{MAX_CONCURRENT_PUSHES, MAX_PUSH_BODY, MAX_PUSH_EVENTS, MAX_PUSH_JSON, PUSH_WAIT};

use crate::db::{Principal, Storage};
use crate::error::HubError;
use crate::metrics::{ErrorKind, Metrics, PushInfo, PushStation};
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use motcua_core::status::Status;
use motcua_core::wire::{EnrollRequest, ErrorBody, HUB_TIME_HEADER, StatusRequest};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest body of the requests other than a push (enrolment, status): they are a few
/// hundred bytes.
const MAX_BODY: usize = 64 * 1024;
/// How long the body of a request other than a push may take to arrive.
const SMALL_BODY_TIMEOUT: Duration = Duration::from_secs(20);
/// Largest sequence number and cursor: the databases store them as BIGINT.
const MAX_SEQ: u64 = i64::MAX as u64;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    /// Added to the hub's clock in answers (tests of the counter's skew detection).
    pub clock_skew: chrono::Duration,
    lookups: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The gates a push passes (see [`admit`]).
    admission: Arc<admit::Admission>,
    /// The PostgreSQL pool's use for `/metrics` (None: one SQLite connection).
    pub pool: Option<crate::sql::PoolGauge>,
    /// Reverse proxies whose `X-Forwarded-For` is believed when they connect: the lookup
    /// rate limit then counts the citizen's address, not the proxy's. Empty: the header is
    /// ignored (anyone could write it).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// The hub's public citizen lookup page (`https://…/tra-cuu`), told to stations at
    /// enrolment and with every pull; None when the hub was given no public address.
    pub lookup_url: Option<Arc<str>>,
}

impl AppState {
    /// State over a storage backend.
    pub fn new(storage: Arc<dyn Storage>) -> AppState {
        AppState {
            storage,
            clock_skew: chrono::Duration::zero(),
            lookups: Arc::default(),
            metrics: Arc::default(),
            admission: Arc::default(),
            pool: None,
            trusted_proxies: Arc::default(),
            lookup_url: None,
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let (code, kind) = match &self {
            HubError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            HubError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            HubError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            HubError::BadHeadSignature { .. } => (StatusCode::BAD_REQUEST, "bad_signature"),
            HubError::SlowBody(_) => (StatusCode::REQUEST_TIMEOUT, "slow_body"),
            HubError::StationBusy(_) => (StatusCode::SERVICE_UNAVAILABLE, "station_busy"),
            HubError::DbUnavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "db_unavailable"),
            HubError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            HubError::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "storage"),
            HubError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            HubError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "media_type"),
            HubError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            HubError::KeyReused => (StatusCode::CONFLICT, "key_reused"),
        };
        // No Retry-After when the database is unreachable: it is no busy hub, and the
        // counter then shows the hub's own words instead of waiting as for one.
        let retry = match &self {
            HubError::Busy(s) | HubError::StationBusy(s) => Some(*s),
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
        .route("/api/v1/push", post(push::push))
        .route("/api/v1/changes", get(changes))
        .route("/api/v1/journal", get(journal))
        .route("/api/v1/dossiers/{code}/status", post(set_status))
        .route("/api/v1/counts", get(counts))
        .route("/api/v1/alerts", get(alerts))
        .route("/api/v1/report", get(report))
        .route("/tra-cuu", get(lookup::lookup))
        .route("/tra-cuu.css", get(lookup::stylesheet))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(small_body))
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
    let unknown = PushStation("-".into());
    let station = match res.extensions().get::<PushStation>() {
        Some(s) => Some(s),
        // A push refused before its credential was known (or could be checked).
        None if route == "/api/v1/push" => Some(&unknown),
        None => None,
    };
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
        crate::metrics::log_line(&method, route, status, took, push, station, error)
    );
    res
}

/// Reads the body of a request other than a push within [`SMALL_BODY_TIMEOUT`] and
/// [`MAX_BODY`] (413 past it, 408 when too slow), so that a slow sender cannot hold a
/// connection busy for ever; a push reads its own body under its own limits.
async fn small_body(req: Request, next: Next) -> Response {
    if req.uri().path() == "/api/v1/push" {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(SMALL_BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY));
    match read.await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(e)) if over_limit(&e) => {
            HubError::TooLarge(format!("tối đa {MAX_BODY} byte")).into_response()
        }
        Ok(Err(e)) => {
            HubError::BadRequest(format!("không đọc được nội dung gửi lên: {e}")).into_response()
        }
        Err(_) => {
            HubError::SlowBody(format!("quá {} giây", SMALL_BODY_TIMEOUT.as_secs())).into_response()
        }
    }
}

/// Whether reading a body failed on its length limit.
fn over_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
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

/// A storage call running, counted in the `storage_calls_in_flight` gauge until dropped.
struct StorageCall(Arc<Metrics>);

impl StorageCall {
    fn start(metrics: &Arc<Metrics>) -> StorageCall {
        metrics.storage_in_flight.fetch_add(1, Ordering::Relaxed);
        StorageCall(metrics.clone())
    }
}

impl Drop for StorageCall {
    fn drop(&mut self) {
        self.0.storage_in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs a storage call (or other blocking work) on the blocking pool, counted in the
/// `storage_calls_in_flight` gauge.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, HubError> + Send + 'static,
) -> Result<T, HubError> {
    let guard = StorageCall::start(&state.metrics);
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
              (status = 500, description = "Database failed", body = ErrorBody),
              (status = 503, description = "Database unreachable", body = ErrorBody)))]
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
    let mut resp = blocking(&state, move || storage.enroll(&req, &now())).await?;
    resp.lookup_url = state.lookup_url.as_deref().map(str::to_string);
    Ok(Json(resp))
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
    let mut resp = blocking(&state, move || storage.changes(&agency_id, since, limit)).await?;
    resp.lookup_url = state.lookup_url.as_deref().map(str::to_string);
    Ok(Json(resp))
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

/// Biểu 06 (received, resolved, pending per field) and the national index's ratios of
/// each agency for a period, over what its stations pushed: the same rules a counter
/// applies to its own register, so an agency's figure is the sum of its stations'. A
/// period not over yet is counted as things stand now.
#[utoipa::path(get, path = "/api/v1/report", tag = "processor",
    params(crate::report::ReportQuery),
    responses((status = 200, body = Vec<crate::report::AgencyReport>),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<crate::report::ReportQuery>, QueryRejection>,
) -> Result<Json<Vec<crate::report::AgencyReport>>, HubError> {
    let Principal::Processor(_) = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let Query(q) = q.map_err(|e| HubError::BadRequest(e.body_text()))?;
    let period = q.period()?;
    let storage = state.storage.clone();
    let now = crate::report::vietnam_now() + state.clock_skew;
    Ok(Json(
        blocking(&state, move || {
            crate::report::reports(storage.as_ref(), q.agency_id.as_deref(), period, now)
        })
        .await?,
    ))
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

/// The OpenAPI 3 description, generated from the handlers and wire types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "motcua-hub", description = "Province hub of the motcua one-stop counters"),
    paths(healthz, enroll, push::push, changes, journal, set_status, counts, alerts, report,
        lookup::lookup, lookup::stylesheet, metrics),
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
