//! Leases for the scheduled jobs. Every instance runs the same job loops, but a pass runs only
//! in the instance holding that job's lease (`job_leases`): with N instances on one PostgreSQL
//! each deadline is worked through by one of them at a time, and when the holder dies (kill -9,
//! a lost machine) its lease runs out and another instance's next renewal takes it over.
//! A holder renews every third of the lease's length while it lives, so a long pass keeps it.
//! The work items themselves stay idempotent (one conditional statement each): a holder that
//! stalls past its lease and wakes beside the new one repeats nothing.
pub mod store;

use crate::server::Db;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a lease lasts without renewal: `LINLI_JOB_LEASE_MS` (tests shorten it), else 10 s —
/// a job stops for at most that long when its holder dies.
pub fn ttl() -> Duration {
    std::env::var("LINLI_JOB_LEASE_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms >= 100).map_or(Duration::from_secs(10), Duration::from_millis)
}

/// This instance's name in `job_leases.holder`: where it listens, its process, when it started
/// (a restarted instance on the same address is another holder: it must not inherit a lease
/// whose work its predecessor may have left half-done without waiting it out).
pub fn holder_id(instance: &str) -> String {
    format!("{instance} pid {} at {}", std::process::id(), crate::shared::time::now_ms())
}

pub struct Lease {
    pub job: &'static str,
    holder: String,
    ttl: Duration,
    /// Until when this instance may run the job, by its own monotonic clock: counted from
    /// before the renewal was sent, so it ends no later than the database's expiry.
    held_until: Mutex<Option<Instant>>,
    /// One renewal or give-up at a time, and whether the lease was given up for good (a
    /// renewal already under way must not take it back after the instance let it go).
    turn: tokio::sync::Mutex<bool>,
}

impl Lease {
    pub fn new(job: &'static str, holder: &str, ttl: Duration) -> Lease {
        Lease { job, holder: holder.to_string(), ttl, held_until: Mutex::new(None), turn: tokio::sync::Mutex::new(false) }
    }

    /// Takes the lease if it is free or has run out, renews it if this instance has it.
    /// Returns whether this instance holds it now. A database error keeps what was held: the
    /// lease then runs out by itself unless a later renewal gets through.
    pub async fn renew(&self, db: &Db) -> bool {
        let given_up = self.turn.lock().await;
        if *given_up {
            return false;
        }
        let asked = Instant::now();
        let was = self.held();
        match store::take(db, self.job, &self.holder, self.ttl.as_millis() as i64).await {
            Ok(Some(generation)) => {
                if !was {
                    tracing::info!(job = self.job, generation, "job lease taken: this instance runs the job");
                }
                *self.held_until.lock().expect("lease") = Some(asked + self.ttl);
                true
            }
            Ok(None) => {
                if was {
                    tracing::warn!(job = self.job, "job lease lost to another instance");
                }
                *self.held_until.lock().expect("lease") = None;
                false
            }
            Err(e) => {
                tracing::warn!(job = self.job, error = ?e, "job lease renewal failed");
                self.held()
            }
        }
    }

    /// Whether a pass may run now.
    pub fn held(&self) -> bool {
        self.held_until.lock().expect("lease").is_some_and(|until| Instant::now() < until)
    }

    /// Lets the lease go for good (a draining instance), so another instance takes it at its
    /// next renewal instead of waiting for it to run out. Harmless when not held.
    pub async fn give_up(&self, db: &Db) {
        let mut given_up = self.turn.lock().await;
        *given_up = true;
        *self.held_until.lock().expect("lease") = None;
        if let Err(e) = store::give_up(db, self.job, &self.holder).await {
            tracing::warn!(job = self.job, error = ?e, "giving up a job lease failed");
        }
    }
}
