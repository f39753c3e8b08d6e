use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_resident_registers_and_sees_themselves_in_me() {
    let app = spawn_app().await;
    let (status, body) = app.register("138 0013 8000", "sesame-oil-8", " 王阿姨 ").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["user"]["phone"], "13800138000");
    assert_eq!(body["user"]["name"], "王阿姨");
    assert!(body["user"].get("password_hash").is_none());

    let (status, me) = app.get_json("/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["roles"], json!([{"role": "resident", "store_id": null}]));
    assert_eq!(me["wallet_fen"], 0);
    assert!(me["home_store_id"].is_null());
}

#[tokio::test]
async fn bad_sign_ups_get_a_field_error_in_the_readers_language_and_change_nothing() {
    let app = spawn_app().await;
    let (status, body) = app.register("1380013", "sesame-oil-8", "王").await;
    assert_eq!(status, 422);
    assert_eq!(error_code(&body), "invalid_phone");
    assert_eq!(body["error"]["message"], "手机号应为11位数字");
    assert_eq!(body["error"]["details"]["field"], "phone");

    let r = app
        .api
        .post(app.url("/api/v1/auth/register"))
        .header("accept-language", "en-US,en;q=0.9")
        .json(&json!({"phone": "13800138000", "password": "short", "name": "Wang"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 422);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["message"], "The password needs at least 8 characters");

    let (count,): (i64,) = sqlx::query_as("select count(*) from users").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_taken_phone_number_is_a_conflict_even_when_many_register_at_once() {
    let app = spawn_app().await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = client();
        let url = app.url("/api/v1/auth/register");
        tasks.push(tokio::spawn(async move {
            c.post(url).json(&json!({"phone": "13900139000", "password": "sesame-oil-8", "name": format!("n{i}")})).send().await.map(|r| r.status().as_u16())
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task").expect("request"));
    }
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
}

#[tokio::test]
async fn wrong_passwords_are_401_and_the_sixth_try_is_throttled_even_with_the_right_one() {
    let app = spawn_app_with_demo().await;
    for _ in 0..5 {
        let (status, body) = app.post_json("/api/v1/auth/login", &json!({"phone": "13800000001", "password": "guess-guess"})).await;
        assert_eq!(status, 401);
        assert_eq!(error_code(&body), "invalid_credentials");
    }
    let r = app
        .api
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000001", "password": linli_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().get("retry-after").is_some());
    // Another resident's number is not locked by it.
    app.login_as("13800000002").await;
}

#[tokio::test]
async fn an_unknown_number_reads_exactly_like_a_wrong_password() {
    let app = spawn_app_with_demo().await;
    let (status, body) = app.post_json("/api/v1/auth/login", &json!({"phone": "13700000000", "password": "whatever-1"})).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "invalid_credentials");
}

#[tokio::test]
async fn login_rotates_the_session_id_and_logout_kills_the_old_cookie() {
    let app = spawn_app_with_demo().await;
    let first = app.api.post(app.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000001", "password": linli_server::demo::DEMO_PASSWORD}))
        .send().await.expect("login");
    let sid1 = session_cookie(&first).expect("cookie set at login");
    let second = app.api.post(app.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000002", "password": linli_server::demo::DEMO_PASSWORD}))
        .send().await.expect("login");
    let sid2 = session_cookie(&second).expect("cookie set at second login");
    assert_ne!(sid1, sid2, "a new session id at every login");

    // The first id was replaced, not kept alongside.
    let stale = reqwest::Client::new().get(app.url("/api/v1/me")).header("cookie", format!("linli_sid={sid1}")).send().await.expect("me");
    assert_eq!(stale.status().as_u16(), 401);

    let out = app.api.post(app.url("/api/v1/auth/logout")).send().await.expect("logout");
    assert_eq!(out.status().as_u16(), 204);
    let replay = reqwest::Client::new().get(app.url("/api/v1/me")).header("cookie", format!("linli_sid={sid2}")).send().await.expect("me");
    assert_eq!(replay.status().as_u16(), 401, "the old cookie no longer works");
}

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k == "linli_sid" && !v.is_empty()).then(|| v.to_string())
    })
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app_with_demo().await;
    let r = app.api.post(app.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000001", "password": linli_server::demo::DEMO_PASSWORD}))
        .send().await.expect("login");
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    assert!(cookie.contains("httponly"), "{cookie}");
    assert!(cookie.contains("samesite=lax"), "{cookie}");
}

#[tokio::test]
async fn me_without_a_session_is_401() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/v1/me").await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "unauthenticated");
}

#[tokio::test]
async fn staff_see_only_their_store_in_the_back_office_and_residents_none() {
    let app = spawn_app_with_demo().await;
    // Server functions are POSTs at /api/<name>, guarded like the API.
    let call = |app: &crate::helpers::TestApp| {
        app.api.post(app.url("/api/office_overview")).header("content-type", "application/x-www-form-urlencoded").body("").send()
    };
    app.login_as("13900000021").await; // 小赵, staff at store 1
    let body: serde_json::Value = call(&app).await.expect("call").json().await.expect("json");
    assert_eq!(body.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body[0]["store_id"], 1);

    app.login_as("13900000000").await; // the owner
    let body: serde_json::Value = call(&app).await.expect("call").json().await.expect("json");
    assert_eq!(body.as_array().map(Vec::len), Some(3), "{body}");

    app.login_as("13800000001").await; // a resident
    let body: serde_json::Value = call(&app).await.expect("call").json().await.expect("json");
    assert_eq!(body["code"], "forbidden", "{body}");
}

#[tokio::test]
async fn a_failed_login_form_without_javascript_comes_back_with_the_error_and_the_number() {
    let app = spawn_app_with_demo().await;
    let r = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
        .post(app.url("/api/login"))
        .header("accept", "text/html,application/xhtml+xml")
        .header("origin", app.address.clone())
        .header("referer", app.url("/login?next=/me"))
        .form(&[("phone", "13800000001"), ("password", "wrong-password"), ("next", "/me")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(location.starts_with("/login?"), "{location}");
    assert!(location.contains("err=invalid_credentials"), "{location}");
    assert!(location.contains("phone=13800000001"), "{location}");
    assert!(!location.contains("password"), "{location}");

    // The page it lands on shows the message and keeps the number.
    let page = reqwest::get(app.url(&location)).await.expect("page").text().await.expect("html");
    assert!(page.contains("手机号或密码不对"));
    assert!(page.contains("value=\"13800000001\""));
}

#[tokio::test]
async fn a_successful_login_form_without_javascript_goes_to_next_and_never_off_site() {
    let app = spawn_app_with_demo().await;
    let post = |next: &'static str| {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
            .post(app.url("/api/login"))
            .header("accept", "text/html")
            .header("origin", app.address.clone())
            .header("referer", app.url("/login"))
            .form(&[("phone", "13800000001"), ("password", linli_server::demo::DEMO_PASSWORD), ("next", next)])
            .send()
    };
    let r = post("/me").await.expect("post");
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/me"));
    let r = post("//evil.example/x").await.expect("post");
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/"));
}

#[tokio::test]
async fn guesses_sent_in_parallel_are_all_counted() {
    let app = spawn_app_with_demo().await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let c = client();
        let url = app.url("/api/v1/auth/login");
        tasks.push(tokio::spawn(async move {
            c.post(url).json(&json!({"phone": "13800000002", "password": "guess-guess"})).send().await.map(|r| r.status().as_u16())
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task").expect("request"));
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "at most 5 passwords checked, got {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 20 - checked);
}

fn login_body(phone: &str, password: &str) -> serde_json::Value {
    json!({"phone": phone, "password": password})
}

async fn login_status(c: &reqwest::Client, app: &crate::helpers::TestApp, phone: &str, password: &str) -> u16 {
    c.post(app.url("/api/v1/auth/login")).json(&login_body(phone, password)).send().await.expect("login").status().as_u16()
}

#[tokio::test]
async fn a_stranger_guessing_a_number_cannot_keep_its_owner_out_of_a_browser_they_used_before() {
    let app = spawn_app_with_demo().await;
    let good = linli_server::demo::DEMO_PASSWORD;
    let phone = "13800000001";
    // The owner's phone signed in before: it holds a device cookie.
    let owner = client();
    let r = owner.post(app.url("/api/v1/auth/login")).json(&login_body(phone, good)).send().await.expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let device = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("linli_dev=")).expect("device cookie").to_string();
    assert!(device.contains("HttpOnly") && device.contains("SameSite=Lax"), "{device}");
    assert_eq!(owner.post(app.url("/api/v1/auth/logout")).send().await.expect("logout").status().as_u16(), 204);

    // Someone else hammers the number: it locks for every browser it has not seen.
    let stranger = client();
    let statuses: Vec<u16> = futures_statuses(&stranger, &app, phone, 7).await;
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(login_status(&client(), &app, phone, good).await, 429, "a new browser waits out the lock");
    // The owner's own browser still gets in.
    assert_eq!(login_status(&owner, &app, phone, good).await, 200);

    // That browser has its own limit: five wrong passwords there lock it too.
    for _ in 0..5 {
        assert_eq!(login_status(&owner, &app, phone, "not-my-password").await, 401);
    }
    assert_eq!(login_status(&owner, &app, phone, good).await, 429);
    // A device cookie made up or for another number is just an unknown browser.
    let forged = reqwest::Client::builder().default_headers({
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("x-requested-with", reqwest::header::HeaderValue::from_static("linli"));
        h.insert("cookie", reqwest::header::HeaderValue::from_static("linli_dev=0123456789abcdef0123456789abcdef"));
        h
    }).build().expect("client");
    assert_eq!(login_status(&forged, &app, phone, good).await, 429);
}

async fn futures_statuses(c: &reqwest::Client, app: &crate::helpers::TestApp, phone: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(login_status(c, app, phone, "guess-guess").await);
    }
    out
}

#[tokio::test]
async fn a_client_already_over_its_limit_does_not_count_against_the_numbers_it_tries() {
    use linli_app::accounts::service::{authenticate, LoginFrom};
    let app = spawn_app_with_demo().await;
    let attacker = LoginFrom { ip: Some("203.0.113.9".parse().expect("ip")), device: None };
    // Thirty wrong guesses spread over many numbers block the attacker's address…
    for i in 0..30 {
        let _ = authenticate(&app.db, &format!("137000000{i:02}"), "guess-guess", attacker).await;
    }
    for _ in 0..10 {
        let e = authenticate(&app.db, "13800000002", "guess-guess", attacker).await.expect_err("blocked");
        assert_eq!(e.code, linli_app::shared::ErrorCode::TooManyAttempts);
    }
    // …and those ten refused tries did not count against 李先生's number.
    let elsewhere = LoginFrom { ip: Some("198.51.100.4".parse().expect("ip")), device: None };
    let ok = authenticate(&app.db, "13800000002", linli_server::demo::DEMO_PASSWORD, elsewhere).await.expect("not locked");
    assert_eq!(ok.me.phone, "13800000002");
}

#[tokio::test]
async fn sign_ups_are_throttled_per_client_and_an_ipv6_64_counts_as_one() {
    use linli_app::accounts::service::register;
    let app = spawn_app().await;
    for i in 0..20u16 {
        let ip = format!("2408:8207:1234:5678::{:x}", i + 1).parse().expect("ip");
        register(&app.db, &format!("1370000{i:04}"), "sesame-oil-8", "邻居", Some(ip)).await.expect("sign-up");
    }
    let same_64 = "2408:8207:1234:5678:abcd::1".parse().expect("ip");
    let e = register(&app.db, "13700009999", "sesame-oil-8", "邻居", Some(same_64)).await.expect_err("throttled");
    assert_eq!(e.code, linli_app::shared::ErrorCode::TooManyAttempts);
    let other_64 = "2408:8207:1234:5679::1".parse().expect("ip");
    register(&app.db, "13700009999", "sesame-oil-8", "邻居", Some(other_64)).await.expect("another household");
    // A taken number is refused as taken (after the same work as a new account).
    let e = register(&app.db, "13700009999", "sesame-oil-8", "邻居", Some("198.51.100.7".parse().expect("ip"))).await.expect_err("taken");
    assert_eq!(e.code, linli_app::shared::ErrorCode::PhoneTaken);
}

#[tokio::test]
async fn a_session_in_use_stays_alive_and_a_request_in_flight_cannot_bring_back_a_logged_out_one() {
    use tower_sessions::session::Id;
    use tower_sessions::SessionStore;
    let app = spawn_app_with_demo().await;
    let r = app.api.post(app.url("/api/v1/auth/login")).json(&login_body("13800000001", linli_server::demo::DEMO_PASSWORD)).send().await.expect("login");
    let sid = session_cookie(&r).expect("cookie");
    let store = linli_app::server::sessions_store::DbSessionStore::new(app.db.pool.clone());
    let id: Id = sid.parse().expect("session id");
    // As if the login was two hours ago and the idle expiry is a day away.
    let mut record = store.load(&id).await.expect("load").expect("record");
    let two_hours_ago = linli_app::shared::time::now_ms() - 2 * 3_600_000;
    record.data.insert("seen_at".into(), json!(two_hours_ago));
    record.expiry_date = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    store.save(&record).await.expect("save");
    // One more request: the session is written again with a fresh 14-day idle expiry.
    assert_eq!(app.api.get(app.url("/api/v1/me")).send().await.expect("me").status().as_u16(), 200);
    let (expiry,): (i64,) = sqlx::query_as("select expiry_ms from sessions where id = $1").bind(&sid).fetch_one(&app.db.pool).await.expect("expiry");
    let days_left = (expiry - linli_app::shared::time::now_ms()) / 86_400_000;
    assert_eq!(days_left, 13, "idle expiry moved to two weeks from now");

    // Logged out; a request that was still in flight then saves its copy: nothing comes back.
    let stale = store.load(&id).await.expect("load").expect("record");
    assert_eq!(app.api.post(app.url("/api/v1/auth/logout")).send().await.expect("logout").status().as_u16(), 204);
    store.save(&stale).await.expect("save after logout");
    let (n,): (i64,) = sqlx::query_as("select count(*) from sessions where id = $1").bind(&sid).fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(n, 0);
    let again = reqwest::Client::new().get(app.url("/api/v1/me")).header("cookie", format!("linli_sid={sid}")).send().await.expect("me");
    assert_eq!(again.status().as_u16(), 401);
}

async fn id_of(app: &TestApp, phone: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from users where phone = $1").bind(phone).fetch_one(&app.db.pool).await.expect("user");
    id
}

async fn issue_reset(app: &TestApp, staff: &reqwest::Client, user: i64, store: i64) -> (u16, serde_json::Value) {
    post(staff, app, &format!("/api/v1/staff/customers/{user}/password-reset"), &json!({ "store_id": store })).await
}

async fn reset(app: &TestApp, phone: &str, code: &str, password: &str) -> (reqwest::Client, u16, serde_json::Value) {
    let c = client();
    let (status, body) = post(&c, app, "/api/v1/auth/password-reset", &json!({ "phone": phone, "code": code, "password": password })).await;
    (c, status, body)
}

fn other_than(code: &str) -> &'static str {
    if code == "00000000" { "11111111" } else { "00000000" }
}

#[tokio::test]
async fn a_locked_out_resident_gets_back_in_with_a_counter_code_once_and_other_phones_are_signed_out() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let wang = id_of(&app, "13800000001").await;
    let other_phone = logged_in(&app, "13800000001").await;
    assert_eq!(get(&other_phone, &app, "/api/v1/me").await.0, 200);
    // Someone guesses her password until the number is locked.
    for _ in 0..6 {
        let _ = client().post(app.url("/api/v1/auth/login")).json(&json!({"phone": "13800000001", "password": "wrong-guess-1"})).send().await.expect("login");
    }
    let clerk = logged_in(&app, "13900000021").await;
    let (status, body) = issue_reset(&app, &clerk, wang, store).await;
    assert_eq!(status, 201, "{body}");
    let code = body["code"].as_str().expect("code").to_string();
    assert_eq!(code.len(), 8);
    assert!(body["expires_at"].is_string());

    // Everything wrong at once is said at once, and changes nothing.
    let (_, status, body) = reset(&app, "1380", "12", "short").await;
    assert_eq!((status, error_code(&body)), (422, "invalid_phone"));
    assert_eq!(body["error"]["details"]["fields"].as_array().map(Vec::len), Some(3), "{body}");
    // A wrong code, and an unknown number, read the same.
    let (_, status, body) = reset(&app, "13800000001", other_than(&code), "new-password-9").await;
    assert_eq!((status, error_code(&body)), (422, "reset_code_invalid"));
    let (_, status, body) = reset(&app, "13800009999", &code, "new-password-9").await;
    assert_eq!((status, error_code(&body)), (422, "reset_code_invalid"));

    // The right code (typed with a space) sets the password and signs her in here…
    let spaced = format!("{} {}", &code[..4], &code[4..]);
    let (here, status, body) = reset(&app, "13800000001", &spaced, "new-password-9").await;
    assert_eq!(status, 200, "{body}");
    let (status, me) = get(&here, &app, "/api/v1/me").await;
    assert_eq!((status, me["id"].as_i64()), (200, Some(wang)));
    // …and nowhere else.
    assert_eq!(get(&other_phone, &app, "/api/v1/me").await.0, 401);
    // Once only.
    let (_, status, _) = reset(&app, "13800000001", &code, "another-pass-9").await;
    assert_eq!(status, 422);
    // The lock is lifted: the new password works, the old one no longer does.
    let ok = client().post(app.url("/api/v1/auth/login")).json(&json!({"phone": "13800000001", "password": "new-password-9"})).send().await.expect("login");
    assert_eq!(ok.status().as_u16(), 200);
    let old = client().post(app.url("/api/v1/auth/login")).json(&json!({"phone": "13800000001", "password": linli_server::demo::DEMO_PASSWORD})).send().await.expect("login");
    assert_eq!(old.status().as_u16(), 401);
    // The audit: who issued it, where, and that it was used.
    let clerk_id = id_of(&app, "13900000021").await;
    let used = count(&app, &format!("select count(*) from password_resets where user_id = {wang} and issued_by = {clerk_id} and store_id = {store} and used_at_ms is not null")).await;
    assert_eq!(used, 1);
}

#[tokio::test]
async fn a_reset_code_dies_after_five_wrong_tries_a_newer_one_voids_it_and_only_the_owner_resets_staff() {
    let app = spawn_app_with_demo().await;
    let store = first_store(&app).await;
    let li = id_of(&app, "13800000002").await;
    let clerk = logged_in(&app, "13900000021").await;
    let (_, body) = issue_reset(&app, &clerk, li, store).await;
    let code = body["code"].as_str().expect("code").to_string();
    for _ in 0..5 {
        assert_eq!(reset(&app, "13800000002", other_than(&code), "new-password-9").await.1, 422);
    }
    assert_eq!(reset(&app, "13800000002", &code, "new-password-9").await.1, 422, "tried out");

    let (_, first) = issue_reset(&app, &clerk, li, store).await;
    let (_, second) = issue_reset(&app, &clerk, li, store).await;
    let (first, second) = (first["code"].as_str().expect("code").to_string(), second["code"].as_str().expect("code").to_string());
    if first != second {
        assert_eq!(reset(&app, "13800000002", &first, "new-password-9").await.1, 422, "voided by the newer code");
    }
    assert_eq!(reset(&app, "13800000002", &second, "new-password-9").await.1, 200);

    // A clerk cannot take over a manager's account, nor a resident reset anyone; the owner can.
    let manager = id_of(&app, "13900000011").await;
    assert_eq!(issue_reset(&app, &clerk, manager, store).await.0, 403);
    let resident = logged_in(&app, "13800000003").await;
    assert_eq!(issue_reset(&app, &resident, li, store).await.0, 403);
    let owner = logged_in(&app, "13900000000").await;
    assert_eq!(issue_reset(&app, &owner, manager, store).await.0, 201);
    assert_eq!(issue_reset(&app, &owner, 99_999, store).await.0, 404);
}
