//! Wallet actions shared by the JSON API and (later) the back office pages.
use super::model::{Balance, EntryKind};
use super::{rules, store};
use crate::accounts::Me;
use crate::server::Db;
use crate::shared::AppError;

/// Staff take money in at the counter for a resident: one transaction, one ledger entry.
#[tracing::instrument(skip_all, fields(staff = staff.id, user_id, amount_fen))]
pub async fn top_up(db: &Db, staff: &Me, user_id: i64, amount_fen: i64) -> Result<Balance, AppError> {
    let store_id = rules::counter_store(&staff.roles).ok_or_else(AppError::forbidden)?;
    let amount = rules::parse_top_up(amount_fen)?;
    let mut tx = db.begin_write().await?;
    let (entry_id, wallet_fen) = store::move_money(&mut tx, user_id, amount, EntryKind::TopUp, Some(staff.id), store_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(Balance { user_id, wallet_fen, entry_id })
}
