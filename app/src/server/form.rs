//! Forms that work before (or without) the WASM.
//!
//! With JavaScript on, an `<ActionForm>` calls the server function and shows its error in
//! place. With JavaScript off the browser posts the form and leptos_axum answers with a
//! redirect to the Referer, which would drop the error and everything typed. So a failing
//! server function calls [`bounce_back`]: the redirect goes back to the form's page with the
//! error code and the typed values (never passwords) in the query, and the page renders them.
use super::request::{is_plain_form_post, parts};
use crate::shared::{url, AppError};

/// Query keys the form pages read.
pub const ERR_KEY: &str = "err";
pub const FIELD_KEY: &str = "field";
/// The other fields refused at the same time: `unit.invalid_unit,price.invalid_price`.
pub const ALSO_KEY: &str = "also";

pub fn bounce_back(err: &AppError, keep: &[(&str, &str)]) {
    let Some(referer) = plain_post_referer() else { return };
    let (path, query) = referer.split_once('?').unwrap_or((&referer, ""));
    let ours: Vec<&str> = [ERR_KEY, FIELD_KEY, ALSO_KEY].into_iter().chain(keep.iter().map(|(k, _)| *k)).collect();
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && !ours.contains(&kv.split('=').next().unwrap_or("")))
        .map(str::to_string)
        .collect();
    pairs.push(format!("{ERR_KEY}={}", err.code.as_str()));
    if let Some(f) = &err.field {
        pairs.push(format!("{FIELD_KEY}={}", url::encode(f)));
    }
    let also: Vec<String> = err.field_errors().into_iter().skip(1).map(|(f, c)| format!("{f}.{}", c.as_str())).collect();
    if !also.is_empty() {
        pairs.push(format!("{ALSO_KEY}={}", url::encode(&also.join(","))));
    }
    for (k, v) in keep {
        pairs.push(format!("{k}={}", url::encode(v)));
    }
    // The page opens at the first problem (the message under its field), not at the top.
    let at = err.field.as_deref().map(|f| format!("#{}-error", url::encode(f))).unwrap_or_default();
    leptos_axum::redirect(&format!("{path}?{}{at}", pairs.join("&")));
}

/// After a plain form post that worked, back to the page it came from at `#anchor` (the card
/// whose + was tapped), instead of the top of a long shelf. With JavaScript nothing reloads.
pub fn back_to_anchor(anchor: &str) {
    if let Some(referer) = plain_post_referer() {
        leptos_axum::redirect(&format!("{referer}#{anchor}"));
    }
}

/// After a plain form post that worked, to `path`: a clean address, where the page it came
/// from may still carry a refused try's error and typed values. With JavaScript nothing reloads.
pub fn back_to(path: &str) {
    if plain_post_referer().is_some() {
        leptos_axum::redirect(path);
    }
}

/// A form's server function's ending: done → back to `#anchor` on the page it came from (no-JS),
/// refused → [`bounce_back`] with what was typed.
pub fn settle<T>(result: Result<T, AppError>, anchor: &str, keep: &[(&str, &str)]) -> Result<T, AppError> {
    match &result {
        Ok(_) => back_to_anchor(anchor),
        Err(e) => bounce_back(e, keep),
    }
    result
}

/// The page a plain (JavaScript-off) form post came from: a path on this site, `/` if unsure.
/// `None` for a server function called by the page's own code.
fn plain_post_referer() -> Option<String> {
    let parts = parts().ok()?;
    if !is_plain_form_post(&parts) {
        return None;
    }
    Some(
        parts
            .headers
            .get(axum::http::header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(same_site_path)
            .unwrap_or_else(|| "/".to_string()),
    )
}

/// Only ever redirect to a path on this site, whatever the Referer says.
fn same_site_path(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://").map(|(_, r)| r)?;
    let path = after_scheme.find('/').map(|i| &after_scheme[i..]).unwrap_or("/");
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// Only a local path may be a post-login destination, never another site. It goes into a
/// `Location` header, which takes visible ASCII only (the redirect helpers panic on anything
/// else), so a path with other characters falls back to the home page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 512
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referer_is_reduced_to_a_local_path() {
        assert_eq!(same_site_path("http://127.0.0.1:3000/login?next=/me").as_deref(), Some("/login?next=/me"));
        assert_eq!(same_site_path("https://x.cn").as_deref(), Some("/"));
        assert_eq!(same_site_path("/relative"), None);
    }

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/me")), "/me");
        assert_eq!(safe_next(Some("//evil.com")), "/");
        assert_eq!(safe_next(Some("https://evil.com")), "/");
        assert_eq!(safe_next(Some("/\\evil.com")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/stores?lat=30.2&lng=120.1")), "/stores?lat=30.2&lng=120.1");
        assert_eq!(safe_next(Some("/我的")), "/");
        assert_eq!(safe_next(Some("/me\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/a b")), "/");
    }

}
