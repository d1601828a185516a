//! The push endpoint: a station's batch of journal events, bounded before it costs
//! memory. At most [`MAX_CONCURRENT_PUSHES`] are read at once (the others wait up to
//! [`PUSH_WAIT`], then get 503 with `Retry-After`), the body as sent is read up to
//! [`MAX_PUSH_BODY`], and it is inflated and parsed as a stream that is refused (413) as
//! soon as it passes [`MAX_PUSH_JSON`]. So a push holds at most its body and the parsed
//! batch, whatever a gzip bomb would inflate to.

use super::{AppState, MAX_SEQ, blocking, now, principal};
use crate::db::Principal;
use crate::error::HubError;
use crate::metrics::{Metrics, PushInfo};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use motcua_core::wire::{ErrorBody, IDEMPOTENCY_HEADER, ItemOutcome, PushRequest};
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

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

/// Pushes journal events in station-sequence order (gzip JSON); per-item answers. Only
/// events the batch's verified signed head covers are stored: the batch must end at its
/// head (events past it, or a chain that does not reach it, are answered `gap`).
#[utoipa::path(post, path = "/api/v1/push", tag = "station",
    request_body(content = PushRequestDoc, content_type = "application/json",
        description = "May be sent with Content-Encoding: gzip; at most 8 MiB as sent and \
            8 MiB of JSON after inflating, at most 1000 events"),
    params(("idempotency-key" = Option<String>, Header,
        description = "Batch identity, bound to the station and the batch's SHA-256")),
    responses((status = 200, body = motcua_core::wire::PushResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody),
              (status = 409, description = "Idempotency key already bound to another batch; nothing stored",
                  body = ErrorBody),
              (status = 413, description = "Body or inflated JSON too large", body = ErrorBody),
              (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
              (status = 503, description = "Too many pushes at once", body = ErrorBody,
                  headers(("retry-after" = u64, description = "Seconds to wait before sending again")))),
    security(("bearer" = [])))]
pub(super) async fn push(
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

/// The station's signed journal head at the batch's last event: it covers the batch
/// (the hash chain commits to every event before it).
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
