//! Job-retry SQL.
use crate::shared::AppError;
use sqlx::AnyPool;

/// Items of `job` that failed before, with their next try.
pub async fn pending(pool: &AnyPool, job: &str) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("select item_id, next_at_ms from job_retries where job = $1").bind(job).fetch_all(pool).await?)
}

/// Counts one more failure of an item and sets its next try; returns the attempts so far.
/// The count is read back by the same statement, so two instances failing the same item at
/// once each add one.
pub async fn record(pool: &AnyPool, job: &str, item_id: i64, error: &str, now: i64, backoff: fn(i64) -> i64) -> Result<i64, AppError> {
    let error: String = error.chars().take(500).collect();
    let (attempts,): (i64,) = sqlx::query_as(
        "insert into job_retries (job, item_id, attempts, next_at_ms, last_error, updated_at_ms) values ($1, $2, 1, $3, $4, $5)
         on conflict (job, item_id) do update set attempts = job_retries.attempts + 1, last_error = excluded.last_error, updated_at_ms = excluded.updated_at_ms
         returning attempts",
    )
    .bind(job)
    .bind(item_id)
    .bind(now + backoff(1))
    .bind(&error)
    .bind(now)
    .fetch_one(pool)
    .await?;
    if attempts > 1 {
        sqlx::query("update job_retries set next_at_ms = $3 where job = $1 and item_id = $2")
            .bind(job)
            .bind(item_id)
            .bind(now + backoff(attempts))
            .execute(pool)
            .await?;
    }
    Ok(attempts)
}

pub async fn forget(pool: &AnyPool, job: &str, item_id: i64) -> Result<(), AppError> {
    sqlx::query("delete from job_retries where job = $1 and item_id = $2").bind(job).bind(item_id).execute(pool).await?;
    Ok(())
}

/// Items waiting for a retry, by job.
pub async fn waiting(pool: &AnyPool) -> Result<Vec<(String, i64)>, AppError> {
    Ok(sqlx::query_as("select job, count(*) from job_retries group by job order by job").fetch_all(pool).await?)
}
