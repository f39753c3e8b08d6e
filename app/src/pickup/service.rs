//! The desk's actions. Wrong codes are counted per staff account in the same failure table
//! as logins (scope `pickup_code`), and every check is written to the audit.
use super::rules::{self, MAX_WRONG_CODES, WINDOW_MS};
use super::store;
use crate::accounts::service::GuessLimit;
use crate::accounts::Me;
use crate::orders::flow::{desk_may, staff_orders};
use crate::orders::model::{OrderStatus, StaffOrder};
use crate::orders::{self as orders_store, QueueFilter};
use crate::server::Db;
use crate::shared::time::now_ms;
use crate::shared::{AppError, ErrorCode};

/// Wrong pickup codes (and phone tails) per staff account.
const GUESSES: GuessLimit = GuessLimit { scope: "pickup_code", max: MAX_WRONG_CODES, window_ms: WINDOW_MS };

/// Refuses (429) a person who has tried too many wrong codes lately.
pub async fn check_throttle(db: &Db, staff_id: i64) -> Result<(), AppError> {
    GUESSES.check(db, staff_id).await
}

/// Counts a wrong code against the person and audits it; returns how many tries are left
/// before the desk stops them, for the clerk to see.
pub async fn record_wrong(db: &Db, staff_id: i64, store_id: i64, code: &str) -> Result<i64, AppError> {
    store::audit(&db.pool, store_id, staff_id, code, None, "wrong").await?;
    GUESSES.miss(db, staff_id).await
}

fn tries_left(e: AppError, left: i64) -> AppError {
    e.with_details(serde_json::json!({ "tries_left": left }))
}

fn staff_here(me: &Me, store_id: i64) -> Result<(), AppError> {
    if desk_may(me, store_id) { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Finds the ready pickup order showing `code` at this store. A code from another store, a
/// delivery order's code or no match at all is the same 404 (and counts as a wrong guess);
/// a real order that is still being picked says so (409) without counting.
#[tracing::instrument(skip(db, me, raw_code), fields(staff_id = me.id))]
pub async fn verify(db: &Db, me: &Me, store_id: i64, raw_code: &str) -> Result<StaffOrder, AppError> {
    staff_here(me, store_id)?;
    if let Err(e) = check_throttle(db, me.id).await {
        store::audit(&db.pool, store_id, me.id, raw_code.chars().take(12).collect::<String>().as_str(), None, "throttled").await?;
        tracing::warn!(store_id, "pickup code guessing throttled");
        return Err(e);
    }
    let code = rules::parse_code(raw_code)?;
    let mut conn = db.pool.acquire().await?;
    let found = orders_store::find_open_by_code(&mut conn, store_id, &code).await?.filter(|r| r.fulfillment == "pickup");
    drop(conn);
    let Some(row) = found else {
        // A code handed over a moment ago, typed again: say so, it is no guess.
        if let Some((id, number, at)) = store::collected_with_code(&db.pool, store_id, &code, now_ms() - rules::COLLECTED_MEMORY_MS).await? {
            store::audit(&db.pool, store_id, me.id, &code, Some(id), "collected").await?;
            let details = serde_json::json!({ "order_id": id, "number": number, "collected_at": crate::shared::time::rfc3339(at) });
            return Err(AppError::field(ErrorCode::AlreadyCollected, "code").with_details(details));
        }
        let left = record_wrong(db, me.id, store_id, &code).await?;
        return Err(tries_left(AppError::field(ErrorCode::PickupCodeNotFound, "code"), left));
    };
    if row.status != OrderStatus::Ready.as_str() {
        store::audit(&db.pool, store_id, me.id, &code, Some(row.id), "not_ready").await?;
        return Err(AppError::new(ErrorCode::OrderNotReady).with_details(serde_json::json!({ "order_id": row.id, "status": row.status })));
    }
    store::audit(&db.pool, store_id, me.id, &code, Some(row.id), "ok").await?;
    GUESSES.clear(db, me.id).await?;
    staff_orders(db, vec![row]).await?.pop().ok_or_else(AppError::not_found)
}

/// The ready pickup orders at the desk, optionally only a phone tail's (尾号 0003).
/// A tail that matches nothing counts as a wrong guess, like a code.
pub async fn ready(db: &Db, me: &Me, store_id: i64, phone_tail: Option<&str>) -> Result<Vec<StaffOrder>, AppError> {
    staff_here(me, store_id)?;
    let tail = match phone_tail.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            check_throttle(db, me.id).await?;
            Some(rules::parse_phone_tail(t)?)
        }
        None => None,
    };
    let filter = QueueFilter { status: Some("ready"), fulfillment: Some("pickup"), pickup_date: None, phone_tail: tail.as_deref() };
    // Every ready order is on the shelf, whatever its day: one made ready early may be
    // collected early, and yesterday's stays until it turns no-show.
    let rows = orders_store::queue(&db.pool, store_id, &filter, 200).await?;
    if let Some(t) = &tail {
        let label = format!("尾号{t}");
        if rows.is_empty() {
            record_wrong(db, me.id, store_id, &label).await?;
        } else {
            store::audit(&db.pool, store_id, me.id, &label, rows.first().map(|r| r.id), "ok").await?;
        }
    }
    staff_orders(db, rows).await
}

/// How the clerk knows the person at the desk is the order's resident.
#[derive(Clone, Debug, Default)]
pub struct Proof {
    /// The 6-digit pickup code, or the phone's last four digits, as told at the desk.
    pub code_or_tail: Option<String>,
    /// A manager's reason for handing over without either (audited).
    pub override_reason: Option<String>,
}

/// 确认取货 at the desk: a ready pickup order goes to the person who proved it is theirs — its
/// code checked by this clerk in the last quarter of an hour, the code or phone tail given now,
/// or a manager's override with a reason, written to the audit. A wrong code or tail counts
/// towards the desk's throttle. Delivery orders are confirmed by their rider's code instead.
#[tracing::instrument(skip(db, me, proof), fields(staff_id = me.id))]
pub async fn hand_over(db: &Db, me: &Me, id: i64, proof: &Proof) -> Result<crate::orders::OrderRow, AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = orders_store::find(&mut conn, id).await?.filter(|r| desk_may(me, r.store_id)).ok_or_else(AppError::not_found)?;
    drop(conn);
    if row.fulfillment == "pickup" && row.status == OrderStatus::Ready.as_str() {
        prove(db, me, &row, proof).await?;
    }
    crate::orders::flow::hand_over(db, me, id).await
}

async fn prove(db: &Db, me: &Me, row: &crate::orders::OrderRow, proof: &Proof) -> Result<(), AppError> {
    let store_id = row.store_id;
    if store::verified_since(&db.pool, row.id, me.id, now_ms() - rules::PROOF_VALID_MS).await? {
        return Ok(());
    }
    if let Some(raw) = proof.code_or_tail.as_deref().map(crate::shared::digits::ascii_digits).filter(|s| !s.is_empty()) {
        check_throttle(db, me.id).await?;
        let phone = crate::accounts::load_me(&db.pool, row.user_id).await?.map(|u| u.phone).unwrap_or_default();
        let matches = match raw.len() {
            6 => row.pickup_code == raw,
            4 => crate::orders::lifecycle::phone_tail(&phone) == raw,
            _ => return Err(AppError::field(ErrorCode::InvalidPickupCode, "proof")),
        };
        if !matches {
            let left = record_wrong(db, me.id, store_id, &raw).await?;
            return Err(tries_left(AppError::field(ErrorCode::PickupProofMismatch, "proof"), left));
        }
        return store::audit(&db.pool, store_id, me.id, &raw, Some(row.id), "proof").await;
    }
    if let Some(reason) = proof.override_reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        if !crate::accounts::rules::may_act(&me.roles, store_id, &[crate::accounts::Role::Manager]) {
            return Err(AppError::field(ErrorCode::PickupProofRequired, "proof"));
        }
        let reason: String = reason.chars().filter(|c| !c.is_control()).take(crate::orders::lifecycle::MAX_REASON_CHARS).collect();
        tracing::warn!(order_id = row.id, store_id, "hand-over without a code: manager's override");
        return store::audit_noted(&db.pool, store_id, me.id, "", Some(row.id), "override", &reason).await;
    }
    Err(AppError::field(ErrorCode::PickupProofRequired, "proof"))
}

/// Whether this clerk checked the order's code at the desk lately (the desk then needs no more).
pub async fn verified(db: &Db, me: &Me, order_id: i64) -> Result<bool, AppError> {
    store::verified_since(&db.pool, order_id, me.id, now_ms() - rules::PROOF_VALID_MS).await
}
