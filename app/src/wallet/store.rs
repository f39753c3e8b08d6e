//! Wallet SQL. The balance moves with one conditional statement, and the ledger row is
//! written in the same transaction with the balance that statement produced.
use super::model::EntryKind;
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::AnyConnection;

/// One movement of a resident's money.
#[derive(Clone, Copy)]
pub struct Movement {
    pub user_id: i64,
    /// Positive pays in, negative takes out.
    pub amount_fen: i64,
    pub kind: EntryKind,
    /// Staff who moved it (top-ups); `None` when the resident's own action did.
    pub by_user_id: Option<i64>,
    pub store_id: Option<i64>,
    /// The order paid or refunded. The ledger allows one payment and one refund per order.
    pub order_id: Option<i64>,
    /// The till sale paid (a member paying at the counter from the wallet).
    pub sale_id: Option<i64>,
}

/// Adds the amount to an active user's balance unless that would go below zero; returns
/// `(entry id, new balance)`, or `None` when the user does not exist or the balance does not
/// cover it. Must run inside a write transaction.
pub async fn move_money(conn: &mut AnyConnection, m: &Movement) -> Result<Option<(i64, i64)>, AppError> {
    let Movement { user_id, amount_fen, kind, by_user_id, store_id, order_id, sale_id } = *m;
    let balance: Option<(i64,)> = sqlx::query_as(
        "update users set wallet_fen = wallet_fen + $1
         where id = $2 and active = $3 and wallet_fen + $1 >= 0
         returning wallet_fen",
    )
    .bind(amount_fen)
    .bind(user_id)
    .bind(true)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((balance,)) = balance else { return Ok(None) };
    let (entry_id,): (i64,) = sqlx::query_as(
        "insert into wallet_entries (user_id, amount_fen, balance_after_fen, kind, by_user_id, store_id, order_id, sale_id, created_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(user_id)
    .bind(amount_fen)
    .bind(balance)
    .bind(kind.as_str())
    .bind(by_user_id)
    .bind(store_id)
    .bind(order_id)
    .bind(sale_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some((entry_id, balance)))
}
