//! Cross-site write protection for every unsafe request: server functions (which have none
//! of their own) and the JSON API alike.
//!
//! A write is accepted when it carries `X-Requested-With: linli` (a header a cross-site form
//! cannot set, and a cross-site script cannot send without a CORS preflight we never grant),
//! or when the browser says it comes from this very site (`Sec-Fetch-Site: same-origin`, or
//! an `Origin` whose host is ours). Plain HTML forms posted by our own pages without
//! JavaScript pass through the second rule. A request with an `Authorization` header (an
//! encoder publishing with its stream key) is not a browser's ambient credential either: no
//! cross-site page can set that header without a preflight we never grant.
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use linli_app::shared::{AppError, ErrorCode};

pub async fn reject_cross_site_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_site(&req) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site write refused");
    crate::api::error::ApiError(AppError::new(ErrorCode::CsrfRejected)).into_response()
}

fn is_same_site(req: &Request) -> bool {
    let h = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if h("x-requested-with").is_some_and(|v| v.eq_ignore_ascii_case("linli")) || req.headers().contains_key(header::AUTHORIZATION) {
        return true;
    }
    if let Some(site) = h("sec-fetch-site") {
        return site == "same-origin";
    }
    match (h("origin"), req.headers().get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) == Some(host),
        _ => false,
    }
}
