//! What one slow or greedy client may take from everyone else: how long it may dawdle over its
//! headers and body, how long a handler may run, how many requests run at once, how many live
//! streams it holds open; and what a handler's panic turns into.
use crate::api::error::body as error_body;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use linli_app::shared::{AppError, ErrorCode, Locale};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The limits, each from its `LINLI_…` variable (README, "Limits").
#[derive(Clone, Debug)]
pub struct Limits {
    /// `LINLI_HEADER_TIMEOUT_SECS`: a connection that has not sent a whole request head in
    /// this time is closed (slowloris), and so is an idle kept-alive one.
    pub header_read: Duration,
    /// `LINLI_BODY_TIMEOUT_SECS`: the longest pause between two pieces of a request body.
    pub body_idle: Duration,
    /// `LINLI_REQUEST_TIMEOUT_SECS`: how long a handler may take to answer (a live stream's
    /// answer is its first line; the stream itself is not cut).
    pub request: Duration,
    /// The same for photo uploads, which a phone on a slow network sends for longer.
    pub upload: Duration,
    /// `LINLI_MAX_IN_FLIGHT`: requests handled at once; the next ones get 503 at once instead of
    /// queueing until everyone times out.
    pub max_in_flight: usize,
    /// `LINLI_STREAMS_PER_CLIENT`: live streams (order status, group-buy progress, the desk's
    /// queue) open at once per signed-in account; an address without an account gets four
    /// times as many, as many households share one address behind a carrier's NAT.
    pub streams_per_client: usize,
    /// How often an open stream checks that its reader may still read it (a clerk whose role
    /// was removed, an account deactivated).
    pub stream_recheck: Duration,
    /// `LINLI_DRAIN_SECS`: after SIGTERM, how long the requests in flight may take to finish
    /// before the instance exits anyway.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            body_idle: Duration::from_secs(15),
            request: Duration::from_secs(20),
            upload: Duration::from_secs(120),
            max_in_flight: 1024,
            streams_per_client: 8,
            stream_recheck: Duration::from_secs(60),
            drain: Duration::from_secs(20),
        }
    }
}

impl Limits {
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Limits, String> {
        let d = Limits::default();
        let num = |name: &str, default: u64| -> Result<u64, String> {
            match var(name) {
                None => Ok(default),
                Some(v) => v.trim().parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| format!("{name} must be a whole number above 0: {v}")),
            }
        };
        Ok(Limits {
            header_read: Duration::from_secs(num("LINLI_HEADER_TIMEOUT_SECS", d.header_read.as_secs())?),
            body_idle: Duration::from_secs(num("LINLI_BODY_TIMEOUT_SECS", d.body_idle.as_secs())?),
            request: Duration::from_secs(num("LINLI_REQUEST_TIMEOUT_SECS", d.request.as_secs())?),
            upload: d.upload,
            max_in_flight: num("LINLI_MAX_IN_FLIGHT", d.max_in_flight as u64)? as usize,
            streams_per_client: num("LINLI_STREAMS_PER_CLIENT", d.streams_per_client as u64)? as usize,
            stream_recheck: d.stream_recheck,
            drain: Duration::from_secs(num("LINLI_DRAIN_SECS", d.drain.as_secs())?),
        })
    }
}

/// The shared counters behind the limits.
#[derive(Clone)]
pub struct Guard {
    limits: Limits,
    in_flight: Arc<Semaphore>,
}

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        Guard { in_flight: Arc::new(Semaphore::new(limits.max_in_flight)), limits }
    }
}

/// Uploads are the posts that take a big body from a phone: product photos, a live session's
/// cover, a group post with its photos.
fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST && (path.ends_with("/photos") || path.ends_with("/cover") || (path.contains("/community") && path.ends_with("/posts")))
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A request id: unique in this process's life and across restarts (the start time leads), short
/// enough to read out over the phone to support.
fn request_id() -> String {
    static BOOT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let boot = *BOOT.get_or_init(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) % 0x10_0000
    });
    format!("{boot:05x}-{:x}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// The outermost middleware: gives each request an id (`x-request-id`, also on the answer),
/// refuses it with 503 when too many are in flight, answers 503 when its handler overruns, and
/// turns a handler's panic into a 500 that names the request id — never a dropped connection.
pub async fn guard(axum::extract::State(g): axum::extract::State<Guard>, req: Request, next: Next) -> Response {
    let id = request_id();
    let wants_html = wants_html(&req);
    let budget = if is_upload(req.method(), req.uri().path()) { g.limits.upload } else { g.limits.request };
    let mut res = match g.in_flight.clone().try_acquire_owned() {
        Err(_) => {
            metrics::counter!("http_requests_shed_total").increment(1);
            refusal(ErrorCode::Overloaded, &id, wants_html)
        }
        Ok(permit) => {
            let method = req.method().clone();
            let path = req.uri().path().to_string();
            let span = tracing::info_span!("request", request_id = %id);
            let handled = tracing::Instrument::instrument(AssertUnwindSafe(next.run(req)).catch_unwind(), span);
            let res = match tokio::time::timeout(budget, handled).await {
                Ok(Ok(res)) => res,
                Ok(Err(panic)) => {
                    let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
                    tracing::error!(request_id = %id, %method, %path, panic = what.as_deref().unwrap_or("?"), "handler panicked");
                    metrics::counter!("http_panics_total").increment(1);
                    refusal(ErrorCode::Internal, &id, wants_html)
                }
                Err(_) => {
                    tracing::warn!(request_id = %id, %method, %path, secs = budget.as_secs(), "handler overran its time");
                    metrics::counter!("http_timeouts_total").increment(1);
                    refusal(ErrorCode::Timeout, &id, wants_html)
                }
            };
            drop(permit);
            res
        }
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

fn wants_html(req: &Request) -> bool {
    let p = req.uri().path();
    !p.starts_with("/api/") && req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// The answer when we cannot serve: the API's error shape with the request id in its details,
/// or for a page, a few lines a resident can read (and the id to quote to the store).
fn refusal(code: ErrorCode, id: &str, html: bool) -> Response {
    let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = if html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>邻里</title></head><body style=\"font:16px/1.6 sans-serif;padding:24px\"><p>{}</p><p>{}</p>\
<p><a href=\"\">刷新 / Reload</a></p><p style=\"color:#888;font-size:13px\">编号 / Ref: {id}</p></body></html>",
            code.message(Locale::Zh),
            code.message(Locale::En)
        );
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
    } else {
        let err = AppError::new(code).with_details(serde_json::json!({ "request_id": id }));
        let mut res = (status, axum::Json(error_body(&err, Locale::Zh))).into_response();
        // The API's language layer re-renders it for an English reader.
        res.extensions_mut().insert(err);
        res
    };
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    res
}

/// Open live streams per client. Taking a slot past the limit is refused (429
/// `too_many_streams`); the slot is given back when the stream's response is dropped.
#[derive(Clone, Default)]
pub struct StreamSlots {
    open: Arc<Mutex<HashMap<String, usize>>>,
}

pub struct StreamSlot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    key: String,
}

impl StreamSlots {
    pub fn take(&self, key: String, max: usize) -> Result<StreamSlot, AppError> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(key.clone()).or_insert(0);
        if *n >= max {
            return Err(AppError::new(ErrorCode::TooManyStreams));
        }
        *n += 1;
        Ok(StreamSlot { open: self.open.clone(), key })
    }

    #[cfg(test)]
    fn count(&self, key: &str) -> usize {
        self.open.lock().map(|m| m.get(key).copied().unwrap_or(0)).unwrap_or(0)
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish (at most `limits.drain`, LINLI_DRAIN_SECS). axum's own `serve` cannot time out a slow
/// request head, so this is its loop with hyper's header-read timeout switched on.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Without TCP_NODELAY, streamed pages stall ~40 ms per response (Nagle + delayed ACK).
        let _ = tcp.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            router.clone().oneshot(req.map(Body::new))
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .serve_connection(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.drain) => tracing::warn!(secs = limits.drain.as_secs(), "requests still running at the end of the drain; stopping anyway"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    fn app(limits: Limits) -> axum::Router {
        let g = Guard::new(limits);
        axum::Router::new()
            .route("/boom", get(|| async { if true { panic!("boom") } else { "never" } }))
            .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await; "late" }))
            .route("/ok", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(g, guard))
    }

    async fn call(r: axum::Router, path: &str) -> (StatusCode, serde_json::Value, Option<String>) {
        use tower::ServiceExt;
        let res = r.oneshot(Request::get(path).body(Body::empty()).expect("request")).await.expect("infallible");
        let status = res.status();
        let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 16).await.expect("body");
        (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null), id)
    }

    #[test]
    fn uploads_from_a_phone_get_the_longer_budget() {
        use axum::http::Method;
        for path in ["/admin/products/3/photos", "/api/v1/live-sessions/2/cover", "/community/1/posts", "/api/v1/stores/1/community/posts"] {
            assert!(super::is_upload(&Method::POST, path), "{path}");
        }
        assert!(!super::is_upload(&Method::GET, "/api/v1/stores/1/community/posts"), "reading the feed is an ordinary request");
        assert!(!super::is_upload(&Method::POST, "/api/v1/orders"));
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_a_json_500_with_its_request_id() {
        let (status, body, id) = call(app(Limits::default()), "/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "internal");
        let id = id.expect("x-request-id");
        assert_eq!(body["error"]["details"]["request_id"], id.as_str());
        // The server goes on serving.
        assert_eq!(call(app(Limits::default()), "/ok").await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_handler_that_overruns_answers_503_timeout() {
        let limits = Limits { request: Duration::from_millis(50), ..Limits::default() };
        let (status, body, _) = call(app(limits), "/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"]["code"], "timeout");
    }

    #[tokio::test]
    async fn requests_past_the_in_flight_cap_are_shed_with_503() {
        let limits = Limits { max_in_flight: 1, ..Limits::default() };
        let r = app(limits);
        let slow = tokio::spawn(call(r.clone(), "/slow"));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (status, body, _) = call(r.clone(), "/ok").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"]["code"], "overloaded");
        slow.abort();
    }

    #[test]
    fn stream_slots_are_bounded_per_client_and_given_back() {
        let slots = StreamSlots::default();
        let a = slots.take("u:1".into(), 2).expect("first");
        let _b = slots.take("u:1".into(), 2).expect("second");
        assert_eq!(slots.take("u:1".into(), 2).err().map(|e| e.code), Some(ErrorCode::TooManyStreams));
        assert!(slots.take("u:2".into(), 2).is_ok(), "another client has its own count");
        drop(a);
        assert_eq!(slots.count("u:1"), 1);
        assert!(slots.take("u:1".into(), 2).is_ok());
    }

    #[test]
    fn limits_come_from_the_environment_and_refuse_nonsense() {
        let l = Limits::from_env(|n| (n == "LINLI_MAX_IN_FLIGHT").then(|| "64".to_string())).expect("limits");
        assert_eq!(l.max_in_flight, 64);
        assert_eq!(l.header_read, Limits::default().header_read);
        assert!(Limits::from_env(|n| (n == "LINLI_BODY_TIMEOUT_SECS").then(|| "0".to_string())).is_err());
        assert!(Limits::from_env(|n| (n == "LINLI_REQUEST_TIMEOUT_SECS").then(|| "soon".to_string())).is_err());
    }
}
