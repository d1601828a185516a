//! What the hub tells its operators: one log line per request on stderr (logfmt,
//! `key=value`) and counters for `GET /metrics` in the Prometheus text format.
//!
//! Neither ever holds personal data: no query strings (the lookup page's `ma`/`mk`), no
//! path parameters (a route is its template, `/api/v1/dossiers/{code}/status`), no
//! bodies, no tokens, no error messages (a refusal may quote what the client sent). A push
//! logs its station id (an office counter, not a person), its first and last sequence
//! number and counts by outcome. `/metrics` has no station ids at all: only totals.

use crate::sql::PoolStats;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the request latency histogram.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What a push did, attached to its answer for the request log and the counters.
#[derive(Debug, Clone, Default)]
pub struct PushInfo {
    pub station_id: String,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub events: usize,
    pub accepted: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub gap: u64,
    /// Size of the JSON after inflating.
    pub json_bytes: u64,
    /// Size of the body as sent.
    pub body_bytes: u64,
}

/// The station of a push, attached to every push answer once its credential is known
/// (refusals and failures included), for the request log.
#[derive(Debug, Clone)]
pub struct PushStation(pub String);

/// Why a request failed, by kind only (never the message), for the request log.
#[derive(Debug, Clone, Copy)]
pub struct ErrorKind(pub &'static str);

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// The hub's counters since it started.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (method, route, status) → answers.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// route → latency.
    latency: Mutex<BTreeMap<String, Histogram>>,
    push_batches: AtomicU64,
    items: [AtomicU64; 4],
    push_refused: Mutex<BTreeMap<&'static str, u64>>,
    push_json_bytes: AtomicU64,
    push_body_bytes: AtomicU64,
    /// Pushes admitted: their body being read, waiting for a slot, or in one.
    pub pushes_in_flight: AtomicI64,
    /// Pushes waiting for a body place or a slot.
    pub pushes_waiting: AtomicI64,
    /// Push bodies being read now.
    pub push_bodies_reading: AtomicI64,
    /// Pushes being inflated, checked or stored now (holding a slot).
    pub push_slots_in_use: AtomicI64,
    /// Push bodies cut because they came too slowly.
    pub push_bodies_cut: AtomicU64,
    /// Pushes refused because the station had one admitted already.
    pub push_station_busy: AtomicU64,
    /// Storage calls running on the blocking pool.
    pub storage_in_flight: AtomicI64,
    /// Connections open now.
    pub connections_open: AtomicI64,
    /// The most connections held open at once.
    pub connections_max: AtomicI64,
    /// Idle connections closed to make room for a new one.
    pub connections_shed: AtomicU64,
    /// New connections closed at once because every open one was busy.
    pub connections_refused: AtomicU64,
}

const OUTCOMES: [&str; 4] = ["accepted", "duplicate", "rejected", "gap"];

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, method: &str, route: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((method.to_string(), route.to_string(), status))
                .or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            let h = m.entry(route.to_string()).or_default();
            let s = took.as_secs_f64();
            for (i, b) in BUCKETS.iter().enumerate() {
                if s <= *b {
                    h.counts[i] += 1;
                }
            }
            h.sum += s;
            h.count += 1;
        }
    }

    /// Counts a push the hub stored (whatever the per-item outcomes).
    pub fn record_push(&self, p: &PushInfo) {
        self.push_batches.fetch_add(1, Ordering::Relaxed);
        for (i, n) in [p.accepted, p.duplicate, p.rejected, p.gap]
            .into_iter()
            .enumerate()
        {
            self.items[i].fetch_add(n, Ordering::Relaxed);
        }
        self.push_json_bytes
            .fetch_add(p.json_bytes, Ordering::Relaxed);
        self.push_body_bytes
            .fetch_add(p.body_bytes, Ordering::Relaxed);
    }

    /// Counts a push refused before storage (`too_large`, `busy`, `media_type`, …).
    pub fn record_push_refused(&self, reason: &'static str) {
        if let Ok(mut m) = self.push_refused.lock() {
            *m.entry(reason).or_default() += 1;
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self, push_limit: usize, pool: Option<PoolStats>) -> String {
        let mut o = String::new();
        let help = |o: &mut String, name: &str, kind: &str, text: &str| {
            let _ = writeln!(o, "# HELP {name} {text}\n# TYPE {name} {kind}");
        };
        help(
            &mut o,
            "motcua_hub_http_requests_total",
            "counter",
            "HTTP answers by method, route template and status.",
        );
        if let Ok(m) = self.requests.lock() {
            for ((method, route, status), n) in m.iter() {
                let _ = writeln!(
                    o,
                    "motcua_hub_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        help(
            &mut o,
            "motcua_hub_http_request_duration_seconds",
            "histogram",
            "Time from request to answer, by route template.",
        );
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                for (b, n) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(
                        o,
                        "motcua_hub_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    o,
                    "motcua_hub_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {c}\n\
                     motcua_hub_http_request_duration_seconds_sum{{route=\"{route}\"}} {s}\n\
                     motcua_hub_http_request_duration_seconds_count{{route=\"{route}\"}} {c}",
                    c = h.count,
                    s = h.sum
                );
            }
        }
        help(
            &mut o,
            "motcua_hub_pushes_total",
            "counter",
            "Push batches stored (each answered 200 with per-item outcomes).",
        );
        let _ = writeln!(
            o,
            "motcua_hub_pushes_total {}",
            self.push_batches.load(Ordering::Relaxed)
        );
        help(
            &mut o,
            "motcua_hub_push_refused_total",
            "counter",
            "Push batches refused before storage, by reason.",
        );
        if let Ok(m) = self.push_refused.lock() {
            for (reason, n) in m.iter() {
                let _ = writeln!(
                    o,
                    "motcua_hub_push_refused_total{{reason=\"{reason}\"}} {n}"
                );
            }
        }
        help(
            &mut o,
            "motcua_hub_push_items_total",
            "counter",
            "Pushed journal events by outcome.",
        );
        for (i, name) in OUTCOMES.iter().enumerate() {
            let _ = writeln!(
                o,
                "motcua_hub_push_items_total{{outcome=\"{name}\"}} {}",
                self.items[i].load(Ordering::Relaxed)
            );
        }
        help(
            &mut o,
            "motcua_hub_push_bytes_total",
            "counter",
            "Bytes of stored pushes: as sent (body) and as JSON after inflating (json).",
        );
        let _ = writeln!(
            o,
            "motcua_hub_push_bytes_total{{form=\"body\"}} {}\nmotcua_hub_push_bytes_total{{form=\"json\"}} {}",
            self.push_body_bytes.load(Ordering::Relaxed),
            self.push_json_bytes.load(Ordering::Relaxed)
        );
        let gauges: [(&str, &str, i64); 7] = [
            (
                "motcua_hub_pushes_in_flight",
                "Pushes admitted: body being read, waiting for a slot, inflated or stored.",
                self.pushes_in_flight.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_pushes_waiting",
                "Pushes waiting for a body place or a slot.",
                self.pushes_waiting.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_push_bodies_reading",
                "Push bodies being read now.",
                self.push_bodies_reading.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_push_slots_in_use",
                "Pushes being inflated, checked or stored now.",
                self.push_slots_in_use.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_push_concurrency_limit",
                "Most pushes inflated and stored at once; more wait, then are answered 503.",
                i64::try_from(push_limit).unwrap_or(i64::MAX),
            ),
            (
                "motcua_hub_connections_open",
                "Connections open now.",
                self.connections_open.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_connections_max",
                "Most connections held open at once (the idle one waiting longest is closed for a new one).",
                self.connections_max.load(Ordering::Relaxed),
            ),
        ];
        for (name, text, v) in gauges {
            help(&mut o, name, "gauge", text);
            let _ = writeln!(o, "{name} {v}");
        }
        let counters: [(&str, &str, u64); 4] = [
            (
                "motcua_hub_push_bodies_cut_total",
                "Push bodies cut because they came too slowly.",
                self.push_bodies_cut.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_push_station_busy_total",
                "Pushes answered 503 because their station had one admitted already.",
                self.push_station_busy.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_connections_shed_total",
                "Idle connections closed to make room for a new one.",
                self.connections_shed.load(Ordering::Relaxed),
            ),
            (
                "motcua_hub_connections_refused_total",
                "New connections closed at once because every open one was busy.",
                self.connections_refused.load(Ordering::Relaxed),
            ),
        ];
        for (name, text, v) in counters {
            help(&mut o, name, "counter", text);
            let _ = writeln!(o, "{name} {v}");
        }
        help(
            &mut o,
            "motcua_hub_storage_calls_in_flight",
            "gauge",
            "Storage calls running now (waiting for or holding a database connection).",
        );
        let storage = self.storage_in_flight.load(Ordering::Relaxed).max(0);
        let _ = writeln!(o, "motcua_hub_storage_calls_in_flight {storage}");
        // A backend without a pool holds one connection behind a lock: it is in use while
        // any storage call runs.
        let pool = pool.unwrap_or(PoolStats {
            max: 1,
            open: 1,
            idle: u32::from(storage == 0),
            in_use: u32::from(storage > 0),
        });
        help(
            &mut o,
            "motcua_hub_db_connections",
            "gauge",
            "Database connections: open, idle, in use, and the most the pool opens (max).",
        );
        let _ = writeln!(
            o,
            "motcua_hub_db_connections{{state=\"open\"}} {}\nmotcua_hub_db_connections{{state=\"idle\"}} {}\nmotcua_hub_db_connections{{state=\"in_use\"}} {}\nmotcua_hub_db_connections{{state=\"max\"}} {}",
            pool.open, pool.idle, pool.in_use, pool.max
        );
        if let Some((rss, hwm)) = memory() {
            help(
                &mut o,
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory of the hub process.",
            );
            let _ = writeln!(o, "process_resident_memory_bytes {rss}");
            help(
                &mut o,
                "motcua_hub_resident_memory_peak_bytes",
                "gauge",
                "Peak resident memory of the hub process since it started (VmHWM).",
            );
            let _ = writeln!(o, "motcua_hub_resident_memory_peak_bytes {hwm}");
        }
        o
    }
}

/// (VmRSS, VmHWM) in bytes from /proc/self/status (Linux).
fn memory() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        s.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// A logfmt value: bare when it is plain, quoted otherwise.
fn value(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:/#{}-+".contains(c))
    {
        v.to_string()
    } else {
        format!("{v:?}")
    }
}

/// The request's log line (without the newline).
pub fn log_line(
    method: &str,
    route: &str,
    status: u16,
    took: Duration,
    push: Option<&PushInfo>,
    station: Option<&PushStation>,
    error: Option<ErrorKind>,
) -> String {
    let mut l = format!(
        "ts={} level={} method={} route={} status={status} duration_ms={:.3}",
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        if status >= 500 { "error" } else { "info" },
        value(method),
        value(route),
        took.as_secs_f64() * 1000.0,
    );
    if let Some(p) = push {
        let _ = write!(
            l,
            " station={} events={} first_seq={} last_seq={} accepted={} duplicate={} rejected={} gap={} body_bytes={} json_bytes={}",
            value(&p.station_id),
            p.events,
            p.first_seq.map_or("-".into(), |s| s.to_string()),
            p.last_seq.map_or("-".into(), |s| s.to_string()),
            p.accepted,
            p.duplicate,
            p.rejected,
            p.gap,
            p.body_bytes,
            p.json_bytes,
        );
    } else if let Some(s) = station {
        let _ = write!(l, " station={}", value(&s.0));
    }
    if let Some(e) = error {
        let _ = write!(l, " error={}", e.0);
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_values_are_quoted_when_not_plain() {
        assert_eq!(value("/api/v1/push"), "/api/v1/push");
        assert_eq!(value("000.17.22.H56#1"), "000.17.22.H56#1");
        assert_eq!(value("a b\"c"), "\"a b\\\"c\"");
        assert_eq!(value(""), "\"\"");
    }

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.record("GET", "/healthz", 200, Duration::from_millis(3));
        m.record("GET", "/healthz", 200, Duration::from_millis(30));
        let text = m.render(4, None);
        assert!(text.contains(
            "motcua_hub_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "motcua_hub_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.05\"} 2"
        ));
        assert!(
            text.contains("motcua_hub_http_request_duration_seconds_count{route=\"/healthz\"} 2")
        );
        assert!(text.contains("motcua_hub_db_connections{state=\"max\"} 1"));
    }
}
