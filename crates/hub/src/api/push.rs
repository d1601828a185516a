//! The push endpoint: a station's batch of journal events, bounded before it costs
//! memory. It is admitted first ([`admit`](super::admit): one push per station, a body
//! place and bytes of the global budget, the body read under a deadline and a minimum
//! rate, outside any slot), then inflated and stored in one of [`MAX_CONCURRENT_PUSHES`]
//! slots. The body as sent is read up to [`MAX_PUSH_BODY`], and it is inflated into a
//! buffer that is refused (413) as soon as it passes [`MAX_PUSH_JSON`], then parsed. So a
//! push holds at most its body, that much JSON and the parsed batch, whatever a gzip bomb
//! would inflate to. Every answer, refusals and failures included, names its station in
//! the request log once the credential is known.

use super::admit::{self, Admitted};
use super::{AppState, MAX_SEQ, StorageCall, now, principal};
use crate::db::Principal;
use crate::error::HubError;
use crate::metrics::{PushInfo, PushStation};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use motcua_core::wire::{ErrorBody, IDEMPOTENCY_HEADER, ItemOutcome, PushRequest};
use std::io::Read;
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
/// Pushes inflated, checked and stored at once. Storage takes one batch at a time on
/// SQLite (one connection) anyway; four keep the pool busy while bounding inflation and
/// parsed batches to four.
pub const MAX_CONCURRENT_PUSHES: usize = 4;
/// How long a push waits for a body place or a slot before it is answered 503.
pub const PUSH_WAIT: Duration = Duration::from_secs(10);

/// A reader that refuses to give more than `left` bytes: one byte past the cap is an
/// error and sets `over`, so a body is refused as soon as it crosses the cap.
struct Capped<R> {
    inner: R,
    left: u64,
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
        Ok(n)
    }
}

fn too_large_json() -> HubError {
    HubError::TooLarge(format!(
        "một lần gửi tối đa {} MiB JSON (sau khi giải nén)",
        MAX_PUSH_JSON / (1024 * 1024)
    ))
}

/// Inflates (when `gz`) and parses a push body: refused as soon as its JSON passes
/// [`MAX_PUSH_JSON`], before any of it is parsed. Returns the request and the size of its
/// JSON. The JSON is inflated whole and then parsed from memory, about twice as fast as
/// parsing the inflating stream (a real batch: 1.4 MB of JSON, 8 ms as a stream); it is
/// at most [`MAX_PUSH_JSON`], in one of [`MAX_CONCURRENT_PUSHES`] slots, and freed before
/// the batch is stored.
fn decode_push(gz: bool, body: &[u8]) -> Result<(PushRequest, u64), HubError> {
    let json: std::borrow::Cow<'_, [u8]> = if gz {
        let mut capped = Capped {
            inner: flate2::read::GzDecoder::new(body),
            left: MAX_PUSH_JSON,
            over: false,
        };
        // A real batch inflates to about six times its gzip size.
        let guess = body.len().saturating_mul(8).min(MAX_PUSH_JSON as usize);
        let mut json = Vec::with_capacity(guess);
        match capped.read_to_end(&mut json) {
            Ok(_) => json.into(),
            Err(_) if capped.over => return Err(too_large_json()),
            Err(e) => return Err(HubError::BadRequest(format!("nội dung nén hỏng: {e}"))),
        }
    } else if body.len() as u64 > MAX_PUSH_JSON {
        return Err(too_large_json());
    } else {
        body.into()
    };
    let req: PushRequest = serde_json::from_slice(&json)?;
    let json_bytes = json.len() as u64;
    drop(json);
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
    Ok((req, json_bytes))
}

/// Whether a Content-Type names JSON (`application/json`, parameters allowed).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
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
              (status = 408, description = "Body too slow (under 1 KiB/s after 10 s, or over 60 s)", body = ErrorBody),
              (status = 413, description = "Body or inflated JSON too large", body = ErrorBody),
              (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
              (status = 503, description = "Too many pushes at once, this station's previous push not answered yet, or the database unreachable", body = ErrorBody,
                  headers(("retry-after" = u64, description = "Seconds to wait before sending again")))),
    security(("bearer" = [])))]
pub(super) async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let station_id = match principal(&state, &headers).await {
        Ok(Principal::Station { station_id, .. }) => station_id,
        Ok(Principal::Processor(_)) => return HubError::Forbidden.into_response(),
        Err(e) => return e.into_response(),
    };
    let mut res = match admitted_push(&state, &station_id, &headers, body).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    };
    res.extensions_mut().insert(PushStation(station_id));
    res
}

/// The push of an authenticated station, from admission to its answer.
async fn admitted_push(
    state: &AppState,
    station_id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, HubError> {
    if !is_json(headers) {
        return Err(HubError::UnsupportedMediaType);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    admit::check_declared(declared)?;
    // Held until the answer: the body's place and bytes, and the station's one push.
    let _admitted: Admitted =
        admit::admit(&state.admission, &state.metrics, station_id, declared).await?;
    let body = admit::read_body(body, declared, &state.metrics).await?;
    // Inflating and storing only in a slot: the body is whole, so a slow sender never
    // holds one.
    let _slot = admit::slot(&state.admission, &state.metrics).await?;
    let gz = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let body_bytes = body.len() as u64;
    let workers = &state.admission.workers;
    let (req, json_bytes) = workers.run(move || decode_push(gz, &body)).await?;
    if req.station_id != station_id {
        return Err(HubError::Forbidden);
    }
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let mut info = PushInfo {
        station_id: station_id.to_string(),
        first_seq: req.events.first().map(|e| e.seq),
        last_seq: req.events.last().map(|e| e.seq),
        events: req.events.len(),
        json_bytes,
        body_bytes,
        ..PushInfo::default()
    };
    let storage = state.storage.clone();
    let station = station_id.to_string();
    let in_flight = StorageCall::start(&state.metrics);
    let resp = workers
        .run(move || {
            let r = storage.push(&station, key.as_deref(), &req, &now());
            drop(in_flight);
            r
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
    /// What happened: core's own kinds, so a new one is never missing here.
    kind: motcua_core::journal::EventKind,
    dossier_id: Option<String>,
    /// Canonical JSON body.
    payload: String,
    prev_hash: String,
    hash: String,
}
