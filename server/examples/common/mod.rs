//! What the load tools share: signing a resident in, and percentiles for their figures.
use std::time::Duration;

/// A client as the pages' scripts are (the CSRF header, a cookie jar), not yet signed in.
pub fn client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-requested-with", reqwest::header::HeaderValue::from_static("linli"));
    // Each simulated person sends one request at a time: one kept connection is enough.
    reqwest::Client::builder().cookie_store(true).default_headers(headers).pool_max_idle_per_host(1).build().expect("client")
}

/// `phone` signed in at `base` with the demo password; panics if the server refuses.
pub async fn signed_in(base: &str, phone: &str) -> reqwest::Client {
    let c = client();
    let r = c.post(format!("{base}/api/v1/auth/login")).json(&serde_json::json!({"phone": phone, "password": "linli1234"})).send().await.expect("login");
    assert!(r.status().is_success(), "login {phone}: {}", r.status());
    c
}

/// Each of `phones` signed in, eight at a time: a password check is deliberately slow, and one
/// address's parallel attempts count towards its throttle.
pub async fn sign_in_all(base: &str, phones: Vec<String>) -> Vec<reqwest::Client> {
    let mut clients = Vec::with_capacity(phones.len());
    for chunk in phones.chunks(8) {
        let logins: Vec<_> = chunk
            .iter()
            .map(|phone| {
                let (base, phone) = (base.to_string(), phone.clone());
                tokio::spawn(async move { signed_in(&base, &phone).await })
            })
            .collect();
        for l in logins {
            clients.push(l.await.expect("login task"));
        }
    }
    clients
}

/// The `p`th percentile of `sorted` (nearest rank below), zero when empty.
pub fn pct(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * p) / 100]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
