//! Job-lease SQL. The clock is the database's, so every instance reads the same time.
use crate::server::{Backend, Db};
use crate::shared::AppError;

/// Now in milliseconds since the epoch, as the database sees it.
fn now_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "cast((julianday('now') - 2440587.5) * 86400000 as integer)",
        Backend::Postgres => "cast(extract(epoch from clock_timestamp()) * 1000 as bigint)",
    }
}

/// Takes `job` for `holder` until `ttl_ms` from now, or renews it if `holder` has it already:
/// one conditional upsert, which lets one instance through when several try at once (the row
/// is locked by the first; the others re-read it and see a lease that has not run out). Returns
/// the lease's generation when `holder` has it now, None when another instance does.
pub async fn take(db: &Db, job: &str, holder: &str, ttl_ms: i64) -> Result<Option<i64>, AppError> {
    let now = now_sql(db.backend);
    let sql = format!(
        "insert into job_leases (job, holder, expires_at_ms, acquired_at_ms, generation) values ($1, $2, {now} + $3, {now}, 1)
         on conflict (job) do update set
             holder = excluded.holder,
             expires_at_ms = excluded.expires_at_ms,
             acquired_at_ms = case when job_leases.holder = excluded.holder then job_leases.acquired_at_ms else excluded.acquired_at_ms end,
             generation = case when job_leases.holder = excluded.holder then job_leases.generation else job_leases.generation + 1 end
         where job_leases.holder = excluded.holder or job_leases.expires_at_ms <= excluded.acquired_at_ms
         returning generation"
    );
    let row: Option<(i64,)> = sqlx::query_as(&sql).bind(job).bind(holder).bind(ttl_ms).fetch_optional(&db.pool).await?;
    Ok(row.map(|(g,)| g))
}

/// Gives `job` up now if `holder` has it (a draining instance), so another takes it at once.
pub async fn give_up(db: &Db, job: &str, holder: &str) -> Result<(), AppError> {
    let sql = format!("update job_leases set expires_at_ms = {} where job = $1 and holder = $2", now_sql(db.backend));
    sqlx::query(&sql).bind(job).bind(holder).execute(&db.pool).await?;
    Ok(())
}

/// Every lease: job, holder, milliseconds until it runs out (negative: ran out), generation.
pub async fn all(db: &Db) -> Result<Vec<(String, String, i64, i64)>, AppError> {
    let sql = format!("select job, holder, expires_at_ms - {}, generation from job_leases order by job", now_sql(db.backend));
    Ok(sqlx::query_as(&sql).fetch_all(&db.pool).await?)
}
