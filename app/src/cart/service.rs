//! Cart actions for the pages (and the login that merges a guest's cart).
use super::model::{Cart, CartLine, LineNotice};
use super::store;
use crate::orders::rules::MAX_QTY;
use crate::server::Db;
use crate::shared::{AppError, ErrorCode};
use crate::stores::model::Store;

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
    let mut buf = [0u8; 16];
    getrandom::getrandom(&mut buf).map_err(AppError::internal)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The guest token in a Cookie header, if any.
pub fn guest_token_of(headers: &axum::http::HeaderMap) -> Option<String> {
    let cookies = headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == GUEST_COOKIE).then(|| parse_guest_token(v)).flatten()
    })
}

/// The cart at `store` with today's prices and stock, and what changed since adding.
pub async fn load(db: &Db, cart_key: &str, store: &Store) -> Result<Cart, AppError> {
    let rows = store::lines(&db.pool, cart_key, store.id).await?;
    let mut cart = Cart { store_id: store.id, store_name: store.name.clone(), ..Cart::default() };
    for r in rows {
        let mut notices = Vec::new();
        if r.sold == 0 {
            notices.push(LineNotice::Gone);
        } else if r.available <= 0 {
            notices.push(LineNotice::SoldOut);
        } else if r.available < r.qty {
            notices.push(LineNotice::OnlyLeft(r.available));
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
            available: r.available.max(0),
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

/// Sets a line to `qty` (0 removes it). Raising it beyond what the store has is refused with
/// the number left; lowering is always allowed, so a short line can be brought down.
pub async fn set(db: &Db, cart_key: &str, store: &Store, product_id: i64, qty: i64) -> Result<(), AppError> {
    if !(0..=MAX_QTY).contains(&qty) {
        return Err(AppError::field(ErrorCode::InvalidQuantity, "qty"));
    }
    if qty == 0 {
        return store::set_qty(&db.pool, cart_key, store.id, product_id, 0, 0).await;
    }
    let mut conn = db.pool.acquire().await?;
    let product = crate::orders::store::priced_products(&mut conn, store.id, &[product_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::new(ErrorCode::ProductUnavailable))?;
    let current = store::qty(&db.pool, cart_key, store.id, product_id).await?;
    if qty > current {
        let available = crate::catalog::store::available_at(&mut conn, store.id, product_id).await?;
        if qty > available {
            return Err(AppError::new(ErrorCode::InsufficientStock).with_details(serde_json::json!({
                "items": [{ "product_id": product_id, "name": product.name, "requested": qty, "available": available }]
            })));
        }
    }
    store::set_qty(&db.pool, cart_key, store.id, product_id, qty, product.price_fen).await
}

/// Adds `delta` (usually one) to a line.
pub async fn add(db: &Db, cart_key: &str, store: &Store, product_id: i64, delta: i64) -> Result<(), AppError> {
    let current = store::qty(&db.pool, cart_key, store.id, product_id).await?;
    set(db, cart_key, store, product_id, current.saturating_add(delta)).await
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
