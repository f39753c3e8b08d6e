//! The Content-Security-Policy. Scripts run only from our own origin or when they carry the
//! page's nonce: Leptos marks its hydration and streaming scripts with it, our own buttons
//! use plain script files (public/office.js) instead of inline handlers — so a script that
//! got into a page some other way (a product description, a resident's note) does not run.
//! 'wasm-unsafe-eval' lets the WASM start. Styles may be inline (the `style` attributes a few
//! views set); pictures may be data:/blob: (QR codes, the poster turned into a PNG in the
//! browser). No page is framed by another site, no plugin runs, forms post only to us.

/// The policy for a page rendered with `nonce`, or for any other answer (`None`: no inline
/// script at all).
pub fn policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for a page that plays video from `media` (an origin such as
/// `https://cdn.example.com`): the player fetches the stream (hls.js) or the browser plays it.
pub fn policy_with_media(nonce: &str, media: &str) -> String {
    policy(Some(nonce)).replacen("media-src 'self' blob:;", &format!("media-src 'self' blob: {media};"), 1).replacen("connect-src 'self';", &format!("connect-src 'self' {media};"), 1)
}

/// The origin of an https address, if it is a plain one (host, optional port): nothing else
/// may reach the policy.
pub fn https_origin(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let plain = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')) && !host.starts_with(['.', '-', ':']);
    plain.then(|| format!("https://{host}"))
}

/// A live room with a stream: its page's policy also lets the video come from the stream's
/// origin (the room renders whole before it answers, so the header is still open).
pub fn allow_media_from(url: &str) {
    use leptos::prelude::use_context;
    let Some(origin) = https_origin(url) else { return };
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&policy_with_media(&nonce, &origin)) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

/// Puts the page's policy, with the nonce Leptos made for this response, on the answer.
pub fn send_for_page() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&policy(Some(&nonce))) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn inline_scripts_need_the_nonce_and_nothing_frames_us() {
        let page = policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        let scripts = |p: &str| p.split(';').find(|d| d.trim_start().starts_with("script-src")).map(str::to_string).unwrap_or_default();
        assert!(!scripts(&page).contains("unsafe-inline") && !scripts(&policy(None)).contains("unsafe-inline"));
        assert!(page.ends_with("frame-ancestors 'none'"));
        assert!(!policy(None).contains("nonce"));
    }

    #[test]
    fn a_stream_origin_joins_media_and_connect_only_when_it_is_a_plain_https_host() {
        assert_eq!(super::https_origin("https://cdn.example.com:8443/live/a.m3u8?t=1").as_deref(), Some("https://cdn.example.com:8443"));
        assert_eq!(super::https_origin("http://cdn.example.com/a.m3u8"), None);
        assert_eq!(super::https_origin("https://evil.com;script-src*/a"), None);
        assert_eq!(super::https_origin("https://'unsafe-inline'/a"), None);
        let p = super::policy_with_media("n1", "https://cdn.example.com");
        assert!(p.contains("media-src 'self' blob: https://cdn.example.com;"), "{p}");
        assert!(p.contains("connect-src 'self' https://cdn.example.com;"), "{p}");
        assert!(p.contains("script-src 'self' 'nonce-n1' 'wasm-unsafe-eval';"), "{p}");
    }
}
