//! Stock and till server functions for the back-office pages; the JSON API calls the same
//! service. Each form bounces back with its error and what was typed when JavaScript is off.
use super::model::{ReceiptView, StockItemView, StockView, TillView};
use crate::shared::AppError;
use leptos::prelude::*;

/// The most ledger rows the stock page shows.
pub const LEDGER_ROWS: i64 = 40;

/// The stock page: the store's products with their levels (optionally only the low ones, or
/// those matching `q`), and the store's latest movements.
#[server(prefix = "/api", endpoint = "staff_stock")]
pub async fn load_stock(store: Option<i64>, low: Option<String>, q: Option<String>) -> Result<StockView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (stores, chosen) = crate::stores::api::working_stores(&state.db, &me, super::STOCK_ROLES, store).await?;
    let mut lines = super::service::lines(&state.db, chosen.id, crate::server::request::page_zh()?).await?;
    let low_count = lines.iter().filter(|l| l.low).count();
    if low.as_deref() == Some("1") {
        lines.retain(|l| l.low);
    }
    if let Some(q) = crate::catalog::rules::search_term(q.as_deref()).as_deref() {
        lines.retain(|l| l.name.contains(q) || l.category.contains(q));
    }
    Ok(StockView {
        stores,
        store_id: chosen.id,
        store_name: chosen.name,
        lines,
        low: low_count,
        movements: super::service::ledger(&state.db, &me, chosen.id, None, LEDGER_ROWS).await?,
    })
}

/// One product's stock at a store, with its ledger.
#[server(prefix = "/api", endpoint = "staff_stock_item")]
pub async fn load_stock_item(store: Option<i64>, product: i64) -> Result<StockItemView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (_, chosen) = crate::stores::api::working_stores(&state.db, &me, super::STOCK_ROLES, store).await?;
    let line = super::service::lines(&state.db, chosen.id, crate::server::request::page_zh()?).await?.into_iter().find(|l| l.product_id == product).ok_or_else(AppError::not_found)?;
    Ok(StockItemView {
        store_id: chosen.id,
        store_name: chosen.name,
        line,
        movements: super::service::ledger(&state.db, &me, chosen.id, Some(product), LEDGER_ROWS).await?,
        may_set_threshold: crate::accounts::rules::may_act(&me.roles, chosen.id, super::service::THRESHOLD_ROLES),
        key: crate::server::random_token()?,
    })
}

/// 进货 / 损耗报废 / 退回供应商 from a product's card: a positive number and why.
#[server(prefix = "/api", endpoint = "staff_book_stock")]
pub async fn book_stock(store_id: i64, product_id: i64, key: String, reason: String, qty: String, note: String, #[server(default)] unit_cost: String) -> Result<super::StockLevel, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let (reason, delta) = super::rules::parse_quantity_move(&reason, &qty)?;
        let cost = super::rules::parse_unit_cost(reason, &unit_cost)?;
        super::service::book(&state.db, &me, store_id, product_id, reason, delta, &note, cost, Some(&key)).await
    }
    .await;
    match &result {
        Err(e) => {
            let product = product_id.to_string();
            crate::server::form::bounce_back(e, &[("open", &product), ("reason", &reason), ("qty", &qty), ("note", &note), ("unit_cost", &unit_cost)]);
        }
        // A clean address: without JavaScript the page would otherwise come back to the
        // one a previous refusal left, error and old values included.
        Ok(_) => leptos_axum::redirect(&format!("/admin/stock/{product_id}?store={store_id}&saved=1")),
    }
    result
}

/// 盘点: what the shelf holds, against what the card showed on hand (`seen`).
#[server(prefix = "/api", endpoint = "staff_count_stock")]
pub async fn count_stock(store_id: i64, product_id: i64, counted: String, seen: i64, note: String) -> Result<super::StockLevel, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let n = super::rules::parse_count(&counted)?;
        super::service::count(&state.db, &me, store_id, product_id, n, Some(seen), &note).await
    }
    .await;
    match &result {
        Err(e) => {
            let product = product_id.to_string();
            crate::server::form::bounce_back(e, &[("open", &product), ("counted", &counted), ("note", &note)]);
        }
        // A clean address: without JavaScript the page would otherwise come back to the
        // one a previous refusal left, error and old values included.
        Ok(_) => leptos_axum::redirect(&format!("/admin/stock/{product_id}?store={store_id}&saved=1")),
    }
    result
}

/// A product's alert level (empty: back to the default).
#[server(prefix = "/api", endpoint = "staff_stock_alert")]
pub async fn set_stock_alert(store_id: i64, product_id: i64, low_at: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let level = super::rules::parse_low_at(&low_at)?;
        super::service::set_low_at(&state.db, &me, store_id, product_id, level).await
    }
    .await;
    match &result {
        Err(e) => {
            let product = product_id.to_string();
            crate::server::form::bounce_back(e, &[("open", &product), ("low_at", &low_at)]);
        }
        // A clean address: without JavaScript the page would otherwise come back to the
        // one a previous refusal left, error and old values included.
        Ok(_) => leptos_axum::redirect(&format!("/admin/stock/{product_id}?store={store_id}&saved=1")),
    }
    result
}

/// The till: what the store can sell now (bundles too), the basket from the URL priced now,
/// a fresh key for the sale, and the latest sales.
#[server(prefix = "/api", endpoint = "staff_till")]
pub async fn load_till(store: Option<i64>, basket: Option<String>, q: Option<String>, t: Option<String>) -> Result<TillView, AppError> {
    use super::model::{TillLine, TillProduct};
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (stores, chosen) = crate::stores::api::working_stores(&state.db, &me, super::STOCK_ROLES, store).await?;
    let q = crate::catalog::rules::search_term(q.as_deref());
    let shelf = crate::catalog::list_for_store(&state.db.pool, chosen.id, None, None).await?;
    let basket: Vec<TillLine> = super::rules::parse_basket(basket.as_deref().unwrap_or(""))
        .into_iter()
        .filter_map(|(id, qty)| {
            let p = shelf.iter().find(|p| p.id == id)?;
            Some(TillLine { product_id: id, name: p.name.clone(), unit: p.unit.clone(), price_fen: p.price_fen, qty, available: p.available.max(0) })
        })
        .collect();
    let total_fen = basket.iter().map(|l| l.price_fen * l.qty).sum();
    // A basket has a token in its URL from its first tap (`t=`); the sale's key comes from the
    // token and the basket, so the same page submitted again — Back after a sale, a resent
    // form — replays the first receipt instead of selling twice. A new basket gets a new token.
    let token = match t {
        Some(t) if t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) => t,
        _ => crate::server::random_token()?,
    };
    let lines: Vec<String> = basket.iter().map(|l| format!("{}:{}", l.product_id, l.qty)).collect();
    let key = crate::server::sha256_hex(&format!("till|{}|{token}|{}", chosen.id, lines.join(",")))[..40].to_string();
    let products = shelf
        .into_iter()
        .filter(|p| q.as_deref().is_none_or(|q| p.name.contains(q) || p.origin.contains(q)))
        .map(|p| TillProduct { product_id: p.id, name: p.name, unit: p.unit, category: p.category, price_fen: p.price_fen, regular_price_fen: p.regular_price_fen, available: p.available.max(0) })
        .collect();
    Ok(TillView {
        stores,
        store_id: chosen.id,
        store_name: chosen.name,
        products,
        basket,
        total_fen,
        key,
        token,
        recent: super::store::recent_sales(&state.db.pool, chosen.id, 10).await?,
    })
}

/// 收款: sells the basket; back to the till with the receipt shown and the basket empty.
#[server(prefix = "/api", endpoint = "staff_till_sell")]
pub async fn sell_at_till(store_id: i64, key: String, basket: String, payment: String, pay_code: Option<String>, cash_received: Option<String>) -> Result<i64, AppError> {
    let code = pay_code.unwrap_or_default();
    let cash = cash_received.unwrap_or_default();
    let result = async {
        use super::model::{CounterSaleRequest, SaleItem, TillPayment};
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let payment = TillPayment::parse(&payment).ok_or_else(|| AppError::field(crate::shared::ErrorCode::BadRequest, "payment"))?;
        let items = super::rules::parse_basket(&basket).into_iter().map(|(product_id, qty)| SaleItem { product_id, qty }).collect();
        let cash_received_fen = if payment == TillPayment::Cash { super::rules::parse_cash_received(&cash)? } else { None };
        let req = CounterSaleRequest { items, payment, pay_code: Some(code.clone()).filter(|c| !c.trim().is_empty()), cash_received_fen };
        super::service::sell(&state.db, &me, store_id, &req, &key).await.map_err(|e| {
            // The page's key belongs to this basket (see `load_till`): the same key for other
            // goods or another payment means this basket was paid already (the page came back
            // with Back) — say so rather than name the key.
            if e.code == crate::shared::ErrorCode::IdempotencyKeyReused { AppError::new(crate::shared::ErrorCode::SaleAlreadyTaken) } else { e }
        })
    }
    .await;
    // A refused code is shown again to be checked; a good one (refused for the balance, say)
    // still pays for a minute and stays out of the address bar and the logs.
    let shown = if result.as_ref().is_err_and(|e| e.code == crate::shared::ErrorCode::PayCodeInvalid) { code.as_str() } else { "" };
    to_receipt(store_id, result, &[("payment", &payment), ("pay_code", shown), ("cash_received", &cash)])
}

/// After 收款 or 退款: the till with the receipt shown, or the form again with what was typed.
#[cfg(feature = "ssr")]
fn to_receipt(store_id: i64, result: Result<super::model::Receipt, AppError>, keep: &[(&str, &str)]) -> Result<i64, AppError> {
    match result {
        Ok(receipt) => {
            leptos_axum::redirect(&format!("/admin/till?store={store_id}&sale={}", receipt.id));
            Ok(receipt.id)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, keep);
            Err(e)
        }
    }
}

/// A till sale's receipt (小票), and whether the reader may refund it.
#[server(prefix = "/api", endpoint = "staff_receipt")]
pub async fn load_receipt(id: i64) -> Result<ReceiptView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let receipt = super::service::receipt(&state.db, &me, id).await?;
    let may_refund = super::service::may_refund(&me, receipt.store_id);
    Ok(ReceiptView { receipt, may_refund })
}

/// 确认退款: gives back the chosen lines (`lines` as in the till's basket: `12:2,15:1`) of a
/// sale; back to its receipt, now marked 已退款.
#[server(prefix = "/api", endpoint = "staff_till_refund")]
pub async fn refund_at_till(store_id: i64, sale_id: i64, lines: String, note: String) -> Result<i64, AppError> {
    let result = async {
        use super::model::{SaleItem, TillRefundRequest};
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let items = super::rules::parse_basket(&lines).into_iter().map(|(product_id, qty)| SaleItem { product_id, qty }).collect();
        let req = TillRefundRequest { items: Some(items), note: note.clone() };
        // A sale is refunded once, so its refund has one key: a second tap replays the first,
        // and the same page sent again with other lines is told it was refunded already.
        super::service::refund(&state.db, &me, sale_id, &req, &format!("till-refund-{sale_id}")).await.map_err(|e| {
            if e.code == crate::shared::ErrorCode::IdempotencyKeyReused { AppError::new(crate::shared::ErrorCode::AlreadyRefunded) } else { e }
        })
    }
    .await;
    to_receipt(store_id, result, &[("note", &note)])
}
