//! What a server function may want to know about the request it is answering.
use crate::shared::{AppError, Locale};
use axum::http::request::Parts;
use leptos::prelude::use_context;
use std::net::{IpAddr, SocketAddr};

pub fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| AppError::internal("request parts missing from context"))
}

/// A page's language: the switch cookie, else Chinese (the shop's language, whatever the
/// phone's settings).
pub fn page_locale_of(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
    Locale::from_headers(cookie, None)
}

/// Whether the page being served is read in Chinese (category names follow the reader).
pub fn page_zh() -> Result<bool, crate::shared::AppError> {
    Ok(page_locale_of(&parts()?.headers) == Locale::Zh)
}

/// An API reader's language: the switch cookie, else `Accept-Language`, else Chinese, so a
/// programmatic client can ask for English without a cookie.
pub fn api_locale_of(headers: &axum::http::HeaderMap) -> Locale {
    let h = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    Locale::from_headers(h(axum::http::header::COOKIE), h(axum::http::header::ACCEPT_LANGUAGE))
}

/// Whether an API caller reads Chinese (category names in answers follow the reader).
pub fn api_zh(headers: &axum::http::HeaderMap) -> bool {
    api_locale_of(headers) == Locale::Zh
}

/// The client's address. Behind a reverse proxy, the last hop it appended to
/// `X-Forwarded-For` (a client can forge the earlier ones, never the proxy's own).
pub fn client_ip(headers: &axum::http::HeaderMap, peer: Option<IpAddr>, trust_proxy: bool) -> Option<IpAddr> {
    let forwarded = || {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|ip| ip.trim().parse().ok())
    };
    trust_proxy.then(forwarded).flatten().or(peer)
}

pub fn client_ip_of(parts: &Parts, trust_proxy: bool) -> Option<IpAddr> {
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    client_ip(&parts.headers, peer, trust_proxy)
}

/// A plain HTML form post (JavaScript off) rather than a call from the hydrated page.
pub fn is_plain_form_post(parts: &Parts) -> bool {
    parts
        .headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The value of cookie `name` in a request's Cookie header.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(axum::http::header::COOKIE)?.to_str().ok()?.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v.trim())
    })
}
