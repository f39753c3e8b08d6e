//! Typed configuration from the environment.
use std::fmt;
use std::net::SocketAddr;

#[derive(Clone)]
pub struct Config {
    /// `sqlite://path` or `postgres://…`.
    pub database_url: String,
    pub addr: SocketAddr,
    /// Where cargo-leptos put the WASM, JS and CSS (`<site_root>/pkg`).
    pub site_root: String,
    pub leptos_env_prod: bool,
    /// Cookies marked `Secure` (when served over https).
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For` from a reverse proxy.
    pub trust_proxy: bool,
    pub max_db_connections: u32,
    /// `LINLI_PUBLIC_URL` ("https://shop.example.cn"): the origin share links, posters, invite
    /// links and og: previews use, whatever Host header a request carries. Unset: the address
    /// the server listens on (fine on a laptop, not for links sent to phones).
    pub public_url: Option<String>,
    /// Run the deadline and housekeeping jobs in this instance (`LINLI_JOBS=off` to leave them to
    /// others; every job is safe to run on several instances at once).
    pub run_jobs: bool,
    /// Timeouts and caps against slow and greedy clients (`crate::limits`).
    pub limits: crate::limits::Limits,
}

/// The password part of a database URL, hidden: config is logged at start.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact(&self.database_url))
            .field("addr", &self.addr)
            .field("site_root", &self.site_root)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("limits", &self.limits)
            .finish()
    }
}

/// A public origin: http(s), a host, perhaps a port, no path ("https://shop.example.cn").
fn public_url(raw: &str) -> Result<String, String> {
    let u = raw.trim().trim_end_matches('/');
    let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)) => Ok(u.to_string()),
        _ => Err(format!("LINLI_PUBLIC_URL must look like https://shop.example.cn (no path): {raw}")),
    }
}

pub(crate) fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &str) -> bool {
    var(name).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"))
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/linli.db".to_string());
        let addr_text = var("LINLI_ADDR").or_else(|| var("LEPTOS_SITE_ADDR")).unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| format!("LINLI_ADDR is not an address: {addr_text}"))?;
        Ok(Config {
            database_url,
            addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            leptos_env_prod: var("LEPTOS_ENV").is_some_and(|e| e.eq_ignore_ascii_case("prod")),
            secure_cookies: flag("LINLI_SECURE_COOKIES"),
            trust_proxy: flag("LINLI_TRUST_PROXY"),
            max_db_connections: var("LINLI_DB_CONNECTIONS").and_then(|v| v.parse().ok()).unwrap_or(16),
            public_url: var("LINLI_PUBLIC_URL").map(|u| public_url(&u)).transpose()?,
            run_jobs: !var("LINLI_JOBS").is_some_and(|v| matches!(v.as_str(), "0" | "off" | "false" | "no")),
            limits: crate::limits::Limits::from_env(var)?,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_public_url_is_an_origin() {
        assert_eq!(super::public_url("https://shop.example.cn/").as_deref(), Ok("https://shop.example.cn"));
        assert_eq!(super::public_url("http://127.0.0.1:3000").as_deref(), Ok("http://127.0.0.1:3000"));
        for bad in ["shop.example.cn", "https://", "https://a.cn/path", "ftp://a.cn", "https://a.cn\"@evil"] {
            assert!(super::public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(super::redact("postgres://postgres:s3cret@127.0.0.1/linli"), "postgres://postgres:***@127.0.0.1/linli");
        assert_eq!(super::redact("sqlite://data/linli.db"), "sqlite://data/linli.db");
    }
}
