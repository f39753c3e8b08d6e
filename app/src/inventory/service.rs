//! Stock actions shared by the back-office pages and the JSON API: each checks that the
//! asker works at the store, then runs as one write transaction.
use super::model::{CounterSaleRequest, StockMovement, Receipt, ReceiptLine, ReceiptRefund, StockLevel, StockLine, StockReason, TillPayment, TillRefundRequest};
use super::store::{self, Move, Moved};
use super::rules;
use super::rules::STOCK_ROLES;
use crate::accounts::{Me, Role};
use crate::catalog::rules::stock_needs;
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::time::{local_time, rfc3339};
use crate::shared::{AppError, ErrorCode};
use crate::wallet::model::EntryKind;

/// Who sets a product's alert level.
pub const THRESHOLD_ROLES: &[Role] = &[Role::Manager];
const SALE_SCOPE: &str = "till.sale";
const REFUND_SCOPE: &str = "till.refund";
/// Who may give money back at the till (the owner too, as everywhere).
pub const REFUND_ROLES: &[Role] = &[Role::Manager];
const BOOK_SCOPE: &str = "stock.book";

pub fn may_book(me: &Me, store_id: i64) -> bool {
    crate::accounts::rules::may_act(&me.roles, store_id, STOCK_ROLES)
}

/// A store's stock ledger, newest first (one product's, or every product's), for those who
/// book stock there. The stock pages and `GET /api/v1/staff/stores/{id}/stock/movements` read it.
pub async fn ledger(db: &Db, me: &Me, store_id: i64, product_id: Option<i64>, limit: i64) -> Result<Vec<StockMovement>, AppError> {
    if !may_book(me, store_id) {
        return Err(AppError::forbidden());
    }
    store::movements(&db.pool, store_id, product_id, limit).await
}

pub fn may_refund(me: &Me, store_id: i64) -> bool {
    crate::accounts::rules::may_act(&me.roles, store_id, REFUND_ROLES)
}

fn level(product_id: i64, m: Moved) -> StockLevel {
    StockLevel { product_id, on_hand: m.on_hand, reserved: m.reserved, available: m.on_hand - m.reserved, movement_id: Some(m.movement_id) }
}

/// What a refused movement tells the person: what the shelf has and what orders hold (409
/// insufficient_stock; also the markdown page's 日清 write-off).
pub async fn short(db: &Db, store_id: i64, product_id: i64) -> Result<AppError, AppError> {
    let mut conn = db.pool.acquire().await?;
    let (on_hand, reserved) = store::level(&mut conn, store_id, product_id).await?.unwrap_or((0, 0));
    Ok(AppError::new(ErrorCode::InsufficientStock)
        .with_details(serde_json::json!({ "product_id": product_id, "on_hand": on_hand, "reserved": reserved, "available": on_hand - reserved })))
}

/// Books a movement by hand (进货, 损耗, 盘点 by difference, 退货). The shelf never goes below
/// what online orders hold, so never below zero: such a movement is refused (409) and
/// nothing changes. With a key, a resent form or a retry books once and answers the same.
#[tracing::instrument(skip_all, fields(staff = me.id, store_id, product_id, delta))]
#[allow(clippy::too_many_arguments)]
pub async fn book(db: &Db, me: &Me, store_id: i64, product_id: i64, reason: StockReason, delta: i64, note: &str, unit_cost_fen: Option<i64>, key: Option<&str>) -> Result<StockLevel, AppError> {
    if !may_book(me, store_id) {
        return Err(AppError::forbidden());
    }
    let delta = rules::check_delta(reason, delta)?;
    let note = rules::parse_note(note)?;
    // What a delivery cost (进货价): the owner's margins read it; other movements have none.
    let unit_cost_fen = if reason == StockReason::Receive { rules::check_unit_cost(unit_cost_fen)? } else { None };
    let key = key.map(idempotency::parse_key).transpose()?;
    let mut tx = db.begin_write().await?;
    let request = (store_id, product_id, reason.as_str(), delta, &note, unit_cost_fen);
    if let Some(key) = &key
        && let Claim::Replay(saved) = idempotency::claim::<StockLevel>(&mut tx, me.id, BOOK_SCOPE, key, &request).await?
    {
        tx.commit().await?;
        return Ok(saved);
    }
    if !crate::catalog::stockable(&mut tx, store_id, product_id).await? {
        return Err(AppError::not_found());
    }
    let m = Move { store_id, product_id, delta, reason, note: &note, by_user_id: Some(me.id), order_id: None, sale_id: None };
    let moved = store::apply(&mut tx, &m).await?;
    // Asked again once the stock row is written (and so locked): a product turned into a
    // bundle meanwhile is seen as one now, and the booking is undone.
    if !crate::catalog::stockable(&mut tx, store_id, product_id).await? {
        tx.rollback().await?;
        return Err(AppError::not_found());
    }
    let Some(moved) = moved else {
        tx.rollback().await?;
        return Err(short(db, store_id, product_id).await?);
    };
    if let Some(cost) = unit_cost_fen {
        store::set_unit_cost(&mut tx, store_id, product_id, moved.movement_id, cost).await?;
    }
    let booked = level(product_id, moved);
    if let Some(key) = &key {
        idempotency::remember(&mut tx, me.id, BOOK_SCOPE, key, &booked).await?;
    }
    tx.commit().await?;
    tracing::info!(reason = reason.as_str(), on_hand = moved.on_hand, "stock booked");
    Ok(booked)
}

/// A count (盘点): the shelf holds `counted`; the page showed `seen` on hand when the count
/// began. If anything sold or arrived since, the count is refused (409 stock_changed) rather
/// than silently undoing that movement.
#[tracing::instrument(skip_all, fields(staff = me.id, store_id, product_id, counted))]
pub async fn count(db: &Db, me: &Me, store_id: i64, product_id: i64, counted: i64, seen: Option<i64>, note: &str) -> Result<StockLevel, AppError> {
    if !may_book(me, store_id) {
        return Err(AppError::forbidden());
    }
    let note = rules::parse_note(note)?;
    let mut tx = db.begin_write().await?;
    if !crate::catalog::stockable(&mut tx, store_id, product_id).await? {
        return Err(AppError::not_found());
    }
    let existing = store::level(&mut tx, store_id, product_id).await?;
    let (on_hand, reserved) = existing.unwrap_or((0, 0));
    let seen = seen.unwrap_or(on_hand);
    if seen != on_hand {
        return Err(AppError::field(ErrorCode::StockChanged, "counted").with_details(serde_json::json!({ "on_hand": on_hand })));
    }
    if counted < reserved {
        // Orders hold more than the shelf has: staff must cancel or short those orders first.
        return Err(AppError::field(ErrorCode::CountBelowHeld, "counted").with_details(serde_json::json!({ "reserved": reserved })));
    }
    let delta = counted - on_hand;
    if delta == 0 {
        return Ok(StockLevel { product_id, on_hand, reserved, available: on_hand - reserved, movement_id: None });
    }
    let m = Move { store_id, product_id, delta, reason: StockReason::Count, note: &note, by_user_id: Some(me.id), order_id: None, sale_id: None };
    // A product the store never stocked has no row to compare against: the count creates it,
    // unless one appeared since it was read.
    let moved = if existing.is_none() {
        store::open_counted(&mut tx, &m).await?
    } else {
        store::apply_count(&mut tx, &m, seen).await?
    };
    let Some(moved) = moved else {
        return Err(AppError::field(ErrorCode::StockChanged, "counted"));
    };
    tx.commit().await?;
    Ok(level(product_id, moved))
}

/// A manager sets (or clears) a product's alert level at a store.
pub async fn set_low_at(db: &Db, me: &Me, store_id: i64, product_id: i64, low_at: Option<i64>) -> Result<(), AppError> {
    if !crate::accounts::rules::may_act(&me.roles, store_id, THRESHOLD_ROLES) {
        return Err(AppError::forbidden());
    }
    let mut conn = db.pool.acquire().await?;
    if !crate::catalog::stockable(&mut conn, store_id, product_id).await? {
        return Err(AppError::not_found());
    }
    drop(conn);
    store::set_low_at(&db.pool, store_id, product_id, low_at).await
}

/// The store's stock, low lines first flagged, in category order.
pub async fn lines(db: &Db, store_id: i64, zh: bool) -> Result<Vec<StockLine>, AppError> {
    let default_low = crate::catalog::rules::LOW_STOCK_HINT;
    Ok(store::levels(&db.pool, store_id, zh)
        .await?
        .into_iter()
        .map(|r| {
            let available = r.on_hand - r.reserved;
            let low_at = r.low_at.unwrap_or(default_low);
            StockLine {
                product_id: r.product_id,
                name: r.name,
                unit: r.unit,
                category: r.category,
                on_hand: r.on_hand,
                reserved: r.reserved,
                available,
                low_at,
                low: rules::is_low(available, low_at),
            }
        })
        .collect())
}

/// Sells at the till from the shelf the storefront sells from: one transaction for the sale,
/// its lines, one conditional statement per stock row (a bundle takes its parts) that never
/// touches units online orders hold, a ledger row each, and for a member the wallet payment.
/// With the same key a double tap or a retry sells once and shows the same receipt.
#[tracing::instrument(skip_all, fields(staff = me.id, store_id))]
pub async fn sell(db: &Db, me: &Me, store_id: i64, req: &CounterSaleRequest, key: &str) -> Result<Receipt, AppError> {
    if !may_book(me, store_id) {
        return Err(AppError::forbidden());
    }
    let key = idempotency::parse_key(key)?;
    let items: Vec<(i64, i64)> = req.items.iter().map(|i| (i.product_id, i.qty)).collect();
    let lines = rules::normalize_sale(&items)?;
    // A wallet payment needs the member's consent: the one-time code from their phone.
    let pay_code = match req.payment {
        TillPayment::Wallet => {
            let code = crate::wallet::rules::parse_pay_code(req.pay_code.as_deref().unwrap_or(""))?;
            crate::wallet::service::PAY_CODE_GUESSES.check(db, me.id).await?;
            Some(code)
        }
        TillPayment::Cash | TillPayment::Qr => None,
    };
    // The code is kept in the fingerprint only as its hash.
    let request = (store_id, &lines, req.payment, pay_code.as_deref().map(crate::server::sha256_hex));
    let mut tx = db.begin_write().await?;
    if let Claim::Replay(sale_id) = idempotency::claim::<i64>(&mut tx, me.id, SALE_SCOPE, &key, &request).await? {
        tx.commit().await?;
        return receipt(db, me, sale_id).await;
    }
    let customer = match &pay_code {
        Some(code) => {
            let Some(user_id) = crate::wallet::service::redeem_pay_code(&mut tx, code, store_id).await? else {
                tx.rollback().await?;
                return Err(crate::wallet::service::record_wrong_pay_code(db, me.id).await?);
            };
            Some(user_id)
        }
        None => None,
    };
    let priced = crate::catalog::priced_lines(&mut tx, store_id, &lines).await?;
    let total_fen: i64 = priced.iter().map(|(p, q)| p.price_fen * q).sum();
    let cash_received_fen = match req.payment {
        TillPayment::Cash => match rules::check_cash_received(req.cash_received_fen, total_fen) {
            Ok(received) => received,
            Err(e) => {
                tx.rollback().await?;
                return Err(e);
            }
        },
        TillPayment::Wallet | TillPayment::Qr => None,
    };
    let new = store::NewSale { store_id, by_user_id: me.id, customer_id: customer, payment: req.payment, total_fen, cash_received_fen };
    let sale_id = store::insert_sale(&mut tx, &new).await?;
    for (p, qty) in &priced {
        let line = ReceiptLine { product_id: p.id, name: p.name.clone(), unit: p.unit.clone(), qty: *qty, price_fen: p.price_fen, regular_price_fen: p.regular_price_fen };
        store::insert_sale_line(&mut tx, sale_id, &line).await?;
    }
    let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    let needs = stock_needs(&lines, &crate::catalog::stock_draws(&mut tx, store_id, &ids).await?);
    for (product_id, qty) in &needs {
        let m = Move {
            store_id,
            product_id: *product_id,
            delta: -qty,
            reason: StockReason::CounterSale,
            note: "",
            by_user_id: Some(me.id),
            order_id: None,
            sale_id: Some(sale_id),
        };
        if store::apply(&mut tx, &m).await?.is_none() {
            tx.rollback().await?;
            return Err(crate::catalog::short_stock(&db.pool, store_id, &priced, &lines).await?);
        }
    }
    if let Some(user_id) = customer {
        let m = crate::wallet::Movement {
            user_id,
            amount_fen: -total_fen,
            kind: EntryKind::Payment,
            by_user_id: Some(me.id),
            store_id: Some(store_id),
            order_id: None,
            sale_id: Some(sale_id),
        };
        if crate::wallet::move_money(&mut tx, &m).await?.is_none() {
            // The code stays unused: the member may top up or pay another way.
            tx.rollback().await?;
            return Err(AppError::field(ErrorCode::InsufficientBalance, "payment"));
        }
        if let Some(code) = &pay_code {
            crate::wallet::service::pay_code_paid(&mut tx, code, sale_id).await?;
        }
    }
    idempotency::remember(&mut tx, me.id, SALE_SCOPE, &key, &sale_id).await?;
    tx.commit().await?;
    tracing::info!(sale_id, total_fen, payment = req.payment.as_str(), "counter sale");
    receipt(db, me, sale_id).await
}

/// 退款: gives a till sale back, whole or some of its lines, once. One transaction writes the
/// refund (the sale's unique refund row decides a race between two taps or two managers), puts
/// the goods back on the shelf with a ledger row each, and for a wallet sale credits the
/// member's wallet (even an account closed since: money owed always arrives). Cash and QR
/// sales are paid back from the till by hand; the receipt says so. The same key replays.
#[tracing::instrument(skip_all, fields(by = me.id, sale_id))]
pub async fn refund(db: &Db, me: &Me, sale_id: i64, req: &TillRefundRequest, key: &str) -> Result<Receipt, AppError> {
    let key = idempotency::parse_key(key)?;
    let sale = store::sale(&db.pool, sale_id).await?.filter(|s| may_book(me, s.store_id)).ok_or_else(AppError::not_found)?;
    if !may_refund(me, sale.store_id) {
        return Err(AppError::new(ErrorCode::RefundIsManagers));
    }
    let note = rules::parse_note(&req.note)?;
    let sold = store::sale_lines(&db.pool, sale_id).await?;
    let sold_qty: Vec<(i64, i64)> = sold.iter().map(|l| (l.product_id, l.qty)).collect();
    let asked: Option<Vec<(i64, i64)>> = req.items.as_ref().map(|items| items.iter().map(|i| (i.product_id, i.qty)).collect());
    let lines = rules::normalize_refund(&sold_qty, asked.as_deref())?;
    let price_of = |p: i64| sold.iter().find(|l| l.product_id == p).map_or(0, |l| l.price_fen);
    let amount_fen: i64 = lines.iter().map(|(p, q)| price_of(*p) * q).sum();

    let mut tx = db.begin_write().await?;
    if let Claim::Replay(saved) = idempotency::claim::<i64>(&mut tx, me.id, REFUND_SCOPE, &key, &(sale_id, &lines, &note)).await? {
        tx.commit().await?;
        return receipt(db, me, saved).await;
    }
    let new = store::NewRefund { sale_id, store_id: sale.store_id, by_user_id: me.id, amount_fen, note: &note };
    let Some(refund_id) = store::insert_refund(&mut tx, &new).await? else {
        tx.rollback().await?;
        return Err(AppError::new(ErrorCode::AlreadyRefunded));
    };
    for (product_id, qty) in &lines {
        store::insert_refund_line(&mut tx, refund_id, *product_id, *qty, price_of(*product_id)).await?;
    }
    // The goods go back as the sale took them (a bundle's parts as they were then). Part of a
    // sale goes back by today's recipe, never more of a part than the sale took.
    let took = store::sale_takes(&mut tx, sale_id).await?;
    let back = if lines == sold_qty {
        took
    } else {
        let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
        let needs = stock_needs(&lines, &crate::catalog::stock_draws(&mut tx, sale.store_id, &ids).await?);
        needs.into_iter().map(|(p, q)| (p, q.min(took.iter().find(|(t, _)| *t == p).map_or(0, |(_, n)| *n)))).filter(|(_, q)| *q > 0).collect()
    };
    for (product_id, qty) in back {
        let m = Move { store_id: sale.store_id, product_id, delta: qty, reason: StockReason::CounterRefund, note: &note, by_user_id: Some(me.id), order_id: None, sale_id: Some(sale_id) };
        store::apply(&mut tx, &m).await?.ok_or_else(|| AppError::internal("putting refunded goods back failed"))?;
    }
    if sale.payment == TillPayment::Wallet.as_str() {
        let user_id = sale.customer_id.ok_or_else(|| AppError::internal("a wallet sale without its member"))?;
        let m = crate::wallet::Movement {
            user_id,
            amount_fen,
            kind: EntryKind::Refund,
            by_user_id: Some(me.id),
            store_id: Some(sale.store_id),
            order_id: None,
            sale_id: Some(sale_id),
        };
        crate::wallet::move_money(&mut tx, &m).await?.ok_or_else(|| AppError::internal("refund to a missing account"))?;
    }
    idempotency::remember(&mut tx, me.id, REFUND_SCOPE, &key, &sale_id).await?;
    tx.commit().await?;
    tracing::info!(amount_fen, payment = %sale.payment, "counter refund");
    receipt(db, me, sale_id).await
}

/// A till sale's receipt, for staff of its store (anyone else: 404).
pub async fn receipt(db: &Db, me: &Me, sale_id: i64) -> Result<Receipt, AppError> {
    let sale = store::sale(&db.pool, sale_id).await?.filter(|s| may_book(me, s.store_id)).ok_or_else(AppError::not_found)?;
    let lines = store::sale_lines(&db.pool, sale_id).await?;
    let refund = match store::refund_of(&db.pool, sale_id).await? {
        Some(r) => Some(ReceiptRefund {
            at: rfc3339(r.created_at_ms),
            amount_fen: r.amount_fen,
            lines: store::refund_lines(&db.pool, r.id).await?,
            by: r.by_name,
            note: r.note,
            wallet_after_fen: r.wallet_after_fen,
        }),
        None => None,
    };
    Ok(Receipt {
        id: sale.id,
        // "S" keeps a receipt's number apart from an order's (both are day + serial).
        number: format!("S{}", crate::shared::time::day_serial(local_time(sale.created_at_ms).day, sale.id)),
        store_id: sale.store_id,
        store_name: sale.store_name,
        at: rfc3339(sale.created_at_ms),
        lines,
        total_fen: sale.total_fen,
        payment: TillPayment::parse(&sale.payment).ok_or_else(|| AppError::internal("unknown till payment"))?,
        customer: sale.customer_name.as_deref().map(crate::accounts::rules::mask_name),
        wallet_after_fen: sale.wallet_after_fen,
        cash_received_fen: sale.cash_received_fen,
        change_fen: sale.cash_received_fen.map(|r| r - sale.total_fen),
        cashier: sale.cashier,
        refund,
    })
}
