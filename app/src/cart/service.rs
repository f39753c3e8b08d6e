//! Cart actions for the pages (and the login that merges a guest's cart).
use super::model::{Cart, CartLine, LineNotice};
use super::store;
use crate::catalog::rules::line_limits;
use crate::orders::rules::MAX_QTY;
use crate::orders::PricedProduct;
use crate::server::Db;
use crate::shared::{AppError, ErrorCode};
use crate::stores::model::Store;
use sqlx::AnyConnection;

/// The cookie naming a guest's cart.
pub const GUEST_COOKIE: &str = "linli_cart";

pub fn user_key(user_id: i64) -> String {
    format!("u:{user_id}")
}

pub fn guest_key(token: &str) -> String {
    format!("g:{token}")
}

/// A guest token as the cookie carries it: 32 lowercase hex characters, nothing else.
pub fn parse_guest_token(raw: &str) -> Option<String> {
    let t = raw.trim();
    (t.len() == 32 && t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then(|| t.to_string())
}

pub fn new_guest_token() -> Result<String, AppError> {
    crate::server::random_token()
}

/// The guest token in a Cookie header, if any.
pub fn guest_token_of(headers: &axum::http::HeaderMap) -> Option<String> {
    crate::server::request::cookie(headers, GUEST_COOKIE).and_then(parse_guest_token)
}

/// The cart at `store` with today's prices and stock, and what changed since adding.
pub async fn load(db: &Db, cart_key: &str, store: &Store) -> Result<Cart, AppError> {
    let mut conn = db.pool.acquire().await?;
    let rows = store::lines(&mut conn, cart_key, store.id).await?;
    // A bundle and its part (or two bundles with a common part) draw on the same shelf: each
    // line's limit counts what the other lines take.
    let sold: Vec<(i64, i64)> = rows.iter().filter(|r| r.sold != 0).map(|r| (r.product_id, r.qty)).collect();
    let ids: Vec<i64> = sold.iter().map(|(p, _)| *p).collect();
    let draws = crate::catalog::stock_draws(&mut conn, store.id, &ids).await?;
    let limits = line_limits(&sold, &draws);
    let mut cart = Cart { store_id: store.id, store_name: store.name.clone(), ..Cart::default() };
    for r in rows {
        let available = limits.iter().find(|(p, _)| *p == r.product_id).map_or(0, |(_, n)| *n).min(r.available.max(0));
        let mut notices = Vec::new();
        if r.sold == 0 {
            notices.push(LineNotice::Gone);
        } else if available <= 0 {
            notices.push(LineNotice::SoldOut);
        } else if available < r.qty {
            notices.push(LineNotice::OnlyLeft(available));
        }
        if r.sold != 0 && r.price_fen > r.price_fen_at_add {
            notices.push(LineNotice::PriceUp { was: r.price_fen_at_add });
        } else if r.sold != 0 && r.price_fen < r.price_fen_at_add {
            notices.push(LineNotice::PriceDown { was: r.price_fen_at_add });
        }
        let line = CartLine {
            product_id: r.product_id,
            name: r.name,
            unit: r.unit,
            image_url: r.image_id.map(|id| format!("/media/{id}")),
            price_fen: r.price_fen,
            qty: r.qty,
            available,
            line_fen: r.price_fen * r.qty,
            notices,
        };
        cart.count += line.qty;
        if line.orderable() {
            cart.goods_fen += line.line_fen;
        }
        cart.lines.push(line);
    }
    Ok(cart)
}

/// How many of `product_id` the cart may hold at `store`, given the cart's other lines.
async fn limit_for(conn: &mut AnyConnection, cart_key: &str, store: &Store, product_id: i64) -> Result<i64, AppError> {
    let mut lines: Vec<(i64, i64)> =
        store::lines(conn, cart_key, store.id).await?.into_iter().filter(|r| r.sold != 0).map(|r| (r.product_id, r.qty)).collect();
    if !lines.iter().any(|(p, _)| *p == product_id) {
        lines.push((product_id, 0));
    }
    let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    let draws = crate::catalog::stock_draws(conn, store.id, &ids).await?;
    Ok(line_limits(&lines, &draws).into_iter().find(|(p, _)| *p == product_id).map_or(0, |(_, n)| n))
}

fn too_many(product: &PricedProduct, requested: i64, available: i64) -> AppError {
    if requested > MAX_QTY && available >= MAX_QTY {
        return AppError::field(ErrorCode::InvalidQuantity, "qty");
    }
    AppError::new(ErrorCode::InsufficientStock).with_details(serde_json::json!({
        "items": [{ "product_id": product.id, "name": product.name, "requested": requested, "available": available }]
    }))
}

async fn sold_product(conn: &mut AnyConnection, store: &Store, product_id: i64) -> Result<PricedProduct, AppError> {
    crate::orders::priced_products(conn, store.id, &[product_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::new(ErrorCode::ProductUnavailable))
}

/// Sets a line to `qty` (0 removes it). Raising it beyond what the store has is refused with
/// the number left; lowering is always allowed, even for a product no longer sold, so a
/// short line can be brought down.
pub async fn set(db: &Db, cart_key: &str, store: &Store, product_id: i64, qty: i64) -> Result<(), AppError> {
    if !(0..=MAX_QTY).contains(&qty) {
        return Err(AppError::field(ErrorCode::InvalidQuantity, "qty"));
    }
    // One connection for the whole change: borrowing a second from the pool while holding
    // this one would deadlock once every connection is held by a request doing the same.
    let mut conn = db.pool.acquire().await?;
    if qty == 0 {
        return store::remove(&mut conn, cart_key, store.id, product_id).await;
    }
    if store::lower(&mut conn, cart_key, store.id, product_id, qty).await? {
        return Ok(());
    }
    let product = sold_product(&mut conn, store, product_id).await?;
    let current = store::qty(&mut conn, cart_key, store.id, product_id).await?;
    let limit = limit_for(&mut conn, cart_key, store, product_id).await?;
    if qty > limit {
        return Err(too_many(&product, qty, limit));
    }
    // Raise by the difference under the same limit, so a concurrent + cannot push it past.
    if store::add_within(&mut conn, cart_key, store.id, product_id, qty - current, limit, product.price_fen).await? {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Conflict))
    }
}

/// Adds `delta` (one per tap on +) to a line, atomically, within what the shelf has.
pub async fn add(db: &Db, cart_key: &str, store: &Store, product_id: i64, delta: i64) -> Result<(), AppError> {
    if !(1..=MAX_QTY).contains(&delta) {
        return Err(AppError::field(ErrorCode::InvalidQuantity, "qty"));
    }
    let mut conn = db.pool.acquire().await?;
    let product = sold_product(&mut conn, store, product_id).await?;
    let limit = limit_for(&mut conn, cart_key, store, product_id).await?.min(MAX_QTY);
    if store::add_within(&mut conn, cart_key, store.id, product_id, delta, limit, product.price_fen).await? {
        return Ok(());
    }
    let current = store::qty(&mut conn, cart_key, store.id, product_id).await?;
    Err(too_many(&product, current + delta, limit))
}

/// At login: the guest's cart joins the resident's (quantities added, at most 99 each).
pub async fn adopt_guest_cart(db: &Db, headers: &axum::http::HeaderMap, user_id: i64) -> Result<(), AppError> {
    let Some(token) = guest_token_of(headers) else { return Ok(()) };
    let mut tx = db.begin_write().await?;
    let moved = store::merge(&mut tx, &guest_key(&token), &user_key(user_id), MAX_QTY).await?;
    tx.commit().await?;
    if moved > 0 {
        tracing::info!(user_id, lines = moved, "guest cart merged at login");
    }
    Ok(())
}

/// Housekeeping: forgets carts nobody touched for a week (guests) or a month (residents).
pub async fn purge_stale(db: &Db) -> Result<u64, AppError> {
    let now = crate::shared::time::now_ms();
    let day = 24 * 3600 * 1000;
    store::purge_stale(&db.pool, now - 7 * day, now - 30 * day).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_tokens_are_strict() {
        let t = new_guest_token().expect("random");
        assert_eq!(parse_guest_token(&t), Some(t.clone()));
        for bad in ["", "abc", &"g".repeat(32), &"A".repeat(32), &format!("{t}0")] {
            assert_eq!(parse_guest_token(bad), None, "{bad}");
        }
        let mut h = axum::http::HeaderMap::new();
        h.insert(axum::http::header::COOKIE, format!("a=1; {GUEST_COOKIE}={t}").parse().expect("header"));
        assert_eq!(guest_token_of(&h), Some(t));
    }
}
