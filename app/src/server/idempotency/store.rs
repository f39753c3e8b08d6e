//! Idempotency SQL.
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool};

/// Claims a key for this transaction: true when it is new. On PostgreSQL a concurrent claim
/// of the same key waits here until the first transaction ends, then sees its row; SQLite's
/// write transactions run one at a time anyway.
pub async fn try_claim(conn: &mut AnyConnection, user_id: i64, scope: &str, key: &str, request: &str) -> Result<bool, AppError> {
    let r = sqlx::query(
        "insert into idempotency_keys (user_id, scope, key, request, response, created_at_ms)
         values ($1, $2, $3, $4, '', $5) on conflict (user_id, scope, key) do nothing",
    )
    .bind(user_id)
    .bind(scope)
    .bind(key)
    .bind(request)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The saved `(request, response)` for a key.
pub async fn find(conn: &mut AnyConnection, user_id: i64, scope: &str, key: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as("select request, response from idempotency_keys where user_id = $1 and scope = $2 and key = $3")
        .bind(user_id)
        .bind(scope)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Stores the answer for a key claimed in this transaction.
pub async fn set_response(conn: &mut AnyConnection, user_id: i64, scope: &str, key: &str, response: &str) -> Result<(), AppError> {
    sqlx::query("update idempotency_keys set response = $4 where user_id = $1 and scope = $2 and key = $3")
        .bind(user_id)
        .bind(scope)
        .bind(key)
        .bind(response)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Forgets keys older than `before_ms` (a day is plenty for retries).
pub async fn purge(pool: &AnyPool, before_ms: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("delete from idempotency_keys where created_at_ms <= $1").bind(before_ms).execute(pool).await?.rows_affected())
}
