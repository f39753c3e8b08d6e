//! Cart SQL. A cart key is `u:<user id>` or `g:<guest token>`.
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(FromRow)]
pub struct LineRow {
    pub product_id: i64,
    pub qty: i64,
    pub price_fen_at_add: i64,
    pub name: String,
    pub unit: String,
    pub image_id: Option<i64>,
    pub price_fen: i64,
    /// 1 while the product is sold (a number, not a boolean: the Any driver reads both backends' ints).
    pub sold: i64,
    pub available: i64,
}

pub async fn lines(conn: &mut AnyConnection, cart_key: &str, store_id: i64) -> Result<Vec<LineRow>, AppError> {
    // AVAILABLE_SQL reads the store as $1.
    Ok(sqlx::query_as(&format!(
        "select c.product_id, c.qty, c.price_fen_at_add, p.name, p.unit, p.image_id, {price} as price_fen,
            case when p.active = $3 then 1 else 0 end as sold,
            {available} as available
         from cart_items c
         join products p on p.id = c.product_id
         left join stock s on s.store_id = c.store_id and s.product_id = c.product_id
         {joins}
         where c.store_id = $1 and c.cart_key = $2
         order by c.updated_at_ms, c.product_id",
        price = crate::catalog::PRICE_SQL,
        available = crate::catalog::AVAILABLE_SQL,
        joins = crate::catalog::price_joins("$1", "$4"),
    ))
    .bind(store_id)
    .bind(cart_key)
    .bind(true)
    .bind(crate::catalog::minute_now())
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn remove(conn: &mut AnyConnection, cart_key: &str, store_id: i64, product_id: i64) -> Result<(), AppError> {
    sqlx::query("delete from cart_items where cart_key = $1 and store_id = $2 and product_id = $3")
        .bind(cart_key)
        .bind(store_id)
        .bind(product_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Lowers a line to `qty` if it holds at least that many; false otherwise. Changing a line
/// acknowledges today's price (the 涨价了 notice was in front of the resident).
pub async fn lower(conn: &mut AnyConnection, cart_key: &str, store_id: i64, product_id: i64, qty: i64) -> Result<bool, AppError> {
    let r = sqlx::query(&format!(
        "update cart_items set qty = $4, updated_at_ms = $5,
            price_fen_at_add = (select {price} from products p {join} where p.id = $3)
         where cart_key = $1 and store_id = $2 and product_id = $3 and qty >= $4",
        price = crate::catalog::PRICE_SQL,
        join = crate::catalog::price_joins("$2", "$6"),
    ))
    .bind(cart_key)
    .bind(store_id)
    .bind(product_id)
    .bind(qty)
    .bind(now_ms())
    .bind(crate::catalog::minute_now())
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Adds `delta` units to a line (creating it), at today's price, only if the line then holds
/// at most `limit`: one statement, so two quick taps on + both count and never overshoot.
pub async fn add_within(
    conn: &mut AnyConnection,
    cart_key: &str,
    store_id: i64,
    product_id: i64,
    delta: i64,
    limit: i64,
    price_fen: i64,
) -> Result<bool, AppError> {
    // The `where` on the select also keeps SQLite's parser from reading `on conflict` as a join.
    let r = sqlx::query(
        "insert into cart_items (cart_key, store_id, product_id, qty, price_fen_at_add, updated_at_ms)
         select $1, $2, $3, $4, $5, $6 where $4 <= $7
         on conflict (cart_key, store_id, product_id) do update
         set qty = cart_items.qty + excluded.qty, price_fen_at_add = excluded.price_fen_at_add,
             updated_at_ms = excluded.updated_at_ms
         where cart_items.qty + excluded.qty <= $7",
    )
    .bind(cart_key)
    .bind(store_id)
    .bind(product_id)
    .bind(delta)
    .bind(price_fen)
    .bind(now_ms())
    .bind(limit)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn qty(conn: &mut AnyConnection, cart_key: &str, store_id: i64, product_id: i64) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select qty from cart_items where cart_key = $1 and store_id = $2 and product_id = $3")
        .bind(cart_key)
        .bind(store_id)
        .bind(product_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map_or(0, |r| r.0))
}

/// Takes what was ordered out of the cart (inside the order's transaction): a line the
/// resident raised in another tab while checking out keeps the difference.
pub async fn remove_ordered(conn: &mut AnyConnection, cart_key: &str, store_id: i64, ordered: &[(i64, i64)]) -> Result<(), AppError> {
    for (product_id, qty) in ordered {
        // Two statements because a line may not hold 0 (a check constraint): what was ordered
        // whole goes, a line holding more keeps the rest.
        for sql in [
            "delete from cart_items where cart_key = $1 and store_id = $2 and product_id = $3 and qty <= $4",
            "update cart_items set qty = qty - $4 where cart_key = $1 and store_id = $2 and product_id = $3 and qty > $4",
        ] {
            sqlx::query(sql).bind(cart_key).bind(store_id).bind(*product_id).bind(*qty).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Moves every line of `from` into `to`, adding quantities (capped at `max_qty`), then
/// forgets `from`. One transaction: a login that fails halfway leaves the guest cart intact.
pub async fn merge(conn: &mut AnyConnection, from: &str, to: &str, max_qty: i64) -> Result<u64, AppError> {
    let moved = sqlx::query(
        "insert into cart_items (cart_key, store_id, product_id, qty, price_fen_at_add, updated_at_ms)
         select $2, store_id, product_id, qty, price_fen_at_add, updated_at_ms from cart_items where cart_key = $1
         on conflict (cart_key, store_id, product_id) do update
         set qty = case when cart_items.qty + excluded.qty > $3 then $3 else cart_items.qty + excluded.qty end,
             updated_at_ms = excluded.updated_at_ms",
    )
    .bind(from)
    .bind(to)
    .bind(max_qty)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query("delete from cart_items where cart_key = $1").bind(from).execute(&mut *conn).await?;
    Ok(moved)
}

/// Housekeeping: guest carts last a week without a change, residents' carts a month.
pub async fn purge_stale(pool: &AnyPool, guest_before_ms: i64, user_before_ms: i64) -> Result<u64, AppError> {
    let r = sqlx::query(
        "delete from cart_items where (cart_key like 'g:%' and updated_at_ms < $1) or (cart_key like 'u:%' and updated_at_ms < $2)",
    )
    .bind(guest_before_ms)
    .bind(user_before_ms)
    .execute(pool)
    .await?;
    Ok(r.rows_affected())
}
