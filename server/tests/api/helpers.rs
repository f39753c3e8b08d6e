use linli_app::server::Db;
use linli_server::{Application, Config, Limits};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
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
    spawn_app_limited(run_jobs, Limits::default()).await
}

/// `spawn_app_with`, under other limits (a test of the limits themselves).
pub async fn spawn_app_limited(run_jobs: bool, limits: Limits) -> TestApp {
    sqlx::any::install_default_drivers();
    // LINLI_TEST_LOG=error (or any filter) shows the app's logs, e.g. the cause of a 500.
    if let Ok(filter) = std::env::var("LINLI_TEST_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
    }
    let (database_url, guard) = empty_database(backend_name() == "postgres").await;
    let config = Config {
        database_url: database_url.clone(),
        addr: "127.0.0.1:0".parse().expect("addr"),
        site_root: "target/site".into(),
        leptos_env_prod: false,
        secure_cookies: false,
        trust_proxy: false,
        max_db_connections: 8,
        public_url: None,
        run_jobs,
        limits,
    };
    let app = Application::build(config).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let db = Db::connect(&database_url, 4).await.expect("test db handle");
    TestApp { address, db, api: client(), database_url, _guard: guard }
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
