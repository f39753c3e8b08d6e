use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn health_check_answers_once_the_database_does() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/healthz")).await.expect("healthz");
    assert_eq!(r.status().as_u16(), 200);
    eprintln!("backend under test: {}", backend_name());
}

#[tokio::test]
async fn cross_site_writes_are_refused_and_same_site_ones_pass() {
    let app = spawn_app_with_demo().await;
    let plain = reqwest::Client::new();
    let body = json!({"phone": "13800000001", "password": linli_server::demo::DEMO_PASSWORD});

    // No marker header, no origin: refused.
    let r = plain.post(app.url("/api/v1/auth/login")).json(&body).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(error_code(&r.json().await.expect("json")), "csrf_rejected");

    // Another site's page: refused, for the API and for server functions alike.
    for path in ["/api/v1/auth/login", "/api/login", "/api/logout"] {
        let r = plain.post(app.url(path)).header("origin", "https://evil.example").header("sec-fetch-site", "cross-site")
            .form(&[("phone", "13800000001"), ("password", linli_server::demo::DEMO_PASSWORD)]).send().await.expect("post");
        assert_eq!(r.status().as_u16(), 403, "{path}");
    }

    // Our own page (same origin): allowed.
    let r = plain.post(app.url("/api/v1/auth/login")).header("origin", app.address.clone()).json(&body).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let r = plain.post(app.url("/api/v1/auth/login")).header("sec-fetch-site", "same-origin").json(&body).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn malformed_or_unexpected_json_is_a_400_with_a_code() {
    let app = spawn_app().await;
    let r = app.api.post(app.url("/api/v1/auth/register")).header("content-type", "application/json").body("{not json").send().await.expect("post");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(error_code(&r.json().await.expect("json")), "bad_request");
    let (status, body) = app.post_json("/api/v1/auth/register", &json!({"phone": "13800138000", "password": "sesame-oil-8", "name": "王", "admin": true})).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = app.post_json("/api/v1/auth/register", &json!({"phone": "13800138000"})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn pages_are_chinese_by_default_and_english_after_the_switch() {
    let app = spawn_app_with_demo().await;
    let c = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let home = c.get(app.url("/")).header("accept-language", "en-US").send().await.expect("home").text().await.expect("html");
    assert!(home.contains("lang=\"zh-CN\""));
    assert!(home.contains("绿源生活·文三路店"));
    assert!(home.contains("首页"));
    assert!(home.contains("寿光西红柿"));
    assert!(home.contains("<title>首页 · 邻里</title>"));

    let r = c.get(app.url("/lang/en?next=/stores")).send().await.expect("switch");
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/stores");
    let page = c.get(app.url("/stores")).send().await.expect("stores").text().await.expect("html");
    assert!(page.contains("lang=\"en\""));
    assert!(page.contains("Choose a store"));
    assert!(page.contains(">Home<"));

    // The switch never redirects off the site.
    let r = c.get(app.url("/lang/zh?next=https://evil.example")).send().await.expect("switch");
    assert_eq!(r.headers()["location"], "/");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_page() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/no-such-page")).await.expect("page");
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.text().await.expect("html").contains("页面不存在"));
}

#[tokio::test]
async fn openapi_and_metrics_describe_the_running_app() {
    let app = spawn_app_with_demo().await;
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    for path in ["/api/v1/auth/login", "/api/v1/me", "/api/v1/stores", "/api/v1/stores/{store_id}/products", "/api/v1/products/{id}"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from OpenAPI");
    }
    let _ = app.get_json("/api/v1/stores").await;
    let text = reqwest::get(app.url("/metrics")).await.expect("metrics").text().await.expect("text");
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/api/v1/stores\""), "{text}");
}

#[tokio::test]
async fn demo_seed_loads_once_and_only_into_an_empty_chain() {
    let app = spawn_app_with_demo().await;
    assert!(!linli_server::demo::seed(&app.db).await.expect("second seed"));
    let (stores,): (i64,) = sqlx::query_as("select count(*) from stores").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(stores, 3);
}

#[tokio::test]
async fn hostile_redirect_targets_fall_back_home_instead_of_failing() {
    let app = spawn_app_with_demo().await;
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    // Non-ASCII and header-splitting attempts in `next=` must not break the response.
    for next in ["/%E6%88%91%E7%9A%84", "/me%0D%0ASet-Cookie:%20x=1"] {
        let r = c.get(app.url(&format!("/lang/en?next={next}"))).send().await.expect("switch");
        assert_eq!(r.status().as_u16(), 303, "{next}");
        assert_eq!(r.headers()["location"], "/", "{next}");
    }
    let r = c.post(app.url("/api/login"))
        .header("accept", "text/html")
        .header("origin", app.address.clone())
        .header("referer", app.url("/login"))
        .form(&[("phone", "13800000001"), ("password", linli_server::demo::DEMO_PASSWORD), ("next", "/我的")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 302);
    assert_eq!(r.headers()["location"], "/");
}

/// Every inline script of a page carries that response's nonce, and the policy allows no
/// other inline script: markup that slipped into a page does not run.
#[tokio::test]
async fn pages_allow_only_their_own_nonced_scripts_and_are_never_framed() {
    let app = spawn_app_with_demo().await;
    let nonce_of = |csp: &str| csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).map(str::to_string);
    let mut seen = Vec::new();
    for path in ["/", "/login", "/no-such-page"] {
        let r = reqwest::get(app.url(path)).await.expect("page");
        let h = r.headers().clone();
        let csp = h["content-security-policy"].to_str().expect("ascii").to_string();
        assert!(!csp.contains("'unsafe-inline' 'wasm") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!((&h["x-frame-options"], &h["x-content-type-options"], &h["referrer-policy"]), (&"DENY".parse().unwrap(), &"nosniff".parse().unwrap(), &"strict-origin-when-cross-origin".parse().unwrap()));
        let nonce = nonce_of(&csp).unwrap_or_else(|| panic!("{path} has no nonce: {csp}"));
        assert!(nonce.len() >= 16, "{nonce}");
        let html = r.text().await.expect("html");
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path} has no script at all");
        assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{path}: a script without this response's nonce");
        assert!(!html.contains(" onclick="), "{path}: an inline handler");
        seen.push(nonce);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "every response has its own nonce");
    // Not a page: no inline script at all.
    let r = reqwest::get(app.url("/api/v1/stores")).await.expect("api");
    let csp = r.headers()["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';") && !csp.contains("nonce"), "{csp}");
}

#[tokio::test]
async fn every_back_office_menu_entry_opens_and_a_signed_out_clerk_comes_back_to_the_same_address() {
    let app = spawn_app_with_demo().await;
    let owner = crate::helpers::logged_in(&app, "13900000000").await;
    for entry in linli_app::app::OFFICE_MENU {
        let (href, zh) = (entry.path(), entry.zh);
        let r = owner.get(app.url(href)).send().await.expect("menu page");
        assert_eq!(r.status().as_u16(), 200, "{href}");
        let page = r.text().await.expect("body");
        assert!(page.contains(zh), "{href} names itself {zh}");
        assert!(!page.contains("页面不存在"), "{href} is a page");
    }
    // A clerk's menu holds the pages a clerk may open; the owner's also 员工.
    let clerk = crate::helpers::logged_in(&app, "13900000021").await;
    let menu = |html: &str| html.split("office-menu").nth(1).and_then(|m| m.split("</nav>").next()).unwrap_or("").to_string();
    let clerks = menu(&clerk.get(app.url("/admin")).send().await.expect("clerk").text().await.expect("body"));
    assert!(clerks.contains("href=\"/admin/desk\"") && !clerks.contains("href=\"/admin/team\"") && !clerks.contains("href=\"/admin/products\""), "{clerks}");
    let owners = menu(&owner.get(app.url("/admin")).send().await.expect("owner").text().await.expect("body"));
    assert!(owners.contains("href=\"/admin/team\""), "{owners}");
    // Not theirs to open, or not there: the status says so too (the back office renders whole).
    let resident = crate::helpers::logged_in(&app, "13800000003").await;
    let r = resident.get(app.url("/admin")).send().await.expect("resident");
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.text().await.expect("body").contains("没有权限"));
    assert_eq!(clerk.get(app.url("/admin/team")).send().await.expect("team").status().as_u16(), 403);
    assert_eq!(owner.get(app.url("/admin/products/99999")).send().await.expect("missing").status().as_u16(), 404);
    // Signed out, a detail page with a query sends the clerk to log in, and back to exactly it.
    let guest = crate::helpers::client();
    for path in ["/admin/products/3?from=stock", "/admin/stock/2?store=1", "/admin/customers/4", "/admin/group-buys/1"] {
        let r = guest.get(app.url(path)).send().await.expect("signed out");
        let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = r.text().await.unwrap_or_default();
        let want = format!("/login?next={}", linli_app::shared::url::encode(path));
        assert!(location == want || body.contains(&want.replace('&', "&amp;")), "{path}: location {location:?}");
    }
}
