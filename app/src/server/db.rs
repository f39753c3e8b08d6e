//! One pool type for both backends; the URL scheme decides which.
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::borrow::Cow;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The database's change feed for event streams (PostgreSQL NOTIFY, or in-process on SQLite).
    pub events: super::events::Hub,
}

/// Migrations are compiled into the binary, so `linli` needs no files beside it.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../../../migrations/sqlite/0001_foundation.sql")),
    (2, "wallet ledger", include_str!("../../../migrations/sqlite/0002_wallet_ledger.sql")),
    (3, "idempotency", include_str!("../../../migrations/sqlite/0003_idempotency.sql")),
    (4, "orders", include_str!("../../../migrations/sqlite/0004_orders.sql")),
    (5, "bundles", include_str!("../../../migrations/sqlite/0005_bundles.sql")),
    (6, "order_flow", include_str!("../../../migrations/sqlite/0006_order_flow.sql")),
    (7, "lbs_routing", include_str!("../../../migrations/sqlite/0007_lbs_routing.sql")),
    (8, "group_buys", include_str!("../../../migrations/sqlite/0008_group_buys.sql")),
    (9, "inventory", include_str!("../../../migrations/sqlite/0009_inventory.sql")),
    (10, "wallet_reversals", include_str!("../../../migrations/sqlite/0010_wallet_reversals.sql")),
    (11, "catalog_admin", include_str!("../../../migrations/sqlite/0011_catalog_admin.sql")),
    (12, "store_prices", include_str!("../../../migrations/sqlite/0012_store_prices.sql")),
    (13, "staff_invites", include_str!("../../../migrations/sqlite/0013_staff_invites.sql")),
    (14, "markdowns", include_str!("../../../migrations/sqlite/0014_markdowns.sql")),
    (15, "job retries", include_str!("../../../migrations/sqlite/0015_job_retries.sql")),
    (16, "pay codes", include_str!("../../../migrations/sqlite/0016_pay_codes.sql")),
    (17, "pickup proof", include_str!("../../../migrations/sqlite/0017_pickup_proof.sql")),
    (18, "login devices", include_str!("../../../migrations/sqlite/0018_login_devices.sql")),
    (19, "product versions", include_str!("../../../migrations/sqlite/0019_product_versions.sql")),
    (20, "till refunds", include_str!("../../../migrations/sqlite/0020_till_refunds.sql")),
    (21, "group buy stock", include_str!("../../../migrations/sqlite/0021_group_buy_stock.sql")),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../../../migrations/postgres/0001_foundation.sql")),
    (2, "wallet ledger", include_str!("../../../migrations/postgres/0002_wallet_ledger.sql")),
    (3, "idempotency", include_str!("../../../migrations/postgres/0003_idempotency.sql")),
    (4, "orders", include_str!("../../../migrations/postgres/0004_orders.sql")),
    (5, "bundles", include_str!("../../../migrations/postgres/0005_bundles.sql")),
    (6, "order_flow", include_str!("../../../migrations/postgres/0006_order_flow.sql")),
    (7, "lbs_routing", include_str!("../../../migrations/postgres/0007_lbs_routing.sql")),
    (8, "group_buys", include_str!("../../../migrations/postgres/0008_group_buys.sql")),
    (9, "inventory", include_str!("../../../migrations/postgres/0009_inventory.sql")),
    (10, "wallet_reversals", include_str!("../../../migrations/postgres/0010_wallet_reversals.sql")),
    (11, "catalog_admin", include_str!("../../../migrations/postgres/0011_catalog_admin.sql")),
    (12, "store_prices", include_str!("../../../migrations/postgres/0012_store_prices.sql")),
    (13, "staff_invites", include_str!("../../../migrations/postgres/0013_staff_invites.sql")),
    (14, "markdowns", include_str!("../../../migrations/postgres/0014_markdowns.sql")),
    (15, "job retries", include_str!("../../../migrations/postgres/0015_job_retries.sql")),
    (16, "pay codes", include_str!("../../../migrations/postgres/0016_pay_codes.sql")),
    (17, "pickup proof", include_str!("../../../migrations/postgres/0017_pickup_proof.sql")),
    (18, "login devices", include_str!("../../../migrations/postgres/0018_login_devices.sql")),
    (19, "product versions", include_str!("../../../migrations/postgres/0019_product_versions.sql")),
    (20, "till refunds", include_str!("../../../migrations/postgres/0020_till_refunds.sql")),
    (21, "group buy stock", include_str!("../../../migrations/postgres/0021_group_buy_stock.sql")),
];

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) on first run.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or_else(|| sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres:".into()))?;
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_file(url)?,
            Backend::Postgres => url.to_string(),
        };
        let mut opts = AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            opts = opts.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside the one writer; busy_timeout makes a writer
                    // wait its turn instead of failing; foreign keys are off by default in SQLite.
                    conn.execute("pragma journal_mode = wal").await?;
                    conn.execute("pragma synchronous = normal").await?;
                    conn.execute("pragma foreign_keys = on").await?;
                    conn.execute("pragma busy_timeout = 5000").await?;
                    Ok(())
                })
            });
        }
        let pool = opts.connect(&url).await?;
        Ok(Db { pool, backend, events: super::events::Hub::new(backend, &url) })
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front
    /// (BEGIN IMMEDIATE): a deferred transaction that reads and then writes can fail with
    /// SQLITE_BUSY halfway, which busy_timeout cannot fix.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        let list = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        let migrations = list
            .iter()
            .map(|(v, d, sql)| Migration::new(*v, Cow::Borrowed(*d), MigrationType::Simple, Cow::Borrowed(*sql), false))
            .collect::<Vec<_>>();
        // The fields are sqlx's documented way for `migrate!()` to build a Migrator; sqlx is
        // pinned by Cargo.lock, and this keeps the proc-macro (and a second SQLite build) out.
        let migrator = Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT };
        migrator.run(&self.pool).await
    }

    /// Answers once the database does: the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("select 1").execute(&self.pool).await.map(|_| ())
    }
}

/// `sqlite://data/linli.db` → makes sure `data/` exists and asks SQLite to create the file.
fn sqlite_url_creating_file(url: &str) -> Result<String, sqlx::Error> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_string());
    }
    if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
    }
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !params.iter().any(|p| p.starts_with("mode=")) {
        params.push("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{}", params.join("&")))
}

/// `$first, $first+1, …` for an `in (…)` list of `n` values (both backends read `$n`).
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// A search term for `like … escape '\\'`: its own %, _ and \\ match themselves.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
