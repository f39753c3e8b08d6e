use linli_app::server::Db;
use linli_server::{Application, Config, Limits};
use reqwest::header::{HeaderMap, HeaderValue};
use linli_app::shared::time::{iso_date, local_input, local_time, now_ms};
use serde_json::{json, Value};
use std::time::Duration;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct TestApp {
    pub address: String,
    pub db: Db,
    /// A client with a cookie store that sends the API's CSRF header.
    pub api: reqwest::Client,
    pub database_url: String,
    _guard: DbGuard,
}

/// Drops the test's PostgreSQL database (or deletes the SQLite file) however the test ends.
struct DbGuard {
    pg: Option<(String, String)>,
    sqlite_dir: Option<std::path::PathBuf>,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    sqlx::any::install_default_drivers();
                    if let Ok(pool) = sqlx::AnyPool::connect(&admin_url).await {
                        let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&pool).await;
                    }
                });
            })
            .join();
        }
        if let Some(dir) = self.sqlite_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("linli_test_{}_{}_{}", std::process::id(), nanos % 1_000_000_000, COUNTER.fetch_add(1, Ordering::Relaxed))
}

pub fn backend_name() -> &'static str {
    if std::env::var("LINLI_TEST_PG_URL").is_ok_and(|v| !v.is_empty()) { "postgres" } else { "sqlite" }
}

pub fn client() -> reqwest::Client {
    let mut h = HeaderMap::new();
    h.insert("x-requested-with", HeaderValue::from_static("linli"));
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(h)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Starts the app on a free port with an empty, migrated database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(true).await
}

/// `spawn_app`, with or without the deadline and housekeeping jobs (a test that runs them in a
/// process of its own keeps this one's out of the way).
pub async fn spawn_app_with(run_jobs: bool) -> TestApp {
    // CI runs ~120 of these apps at once, debug-built, on two cores: /admin/orders, which a
    // debug build renders in 10–30 ms alone, once overran the 20 s production budget there and
    // came back 503. The budget's
    // own behaviour is tested in limits.rs with short limits; everywhere else it is roomy.
    spawn_app_limited(run_jobs, Limits { request: std::time::Duration::from_secs(90), ..Limits::default() }).await
}

/// `spawn_app_with`, under other limits (a test of the limits themselves).
pub async fn spawn_app_limited(run_jobs: bool, limits: Limits) -> TestApp {
    sqlx::any::install_default_drivers();
    // LINLI_TEST_LOG=error (or any filter) shows the app's logs, e.g. the cause of a 500.
    if let Ok(filter) = std::env::var("LINLI_TEST_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    }
    let (database_url, guard) = empty_database(backend_name() == "postgres").await;
    let app = Application::build(config(&database_url, run_jobs, limits)).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let db = Db::connect(&database_url, 4).await.expect("test db handle");
    TestApp { address, db, api: client(), database_url, _guard: guard }
}

/// An app on `database_url`, on a free port of this machine.
fn config(database_url: &str, run_jobs: bool, limits: Limits) -> Config {
    Config {
        database_url: database_url.to_string(),
        addr: "127.0.0.1:0".parse().expect("addr"),
        site_root: "target/site".into(),
        leptos_env_prod: false,
        secure_cookies: false,
        trust_proxy: false,
        max_db_connections: 8,
        public_url: None,
        run_jobs,
        limits,
    }
}

/// A second instance of `app` on the same database (as a chain runs several behind a load
/// balancer); the database stays `app`'s to drop.
pub async fn spawn_instance_of(app: &TestApp) -> TestApp {
    let limits = Limits { request: std::time::Duration::from_secs(90), ..Limits::default() };
    let instance = Application::build(config(&app.database_url, false, limits)).await.expect("second instance builds");
    let address = format!("http://127.0.0.1:{}", instance.port());
    tokio::spawn(instance.run_until_stopped());
    let db = Db::connect(&app.database_url, 2).await.expect("test db handle");
    TestApp { address, db, api: client(), database_url: app.database_url.clone(), _guard: DbGuard { pg: None, sqlite_dir: None } }
}

/// A new empty database of the test's own (not migrated): on LINLI_TEST_PG_URL's server when
/// `postgres`, else a SQLite file; dropped however the test ends.
async fn empty_database(postgres: bool) -> (String, DbGuard) {
    let name = unique_name();
    match std::env::var("LINLI_TEST_PG_URL").ok().filter(|v| !v.is_empty() && postgres) {
        Some(admin) => {
            let admin = admin.trim_end_matches('/').to_string();
            let admin_db = format!("{admin}/postgres");
            let pool = sqlx::AnyPool::connect(&admin_db).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("create database {name}")).execute(&pool).await.expect("create test database");
            pool.close().await;
            (format!("{admin}/{name}"), DbGuard { pg: Some((admin_db, name)), sqlite_dir: None })
        }
        None => {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).expect("temp dir");
            (format!("sqlite://{}/linli.db", dir.display()), DbGuard { pg: None, sqlite_dir: Some(dir) })
        }
    }
}

/// A database without an app, for tests of the database itself.
pub struct ScratchDb {
    pub db: Db,
    _guard: DbGuard,
}

/// `empty_database`, connected.
pub async fn scratch_database(postgres: bool) -> ScratchDb {
    sqlx::any::install_default_drivers();
    let (url, guard) = empty_database(postgres).await;
    ScratchDb { db: Db::connect(&url, 2).await.expect("connect"), _guard: guard }
}

/// `spawn_app` with the demo chain loaded.
pub async fn spawn_app_with_demo() -> TestApp {
    spawn_demo_limited(Limits::default()).await
}

/// `spawn_app_with_demo` under other limits.
pub async fn spawn_demo_limited(limits: Limits) -> TestApp {
    let app = spawn_app_limited(true, limits).await;
    assert!(linli_server::demo::seed(&app.db).await.expect("seed"));
    app
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let r = self.api.get(self.url(path)).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.api.post(self.url(path)).json(body).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Logs this app's client in (demo password).
    pub async fn login_as(&self, phone: &str) -> Value {
        let (status, body) =
            self.post_json("/api/v1/auth/login", &serde_json::json!({"phone": phone, "password": linli_server::demo::DEMO_PASSWORD})).await;
        assert_eq!(status, 200, "login {phone}: {body}");
        body
    }

    pub async fn register(&self, phone: &str, password: &str, name: &str) -> (u16, Value) {
        self.post_json("/api/v1/auth/register", &serde_json::json!({"phone": phone, "password": password, "name": name})).await
    }
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

// ---- Stores, stock, money and orders ----

/// The first demo store (文三路店: 立减¥3 for pickup, delivers 3 km, ¥29 minimum).
pub async fn first_store(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from stores order by id limit 1").fetch_one(&app.db.pool).await.expect("store");
    id
}

/// A product at the store with plenty of stock: (id, price).
pub async fn stocked_product(app: &TestApp, store_id: i64) -> (i64, i64) {
    sqlx::query_as(
        "select p.id, p.price_fen from products p join stock s on s.product_id = p.id and s.store_id = $1
         where s.on_hand - s.reserved >= 10 order by p.id limit 1",
    )
    .bind(store_id)
    .fetch_one(&app.db.pool)
    .await
    .expect("a stocked product")
}

pub async fn set_stock(app: &TestApp, store_id: i64, product_id: i64, on_hand: i64) {
    sqlx::query("update stock set on_hand = $3, reserved = 0 where store_id = $1 and product_id = $2")
        .bind(store_id)
        .bind(product_id)
        .bind(on_hand)
        .execute(&app.db.pool)
        .await
        .expect("set stock");
}

/// (on_hand, reserved) of a product at a store.
pub async fn stock(app: &TestApp, store_id: i64, product_id: i64) -> (i64, i64) {
    sqlx::query_as("select on_hand, reserved from stock where store_id = $1 and product_id = $2")
        .bind(store_id)
        .bind(product_id)
        .fetch_one(&app.db.pool)
        .await
        .expect("stock")
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.db.pool).await.expect("count");
    n
}

pub async fn wallet(app: &TestApp, phone: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select wallet_fen from users where phone = $1").bind(phone).fetch_one(&app.db.pool).await.expect("wallet");
    n
}

pub fn tomorrow() -> String {
    iso_date(local_time(now_ms()).day + 1)
}

pub fn pickup_order(store_id: i64, product_id: i64, qty: i64, payment: &str) -> Value {
    json!({
        "store_id": store_id,
        "items": [{"product_id": product_id, "qty": qty}],
        "fulfillment": {"type": "pickup", "pickup_date": tomorrow(), "window": "17:00-18:00"},
        "payment": payment,
        "note": "切块，不要香菜"
    })
}

pub async fn place(c: &reqwest::Client, app: &TestApp, key: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url("/api/v1/orders")).header("idempotency-key", key).json(body).send().await.expect("post order");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub async fn logged_in(app: &TestApp, phone: &str) -> reqwest::Client {
    login_at(app.url(""), phone.to_string()).await
}

pub async fn login_at(base: String, phone: String) -> reqwest::Client {
    let c = client();
    let r = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"phone": phone, "password": linli_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200, "login {phone}");
    c
}

// ---- Plain HTTP calls with any client, and event streams ----

pub async fn second_store(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("select id from stores order by id limit 1 offset 1").fetch_one(&app.db.pool).await.expect("store");
    id
}

pub async fn post(c: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(body).send().await.expect("post");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Reads the next server-sent event (name, data) within `limit`.
pub async fn next_event(res: &mut reqwest::Response, buf: &mut String, limit: Duration) -> Option<(String, Value)> {
    next_event_with_id(res, buf, limit).await.map(|(_, name, data)| (name, data))
}

/// Reads the next server-sent event (its id if it has one, name, data) within `limit`.
pub async fn next_event_with_id(res: &mut reqwest::Response, buf: &mut String, limit: Duration) -> Option<(Option<i64>, String, Value)> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let field = |f: &str| block.lines().find_map(|l| l.strip_prefix(f)).map(|s| s.trim().to_string());
            let id = field("id:").and_then(|id| id.parse().ok());
            match (field("event:"), field("data:")) {
                (Some(name), Some(data)) => return Some((id, name, serde_json::from_str(&data).unwrap_or(Value::Null))),
                _ => continue, // a keep-alive comment
            }
        }
        let chunk = tokio::time::timeout_at(deadline, res.chunk()).await.ok()?.ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

pub async fn put(c: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let r = c.put(app.url(path)).json(body).send().await.expect("put");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

// ---- The till and the stock ledger ----

pub async fn sell(c: &reqwest::Client, app: &TestApp, store: i64, key: &str, body: &Value) -> (u16, Value) {
    let r = c.post(app.url(&format!("/api/v1/staff/stores/{store}/counter-sales"))).header("idempotency-key", key).json(body).send().await.expect("sell");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Every ledger row follows from the one before, and the last one is the shelf.
pub async fn assert_ledger_balances(app: &TestApp, store: i64, product: i64) {
    let rows = ledger(app, store, product).await;
    let mut running = 0;
    for (delta, after, reason) in &rows {
        running += delta;
        assert_eq!(running, *after, "{reason} {delta} should leave {running}: {rows:?}");
    }
    assert_eq!(stock(app, store, product).await.0, running, "the ledger sums to on hand: {rows:?}");
}

/// `n` new households (the demo resident's password), each with `wallet_fen` booked as a
/// top-up in the ledger, logged in ten at a time.
pub async fn households(app: &TestApp, n: usize, prefix: &str, wallet_fen: i64) -> Vec<(i64, reqwest::Client)> {
    for i in 0..n {
        let phone = format!("{prefix}{i:05}");
        sqlx::query(
            "insert into users (phone, name, password_hash, wallet_fen, created_at_ms)
             select $1, $2, password_hash, $3, 0 from users where phone = '13800000001'",
        )
        .bind(&phone)
        .bind(format!("邻居{i}"))
        .bind(wallet_fen)
        .execute(&app.db.pool)
        .await
        .expect("household");
        if wallet_fen > 0 {
            sqlx::query(
                "insert into wallet_entries (user_id, amount_fen, balance_after_fen, kind, created_at_ms)
                 select id, $2, $2, 'top_up', 0 from users where phone = $1",
            )
            .bind(&phone)
            .bind(wallet_fen)
            .execute(&app.db.pool)
            .await
            .expect("top-up");
        }
    }
    let mut out = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let logins: Vec<_> = chunk
            .iter()
            .map(|i| {
                let (base, phone) = (app.url(""), format!("{prefix}{i:05}"));
                tokio::spawn(async move {
                    let c = login_at(base.clone(), phone).await;
                    let me: Value = c.get(format!("{base}/api/v1/me")).send().await.expect("me").json().await.expect("me json");
                    (me["id"].as_i64().expect("id"), c)
                })
            })
            .collect();
        for l in logins {
            out.push(l.await.expect("login task"));
        }
    }
    out
}

/// `n` units of a product arrive at the store (进货, with its ledger row).
pub async fn receive(app: &TestApp, store_id: i64, product_id: i64, n: i64) {
    let mut conn = app.db.pool.acquire().await.expect("conn");
    let m = linli_app::inventory::Move { store_id, product_id, delta: n, reason: linli_app::inventory::model::StockReason::Receive, note: "", by_user_id: None, order_id: None, sale_id: None };
    linli_app::inventory::apply(&mut conn, &m).await.expect("receive").expect("received");
}

// ---- Group buys ----

pub async fn group_buy_product(app: &TestApp) -> (i64, i64) {
    sqlx::query_as("select id, price_fen from products where active = $1 and price_fen > 100 order by id limit 1")
        .bind(true)
        .fetch_one(&app.db.pool)
        .await
        .expect("product")
}

/// A campaign at the first store: opens now, closes in a day.
pub fn campaign(store: i64, product: i64, price: i64, min: i64, cap: Option<i64>, limit: i64) -> Value {
    let deadline = now_ms() + 86_400_000;
    json!({
        "store_id": store, "product_id": product, "price_fen": price, "min_households": min,
        "max_units": cap, "per_household_limit": limit,
        "deadline": local_input(deadline),
        "pickup_date": iso_date(local_time(deadline).day + 1),
        "title": "赣南脐橙产地直发", "story": "果园直采，这一批糖度13以上"
    })
}

/// Creates a campaign as the first store's manager; it opens at once.
pub async fn create_group_buy(app: &TestApp, body: &Value) -> i64 {
    let manager = logged_in(app, "13900000011").await;
    let (status, g) = post(&manager, app, "/api/v1/group-buys", body).await;
    assert_eq!(status, 201, "{g}");
    assert_eq!(g["status"], "open");
    g["id"].as_i64().expect("id")
}

// ---- Orders along their way (the queue, the desk, riders) ----

/// Moves an order as staff (`POST /staff/orders/{id}/transition`).
pub async fn to(c: &reqwest::Client, app: &TestApp, order: i64, status: &str) -> (u16, Value) {
    post(c, app, &format!("/api/v1/staff/orders/{order}/transition"), &json!({ "to": status })).await
}

/// A placed wallet-paid pickup order for tomorrow: (order id, product, qty, code).
pub async fn placed_order(app: &TestApp, resident: &reqwest::Client, key: &str) -> (i64, i64, i64, String) {
    let store = first_store(app).await;
    let (product, _) = stocked_product(app, store).await;
    let (status, order) = place(resident, app, key, &pickup_order(store, product, 2, "wallet")).await;
    assert_eq!(status, 201, "{order}");
    (order["id"].as_i64().expect("id"), product, 2, order["pickup_code"].as_str().expect("code").to_string())
}

/// An order's status as stored.
pub async fn status_of(app: &TestApp, order: i64) -> String {
    let (s,): (String,) = sqlx::query_as("select status from orders where id = $1").bind(order).fetch_one(&app.db.pool).await.expect("status");
    s
}

/// An order of the resident's, taken to ready by the store.
pub async fn ready_order(app: &TestApp, resident: &reqwest::Client, staff: &reqwest::Client, key: &str) -> (i64, String) {
    let (order, _, _, code) = placed_order(app, resident, key).await;
    for step in ["accepted", "picking", "ready"] {
        assert_eq!(to(staff, app, order, step).await.0, 200, "{step}");
    }
    (order, code)
}

/// The ledger of a product at a store, oldest first: (delta, on_hand_after, reason).
pub async fn ledger(app: &TestApp, store: i64, product: i64) -> Vec<(i64, i64, String)> {
    sqlx::query_as("select delta, on_hand_after, reason from stock_movements where store_id = $1 and product_id = $2 order by id")
        .bind(store)
        .bind(product)
        .fetch_all(&app.db.pool)
        .await
        .expect("ledger")
}

// ---- Other instances: the real binary in its own process ----

/// Starts `linli serve` on the test's database on a free port, with one-second job leases and
/// `env` on top; returns the process and its address (it may still be starting: see
/// [`wait_ready`]).
pub fn start_instance(app: &TestApp, env: &[(&str, &str)]) -> (std::process::Child, String) {
    // A port free now; the child binds it a moment later.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    start_instance_at(app, port, env)
}

/// [`start_instance`] on a given port (an instance restarted where it was).
pub fn start_instance_at(app: &TestApp, port: u16, env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_linli"));
    cmd.arg("serve")
        .env("DATABASE_URL", &app.database_url)
        .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
        .env("LINLI_JOB_LEASE_MS", "1000")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    (cmd.spawn().expect("start linli"), format!("http://127.0.0.1:{port}"))
}

/// Waits (up to half a minute) until the instance at `base` answers `/readyz` with 200.
pub async fn wait_ready(base: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(std::time::Instant::now() < deadline, "{base} never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

