//! Per-item failure isolation for the deadline jobs. A job walks its due items one
//! transaction each; an item that fails is logged with its id, counted in /metrics
//! (`job_item_failures_total{job}`), remembered in the database with a backoff and skipped
//! until then, while every other item goes on. The record lives in the database, so a
//! restart keeps the backoff and any instance may retry the item.
pub mod store;

use crate::shared::time::now_ms;
use crate::shared::AppError;
use crate::server::Db;
use std::collections::HashSet;

/// The jobs whose items are retried (the `job` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Deciding a due group buy (item: the campaign).
    GroupDecide,
    /// Confirming or refunding one join of a decided campaign (item: the order).
    GroupSettle,
    /// Marking a ready pickup order not collected (item: the order).
    NoShow,
}

impl Job {
    pub const ALL: [Job; 3] = [Job::GroupDecide, Job::GroupSettle, Job::NoShow];

    pub fn as_str(self) -> &'static str {
        match self {
            Job::GroupDecide => "group_buy.decide",
            Job::GroupSettle => "group_buy.settle",
            Job::NoShow => "orders.no_show",
        }
    }
}

/// First wait after a failure; it doubles with each further one.
pub const FIRST_BACKOFF_MS: i64 = 30_000;
/// The longest wait between two tries: an item is never given up, an hour is the most.
pub const MAX_BACKOFF_MS: i64 = 3_600_000;

/// How long to wait after the `attempts`-th failure (1-based): 30 s, 1 min, 2 min, … 1 h.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 20) - 1;
    FIRST_BACKOFF_MS.saturating_mul(1 << doublings).min(MAX_BACKOFF_MS)
}

/// An item that failed in this pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub job: &'static str,
    pub item_id: i64,
    pub attempts: i64,
}

/// The items of one job that have failed before, as a pass sees them when it starts.
pub struct Retries {
    job: Job,
    /// Failed before and still waiting out their backoff: not tried in this pass.
    resting: HashSet<i64>,
    /// Failed before (resting or due again): a success clears their record.
    known: HashSet<i64>,
}

impl Retries {
    pub async fn load(db: &Db, job: Job) -> Result<Self, AppError> {
        let now = now_ms();
        let rows = store::pending(&db.pool, job.as_str()).await?;
        Ok(Retries { job, resting: rows.iter().filter(|(_, at)| *at > now).map(|(id, _)| *id).collect(), known: rows.into_iter().map(|(id, _)| id).collect() })
    }

    /// Whether `item_id` waits out a backoff (skip it in this pass).
    pub fn is_resting(&self, item_id: i64) -> bool {
        self.resting.contains(&item_id)
    }

    /// The item went through: forget its failures, if it had any.
    pub async fn succeeded(&self, db: &Db, item_id: i64) {
        if self.known.contains(&item_id) {
            succeeded(db, self.job, item_id).await;
        }
    }

    /// The item failed (its transaction already rolled back): see [`failed`].
    pub async fn failed(&self, db: &Db, item_id: i64, error: &AppError) -> Failure {
        failed(db, self.job, item_id, error).await
    }
}

/// Records a failed item (after its transaction was rolled back): logged with its id and
/// error, counted, and given its next try. Recording never fails the job: if the database
/// cannot take the note either, the item is simply tried again on the next pass.
pub async fn failed(db: &Db, job: Job, item_id: i64, error: &AppError) -> Failure {
    metrics::counter!("job_item_failures_total", "job" => job.as_str()).increment(1);
    let now = now_ms();
    let attempts = match store::record(&db.pool, job.as_str(), item_id, &format!("{error:?}"), now, backoff_ms).await {
        Ok(n) => n,
        Err(e) => {
            tracing::error!(job = job.as_str(), item_id, error = ?e, "could not record a failed job item");
            1
        }
    };
    tracing::error!(job = job.as_str(), item_id, attempts, retry_in_ms = backoff_ms(attempts), error = ?error, "job item failed; the others go on");
    Failure { job: job.as_str(), item_id, attempts }
}

/// Forgets an item's failures once it went through.
pub async fn succeeded(db: &Db, job: Job, item_id: i64) {
    if let Err(e) = store::forget(&db.pool, job.as_str(), item_id).await {
        tracing::warn!(job = job.as_str(), item_id, error = ?e, "could not clear a job item's failures");
    }
}

/// How many items of each job are waiting for a retry (for /metrics).
pub async fn waiting(db: &Db) -> Result<Vec<(String, i64)>, AppError> {
    store::waiting(&db.pool).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(3), 120_000);
        assert_eq!(backoff_ms(7), 1_920_000);
        assert_eq!(backoff_ms(8), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(1_000), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(0), 30_000, "a zero count is a first failure");
    }
}
