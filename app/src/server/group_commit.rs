//! Group commit for the hottest writes (checkout).
//!
//! One transaction per order made every order pay for a commit of its own (a WAL fsync, a
//! PostgreSQL round trip and flush) and, on one hot product, wait in line for the previous
//! order's commit while holding nothing useful: SQLite has one writer, PostgreSQL one row lock.
//! Here one writer task per process takes every job waiting at that moment, runs them one by one
//! inside a single transaction, each in its own savepoint — a job that fails (out of stock, a
//! wallet short) rolls back only itself — and commits once. Every caller still hears its answer
//! only after that commit: a success is never reported for work that could still be lost, and
//! durability is what it was (same journal, same `synchronous`).
//!
//! A job is a closure over the connection that only talks to the database: anything slow or
//! outside it (HTTP, the clock's checks, reading what to write) happens before it is queued,
//! because the whole batch waits on each job.
//!
//! Only SQLite batches. There, concurrent writers take turns at one file lock by sleeping in
//! the busy handler (1, 2, 5… ms), which made checkout's mean 47 ms and its worst over a second
//! at 8 connections; through the writer they never contend. PostgreSQL already overlaps many
//! transactions' commits and queues row locks fairly; batching there measured no faster (337
//! against 329 orders/s at 8 connections, `benchmarks/checkout.sh --pg`) and put every order's
//! dozen round trips in line behind the others', and several instances write side by side
//! anyway: there each job runs at once in a transaction of its own, with the same answers.
use crate::shared::AppError;
use sqlx::AnyConnection;
use futures::FutureExt;
use sqlx::AnyPool;
use std::panic::AssertUnwindSafe;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

use super::db::Backend;

/// The future a job returns, borrowing the batch's connection.
pub type JobFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// What the writer calls once the batch's fate is known: `None` when it committed.
type Reply = Box<dyn FnOnce(Option<AppError>) + Send>;
type Job = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> JobFuture<'c, (bool, Reply)> + Send>;

/// At most this many jobs share one transaction: enough that a burst of a thousand buyers
/// needs a handful of commits, few enough that one batch stays a few milliseconds.
const MAX_BATCH: usize = 128;
/// Jobs waiting beyond this make their callers wait to queue (back pressure, not memory).
const QUEUE: usize = 4096;

#[derive(Clone, Debug)]
pub enum Writer {
    /// SQLite: the queue of the one writer task.
    Batching(mpsc::Sender<Job>),
    /// PostgreSQL: every job in a transaction of its own.
    Direct(AnyPool),
}

impl Writer {
    /// Starts the writer task for `pool` on SQLite (it ends when the last `Writer` is dropped).
    pub fn start(pool: AnyPool, backend: Backend) -> Writer {
        match backend {
            Backend::Sqlite => {
                let (jobs, rx) = mpsc::channel(QUEUE);
                tokio::spawn(run(pool, rx));
                Writer::Batching(jobs)
            }
            Backend::Postgres => Writer::Direct(pool),
        }
    }

    /// Runs `work` in the next group transaction, in a savepoint of its own; answers once that
    /// transaction has committed (or failed: then `E` says so and nothing of `work` is kept).
    /// An `Err` from `work` rolls back what `work` wrote, and only that.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<AppError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> JobFuture<'c, Result<T, E>> + Send + 'static,
    {
        let jobs = match self {
            Writer::Batching(jobs) => jobs,
            Writer::Direct(pool) => {
                let mut tx = pool.begin().await.map_err(|e| E::from(AppError::from(e)))?;
                let result = work(&mut tx).await;
                if result.is_ok() {
                    tx.commit().await.map_err(|e| E::from(AppError::from(e)))?;
                }
                // An Err drops `tx`, which rolls it back.
                return result;
            }
        };
        let (tx, rx) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = work(conn).await;
                let kept = result.is_ok();
                let reply: Reply = Box::new(move |failed: Option<AppError>| {
                    let answer = match (failed, result) {
                        // The batch did not commit: the work is gone with it.
                        (Some(e), Ok(_)) => Err(E::from(e)),
                        (_, result) => result,
                    };
                    let _ = tx.send(answer);
                });
                (kept, reply)
            })
        });
        jobs.send(job).await.map_err(|_| E::from(AppError::internal("the group writer has stopped")))?;
        // The writer dropped the job without an answer (its task ended mid-batch): not committed.
        rx.await.unwrap_or_else(|_| Err(E::from(AppError::internal("the group writer stopped mid-batch"))))
    }
}

async fn run(pool: AnyPool, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let size = batch.len();
        let mut replies = Vec::with_capacity(size);
        let outcome = commit_batch(&pool, &mut batch, &mut replies).await;
        // Jobs that never ran (the transaction failed before them) were dropped with their
        // senders: their callers hear that nothing was committed.
        batch.clear();
        metrics::histogram!("linli_group_commit_batch").record(size as f64);
        match outcome {
            Ok(()) => replies.into_iter().for_each(|reply| reply(None)),
            Err(e) => {
                tracing::error!(error = %e, jobs = size, "group commit failed; none of its jobs were kept");
                replies.into_iter().for_each(|reply| reply(Some(AppError::internal(&e))));
            }
        }
    }
}

async fn commit_batch(pool: &AnyPool, batch: &mut Vec<Job>, replies: &mut Vec<Reply>) -> Result<(), sqlx::Error> {
    // Take the write lock up front, as `Db::begin_write` does.
    let mut tx = pool.begin_with("begin immediate").await?;
    for job in batch.drain(..) {
        sqlx::query("savepoint linli_job").execute(&mut *tx).await?;
        // A panicking job loses its own answer (its caller hears "not committed") and only
        // its own writes; the writer and the batch go on.
        let kept = match AssertUnwindSafe(job(&mut tx)).catch_unwind().await {
            Ok((kept, reply)) => {
                replies.push(reply);
                kept
            }
            Err(_) => {
                tracing::error!("a group-commit job panicked; its writes were rolled back");
                false
            }
        };
        if !kept {
            // Also clears PostgreSQL's "transaction aborted" state after a failed statement.
            sqlx::query("rollback to savepoint linli_job").execute(&mut *tx).await?;
        }
        sqlx::query("release savepoint linli_job").execute(&mut *tx).await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Db;

    async fn insert(conn: &mut AnyConnection, v: &str) -> Result<(), AppError> {
        sqlx::query("insert into t (v) values ($1)").bind(v).execute(&mut *conn).await?;
        Ok(())
    }

    fn a_bug() -> Result<i32, AppError> {
        panic!("a job's bug")
    }

    /// A batch of jobs that succeed, refuse, break a constraint and panic: only the successes'
    /// writes are kept, each caller hears its own answer, and the writer goes on afterwards.
    #[tokio::test]
    async fn each_job_keeps_or_loses_only_its_own_writes() {
        let path = std::env::temp_dir().join(format!("linli-group-commit-{}.db", std::process::id()));
        let db = Db::connect(&format!("sqlite://{}", path.display()), 2).await.unwrap();
        sqlx::query("create table t (id integer primary key, v text not null unique)").execute(&db.pool).await.unwrap();
        let w = &db.writer;
        // On this single-threaded runtime every job is queued before the writer first runs, so
        // all five share one transaction.
        let (a, refused, duplicate, panicked, b) = tokio::join!(
            w.run(|c| Box::pin(async move { insert(c, "a").await.map(|_| 1) })),
            w.run(|c| Box::pin(async move {
                insert(c, "refused").await?;
                Err::<i32, _>(AppError::internal("no"))
            })),
            w.run(|c| Box::pin(async move { insert(c, "a").await.map(|_| 3) })),
            w.run(|c| Box::pin(async move {
                insert(c, "panicked").await?;
                a_bug()
            })),
            w.run(|c| Box::pin(async move { insert(c, "b").await.map(|_| 5) })),
        );
        assert_eq!(a.unwrap(), 1);
        assert!(refused.is_err());
        assert!(duplicate.is_err(), "the unique index refuses the second 'a'");
        assert!(panicked.is_err());
        assert_eq!(b.unwrap(), 5);
        let kept: Vec<(String,)> = sqlx::query_as("select v from t order by id").fetch_all(&db.pool).await.unwrap();
        assert_eq!(kept, vec![("a".to_string(),), ("b".to_string(),)]);
        // The writer survived the panic.
        assert_eq!(w.run(|c| Box::pin(async move { insert(c, "c").await.map(|_| 6) })).await.unwrap(), 6);
        db.pool.close().await;
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
        }
    }
}
