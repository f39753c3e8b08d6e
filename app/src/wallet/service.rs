//! Wallet actions shared by the JSON API and (later) the back office pages.
use super::model::{Balance, EntryKind};
use super::{rules, store};
use crate::accounts::Me;
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::AppError;

const TOP_UP_SCOPE: &str = "wallet.top_up";

/// Staff take money in at the counter for a resident: one transaction, one ledger entry.
/// With an idempotency key, a double tap or a retry tops up once and answers the same.
#[tracing::instrument(skip_all, fields(staff = staff.id, user_id, amount_fen))]
pub async fn top_up(db: &Db, staff: &Me, user_id: i64, amount_fen: i64, key: Option<&str>) -> Result<Balance, AppError> {
    let store_id = rules::counter_store(&staff.roles).ok_or_else(AppError::forbidden)?;
    // Nobody takes money in for themselves: their own top-up goes through a colleague.
    if user_id == staff.id {
        return Err(AppError::forbidden());
    }
    let amount = rules::parse_top_up(amount_fen)?;
    let key = key.map(idempotency::parse_key).transpose()?;
    let request = (user_id, amount);
    let mut tx = db.begin_write().await?;
    if let Some(key) = &key
        && let Claim::Replay(saved) = idempotency::claim(&mut tx, staff.id, TOP_UP_SCOPE, key, &request).await?
    {
        return Ok(saved);
    }
    let (entry_id, wallet_fen) = store::move_money(
        &mut tx,
        &store::Movement { user_id, amount_fen: amount, kind: EntryKind::TopUp, by_user_id: Some(staff.id), store_id, order_id: None, sale_id: None },
    )
        .await?
        .ok_or_else(AppError::not_found)?;
    let balance = Balance { user_id, wallet_fen, entry_id };
    if let Some(key) = &key {
        idempotency::remember(&mut tx, staff.id, TOP_UP_SCOPE, key, &balance).await?;
    }
    tx.commit().await?;
    Ok(balance)
}
