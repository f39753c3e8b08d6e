//! Pickup desk SQL: the audit of code checks.
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::AnyPool;

/// Records one check of a code at a desk: who, where, what was tried, what it matched.
pub async fn audit(pool: &AnyPool, store_id: i64, staff_user_id: i64, code: &str, order_id: Option<i64>, outcome: &str) -> Result<(), AppError> {
    audit_noted(pool, store_id, staff_user_id, code, order_id, outcome, "").await
}

/// `audit` with a note: a manager's reason for handing over without a code.
pub async fn audit_noted(pool: &AnyPool, store_id: i64, staff_user_id: i64, code: &str, order_id: Option<i64>, outcome: &str, note: &str) -> Result<(), AppError> {
    sqlx::query(
        "insert into pickup_attempts (store_id, staff_user_id, code, order_id, outcome, note, at_ms) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(store_id)
    .bind(staff_user_id)
    .bind(code)
    .bind(order_id)
    .bind(outcome)
    .bind(note)
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether this person checked this order's code (or its phone tail) at the desk since `since`.
pub async fn verified_since(pool: &AnyPool, order_id: i64, staff_user_id: i64, since: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select id from pickup_attempts where order_id = $1 and staff_user_id = $2 and outcome = 'ok' and at_ms >= $3 limit 1",
    )
    .bind(order_id)
    .bind(staff_user_id)
    .bind(since)
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}

/// The latest pickup order at the store handed over since `since` that showed `code`:
/// (order id, number, when it was handed over).
pub async fn collected_with_code(pool: &AnyPool, store_id: i64, code: &str, since: i64) -> Result<Option<(i64, Option<String>, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select o.id, o.number, e.at_ms from orders o join order_events e on e.order_id = o.id and e.to_status = 'completed'
         where o.store_id = $1 and o.pickup_code = $2 and o.status = 'completed' and o.fulfillment = 'pickup' and e.at_ms >= $3
         order by e.at_ms desc limit 1",
    )
    .bind(store_id)
    .bind(code)
    .bind(since)
    .fetch_optional(pool)
    .await?)
}
