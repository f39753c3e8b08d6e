//! Pickup desk SQL: the audit of code checks.
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::AnyPool;

/// Records one check of a code at a desk: who, where, what was tried, what it matched.
pub async fn audit(pool: &AnyPool, store_id: i64, staff_user_id: i64, code: &str, order_id: Option<i64>, outcome: &str) -> Result<(), AppError> {
    sqlx::query(
        "insert into pickup_attempts (store_id, staff_user_id, code, order_id, outcome, at_ms) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(store_id)
    .bind(staff_user_id)
    .bind(code)
    .bind(order_id)
    .bind(outcome)
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(())
}
