//! Wallet SQL. The balance moves with one conditional statement, and the ledger row is
//! written in the same transaction with the balance that statement produced.
use super::model::EntryKind;
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

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

/// Adds the amount to a user's balance unless that would go below zero (debits only from an
/// active account); returns `(entry id, new balance)`, or `None` when the user does not exist
/// or the balance does not cover it. Must run inside a write transaction.
pub async fn move_money(conn: &mut AnyConnection, m: &Movement) -> Result<Option<(i64, i64)>, AppError> {
    let Some(balance) = add_to_balance(conn, m.user_id, m.amount_fen).await? else { return Ok(None) };
    let entry_id = insert_entry(conn, m, balance, None).await?.ok_or_else(|| AppError::internal("wallet entry not written"))?;
    Ok(Some((entry_id, balance)))
}

/// The balance after adding `amount_fen` to a user's wallet, or `None` (nothing changed) when
/// the user does not exist, the balance would go below zero, or money would leave a
/// deactivated account. Money coming in (a refund, a credit) always reaches the wallet, even
/// of an account deactivated since it paid: a refund must never be stuck.
async fn add_to_balance(conn: &mut AnyConnection, user_id: i64, amount_fen: i64) -> Result<Option<i64>, AppError> {
    let balance: Option<(i64,)> = sqlx::query_as(
        "update users set wallet_fen = wallet_fen + $1
         where id = $2 and ($1 >= 0 or active = $3) and wallet_fen + $1 >= 0
         returning wallet_fen",
    )
    .bind(amount_fen)
    .bind(user_id)
    .bind(true)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(balance.map(|(b,)| b))
}

/// The ledger row for a movement; `None` when it would reverse an entry already reversed.
async fn insert_entry(conn: &mut AnyConnection, m: &Movement, balance: i64, reverses_id: Option<i64>) -> Result<Option<i64>, AppError> {
    let Movement { user_id, amount_fen, kind, by_user_id, store_id, order_id, sale_id } = *m;
    let id: Option<(i64,)> = sqlx::query_as(
        "insert into wallet_entries (user_id, amount_fen, balance_after_fen, kind, by_user_id, store_id, order_id, sale_id, reverses_id, created_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (reverses_id) where reverses_id is not null do nothing
         returning id",
    )
    .bind(user_id)
    .bind(amount_fen)
    .bind(balance)
    .bind(kind.as_str())
    .bind(by_user_id)
    .bind(store_id)
    .bind(order_id)
    .bind(sale_id)
    .bind(reverses_id)
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(|(id,)| id))
}

/// What reversing a top-up came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reversed {
    /// (the reversing entry, the balance after it)
    Done(i64, i64),
    /// The top-up was reversed already (perhaps a moment ago, by a colleague).
    Already,
    /// The resident has spent part of it: the balance cannot give it back.
    NotCovered,
}

/// Takes a top-up back out of the wallet with a reversing entry that names it. The balance
/// update is conditional (never below zero) and the entry is unique per original, so two
/// taps reverse once. Must run inside a write transaction; roll back unless `Done`.
pub async fn reverse(conn: &mut AnyConnection, original: &EntryRow, by_user_id: i64, store_id: Option<i64>) -> Result<Reversed, AppError> {
    let Some(balance) = add_to_balance(conn, original.user_id, -original.amount_fen).await? else {
        // A colleague's reversal committed a moment ago also leaves the balance short: name
        // it as such (the statement above waited for it, so this read sees it).
        let done: Option<(i64,)> = sqlx::query_as("select id from wallet_entries where reverses_id = $1").bind(original.id).fetch_optional(&mut *conn).await?;
        return Ok(if done.is_some() { Reversed::Already } else { Reversed::NotCovered });
    };
    let m = Movement {
        user_id: original.user_id,
        amount_fen: -original.amount_fen,
        kind: EntryKind::Reversal,
        by_user_id: Some(by_user_id),
        store_id,
        order_id: None,
        sale_id: None,
    };
    Ok(match insert_entry(conn, &m, balance, Some(original.id)).await? {
        Some(id) => Reversed::Done(id, balance),
        None => Reversed::Already,
    })
}

/// A ledger entry as the customers page lists it.
#[derive(Clone, Debug, FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub user_id: i64,
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub kind: String,
    pub store_id: Option<i64>,
    pub store_name: Option<String>,
    pub by_name: Option<String>,
    pub order_id: Option<i64>,
    pub reverses_id: Option<i64>,
    /// Set on a top-up that has been reversed.
    pub reversed_by: Option<i64>,
    pub created_at_ms: i64,
}

const ENTRY_SELECT: &str = "select e.id, e.user_id, e.amount_fen, e.balance_after_fen, e.kind, e.store_id, s.name as store_name,
        b.name as by_name, e.order_id, e.reverses_id, (select r.id from wallet_entries r where r.reverses_id = e.id) as reversed_by, e.created_at_ms
     from wallet_entries e
     left join stores s on s.id = e.store_id
     left join users b on b.id = e.by_user_id";

/// A resident's latest ledger entries, newest first.
pub async fn entries(pool: &AnyPool, user_id: i64, limit: i64) -> Result<Vec<EntryRow>, AppError> {
    Ok(sqlx::query_as(&format!("{ENTRY_SELECT} where e.user_id = $1 order by e.id desc limit $2")).bind(user_id).bind(limit).fetch_all(pool).await?)
}

/// One ledger entry.
pub async fn entry(conn: &mut AnyConnection, id: i64) -> Result<Option<EntryRow>, AppError> {
    Ok(sqlx::query_as(&format!("{ENTRY_SELECT} where e.id = $1")).bind(id).fetch_optional(&mut *conn).await?)
}

/// Keeps a new payment code (its hash) for a member.
pub async fn insert_pay_code(pool: &AnyPool, code_hash: &str, user_id: i64, now: i64, expires_at_ms: i64) -> Result<(), AppError> {
    sqlx::query("insert into pay_codes (code_hash, user_id, created_at_ms, expires_at_ms) values ($1, $2, $3, $4)")
        .bind(code_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at_ms)
        .execute(pool)
        .await?;
    Ok(())
}

/// How many codes a member made since `since`.
pub async fn pay_codes_since(pool: &AnyPool, user_id: i64, since: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from pay_codes where user_id = $1 and created_at_ms >= $2").bind(user_id).bind(since).fetch_one(pool).await?;
    Ok(n)
}

/// Uses a payment code for a sale at `store_id`: one conditional statement, so a code pays
/// once however many tills scan it at the same moment; `None` when it is unknown, used,
/// expired or its member's account is closed. Must run inside the sale's transaction.
pub async fn redeem_pay_code(conn: &mut AnyConnection, code_hash: &str, store_id: i64, now: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "update pay_codes set used_at_ms = $3, store_id = $2
         where code_hash = $1 and used_at_ms is null and expires_at_ms > $3
           and exists (select 1 from users u where u.id = pay_codes.user_id and u.active = $4)
         returning user_id",
    )
    .bind(code_hash)
    .bind(store_id)
    .bind(now)
    .bind(true)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(u,)| u))
}

/// Ties a redeemed code to the sale it paid (for the audit trail).
pub async fn pay_code_paid(conn: &mut AnyConnection, code_hash: &str, sale_id: i64) -> Result<(), AppError> {
    sqlx::query("update pay_codes set sale_id = $2 where code_hash = $1").bind(code_hash).bind(sale_id).execute(&mut *conn).await?;
    Ok(())
}

/// Housekeeping: codes that expired unused more than a day ago tell nobody anything.
pub async fn purge_pay_codes(pool: &AnyPool, before_ms: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("delete from pay_codes where used_at_ms is null and expires_at_ms < $1").bind(before_ms).execute(pool).await?.rows_affected())
}
