//! The counter's sync client: pushes the journal outbox to the hub in station-sequence
//! order, records acks and quarantines, pulls upstream changes with a cursor, measures the
//! clock offset, and keeps the state the clerk sees. Receiving never waits for it: every
//! step is a short store transaction, the network I/O happens outside them.
//!
//! Every batch ends at a head signed for its last event, and stops before a missing
//! number: the hub stores only the events a verified signed head covers. A batch halved
//! after a 413 gets a head of its own the same way.
//!
//! The hub's limits are met, not fought: a batch the hub refuses as too large (413) is
//! halved by event count and sent again, down to a single event, and the smaller size is
//! kept for the rest of the run; a hub that is busy (503 or 429 with `Retry-After`) is
//! waited for as it asks, a few times per run, before the run gives up until the next one.
//!
//! A run can be asked to stop (the window closes, the service ends): its waits look at
//! the stop flag every [`STOP_POLL`], and it starts no new request once the flag is set.
//! A request under way is not cut; it ends by its answer or its timeout.

use chrono::{DateTime, FixedOffset, Utc};
use motcua_core::wire::{
    ChangesResponse, EnrollRequest, EnrollResponse, ErrorBody, HUB_TIME_HEADER, IDEMPOTENCY_HEADER,
    ItemOutcome, JournalResponse, PushRequest, PushResponse,
};
use motcua_store::{HubAnswer, PushRecord, Recovered, Store, StoreError, SyncOutcome};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Events per push batch.
pub const BATCH: usize = 1000;
/// Upper bound of push/pull round trips in one sync, so a confused hub cannot loop us.
const MAX_ROUNDS: usize = 10_000;
/// Largest answer read from the hub.
const MAX_ANSWER: u64 = 64 * 1024 * 1024;
/// Largest push body (as sent, gzip) that motcua-hub reads (its `MAX_PUSH_BODY`). A larger
/// batch is split before it is sent: the hub refuses it by its Content-Length without
/// reading it and closes the connection under the unfinished upload, so the client sees
/// a broken pipe instead of the 413.
const MAX_PUSH_BODY: usize = 8 * 1024 * 1024;
/// Longest wait a hub's `Retry-After` gets in one go (a longer request is cut to this).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Shortest wait (a `Retry-After` of 0 or in the past must not make the client hammer).
const MIN_RETRY_AFTER: Duration = Duration::from_secs(1);
/// Waits for a busy hub in one sync run; after them the run ends with
/// [`SyncError::Busy`] and the loop comes back after the hub's delay.
pub const MAX_BUSY_WAITS: u64 = 3;
/// How often a waiting run looks at its stop flag.
pub const STOP_POLL: Duration = Duration::from_millis(100);

/// Why a sync failed. Messages are plain Vietnamese for the clerk.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The hub refused the credential (wrong, revoked, or for another station).
    #[error(
        "máy chủ tỉnh từ chối thông tin xác thực của quầy (sai hoặc đã bị thu hồi); hãy xin quản trị viên mã đăng ký mới rồi chạy «motcua sync enroll»"
    )]
    Unauthorized,
    /// The station has not enrolled.
    #[error(
        "quầy chưa đăng ký với máy chủ tỉnh; hãy chạy «motcua sync enroll --hub ... --token ...»"
    )]
    NotEnrolled,
    /// The hub could not be reached.
    #[error(
        "không kết nối được máy chủ tỉnh ({0}); dữ liệu vẫn an toàn tại quầy và sẽ được gửi lại"
    )]
    Unreachable(String),
    /// The hub answered with an error.
    #[error(
        "máy chủ tỉnh báo lỗi {code}: {message}; dữ liệu vẫn an toàn tại quầy và sẽ được gửi lại"
    )]
    Server { code: u16, message: String },
    /// The hub's answer did not make sense (truncated or malformed).
    #[error(
        "câu trả lời của máy chủ tỉnh bị hỏng ({0}); dữ liệu vẫn an toàn tại quầy và sẽ được gửi lại"
    )]
    Protocol(String),
    /// The hub did not advance although events wait.
    #[error("máy chủ tỉnh không nhận thêm sự kiện nào (đang chờ sự kiện số {0})")]
    Stuck(u64),
    /// The hub waits for an event it refused (its content does not match its hash or
    /// chain): the events after it cannot be sent until it is repaired.
    #[error(
        "máy chủ tỉnh đang chờ sự kiện số {0}, là sự kiện nó đã từ chối vì không khớp chuỗi băm (nhật ký tại quầy có thể đã bị sửa); các sự kiện sau chưa gửi được; hãy chạy «motcua verify» và báo quản trị viên"
    )]
    Blocked(u64),
    /// The hub refused an event that this counter's journal holds intact (its hash and
    /// its link to the one before check here): the hub's copy differs, not the counter's.
    #[error(
        "máy chủ tỉnh không nhận sự kiện số {seq} ({reason}) trong khi nhật ký tại quầy vẫn nguyên vẹn (đã kiểm tra lại chuỗi băm tại quầy): bản trên máy chủ tỉnh khác với bản tại quầy; các sự kiện sau chưa gửi được; hãy báo quản trị viên máy chủ tỉnh (dữ liệu tại quầy vẫn an toàn)"
    )]
    HubCopyDiffers { seq: u64, reason: String },
    /// The hub is busy (503 or 429 with `Retry-After`: other counters, or this station's own
    /// unfinished upload): it answered, and asked to be sent
    /// the data again after `retry_after` (at most [`MAX_RETRY_AFTER`]).
    #[error(
        "máy chủ tỉnh đang bận và đề nghị gửi lại sau {} giây; dữ liệu vẫn an toàn tại quầy và sẽ được gửi lại",
        retry_after.as_secs()
    )]
    Busy { retry_after: Duration },
    /// One event alone is larger than the hub takes in a push (413 for a batch of one):
    /// it and the events after it stay in the outbox, nothing is quarantined.
    #[error(
        "sự kiện số {seq} lớn hơn mức máy chủ tỉnh nhận trong một lần gửi ({message}); sự kiện này và các sự kiện sau nó vẫn an toàn tại quầy nhưng chưa gửi được; hãy báo quản trị viên máy chủ tỉnh"
    )]
    EventTooLarge { seq: u64, message: String },
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The credential file could not be read or written.
    #[error("tệp thông tin xác thực {path}: {message}")]
    Credential { path: String, message: String },
}

impl SyncError {
    /// What the hub did, for the station's sync state: offline only when it could not be
    /// reached.
    pub fn answer(&self) -> HubAnswer {
        match self {
            SyncError::Unreachable(_) => HubAnswer::Unreachable,
            SyncError::Unauthorized | SyncError::NotEnrolled => HubAnswer::Refused,
            SyncError::Server { code, .. } if *code >= 500 => HubAnswer::ServerError,
            SyncError::Server { .. } | SyncError::EventTooLarge { .. } => HubAnswer::Refused,
            SyncError::Protocol(_) => HubAnswer::ServerError,
            SyncError::Stuck(_) | SyncError::Blocked(_) | SyncError::HubCopyDiffers { .. } => {
                HubAnswer::Blocked
            }
            SyncError::Busy { .. } => HubAnswer::Busy,
            // A failure at the counter: the hub answered what it was asked so far.
            SyncError::Store(_) | SyncError::Credential { .. } => HubAnswer::Ok,
        }
    }
}

/// A connection to the hub with this station's credential.
pub struct Client {
    base: String,
    credential: Option<String>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the credential.
        f.debug_struct("Client")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// A hub answer: body bytes and the hub's clock.
struct Answer {
    body: Vec<u8>,
    offset_ms: Option<i64>,
}

impl Client {
    /// A client for `hub_url` (e.g. `http://127.0.0.1:8080`); `https://` hubs are checked
    /// against the public web roots, or only against `ca_pem` (PEM) when given.
    pub fn new(
        hub_url: &str,
        credential: Option<String>,
        timeout: Duration,
        ca_pem: Option<&[u8]>,
    ) -> Result<Client, SyncError> {
        let mut b = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5).min(timeout))
            .timeout(timeout);
        if let Some(pem) = ca_pem {
            b = b.tls_config(std::sync::Arc::new(tls_config(pem)?));
        }
        Ok(Client {
            base: hub_url.trim_end_matches('/').to_string(),
            credential,
            agent: b.build(),
        })
    }

    fn call(
        &self,
        req: ureq::Request,
        body: Option<(&[u8], bool)>,
        offset: &mut Option<i64>,
    ) -> Result<Answer, SyncError> {
        let mut req = req;
        if let Some(c) = &self.credential {
            req = req.set("Authorization", &format!("Bearer {c}"));
        }
        let sent = Utc::now();
        let started = Instant::now();
        let res = match body {
            Some((b, gz)) => {
                req = req.set("Content-Type", "application/json");
                if gz {
                    req = req.set("Content-Encoding", "gzip");
                }
                req.send_bytes(b)
            }
            None => req.call(),
        };
        let res = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(code, r)) => {
                if code == 401 || code == 403 {
                    return Err(SyncError::Unauthorized);
                }
                if code == 503 || code == 429 {
                    let now = Utc::now();
                    if let Some(retry_after) =
                        r.header("Retry-After").and_then(|v| retry_after(v, now))
                    {
                        return Err(SyncError::Busy { retry_after });
                    }
                }
                let message = r
                    .into_string()
                    .ok()
                    .and_then(|s| serde_json::from_str::<ErrorBody>(&s).ok())
                    .map_or_else(|| "không rõ nguyên nhân".to_string(), |e| e.error);
                return Err(SyncError::Server { code, message });
            }
            Err(ureq::Error::Transport(t)) => return Err(SyncError::Unreachable(t.to_string())),
        };
        let offset_ms = res
            .header(HUB_TIME_HEADER)
            .and_then(|h| DateTime::parse_from_rfc3339(h).ok())
            .map(|hub| {
                let mid =
                    sent + chrono::Duration::from_std(started.elapsed() / 2).unwrap_or_default();
                (hub.with_timezone(&Utc) - mid).num_milliseconds()
            });
        if offset_ms.is_some() {
            *offset = offset_ms;
        }
        let mut body = Vec::new();
        res.into_reader()
            .take(MAX_ANSWER)
            .read_to_end(&mut body)
            .map_err(|e| SyncError::Protocol(e.to_string()))?;
        Ok(Answer { body, offset_ms })
    }

    /// Registers this station's public key with a one-time token; returns the credential.
    pub fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, SyncError> {
        let body = serde_json::to_vec(req).map_err(|e| SyncError::Protocol(e.to_string()))?;
        let a = self.call(
            self.agent.post(&format!("{}/api/v1/enroll", self.base)),
            Some((&body, false)),
            &mut None,
        )?;
        parse(&a.body)
    }

    /// Pushes one batch (gzip JSON) with its idempotency key.
    fn push(
        &self,
        req: &PushRequest,
        key: &str,
        offset: &mut Option<i64>,
    ) -> Result<(PushResponse, usize), SyncError> {
        let json = serde_json::to_vec(req).map_err(|e| SyncError::Protocol(e.to_string()))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&json)
            .map_err(|e| SyncError::Protocol(e.to_string()))?;
        let body = gz
            .finish()
            .map_err(|e| SyncError::Protocol(e.to_string()))?;
        if body.len() > MAX_PUSH_BODY {
            return Err(SyncError::Server {
                code: 413,
                message: format!(
                    "nội dung nén {} byte, máy chủ tỉnh nhận tối đa {MAX_PUSH_BODY} byte",
                    body.len()
                ),
            });
        }
        let a = self.call(
            self.agent
                .post(&format!("{}/api/v1/push", self.base))
                .set(IDEMPOTENCY_HEADER, key),
            Some((&body, true)),
            offset,
        )?;
        let _ = a.offset_ms;
        Ok((parse(&a.body)?, body.len()))
    }

    /// Upstream changes after `since`.
    fn changes(&self, since: u64, offset: &mut Option<i64>) -> Result<ChangesResponse, SyncError> {
        let a = self.call(
            self.agent
                .get(&format!("{}/api/v1/changes", self.base))
                .query("since", &since.to_string()),
            None,
            offset,
        )?;
        parse(&a.body)
    }
}

impl Client {
    /// This station's own events the hub holds after `since`.
    fn journal(&self, since: u64) -> Result<JournalResponse, SyncError> {
        let a = self.call(
            self.agent
                .get(&format!("{}/api/v1/journal", self.base))
                .query("since", &since.to_string())
                .query("limit", &BATCH.to_string()),
            None,
            &mut None,
        )?;
        parse(&a.body)
    }
}

/// What a recovery from the hub did, over all its pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Everything appended and rebuilt.
    pub recovered: Recovered,
    /// The journal head after the recovery.
    pub head_seq: u64,
    /// How far the hub holds this station's journal (its last event).
    pub hub_seq: u64,
}

/// Fetches this station's journal from the hub after the local head and appends what
/// checks (see `motcua_store::Store::apply_recovered`), page by page, until the hub has
/// nothing more or a page does not check.
pub fn recover(
    store: &mut Store,
    hub_url: &str,
    credential: &str,
    station_id: &str,
    timeout: Duration,
    ca_pem: Option<&[u8]>,
) -> Result<Recovery, SyncError> {
    let client = Client::new(hub_url, Some(credential.to_string()), timeout, ca_pem)?;
    let mut out = Recovery::default();
    for _ in 0..MAX_ROUNDS {
        let (since, _) = store.journal_head()?;
        let page = client.journal(since)?;
        out.hub_seq = page.next_seq.saturating_sub(1);
        if page.events.is_empty() {
            break;
        }
        let r = store.apply_recovered(station_id, &page.events, &page.heads, now_vn())?;
        let total = &mut out.recovered;
        total.events += r.events;
        total.dossiers += r.dossiers;
        total.status_changes += r.status_changes;
        total.accounts.extend(r.accounts);
        total.catalogs.extend(r.catalogs);
        total.left = r.left;
        total.problem = r.problem;
        if r.events == 0 || total.problem.is_some() {
            break;
        }
    }
    out.head_seq = store.journal_head()?.0;
    if out.recovered.problem.is_none() && out.head_seq < out.hub_seq {
        out.recovered.problem = Some(format!(
            "máy chủ tỉnh giữ nhật ký đến sự kiện số {}, nhưng chỉ đến số {} có chữ ký của quầy nên chỉ nhận lại đến đó",
            out.hub_seq, out.head_seq
        ));
    }
    Ok(out)
}

/// A rustls client configuration that trusts only the certificates in `pem`.
fn tls_config(pem: &[u8]) -> Result<rustls::ClientConfig, SyncError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let bad = |m: String| SyncError::Credential {
        path: "chứng chỉ máy chủ tỉnh".into(),
        message: m,
    };
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("tệp không có chứng chỉ nào".into()));
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// The wait a `Retry-After` value asks for (seconds, or an HTTP date), within
/// [`MIN_RETRY_AFTER`] ..= [`MAX_RETRY_AFTER`]; None when it is neither.
fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    let wait = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
            (at - now).to_std().unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.clamp(MIN_RETRY_AFTER, MAX_RETRY_AFTER))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, SyncError> {
    serde_json::from_slice(body).map_err(|e| SyncError::Protocol(e.to_string()))
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub accepted: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub batches: u64,
    /// Compressed bytes of the push bodies.
    pub bytes_sent: u64,
    pub changes_applied: u64,
    pub clock_offset_ms: Option<i64>,
    /// Batches the hub refused as too large (413), each sent again as its first half.
    pub batch_halvings: u64,
    /// Events per batch the run ended with ([`BATCH`] unless a batch was halved).
    pub batch_limit: u64,
    /// Times the run waited because the hub was busy, and the seconds it waited.
    pub busy_waits: u64,
    pub busy_wait_secs: u64,
    /// The run was asked to stop and ended between two requests, before it had pushed
    /// and pulled everything (the rest goes in the next run).
    pub stopped: bool,
}

/// The clock of the station, in Vietnam time.
pub fn now_vn() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&motcua_core::vn_offset())
}

/// One full exchange: push everything pending, then pull every change. The outcome
/// (online/offline, error, clock offset) is recorded in the store either way.
///
/// Once `stop` is set the run sends no new request: between two requests it ends with
/// the report so far ([`SyncReport::stopped`]); waiting for a busy hub, it wakes within
/// [`STOP_POLL`] and ends with the hub's [`SyncError::Busy`].
pub fn sync_once(
    store: &mut Store,
    credential: &str,
    timeout: Duration,
    ca_pem: Option<&[u8]>,
    stop: &AtomicBool,
) -> Result<SyncReport, SyncError> {
    let state = store.sync_state()?;
    let hub = state.hub_url.ok_or(SyncError::NotEnrolled)?;
    let client = Client::new(&hub, Some(credential.to_string()), timeout, ca_pem)?;
    let mut report = SyncReport {
        batch_limit: BATCH as u64,
        ..SyncReport::default()
    };
    let mut offset = None;
    let result = exchange(store, &client, &mut report, &mut offset, stop);
    report.clock_offset_ms = offset;
    store.record_sync_outcome(
        &SyncOutcome {
            answer: result
                .as_ref()
                .err()
                .map_or(HubAnswer::Ok, SyncError::answer),
            error: result.as_ref().err().map(ToString::to_string),
            clock_offset_ms: offset,
            hub_busy: matches!(result, Err(SyncError::Busy { .. })),
        },
        now_vn(),
    )?;
    result.map(|()| report)
}

fn exchange(
    store: &mut Store,
    client: &Client,
    report: &mut SyncReport,
    offset: &mut Option<i64>,
    stop: &AtomicBool,
) -> Result<(), SyncError> {
    let station_id = store.station()?.station_id;
    let stopped = |report: &mut SyncReport| {
        report.stopped = stop.load(Ordering::Relaxed);
        report.stopped
    };
    // Halved on a 413 and kept for the rest of this run: a batch that was too large is
    // usually part of a backlog of large dossiers, and growing back would cost a refused
    // upload each time. The next run starts again at BATCH.
    let mut batch = BATCH;
    for _ in 0..MAX_ROUNDS {
        if stopped(report) {
            return Ok(());
        }
        let events = contiguous(store.pending_events(batch)?);
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            break;
        };
        // Every batch ends at a head signed for its last event (the journal's head, or
        // one signed now): the hub stores only events a verified head covers. The key
        // names the batch's range and the chain's hash at its end, so a halved batch
        // (another range, another head) is another key, and the same key is always the
        // same content.
        let head = store.signed_head_at(last.seq)?;
        let key = format!("{station_id}:{}-{}:{}", first.seq, last.seq, head.hash);
        let first_seq = first.seq;
        let req = PushRequest {
            station_id: station_id.clone(),
            head,
            events,
        };
        let (resp, bytes) = match push_keyed(client, report, &req, &key, offset, stop) {
            Err(SyncError::Server { code: 413, message }) => {
                if req.events.len() == 1 {
                    return Err(SyncError::EventTooLarge {
                        seq: first_seq,
                        message,
                    });
                }
                batch = req.events.len() / 2;
                report.batch_halvings += 1;
                report.batch_limit = batch as u64;
                continue;
            }
            r => r?,
        };
        report.batches += 1;
        report.bytes_sent += bytes as u64;
        let mut rec = PushRecord::default();
        let sent: std::collections::HashSet<u64> = req.events.iter().map(|e| e.seq).collect();
        for item in &resp.results {
            if !sent.contains(&item.seq) {
                continue;
            }
            match item.outcome {
                ItemOutcome::Accepted => {
                    report.accepted += 1;
                    rec.acked.push(item.seq);
                }
                ItemOutcome::Duplicate => {
                    report.duplicate += 1;
                    rec.acked.push(item.seq);
                }
                ItemOutcome::Rejected => {
                    report.rejected += 1;
                    rec.rejected.push((
                        item.seq,
                        item.reason
                            .clone()
                            .unwrap_or_else(|| "máy chủ tỉnh từ chối, không nêu lý do".into()),
                    ));
                }
                ItemOutcome::Gap => {}
            }
        }
        if resp.expected_seq < first_seq {
            rec.requeue_from = Some(resp.expected_seq);
        }
        let progressed =
            !rec.acked.is_empty() || !rec.rejected.is_empty() || rec.requeue_from.is_some();
        store.record_push(&rec, now_vn())?;
        // The hub waits for an event this counter has quarantined: sending the rest again
        // cannot help.
        if resp.expected_seq < first_seq && store.is_quarantined(resp.expected_seq)? {
            let seq = resp.expected_seq;
            // Whose copy differs: the counter's journal checked again here.
            if store.verify().is_ok() {
                let reason = store
                    .quarantine_reason(seq)?
                    .unwrap_or_else(|| "không nêu lý do".into());
                return Err(SyncError::HubCopyDiffers { seq, reason });
            }
            return Err(SyncError::Blocked(seq));
        }
        if !progressed {
            return Err(SyncError::Stuck(resp.expected_seq));
        }
    }
    for _ in 0..MAX_ROUNDS {
        if stopped(report) {
            return Ok(());
        }
        let cursor = store.sync_state()?.cursor;
        let ch = patiently(report, stop, || client.changes(cursor, offset))?;
        if let Some(url) = ch.lookup_url.as_deref().filter(|u| is_web_address(u)) {
            store.set_hub_lookup_url(url)?;
        }
        if ch.changes.is_empty() || ch.cursor <= cursor {
            break;
        }
        // Statuses, catalogues and holiday schedules are applied by the store in the
        // cursor's own transaction: a crash in between pulls the same changes again.
        report.changes_applied += store.apply_changes(&ch.changes, ch.cursor, now_vn())?;
    }
    Ok(())
}

/// An http(s) address with a host and no spaces: what the station accepts from the hub
/// as its lookup page before printing it in every receipt's QR.
pub fn is_web_address(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
        && u.len() <= 300
}

/// The leading run of `events` without a missing number. A number is missing when its
/// event is quarantined here; a head signed after it cannot cover the events before it
/// (the hub could not walk the chain to it), so they go in a batch of their own that
/// ends at a head signed for them, and the rest follows in the next round.
fn contiguous(mut events: Vec<motcua_core::journal::Event>) -> Vec<motcua_core::journal::Event> {
    if let Some(cut) = events.windows(2).position(|w| w[1].seq != w[0].seq + 1) {
        events.truncate(cut + 1);
    }
    events
}

/// Pushes a batch under its key (waiting for a busy hub as [`patiently`] does). When the
/// hub answers 409 — the key is bound to another body, which someone holding this
/// station's credential may have sent first under it — the batch goes once more under a
/// fresh random key: the hub's slots make a re-sent event a duplicate, so only the
/// replay of a lost answer is given up.
fn push_keyed(
    client: &Client,
    report: &mut SyncReport,
    req: &PushRequest,
    key: &str,
    offset: &mut Option<i64>,
    stop: &AtomicBool,
) -> Result<(PushResponse, usize), SyncError> {
    match patiently(report, stop, || client.push(req, key, offset)) {
        Err(SyncError::Server { code: 409, .. }) => {
            use rand_core::RngCore;
            let mut nonce = [0u8; 16];
            rand_core::OsRng.fill_bytes(&mut nonce);
            let fresh = format!("{key}:{}", hex::encode(nonce));
            patiently(report, stop, || client.push(req, &fresh, offset))
        }
        r => r,
    }
}

/// Runs `call`; while the hub answers that it is busy, waits as long as it asks and calls
/// again, at most [`MAX_BUSY_WAITS`] times in a run (counted in `report`). A wait cut
/// short by `stop` ends it with the hub's answer, without calling again.
fn patiently<T>(
    report: &mut SyncReport,
    stop: &AtomicBool,
    mut call: impl FnMut() -> Result<T, SyncError>,
) -> Result<T, SyncError> {
    loop {
        match call() {
            Err(SyncError::Busy { retry_after }) if report.busy_waits < MAX_BUSY_WAITS => {
                report.busy_waits += 1;
                report.busy_wait_secs += retry_after.as_secs();
                if !sleep_unless_stopped(retry_after, stop) {
                    return Err(SyncError::Busy { retry_after });
                }
            }
            r => return r,
        }
    }
}

/// Sleeps for `total` unless `stop` is set first, looking at it every [`STOP_POLL`]: true
/// when the whole wait passed, false when `stop` was set (seen within one poll).
pub fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) -> bool {
    let end = Instant::now() + total;
    loop {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(STOP_POLL));
    }
}

/// Exponential backoff with full jitter while the hub is unreachable.
#[derive(Debug, Clone)]
pub struct Backoff {
    /// Delay after the first failure.
    pub base: Duration,
    /// Longest delay.
    pub max: Duration,
}

impl Backoff {
    /// The delay before the next try after `failures` failures in a row (0 = the regular
    /// interval applies instead): uniformly random in [base·2^(n-1) / 2, base·2^(n-1)],
    /// capped at `max`.
    pub fn delay(&self, failures: u32) -> Duration {
        use rand_core::RngCore;
        let exp = self
            .base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(20))
            .min(self.max);
        let half = exp / 2;
        let jitter = rand_core::OsRng.next_u64() % (half.as_millis() as u64 + 1);
        half + Duration::from_millis(jitter)
    }
}

/// Writes the credential file, owner-only (0600), replacing an old one.
pub fn save_credential(path: &Path, credential: &str) -> Result<(), SyncError> {
    let err = |e: std::io::Error| SyncError::Credential {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(err)?;
    f.write_all(credential.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(err)?;
    drop(f);
    motcua_win::fs::replace(&tmp, path).map_err(err)
}

/// Reads the credential file.
pub fn load_credential(path: &Path) -> Result<String, SyncError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(s.trim().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(SyncError::NotEnrolled),
        Err(e) => Err(SyncError::Credential {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests;
