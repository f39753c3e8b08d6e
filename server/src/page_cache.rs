//! The home shelf for guests, rendered at most about once a second.
//!
//! A guest's `/` depends only on the store they picked (a cookie), their language (a cookie)
//! and the category in the address — nothing about the person. Rendering it (sessions, the
//! shelf's queries, sixty cards, the hydration data) cost ~3 ms a time; the same bytes from
//! memory cost microseconds. So the first guest's render is kept, with its brotli and gzip
//! forms, and served to every guest asking for the same page until it is one second old —
//! counted from before the render read anything, so a price, a sold-out item or a markdown
//! is never shown stale for longer than that. Any write this instance answers (an order, a
//! price, stock, a markdown…) ends every kept page at once; writes on other instances and the
//! deadline jobs are bounded by the second.
//!
//! Only one render per page runs at a time: the others wait for it rather than render the
//! same page side by side (a burst after a write would otherwise render it dozens of times).
//! From 0.7 s, the next request renders the successor while everyone else is still served
//! the current page.
//!
//! Not kept: anything with a session or a guest cart (their pages carry the person's cart),
//! a search (`?q=`, unbounded), an answer that sets a cookie or is not a 200 page. A kept page
//! repeats its Content-Security-Policy nonce for that second: the nonce is there so that
//! markup which got into a page cannot run scripts; a kept page is fixed bytes rendered before
//! anyone saw its nonce, and no new render reuses it.
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use linli_app::shared::Locale;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The longest a kept page is served (from before its render read the database).
const FRESH_FOR: Duration = Duration::from_secs(1);
/// When the next request renders a successor while others are still served this one.
const RENEW_AFTER: Duration = Duration::from_millis(700);
/// How long a request waits for another's render of its page before rendering its own.
const WAIT_AT_MOST: Duration = Duration::from_secs(5);
/// Pages kept at most (stores × languages × categories; a made-up store id is a key too).
const MAX_PAGES: usize = 512;
/// Cookies that do not make a guest's page personal: the store and language switches and the
/// device mark a login leaves. Any other cookie (a session, a guest cart, something unknown)
/// goes the ordinary way.
const NEUTRAL_COOKIES: [&str; 3] = [linli_app::stores::api::STORE_COOKIE, linli_app::shared::i18n::LOCALE_COOKIE, linli_app::accounts::service::DEVICE_COOKIE];

#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    slots: Mutex<HashMap<Key, Slot>>,
    /// Bumped by every write this instance answers: pages rendered before it are over.
    generation: AtomicU64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    store: Option<i64>,
    locale: Locale,
    category: Option<String>,
}

#[derive(Default)]
struct Slot {
    page: Option<Arc<Page>>,
    rendering: bool,
    rendered: Arc<Notify>,
}

struct Page {
    headers: HeaderMap,
    plain: Bytes,
    gzip: Bytes,
    br: Bytes,
    born: Instant,
    generation: u64,
}

impl Page {
    fn fresh(&self, now: Instant, generation: u64) -> bool {
        self.generation == generation && now.duration_since(self.born) < FRESH_FOR
    }
}

enum Step {
    Serve(Arc<Page>),
    Wait(Arc<Notify>),
    Render,
}

/// The middleware: serves kept pages, renders and keeps them, and ends them on writes.
pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let res = next.run(req).await;
        if res.status().is_success() || res.status().is_redirection() {
            cache.inner.generation.fetch_add(1, Ordering::AcqRel);
        }
        return res;
    }
    let Some(key) = key_of(&req) else {
        return next.run(req).await;
    };
    let encoding = Encoding::accepted(req.headers());
    let mut waited = false;
    loop {
        let step = cache.step(&key, waited);
        match step {
            Some(Step::Serve(page)) => {
                metrics::counter!("linli_page_cache_total", "result" => "hit").increment(1);
                return respond(&page, encoding);
            }
            Some(Step::Wait(rendered)) => {
                // Created before the slot's lock was released, so the render's notify_waiters
                // reaches it even if it ends before this line.
                let notified = rendered.notified();
                if tokio::time::timeout(WAIT_AT_MOST, notified).await.is_err() {
                    break;
                }
                waited = true;
            }
            Some(Step::Render) => return cache.render(key, req, next, encoding).await,
            // The cache is full of fresh pages: render this one for this request only.
            None => break,
        }
    }
    metrics::counter!("linli_page_cache_total", "result" => "bypass").increment(1);
    next.run(req).await
}

impl PageCache {
    fn step(&self, key: &Key, waited: bool) -> Option<Step> {
        let now = Instant::now();
        let generation = self.inner.generation.load(Ordering::Acquire);
        let mut slots = self.inner.slots.lock().unwrap_or_else(|p| p.into_inner());
        if !slots.contains_key(key) && slots.len() >= MAX_PAGES {
            slots.retain(|_, s| s.rendering || s.page.as_ref().is_some_and(|p| p.fresh(now, generation)));
            if slots.len() >= MAX_PAGES {
                return None;
            }
        }
        let slot = slots.entry(key.clone()).or_default();
        match &slot.page {
            Some(page) if page.fresh(now, generation) => {
                if slot.rendering || now.duration_since(page.born) < RENEW_AFTER {
                    Some(Step::Serve(page.clone()))
                } else {
                    slot.rendering = true;
                    Some(Step::Render)
                }
            }
            // A render this request waited for ended without a page (a 404, a cookie set…):
            // the page cannot be kept; do not queue behind the next one.
            _ if waited && !slot.rendering => None,
            _ if slot.rendering => Some(Step::Wait(slot.rendered.clone())),
            _ => {
                slot.rendering = true;
                Some(Step::Render)
            }
        }
    }

    async fn render(&self, key: Key, mut req: Request, next: Next, encoding: Encoding) -> Response {
        // Whatever happens to this request (even the client leaving mid-render), the slot is
        // released and its waiters woken.
        let mut done = Rendering { cache: self.clone(), key, page: None };
        let born = Instant::now();
        let generation = self.inner.generation.load(Ordering::Acquire);
        // The page is compressed here, once, in each form.
        req.headers_mut().remove(header::ACCEPT_ENCODING);
        let res = next.run(req).await;
        let keep = res.status() == StatusCode::OK
            && !res.headers().contains_key(header::SET_COOKIE)
            && !res.headers().contains_key(header::CONTENT_ENCODING)
            && res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
        if !keep {
            return res;
        }
        let (parts, body) = res.into_parts();
        let plain = match axum::body::to_bytes(body, 4 * 1024 * 1024).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "home page: render failed mid-body");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        let compressed = tokio::task::spawn_blocking({
            let plain = plain.clone();
            move || (gzip(&plain), brotli(&plain))
        })
        .await;
        let Ok((Ok(gz), Ok(br))) = compressed else {
            tracing::warn!("home page: compressing the kept page failed; serving it plain");
            return Response::from_parts(parts, Body::from(plain));
        };
        let mut headers = parts.headers;
        for h in [header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::DATE, header::VARY] {
            headers.remove(h);
        }
        let page = Arc::new(Page { headers, plain, gzip: gz, br, born, generation });
        metrics::counter!("linli_page_cache_total", "result" => "render").increment(1);
        let res = respond(&page, encoding);
        // Kept when `done` drops, as this returns.
        done.page = Some(page);
        res
    }
}

/// Ends a render: keeps its page (if any) and wakes whoever waited for it.
struct Rendering {
    cache: PageCache,
    key: Key,
    page: Option<Arc<Page>>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let mut slots = self.cache.inner.slots.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(slot) = slots.get_mut(&self.key) {
            slot.rendering = false;
            if let Some(page) = self.page.take() {
                slot.page = Some(page);
            }
            slot.rendered.notify_waiters();
        }
    }
}

/// The page's key when it is a guest's home shelf, else `None`.
fn key_of(req: &Request) -> Option<Key> {
    if req.method() != Method::GET || req.uri().path() != "/" {
        return None;
    }
    let category = match req.uri().query() {
        None | Some("") => None,
        Some(q) => {
            let slug = q.strip_prefix("category=")?;
            let plain = !slug.is_empty() && slug.len() <= 40 && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !plain {
                return None;
            }
            Some(slug.to_string())
        }
    };
    let mut store = None;
    for cookies in req.headers().get_all(header::COOKIE) {
        for kv in cookies.to_str().ok()?.split(';') {
            let (name, value) = kv.trim().split_once('=').unwrap_or((kv.trim(), ""));
            if name.is_empty() {
                continue;
            }
            if !NEUTRAL_COOKIES.contains(&name) {
                return None;
            }
            if name == linli_app::stores::api::STORE_COOKIE {
                // As the page reads it: a value that is not a number picks no store.
                store = value.trim().parse::<i64>().ok();
            }
        }
    }
    Some(Key { store, locale: linli_app::server::request::page_locale_of(req.headers()), category })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Br,
}

impl Encoding {
    /// Brotli, else gzip, else the plain page, as `Accept-Encoding` allows (`;q=0` refuses).
    fn accepted(headers: &HeaderMap) -> Encoding {
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or("").split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let refused = parts.any(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q == 0.0));
                match name.as_str() {
                    "br" if !refused => return Encoding::Br,
                    "gzip" if !refused => gzip = true,
                    _ => {}
                }
            }
        }
        if gzip { Encoding::Gzip } else { Encoding::Identity }
    }
}

fn respond(page: &Page, encoding: Encoding) -> Response {
    let (body, name) = match encoding {
        Encoding::Br => (page.br.clone(), Some("br")),
        Encoding::Gzip => (page.gzip.clone(), Some("gzip")),
        Encoding::Identity => (page.plain.clone(), None),
    };
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = page.headers.clone();
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
    if let Some(name) = name {
        res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    res
}

fn gzip(plain: &[u8]) -> std::io::Result<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(plain.len() / 6), flate2::Compression::default());
    enc.write_all(plain)?;
    Ok(enc.finish()?.into())
}

fn brotli(plain: &[u8]) -> std::io::Result<Bytes> {
    let mut out = Vec::with_capacity(plain.len() / 8);
    // Quality 9 of 11: within a few percent of 11 at a fraction of the time, once a second.
    let params = ::brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    ::brotli::BrotliCompress(&mut &plain[..], &mut out, &params)?;
    Ok(out.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).expect("request")
    }

    #[test]
    fn only_a_guests_home_shelf_is_kept() {
        let k = key_of(&req("/", None)).expect("guest");
        assert_eq!((k.store, k.category), (None, None));
        let k = key_of(&req("/?category=fruit", Some("linli_store=3; linli_lang=en"))).expect("guest with switches");
        assert_eq!((k.store, k.locale, k.category.as_deref()), (Some(3), Locale::En, Some("fruit")));
        assert!(key_of(&req("/", Some("linli_store=2; linli_sid=abc"))).is_none(), "a session");
        assert!(key_of(&req("/", Some("linli_cart=abc"))).is_none(), "a guest cart");
        assert!(key_of(&req("/", Some("other=1"))).is_none(), "an unknown cookie");
        assert!(key_of(&req("/?q=egg", None)).is_none(), "a search");
        assert!(key_of(&req("/?category=fruit&q=egg", None)).is_none(), "a filtered search");
        assert!(key_of(&req("/?category=%3Cx%3E", None)).is_none(), "not a slug");
        assert!(key_of(&req("/cart", None)).is_none(), "another page");
        let mut head = req("/", None);
        *head.method_mut() = Method::HEAD;
        assert!(key_of(&head).is_none());
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).expect("value"));
            Encoding::accepted(&h)
        };
        assert_eq!(Encoding::accepted(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(with("gzip, deflate, br, zstd"), Encoding::Br);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
    }

    #[test]
    fn a_page_is_over_after_a_second_or_any_write() {
        let page = Page { headers: HeaderMap::new(), plain: Bytes::new(), gzip: Bytes::new(), br: Bytes::new(), born: Instant::now(), generation: 7 };
        assert!(page.fresh(page.born + Duration::from_millis(999), 7));
        assert!(!page.fresh(page.born + FRESH_FOR, 7));
        assert!(!page.fresh(page.born, 8));
    }
}
