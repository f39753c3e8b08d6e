//! Customer lookups for the counter, shared by the back-office pages and the JSON API. Staff
//! see residents at the stores they work at; the orders shown are that store's only.
use super::model::{CustomerHit, CustomerOrder, CustomerView, WalletLine};
use super::rules::{self, MAX_HITS};
use super::store;
use crate::accounts::rules::may_act;
use crate::accounts::Me;
use crate::orders::model::OrderStatus;
use crate::server::Db;
use crate::shared::time::rfc3339;
use crate::shared::{AppError, Phone};
use crate::wallet::model::EntryKind;
use crate::wallet::COUNTER_ROLES;

/// How much of the history a customer's page shows.
const HISTORY: i64 = 30;

fn masked(phone: &str) -> String {
    Phone::parse(phone).map(|p| p.masked()).unwrap_or_else(|_| "****".to_string())
}

fn hit(r: store::CustomerRow) -> CustomerHit {
    CustomerHit { id: r.id, name: r.name, phone: masked(&r.phone), wallet_fen: r.wallet_fen, orders_here: r.orders_here }
}

/// Residents matching `q` (a name, or 4+ digits of the phone). Empty for an empty search.
pub async fn search(db: &Db, me: &Me, store_id: i64, q: &str) -> Result<Vec<CustomerHit>, AppError> {
    if !may_act(&me.roles, store_id, COUNTER_ROLES) {
        return Err(AppError::forbidden());
    }
    let Some(q) = rules::parse_query(q)? else { return Ok(Vec::new()) };
    Ok(store::search(&db.pool, store_id, &q, MAX_HITS).await?.into_iter().map(hit).collect())
}

/// A resident's page at a store: wallet and its ledger, the orders there, the notes.
pub async fn profile(db: &Db, me: &Me, store_id: i64, store_name: String, user_id: i64) -> Result<CustomerView, AppError> {
    if !may_act(&me.roles, store_id, COUNTER_ROLES) {
        return Err(AppError::forbidden());
    }
    let c = store::customer(&db.pool, store_id, user_id).await?.ok_or_else(AppError::not_found)?;
    let entries = crate::wallet::entries(&db.pool, user_id, HISTORY)
        .await?
        .into_iter()
        .map(|e| {
            let kind = EntryKind::parse(&e.kind).unwrap_or(EntryKind::Payment);
            let may = crate::wallet::service::may_correct(me, e.store_id);
            WalletLine {
                id: e.id,
                at: rfc3339(e.created_at_ms),
                amount_fen: e.amount_fen,
                balance_after_fen: e.balance_after_fen,
                kind,
                store_name: e.store_name,
                by: e.by_name,
                order_id: e.order_id,
                reverses_id: e.reverses_id,
                reversed_by: e.reversed_by,
                reversible: kind == EntryKind::TopUp && e.reversed_by.is_none() && may && c.wallet_fen >= e.amount_fen,
            }
        })
        .collect();
    let orders = store::orders_at(&db.pool, user_id, store_id, HISTORY)
        .await?
        .into_iter()
        .filter_map(|o| {
            Some(CustomerOrder {
                id: o.id,
                number: o.number?,
                status: OrderStatus::parse(&o.status)?,
                delivery: o.fulfillment == "delivery",
                total_fen: o.total_fen,
                placed_at: rfc3339(o.created_at_ms),
            })
        })
        .collect();
    let notes = crate::accounts::notes_of(&db.pool, &[user_id]).await?.into_iter().map(|(_, n)| n).collect();
    Ok(CustomerView {
        store_id,
        store_name,
        id: c.id,
        name: c.name,
        phone: masked(&c.phone),
        wallet_fen: c.wallet_fen,
        orders_here: c.orders_here,
        entries,
        orders,
        notes,
        top_up_key: crate::server::random_token()?,
        reset: None,
    })
}

/// 忘记密码 at the counter: a one-time reset code for a resident of this store, after the
/// staff member has checked who is asking (see `accounts::service::issue_reset`).
pub async fn issue_password_reset(db: &Db, me: &Me, store_id: i64, user_id: i64) -> Result<crate::accounts::service::IssuedReset, AppError> {
    if !may_act(&me.roles, store_id, COUNTER_ROLES) {
        return Err(AppError::forbidden());
    }
    crate::accounts::service::issue_reset(db, me, store_id, user_id).await
}
