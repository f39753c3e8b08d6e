//! Idempotency keys for writes that move stock or money.
//!
//! Usage, inside the action's write transaction:
//! `match claim(&mut tx, ...)` → `Fresh` (do the work, then `remember` the answer before
//! commit) or `Replay(answer)` (return it, change nothing). A key reused for a different
//! request is `IdempotencyKeyReused` (422). Concurrent duplicates serialise on the key's
//! primary key: the second waits for the first to commit, then replays its answer.
pub mod store;

use crate::shared::{AppError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

/// A client key: 1–100 printable ASCII characters (UUIDs, ULIDs, timestamps…).
pub fn parse_key(raw: &str) -> Result<String, AppError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 100 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::field(ErrorCode::BadRequest, "idempotency_key"));
    }
    Ok(k.to_string())
}

pub enum Claim<T> {
    Fresh,
    Replay(T),
}

/// Claims `key` for `request` (any serialisable description of what is asked).
pub async fn claim<T: DeserializeOwned>(
    conn: &mut AnyConnection,
    user_id: i64,
    scope: &str,
    key: &str,
    request: &impl Serialize,
) -> Result<Claim<T>, AppError> {
    let request = serde_json::to_string(request).map_err(AppError::internal)?;
    if store::try_claim(conn, user_id, scope, key, &request).await? {
        return Ok(Claim::Fresh);
    }
    match store::find(conn, user_id, scope, key).await? {
        Some((saved, _)) if saved != request => Err(AppError::new(ErrorCode::IdempotencyKeyReused)),
        Some((_, response)) if !response.is_empty() => serde_json::from_str(&response).map(Claim::Replay).map_err(AppError::internal),
        // Claimed by a transaction that has not finished: cannot happen after the claim
        // above waited for it, but if it does, the client should simply retry.
        _ => Err(AppError::new(ErrorCode::Conflict)),
    }
}

/// The answer already given for `key` and this same request, before any checks that depend
/// on the clock or on stock run again: a retry after a timeout must replay, not be re-judged
/// (a pickup window may have closed in between). A key used for another request is refused.
pub async fn replay<T: DeserializeOwned>(
    pool: &sqlx::AnyPool,
    user_id: i64,
    scope: &str,
    key: &str,
    request: &impl Serialize,
) -> Result<Option<T>, AppError> {
    let request = serde_json::to_string(request).map_err(AppError::internal)?;
    let mut conn = pool.acquire().await?;
    match store::find(&mut conn, user_id, scope, key).await? {
        Some((saved, _)) if saved != request => Err(AppError::new(ErrorCode::IdempotencyKeyReused)),
        Some((_, response)) if !response.is_empty() => serde_json::from_str(&response).map(Some).map_err(AppError::internal),
        _ => Ok(None),
    }
}

/// An action done once per key: the answer already given for `key` and this request is
/// replayed before `fresh` runs, and again if `fresh` fails — a retry racing the first attempt
/// may have been judged against a later clock or an emptier shelf while the first one
/// committed, and the first answer is the answer. `fresh` gets the checked key and must claim
/// and remember it in its own transaction.
pub async fn once<T, F, Fut>(pool: &sqlx::AnyPool, user_id: i64, scope: &str, raw_key: &str, request: &impl Serialize, fresh: F) -> Result<T, AppError>
where
    T: DeserializeOwned,
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let key = parse_key(raw_key)?;
    if let Some(saved) = replay::<T>(pool, user_id, scope, &key, request).await? {
        return Ok(saved);
    }
    match fresh(key.clone()).await {
        Ok(answer) => Ok(answer),
        Err(e) => replay::<T>(pool, user_id, scope, &key, request).await?.ok_or(e),
    }
}

/// The answer already given for `key`, if its action committed — for a form whose second
/// submission cannot rebuild the same request (checkout empties the cart it was made from).
pub async fn saved<T: DeserializeOwned>(pool: &sqlx::AnyPool, user_id: i64, scope: &str, key: &str) -> Result<Option<T>, AppError> {
    let mut conn = pool.acquire().await?;
    match store::find(&mut conn, user_id, scope, key).await? {
        Some((_, response)) if !response.is_empty() => serde_json::from_str(&response).map(Some).map_err(AppError::internal),
        _ => Ok(None),
    }
}

/// Records the answer, in the same transaction as the action.
pub async fn remember(conn: &mut AnyConnection, user_id: i64, scope: &str, key: &str, response: &impl Serialize) -> Result<(), AppError> {
    let response = serde_json::to_string(response).map_err(AppError::internal)?;
    store::set_response(conn, user_id, scope, key, &response).await
}

/// Housekeeping: keys are kept a day.
pub async fn purge_old(pool: &sqlx::AnyPool) -> Result<u64, AppError> {
    store::purge(pool, crate::shared::time::now_ms() - 24 * 3600 * 1000).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_printable_ascii() {
        assert_eq!(parse_key(" 0b6c1f6e-5a4e-4bde-8b5e-2d1f0c9a7e11 ").as_deref(), Ok("0b6c1f6e-5a4e-4bde-8b5e-2d1f0c9a7e11"));
        for bad in ["", "   ", "has space", "中文", &"k".repeat(101)] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }
}
