//! Housekeeping that runs in every instance. Each pass is idempotent, so several instances
//! (PostgreSQL scale-out) running it at once is harmless.
use linli_app::server::sessions_store::DbSessionStore;
use linli_app::server::Db;
use std::time::Duration;

/// How often the deadline job looks: `LINLI_DEADLINE_TICK_MS` (tests shorten it), else 10 s.
fn deadline_tick() -> Duration {
    std::env::var("LINLI_DEADLINE_TICK_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms >= 10).map_or(Duration::from_secs(10), Duration::from_millis)
}

/// Deadlines kept by the database: group buys whose deadline has passed are decided and their
/// joins confirmed or refunded; ready pickup orders whose window plus the grace period has
/// passed become no-shows. Every deadline is read from the database each time, so a restart or
/// a kill -9 loses nothing.
pub fn spawn_deadlines(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(deadline_tick());
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // A failing item is logged with its id and counted by the services themselves;
            // here only a pass that could not even list its work is reported.
            match linli_app::group_buy::service::resolve_due(&db).await {
                Ok(r) if r.decided + r.orders > 0 => tracing::info!(decided = r.decided, orders = r.orders, failed = r.failed.len(), "group buys resolved"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "group buy resolution failed"),
            }
            match linli_app::orders::flow::sweep_no_shows(&db).await {
                Ok(r) if r.moved > 0 => tracing::info!(orders = r.moved, failed = r.failed.len(), "pickup orders marked no-show"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "no-show sweep failed"),
            }
            match linli_app::live::service::end_overdue(&db).await {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "overdue live sessions ended"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "ending overdue live sessions failed"),
            }
            match linli_app::community::service::tell_news(&db).await {
                Ok(n) if n > 0 => tracing::info!(notified = n, "group members told of live sessions and group buys"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "telling the groups' news failed"),
            }
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

/// The insights' daily rollups (analytics::service::settle_due): every `LINLI_INSIGHTS_TICK_MS`
/// (tests shorten it), else a minute, each pass counting at most a few months of store-days so
/// a newly imported history is worked through without holding the database.
pub fn spawn_insights(db: Db) {
    let tick_ms = std::env::var("LINLI_INSIGHTS_TICK_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms >= 10).unwrap_or(60_000);
    tokio::spawn(async move {
        // The first pass a tick after start: a starting instance has more urgent work.
        let period = Duration::from_millis(tick_ms);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match linli_app::analytics::service::settle_due(&db, 93).await {
                Ok(r) if r.days + r.pair_stores > 0 => tracing::debug!(days = r.days, pair_stores = r.pair_stores, "insight rollups written"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "insight rollups failed"),
            }
        }
    });
}

pub fn spawn_housekeeping(db: Db, sessions: DbSessionStore) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = sessions.delete_expired().await {
                tracing::warn!(error = %e, "expired session cleanup failed");
            }
            if let Err(e) = linli_app::accounts::service::purge_old_devices(&db).await {
                tracing::warn!(error = ?e, "old login device purge failed");
            }
            if let Err(e) = linli_app::accounts::service::purge_old_failures(&db).await {
                tracing::warn!(error = ?e, "auth failure purge failed");
            }
            if let Err(e) = linli_app::server::idempotency::purge_old(&db.pool).await {
                tracing::warn!(error = ?e, "idempotency key purge failed");
            }
            if let Err(e) = linli_app::wallet::service::purge_old_pay_codes(&db).await {
                tracing::warn!(error = ?e, "expired pay code purge failed");
            }
            if let Err(e) = linli_app::cart::service::purge_stale(&db).await {
                tracing::warn!(error = ?e, "stale cart purge failed");
            }
        }
    });
}
