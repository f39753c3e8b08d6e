//! The scheduled jobs. Every instance runs the loops; each job's pass runs only in the
//! instance holding its lease, so with N instances a deadline is worked through once, and a
//! dead holder's jobs move to another instance within a lease's length.
use linli_app::server::lease::{self, Lease};
use linli_app::server::sessions_store::DbSessionStore;
use linli_app::server::Db;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the deadline job looks: `LINLI_DEADLINE_TICK_MS` (tests shorten it), else 10 s.
fn deadline_tick() -> Duration {
    std::env::var("LINLI_DEADLINE_TICK_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms >= 10).map_or(Duration::from_secs(10), Duration::from_millis)
}

/// The scheduled jobs of this instance, each under its lease (linli_app::server::lease).
pub struct Jobs {
    db: Db,
    leases: Vec<Arc<Lease>>,
    /// Set when the instance drains: no renewal, no new pass.
    stopping: Arc<AtomicBool>,
}

impl Jobs {
    /// Lets every lease this instance holds go, so the others take the jobs over at their next
    /// renewal rather than when the lease runs out (a draining instance, before it exits).
    pub async fn give_up(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        for lease in &self.leases {
            lease.give_up(&self.db).await;
        }
    }
}

/// Starts the scheduled jobs: every instance runs every loop, and a pass runs only where its
/// lease is held. `holder` names this instance (lease::holder_id).
pub fn spawn(db: Db, sessions: DbSessionStore, holder: &str) -> Jobs {
    let ttl = lease::ttl();
    let lease = |job| Arc::new(Lease::new(job, holder, ttl));
    let (deadlines, no_shows, overdue, news, insights, housekeeping) =
        (lease("group_buy.deadlines"), lease("orders.no_show"), lease("live.overdue"), lease("community.news"), lease("insights.rollup"), lease("housekeeping"));
    let stopping = Arc::new(AtomicBool::new(false));
    let leases = vec![deadlines.clone(), no_shows.clone(), overdue.clone(), news.clone(), insights.clone(), housekeeping.clone()];
    let jobs = Jobs { db: db.clone(), leases: leases.clone(), stopping: stopping.clone() };
    spawn_renewals(db.clone(), leases, ttl, stopping.clone());

    // Deadlines kept by the database: group buys whose deadline has passed are decided and
    // their joins confirmed or refunded; ready pickup orders whose window plus the grace period
    // has passed become no-shows; live sessions left running end; the groups hear their
    // news. Every deadline is read from the database each time, so a restart, a kill -9 or a
    // takeover by another instance loses nothing. A failing item is logged with its id and
    // counted by the services themselves; here only a pass that could not even list its work
    // is reported.
    every(&db, deadlines, &stopping, deadline_tick(), Duration::ZERO, |db| async move {
        match linli_app::group_buy::service::resolve_due(&db).await {
            Ok(r) if r.decided + r.orders > 0 => tracing::info!(decided = r.decided, orders = r.orders, failed = r.failed.len(), "group buys resolved"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "group buy resolution failed"),
        }
    });
    every(&db, no_shows, &stopping, deadline_tick(), Duration::ZERO, |db| async move {
        match linli_app::orders::flow::sweep_no_shows(&db).await {
            Ok(r) if r.moved > 0 => tracing::info!(orders = r.moved, failed = r.failed.len(), "pickup orders marked no-show"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "no-show sweep failed"),
        }
    });
    every(&db, overdue, &stopping, deadline_tick(), Duration::ZERO, |db| async move {
        match linli_app::live::service::end_overdue(&db).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "overdue live sessions ended"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "ending overdue live sessions failed"),
        }
    });
    every(&db, news, &stopping, deadline_tick(), Duration::ZERO, |db| async move {
        match linli_app::community::service::tell_news(&db).await {
            Ok(n) if n > 0 => tracing::info!(notified = n, "group members told of live sessions and group buys"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "telling the groups' news failed"),
        }
    });
    // The insights' daily rollups (analytics::service::settle_due), each pass counting at most
    // a few months of store-days so a newly imported history is worked through without holding
    // the database. The first pass a tick after start: a starting instance has more urgent work.
    let insights_tick = insights_tick();
    every(&db, insights, &stopping, insights_tick, insights_tick, |db| async move {
        match linli_app::analytics::service::settle_due(&db, 93).await {
            Ok(r) if r.days + r.pair_stores > 0 => tracing::debug!(days = r.days, pair_stores = r.pair_stores, "insight rollups written"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "insight rollups failed"),
        }
    });
    every(&db, housekeeping, &stopping, Duration::from_secs(600), Duration::ZERO, move |db| {
        let sessions = sessions.clone();
        async move { housekeep(&db, &sessions).await }
    });
    spawn_retry_gauge(db);
    jobs
}

/// Renews (or takes) every lease a third of its length apart, apart from the passes, so a long
/// pass keeps its lease and a dead holder's runs out within `ttl`.
fn spawn_renewals(db: Db, leases: Vec<Arc<Lease>>, ttl: Duration, stopping: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ttl / 3);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            for lease in &leases {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let held = lease.renew(&db).await;
                metrics::gauge!("job_lease_held", "job" => lease.job).set(if held { 1.0 } else { 0.0 });
            }
        }
    });
}

/// Runs `pass` every `period` (the first after `first`) while this instance holds `lease`.
fn every<F, Fut>(db: &Db, lease: Arc<Lease>, stopping: &Arc<AtomicBool>, period: Duration, first: Duration, pass: F)
where
    F: Fn(Db) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (db, stopping) = (db.clone(), stopping.clone());
    tokio::spawn(async move {
        // A job due at start runs at once where it can: take the lease now rather than at the
        // renewals' first round (a renewal by the same holder changes nothing).
        if first.is_zero() {
            lease.renew(&db).await;
        }
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + first, period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            if lease.held() {
                pass(db.clone()).await;
            }
        }
    });
}

/// Items waiting out a backoff, by job, for /metrics: read by every instance (a read, and each
/// instance's /metrics then says the same).
fn spawn_retry_gauge(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(deadline_tick());
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match linli_app::server::retry::waiting(&db).await {
                Ok(waiting) => {
                    for job in linli_app::server::retry::Job::ALL {
                        let n = waiting.iter().find(|(j, _)| j == job.as_str()).map_or(0, |(_, n)| *n);
                        metrics::gauge!("job_items_waiting_retry", "job" => job.as_str()).set(n as f64);
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "job retry count failed"),
            }
        }
    });
}

/// Every instance counts the live rooms' streams it holds (each writes its own number, the
/// rooms show the sum): `LINLI_VIEWERS_TICK_MS` (tests shorten it), else 3 s.
pub fn spawn_viewer_count(db: Db) {
    let tick_ms = std::env::var("LINLI_VIEWERS_TICK_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms >= 10).unwrap_or(3000);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(tick_ms));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last = std::collections::HashMap::new();
        loop {
            tick.tick().await;
            if let Err(e) = linli_app::live::room::count_viewers(&db, &mut last).await {
                tracing::warn!(error = ?e, "live viewer count failed");
            }
        }
    });
}

/// How often the insights' rollups run: `LINLI_INSIGHTS_TICK_MS` (tests shorten it), else a minute.
fn insights_tick() -> Duration {
    std::env::var("LINLI_INSIGHTS_TICK_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms >= 10).map_or(Duration::from_secs(60), Duration::from_millis)
}

/// Expired sessions, old login devices and failures, idempotency keys, pay codes, stale carts,
/// the event log's old entries.
async fn housekeep(db: &Db, sessions: &DbSessionStore) {
    use linli_app::server::events;
    if let Err(e) = events::store::purge(&db.pool, linli_app::shared::time::now_ms() - events::LOG_KEEP_MS).await {
        tracing::warn!(error = ?e, "event log purge failed");
    }
    if let Err(e) = sessions.delete_expired().await {
        tracing::warn!(error = %e, "expired session cleanup failed");
    }
    if let Err(e) = linli_app::accounts::service::purge_old_devices(db).await {
        tracing::warn!(error = ?e, "old login device purge failed");
    }
    if let Err(e) = linli_app::accounts::service::purge_old_failures(db).await {
        tracing::warn!(error = ?e, "auth failure purge failed");
    }
    if let Err(e) = linli_app::server::idempotency::purge_old(&db.pool).await {
        tracing::warn!(error = ?e, "idempotency key purge failed");
    }
    if let Err(e) = linli_app::wallet::service::purge_old_pay_codes(db).await {
        tracing::warn!(error = ?e, "expired pay code purge failed");
    }
    if let Err(e) = linli_app::cart::service::purge_stale(db).await {
        tracing::warn!(error = ?e, "stale cart purge failed");
    }
}
