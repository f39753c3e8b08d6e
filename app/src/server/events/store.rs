//! The event log's SQL (see migrations/0030_event_log.sql).
use super::{Event, Topic};
use crate::server::Backend;
use crate::shared::AppError;

/// The advisory lock that puts event ids in commit order on PostgreSQL ("linli" in ASCII).
const EVENT_ORDER_LOCK: i64 = 0x6c69_6e6c_69;
use sqlx::{AnyConnection, AnyPool};

/// Writes `event` in the caller's transaction; returns its id.
pub async fn append(conn: &mut AnyConnection, backend: Backend, event: &Event, at_ms: i64) -> Result<i64, sqlx::Error> {
    if backend == Backend::Postgres {
        // Ids in commit order: an identity hands them out as rows are inserted, but transactions
        // commit in their own order, and a stream resuming after id n must not skip an n − 1
        // that committed later. This lock is held to the commit (staging is the last thing a
        // transaction does, and NOTIFY already serialises these commits at the same point).
        sqlx::query("select pg_advisory_xact_lock($1)").bind(EVENT_ORDER_LOCK).execute(&mut *conn).await?;
    }
    let (id,): (i64,) = sqlx::query_as("insert into event_log (at_ms, name, data) values ($1, $2, $3) returning id")
        .bind(at_ms)
        .bind(&event.name)
        .bind(&event.data)
        .fetch_one(&mut *conn)
        .await?;
    let mut topics: Vec<String> = event.topics.iter().map(Topic::key).collect();
    topics.sort();
    topics.dedup();
    if !topics.is_empty() {
        let values: Vec<String> = (0..topics.len()).map(|i| format!("(${}, $1)", i + 2)).collect();
        let sql = format!("insert into event_topics (topic, event_id) values {}", values.join(", "));
        let mut q = sqlx::query(&sql).bind(id);
        for t in &topics {
            q = q.bind(t);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(id)
}

/// The oldest and the newest event still kept (None when the log is empty).
pub async fn bounds(pool: &AnyPool) -> Result<(Option<i64>, Option<i64>), AppError> {
    Ok(sqlx::query_as("select min(id), max(id) from event_log").fetch_one(pool).await?)
}

/// Up to `limit` events for `topic` after `after`, oldest first.
pub async fn since(pool: &AnyPool, topic: Topic, after: i64, limit: i64) -> Result<Vec<Event>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "select e.id, e.name, e.data from event_topics t join event_log e on e.id = t.event_id
         where t.topic = $1 and t.event_id > $2 order by t.event_id limit $3",
    )
    .bind(topic.key())
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name, data)| Event { id: Some(id), name, topics: vec![topic], data }).collect())
}

/// Forgets events older than `before_ms`, always keeping the newest one: SQLite gives a new
/// row the highest id so far plus one, and an empty log would start again from 1 — below the
/// ids browsers still hold.
pub async fn purge(pool: &AnyPool, before_ms: i64) -> Result<u64, AppError> {
    let (cutoff,): (Option<i64>,) = sqlx::query_as("select max(id) from event_log where at_ms < $1 and id < (select max(id) from event_log)")
        .bind(before_ms)
        .fetch_one(pool)
        .await?;
    let Some(cutoff) = cutoff else { return Ok(0) };
    sqlx::query("delete from event_topics where event_id <= $1").bind(cutoff).execute(pool).await?;
    Ok(sqlx::query("delete from event_log where id <= $1").bind(cutoff).execute(pool).await?.rows_affected())
}
