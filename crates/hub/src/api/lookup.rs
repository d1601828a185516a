//! The citizen lookup page: a dossier's public facts for whoever holds its code and
//! lookup secret, rate-limited per client address, cached by nobody.

use super::lookup_page as page;
use super::{AppState, blocking};
use crate::error::HubError;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::wire::ErrorBody;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// Citizen lookups allowed per client address per minute.
const LOOKUPS_PER_MINUTE: u32 = 20;
/// The lookup page is HTML rendered by the server with no scripts or images: it loads
/// only the hub's own style sheet, its form goes only to the hub, and nobody frames it.
const LOOKUP_CSP: &str = "default-src 'none'; style-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Query of the citizen lookup page.
#[derive(Debug, Deserialize)]
pub(super) struct LookupQuery {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    mk: String,
}

/// An HTML answer with the page's headers.
fn html(body: String) -> Html<String> {
    Html(body)
}

/// The style sheet of the lookup page (the hub's own: the page loads nothing from
/// elsewhere).
#[utoipa::path(get, path = "/tra-cuu.css", tag = "citizen",
    responses((status = 200, description = "Style sheet of the lookup page", content_type = "text/css", body = String)))]
pub(super) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        page::CSS,
    )
        .into_response()
}

/// Citizen lookup page (Vietnamese HTML); a wrong secret answers like an unknown code.
#[utoipa::path(get, path = "/tra-cuu", tag = "citizen",
    params(("ma" = Option<String>, Query, description = "Dossier code"),
           ("mk" = Option<String>, Query, description = "Lookup secret")),
    responses((status = 200, description = "Result page", content_type = "text/html", body = String),
              (status = 400, body = ErrorBody),
              (status = 429, description = "Too many lookups", content_type = "text/html", body = String,
                  headers(("retry-after" = u64, description = "Seconds until lookups are allowed again")))))]
pub(super) async fn lookup(
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
            html(page::message(
                "Quá nhiều lượt tra cứu. Xin vui lòng thử lại sau một phút.",
            )),
        )
            .into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return res;
    }
    if q.ma.trim().is_empty() && q.mk.trim().is_empty() {
        return html(page::message(
            "Nhập mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        ))
        .into_response();
    }
    let storage = state.storage.clone();
    let code = q.ma.trim().chars().take(64).collect::<String>();
    let typed = q.mk.chars().take(64).collect::<String>();
    // The secret is checked before anything else of the dossier is read: a wrong secret
    // costs what an unknown code costs.
    let found = blocking(state, move || storage.lookup(&code, &typed)).await;
    let not_found = || {
        html(page::message(
            "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập. Xin kiểm tra lại hai mã trên giấy tiếp nhận.",
        ))
        .into_response()
    };
    match found {
        Ok(Some(d)) => html(page::dossier(&d)).into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            // The citizen gets a page, in the hub's words, with the status of the error.
            let text = format!("Chưa tra cứu được lúc này: {e}. Xin vui lòng thử lại sau ít phút.");
            let status = e.into_response().status();
            (status, html(page::message(&text))).into_response()
        }
    }
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
}
