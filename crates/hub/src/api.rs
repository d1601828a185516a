//! The hub's HTTP API (axum): enrolment, push, change feed, upstream status, health,
//! province counts and the citizen lookup page. Storage calls run on the blocking pool.

use crate::db::{Principal, Storage};
use crate::error::HubError;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use motcua_core::status::Status;
use motcua_core::wire::{
    EnrollRequest, ErrorBody, HUB_TIME_HEADER, IDEMPOTENCY_HEADER, PushRequest, StatusRequest,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest request body accepted (compressed or not).
const MAX_BODY: usize = 32 * 1024 * 1024;
/// Largest decompressed push body.
const MAX_INFLATED: u64 = 256 * 1024 * 1024;
/// Citizen lookups allowed per client address per minute.
const LOOKUPS_PER_MINUTE: u32 = 20;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    /// Added to the hub's clock in answers (tests of the counter's skew detection).
    pub clock_skew: chrono::Duration,
    lookups: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
}

impl AppState {
    /// State over a storage backend.
    pub fn new(storage: Arc<dyn Storage>) -> AppState {
        AppState {
            storage,
            clock_skew: chrono::Duration::zero(),
            lookups: Arc::default(),
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let code = match &self {
            HubError::Unauthorized => StatusCode::UNAUTHORIZED,
            HubError::Forbidden => StatusCode::FORBIDDEN,
            HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HubError::NotFound(_) => StatusCode::NOT_FOUND,
            HubError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (
            code,
            Json(ErrorBody {
                error: self.to_string(),
            }),
        )
            .into_response()
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
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response_with_state(
            state.clock_skew,
            stamp_time,
        ))
        .with_state(state)
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

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, HubError> + Send + 'static,
) -> Result<T, HubError> {
    tokio::task::spawn_blocking(f)
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
    blocking(move || storage.authenticate(&token)).await
}

/// Liveness: the hub and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "hub",
    responses((status = 200, description = "Hub and database answer", body = Object),
              (status = 500, description = "Database down", body = ErrorBody)))]
async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, HubError> {
    let storage = state.storage.clone();
    blocking(move || storage.ping()).await?;
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
    Ok(Json(blocking(move || storage.enroll(&req, &now())).await?))
}

/// Decodes a push body: gzip when `Content-Encoding: gzip`, JSON either way.
fn decode_push(headers: &HeaderMap, body: &[u8]) -> Result<PushRequest, HubError> {
    let gz = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    if gz {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(body)
            .take(MAX_INFLATED)
            .read_to_end(&mut out)
            .map_err(|e| HubError::BadRequest(format!("nội dung nén hỏng: {e}")))?;
        Ok(serde_json::from_slice(&out)?)
    } else {
        Ok(serde_json::from_slice(body)?)
    }
}

/// Pushes journal events in station-sequence order (gzip JSON); per-item answers.
#[utoipa::path(post, path = "/api/v1/push", tag = "station",
    request_body(content = PushRequest, content_type = "application/json",
        description = "May be sent with Content-Encoding: gzip"),
    params(("idempotency-key" = Option<String>, Header, description = "Batch identity")),
    responses((status = 200, body = motcua_core::wire::PushResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<motcua_core::wire::PushResponse>, HubError> {
    let Principal::Station { station_id, .. } = principal(&state, &headers).await? else {
        return Err(HubError::Forbidden);
    };
    let req = decode_push(&headers, &body)?;
    if req.station_id != station_id {
        return Err(HubError::Forbidden);
    }
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let storage = state.storage.clone();
    Ok(Json(
        blocking(move || storage.push(&station_id, key.as_deref(), &req, &now())).await?,
    ))
}

/// Query of the change feed.
#[derive(Debug, Deserialize)]
struct ChangesQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u64>,
}

/// Upstream changes for the station's agency after a cursor.
#[utoipa::path(get, path = "/api/v1/changes", tag = "station",
    params(("since" = Option<u64>, Query, description = "Last change applied"),
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
    let limit = q.limit.unwrap_or(1000).clamp(1, 5000);
    let storage = state.storage.clone();
    Ok(Json(
        blocking(move || storage.changes(&agency_id, q.since, limit)).await?,
    ))
}

/// The calling station's own journal as the hub stored it, after a sequence number, with
/// the heads it signed: what a counter that lost events (an old backup restored, a
/// replacement PC) rebuilds its journal from.
#[utoipa::path(get, path = "/api/v1/journal", tag = "station",
    params(("since" = Option<u64>, Query, description = "Last event the counter holds"),
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
    let limit = q.limit.unwrap_or(1000).clamp(1, 5000);
    let storage = state.storage.clone();
    Ok(Json(
        blocking(move || storage.journal(&station_id, q.since, limit)).await?,
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
    blocking(move || storage.set_status(&code, req.status, req.note.as_deref(), &now())).await?;
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
    Ok(Json(blocking(move || storage.counts()).await?))
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
    Ok(Json(blocking(move || storage.alerts()).await?))
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
              (status = 429, description = "Too many lookups", content_type = "text/html", body = String)))]
async fn lookup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    q: Result<Query<LookupQuery>, QueryRejection>,
) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return HubError::BadRequest(e.body_text()).into_response(),
    };
    // Per client address; behind a proxy, rate-limit at the proxy as well.
    let client = peer.ip().to_string();
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
            e.1 <= LOOKUPS_PER_MINUTE
        }
        Err(_) => false,
    };
    if !allowed {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            page("<p>Quá nhiều lượt tra cứu. Xin vui lòng thử lại sau một phút.</p>"),
        )
            .into_response();
    }
    let storage = state.storage.clone();
    let code = q.ma.trim().chars().take(64).collect::<String>();
    let found = blocking(move || storage.lookup(&code)).await;
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

/// The OpenAPI 3 description, generated from the handlers and wire types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "motcua-hub", description = "Province hub of the motcua one-stop counters"),
    paths(healthz, enroll, push, changes, journal, set_status, counts, alerts, lookup),
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
    fn names_are_masked() {
        assert_eq!(super::mask_name("Trần Thị Lan"), "T. T. Lan");
        assert_eq!(super::mask_name("Lan"), "Lan");
    }
}
