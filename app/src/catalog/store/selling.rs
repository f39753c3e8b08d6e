//! What orders, the till and the stock pages read from the catalog: the current price of
//! each line, what a line may draw from stock, and stock at a glance.
use super::*;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// A product as an order prices it: the catalog's current price, never the client's.
#[derive(Clone, Debug, FromRow)]
pub struct PricedProduct {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub price_fen: i64,
    /// The shelf price when `price_fen` is a markdown (晚市特惠), else none.
    pub regular_price_fen: Option<i64>,
}

/// The active products among `ids` that `store_id`'s chain sells.
pub async fn priced_products(conn: &mut AnyConnection, store_id: i64, ids: &[i64]) -> Result<Vec<PricedProduct>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select p.id, p.name, p.unit, {PRICE_SQL} as price_fen,
            case when {MARKDOWN_SQL} is null then null else {REGULAR_PRICE_SQL} end as regular_price_fen
         from products p
         join stores st on st.id = $1 and st.chain_id = p.chain_id
         {joins}
         where p.active = $2 and p.id in ({})",
        crate::server::db::placeholders(4, ids.len()),
        joins = price_joins("$1", "$3"),
    );
    let mut q = sqlx::query_as::<_, PricedProduct>(&sql).bind(store_id).bind(true).bind(minute_now());
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Prices `(product id, qty)` lines from the catalog, in their order; a product that is gone
/// or not sold at the store is refused with its id.
pub async fn priced_lines(conn: &mut AnyConnection, store_id: i64, lines: &[(i64, i64)]) -> Result<Vec<(PricedProduct, i64)>, AppError> {
    let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    let products = priced_products(conn, store_id, &ids).await?;
    lines
        .iter()
        .map(|(id, qty)| {
            products.iter().find(|p| p.id == *id).cloned().map(|p| (p, *qty)).ok_or_else(|| {
                AppError::new(crate::shared::ErrorCode::ProductUnavailable).with_details(serde_json::json!({ "product_id": id }))
            })
        })
        .collect()
}

/// 409 insufficient_stock naming every line the shelf cannot give (with what it can), for
/// a sale or an order that was just refused.
pub async fn short_stock(pool: &AnyPool, store_id: i64, priced: &[(PricedProduct, i64)], lines: &[(i64, i64)]) -> Result<AppError, AppError> {
    let mut conn = pool.acquire().await?;
    let ids: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    let limits = line_limits(lines, &stock_draws(&mut conn, store_id, &ids).await?);
    let short: Vec<crate::catalog::model::ShortItem> = priced
        .iter()
        .filter_map(|(p, qty)| {
            let available = limits.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
            (available < *qty).then(|| crate::catalog::model::ShortItem { product_id: p.id, name: p.name.clone(), requested: *qty, available })
        })
        .collect();
    if short.is_empty() {
        // Stock came back between the refusal and this look: asking again will likely work.
        return Ok(AppError::new(crate::shared::ErrorCode::Conflict));
    }
    Ok(AppError::new(crate::shared::ErrorCode::InsufficientStock).with_details(serde_json::json!({ "items": short })))
}

/// Whether the store's chain sells `product_id` as a product with a stock row of its own
/// (a bundle has none: its parts' stock is its stock).
pub async fn stockable(conn: &mut AnyConnection, store_id: i64, product_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select p.id from products p join stores st on st.id = $1 and st.chain_id = p.chain_id
         where p.id = $2 and not exists (select 1 from bundle_items b where b.bundle_id = p.id)",
    )
    .bind(store_id)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// Figures for the back office's first screen, for one store.
#[derive(FromRow)]
pub struct StockSummaryRow {
    pub products: i64,
    pub low: i64,
    pub out: i64,
}

/// A product's availability at a store (bundles included).
pub async fn available_at(conn: &mut AnyConnection, store_id: i64, product_id: i64) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "select {AVAILABLE_SQL} from products p left join stock s on s.product_id = p.id and s.store_id = $1 where p.id = $2"
    ))
    .bind(store_id)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map_or(0, |r| r.0.max(0)))
}

/// A bundle's components: (product id, name, unit, quantity in the bundle).
pub async fn components(pool: &AnyPool, bundle_id: i64) -> Result<Vec<(i64, String, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "select p.id, p.name, p.unit, b.qty from bundle_items b join products p on p.id = b.product_id
         where b.bundle_id = $1 order by p.id",
    )
    .bind(bundle_id)
    .fetch_all(pool)
    .await?)
}

/// What each of `product_ids` draws from the store's shelf: a bundle its components, any
/// other product itself, each with what that stock row has free (0 without a row).
pub async fn stock_draws(conn: &mut AnyConnection, store_id: i64, product_ids: &[i64]) -> Result<Vec<StockDraw>, AppError> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select p.id, coalesce(b.product_id, p.id) as stock_id, coalesce(b.qty, 1) as per,
            coalesce(s.on_hand - s.reserved, 0) as available
         from products p
         left join bundle_items b on b.bundle_id = p.id
         left join stock s on s.store_id = $1 and s.product_id = coalesce(b.product_id, p.id)
         where p.id in ({})
         order by p.id, stock_id",
        crate::server::db::placeholders(2, product_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql).bind(store_id);
    for id in product_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(product_id, stock_id, per, available)| StockDraw { product_id, stock_id, per, available })
        .collect())
}

pub async fn insert_bundle_item(conn: &mut AnyConnection, bundle_id: i64, product_id: i64, qty: i64) -> Result<(), AppError> {
    sqlx::query("insert into bundle_items (bundle_id, product_id, qty) values ($1, $2, $3)")
        .bind(bundle_id)
        .bind(product_id)
        .bind(qty)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces a bundle's recipe (inside the owner's transaction).
pub async fn replace_components(conn: &mut AnyConnection, bundle_id: i64, items: &[(i64, i64)]) -> Result<(), AppError> {
    sqlx::query("delete from bundle_items where bundle_id = $1").bind(bundle_id).execute(&mut *conn).await?;
    for (product_id, qty) in items {
        insert_bundle_item(conn, bundle_id, *product_id, *qty).await?;
    }
    Ok(())
}

/// How many of `ids` are single products (not bundles) of the chain: what a bundle may hold.
pub async fn single_products(conn: &mut AnyConnection, chain_id: i64, ids: &[i64]) -> Result<usize, AppError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "select count(*) from products p where p.chain_id = $1
           and not exists (select 1 from bundle_items b where b.bundle_id = p.id) and p.id in ({})",
        crate::server::db::placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql).bind(chain_id);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(usize::try_from(q.fetch_one(&mut *conn).await?.0).unwrap_or(0))
}

/// Whether the product is in some bundle's recipe, and whether any store still has stock of
/// its own (on the shelf or held by orders): either keeps it from becoming a bundle.
pub async fn part_and_stock(conn: &mut AnyConnection, chain_id: i64, product_id: i64, now: i64) -> Result<(bool, bool), AppError> {
    let (part,): (i64,) = sqlx::query_as("select count(*) from bundle_items where product_id = $1").bind(product_id).fetch_one(&mut *conn).await?;
    // Touches (or makes) the product's stock row at every store, which locks them until the
    // conversion commits: a delivery booked meanwhile waits, then finds a bundle and is
    // refused, instead of landing on a product that no longer holds stock of its own.
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "insert into stock (store_id, product_id, on_hand, reserved, updated_at_ms)
         select s.id, $1, 0, 0, $2 from stores s where s.chain_id = $3
         on conflict (store_id, product_id) do update set updated_at_ms = excluded.updated_at_ms
         returning on_hand, reserved",
    )
    .bind(product_id)
    .bind(now)
    .bind(chain_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok((part > 0, rows.iter().any(|(on_hand, reserved)| *on_hand > 0 || *reserved > 0)))
}

/// The chain's single products on sale, for the bundle form: (id, name, unit).
pub async fn part_choices(pool: &AnyPool, chain_id: i64) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "select p.id, p.name, p.unit from products p join categories c on c.id = p.category_id
         where p.chain_id = $1 and p.active = $2 and not exists (select 1 from bundle_items b where b.bundle_id = p.id)
         order by c.sort, p.id",
    )
    .bind(chain_id)
    .bind(true)
    .fetch_all(pool)
    .await?)
}

pub async fn stock_summary(pool: &AnyPool, store_id: i64, low_at: i64) -> Result<StockSummaryRow, AppError> {
    Ok(sqlx::query_as(&format!(
        "select count(*) as products,
                coalesce(sum(case when {AVAILABLE_SQL} between 1 and coalesce(s.low_at, $2) then 1 else 0 end), 0) as low,
                coalesce(sum(case when {AVAILABLE_SQL} <= 0 then 1 else 0 end), 0) as out
         from products p join stores st on st.id = $1 and st.chain_id = p.chain_id
         left join stock s on s.product_id = p.id and s.store_id = $1
         where p.active = $3"
    ))
    .bind(store_id)
    .bind(low_at)
    .bind(true)
    .fetch_one(pool)
    .await?)
}
