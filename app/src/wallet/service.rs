//! Wallet actions shared by the JSON API and the back office's customer pages.
use super::model::{Balance, EntryKind, PayCode};
use super::store::Reversed;
use super::{rules, store};
use super::rules::COUNTER_ROLES;
use crate::accounts::{Me, Role};
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::time::{now_ms, rfc3339};
use crate::shared::{AppError, ErrorCode};

const TOP_UP_SCOPE: &str = "wallet.top_up";

/// Staff take money in at the counter for a resident: one transaction, one ledger entry.
/// With an idempotency key, a double tap or a retry tops up once and answers the same.
#[tracing::instrument(skip_all, fields(staff = staff.id, user_id, amount_fen))]
/// `at_store` is the store whose counter took the money (the back office's chosen store);
/// without it, the staff member's own store.
pub async fn top_up(db: &Db, staff: &Me, user_id: i64, amount_fen: i64, key: Option<&str>, at_store: Option<i64>) -> Result<Balance, AppError> {
    let store_id = match at_store {
        Some(s) if crate::accounts::rules::may_act(&staff.roles, s, COUNTER_ROLES) => Some(s),
        Some(_) => return Err(AppError::forbidden()),
        None => rules::counter_store(&staff.roles).ok_or_else(AppError::forbidden)?,
    };
    // Nobody takes money in for themselves: their own top-up goes through a colleague.
    if user_id == staff.id {
        return Err(AppError::forbidden());
    }
    let amount = rules::parse_top_up(amount_fen)?;
    // Refunds reach a deactivated account's wallet; new money at the counter does not.
    if crate::accounts::load_me(&db.pool, user_id).await?.is_none() {
        return Err(AppError::not_found());
    }
    let key = key.map(idempotency::parse_key).transpose()?;
    let request = (user_id, amount, store_id);
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

/// Whether `me` may correct an entry booked at `store_id`: its counter's staff, or the owner
/// (the only one for an entry booked without a store).
pub fn may_correct(me: &Me, store_id: Option<i64>) -> bool {
    match store_id {
        Some(s) => crate::accounts::rules::may_act(&me.roles, s, COUNTER_ROLES),
        None => me.has(Role::Owner),
    }
}

/// Corrects a mistaken counter top-up with a reversing entry (never by editing it). Staff of
/// the store that took the money, or the owner; anyone else gets 404, as for an entry that
/// does not exist. Reversed once however often it is asked; refused while the resident has
/// spent part of it.
#[tracing::instrument(skip_all, fields(staff = staff.id, entry_id))]
pub async fn reverse(db: &Db, staff: &Me, entry_id: i64) -> Result<Balance, AppError> {
    let mut tx = db.begin_write().await?;
    let original = store::entry(&mut tx, entry_id).await?.ok_or_else(AppError::not_found)?;
    if !may_correct(staff, original.store_id) {
        return Err(AppError::not_found());
    }
    if original.kind != EntryKind::TopUp.as_str() {
        return Err(AppError::new(ErrorCode::NotReversible));
    }
    match store::reverse(&mut tx, &original, staff.id, original.store_id).await? {
        Reversed::Done(entry_id, wallet_fen) => {
            tx.commit().await?;
            tracing::info!(amount_fen = original.amount_fen, "top-up reversed");
            Ok(Balance { user_id: original.user_id, wallet_fen, entry_id })
        }
        Reversed::Already => Err(AppError::new(ErrorCode::AlreadyReversed)),
        Reversed::NotCovered => Err(AppError::new(ErrorCode::ReversalNotCovered)),
    }
}

/// A fresh payment code (付款码) for the signed-in member: one use, about a minute. Making
/// codes is limited per member (a page refreshes one a minute), so nobody can mint them in
/// bulk.
#[tracing::instrument(skip_all, fields(user_id = me.id))]
pub async fn issue_pay_code(db: &Db, me: &Me) -> Result<PayCode, AppError> {
    let now = now_ms();
    if store::pay_codes_since(&db.pool, me.id, now - rules::PAY_CODE_WINDOW_MS).await? >= rules::MAX_PAY_CODES {
        return Err(AppError::new(ErrorCode::TooManyAttempts));
    }
    let mut buf = [0u8; 8];
    getrandom::getrandom(&mut buf).map_err(AppError::internal)?;
    let code = rules::pay_code_from(u64::from_le_bytes(buf));
    let expires = now + rules::PAY_CODE_TTL_MS;
    store::insert_pay_code(&db.pool, &crate::server::sha256_hex(&code), me.id, now, expires).await?;
    let wallet_fen = crate::accounts::load_me(&db.pool, me.id).await?.map_or(me.wallet_fen, |m| m.wallet_fen);
    Ok(PayCode { code, expires_at: rfc3339(expires), valid_s: rules::PAY_CODE_TTL_MS / 1000, wallet_fen })
}

/// Wrong, used or expired payment codes per staff account at the till.
pub const PAY_CODE_GUESSES: crate::accounts::service::GuessLimit =
    crate::accounts::service::GuessLimit { scope: "pay_code", max: rules::MAX_WRONG_PAY_CODES, window_ms: rules::WRONG_PAY_CODE_WINDOW_MS };

/// Counts a wrong, used or expired payment code against the staff account that scanned it;
/// the refusal says how many tries are left.
pub async fn record_wrong_pay_code(db: &Db, staff_id: i64) -> Result<AppError, AppError> {
    let left = PAY_CODE_GUESSES.miss(db, staff_id).await?;
    Ok(AppError::field(ErrorCode::PayCodeInvalid, "pay_code").with_details(serde_json::json!({ "tries_left": left })))
}

/// Redeems a payment code inside a sale's transaction: the member who consented, or `None`.
pub async fn redeem_pay_code(conn: &mut sqlx::AnyConnection, code: &str, store_id: i64) -> Result<Option<i64>, AppError> {
    store::redeem_pay_code(conn, &crate::server::sha256_hex(code), store_id, now_ms()).await
}

/// Ties a redeemed code to its sale.
pub async fn pay_code_paid(conn: &mut sqlx::AnyConnection, code: &str, sale_id: i64) -> Result<(), AppError> {
    store::pay_code_paid(conn, &crate::server::sha256_hex(code), sale_id).await
}

/// Housekeeping: forget codes that expired unused a day ago.
pub async fn purge_old_pay_codes(db: &Db) -> Result<u64, AppError> {
    store::purge_pay_codes(&db.pool, now_ms() - 86_400_000).await
}
