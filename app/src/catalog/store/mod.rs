//! Catalog SQL, by what it serves: here the shelf residents read (products with price and
//! availability at a store, categories, the media route); selling.rs what orders, the till and
//! the stock pages need (current prices, what a line can draw, stock summaries); admin.rs the
//! back office's chain-wide editing (categories, products, bundles, photos, store prices) and
//! the seed's inserts. Availability is read from the stock table (written by inventory).
mod admin;
mod selling;

pub use admin::*;
pub use selling::*;
use super::model::{BundleComponent, Category, Product, ProductDetail};
use super::rules::{line_limits, parse_tags, StockDraw};
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
    name_zh: String,
    name_en: String,
}

#[derive(FromRow)]
struct ProductRow {
    id: i64,
    name: String,
    unit: String,
    price_fen: i64,
    category: String,
    origin: String,
    available: i64,
    image_id: Option<i64>,
    tags: String,
    regular_price_fen: Option<i64>,
    markdown_percent_off: Option<i64>,
    markdown_name: Option<String>,
    producer: String,
    harvest_date: Option<String>,
    shelf_life_days: Option<i64>,
    description: String,
}

impl ProductRow {
    fn into_product(self) -> Product {
        Product {
            id: self.id,
            name: self.name,
            unit: self.unit,
            price_fen: self.price_fen,
            regular_price_fen: self.regular_price_fen,
            markdown_percent_off: self.markdown_percent_off,
            markdown_name: self.markdown_name,
            category: self.category,
            origin: self.origin,
            available: self.available,
            image_url: self.image_id.map(|id| format!("/media/{id}")),
            tags: parse_tags(&self.tags),
        }
    }

    fn into_detail(mut self, store_id: i64) -> ProductDetail {
        let (producer, harvest_date, shelf_life_days, description) = (
            std::mem::take(&mut self.producer),
            self.harvest_date.take(),
            self.shelf_life_days,
            std::mem::take(&mut self.description),
        );
        ProductDetail { product: self.into_product(), producer, harvest_date, shelf_life_days, description, store_id, components: Vec::new(), photos: Vec::new() }
    }
}

/// Available units of product `p` at store `$1`, where `s` is p's stock row there (left
/// joined): on hand minus reserved; for a bundle, the fewest whole bundles its components
/// make up. One expression, so the shelf, the cart and checkout can never disagree.
pub const AVAILABLE_SQL: &str = "case when exists (select 1 from bundle_items b where b.bundle_id = p.id)
        then (select min(coalesce(s2.on_hand - s2.reserved, 0) / b.qty) from bundle_items b
              left join stock s2 on s2.store_id = $1 and s2.product_id = b.product_id where b.bundle_id = p.id)
        else coalesce(s.on_hand - s.reserved, 0) end";

/// The shelf price of product `p` at a store: the store's own (`sp`, joined by
/// [`price_joins`]) where the owner allows it for that product, else the chain's.
pub const REGULAR_PRICE_SQL: &str = "coalesce(case when p.store_pricing then sp.price_fen end, p.price_fen)";
/// What product `p` sells for now: the shelf price less the markdown in force (`md`, joined by
/// [`price_joins`]), rounded to the nearest fen. One expression for the shelf, carts,
/// checkout and the till, so they never disagree. `markdowns::rules::marked_down` is the same
/// arithmetic in Rust, for the rules' tests and the manager's preview.
pub const PRICE_SQL: &str = "(coalesce(case when p.store_pricing then sp.price_fen end, p.price_fen) * (100 - coalesce(md.percent_off, 0)) + 50) / 100";
/// The markdown in force on `p` (percent off), or null.
pub const MARKDOWN_SQL: &str = "md.percent_off";

/// The joins [`PRICE_SQL`] reads, for the store in SQL parameter `store` (e.g. `$1`) at the
/// store-local minute of the day in parameter `minute`: the store's own price, and the
/// deepest markdown tier of the store's active rules covering p's category at that minute.
pub fn price_joins(store: &str, minute: &str) -> String {
    format!(
        "left join store_prices sp on sp.store_id = {store} and sp.product_id = p.id
         left join (select rc.category_id, max(t.percent_off) as percent_off
                    from markdown_rules r
                    join markdown_rule_categories rc on rc.rule_id = r.id
                    join markdown_tiers t on t.rule_id = r.id
                    where r.store_id = {store} and r.active and t.from_minute <= {minute} and {minute} < t.until_minute
                    group by rc.category_id) md on md.category_id = p.category_id"
    )
}

/// The store-local minute of the day now, the `minute` that [`price_joins`] reads.
pub fn minute_now() -> i64 {
    i64::from(crate::shared::time::local_time(now_ms()).minute)
}

/// Products with their availability at `store_id`; a product the store has never stocked
/// shows as sold out there rather than disappearing.
fn product_select(minute: &str) -> String {
    format!(
        "select p.id, p.name, p.unit, {PRICE_SQL} as price_fen, c.slug as category, p.origin,
            case when {MARKDOWN_SQL} is null then null else {REGULAR_PRICE_SQL} end as regular_price_fen,
            {MARKDOWN_SQL} as markdown_percent_off,
            case when {MARKDOWN_SQL} is null then null else {name} end as markdown_name,
            {AVAILABLE_SQL} as available, p.image_id, p.tags,
            p.producer, p.harvest_date, p.shelf_life_days, p.description, c.sort as sort
         from products p
         join categories c on c.id = p.category_id
         join stores st on st.id = $1 and st.chain_id = p.chain_id
         left join stock s on s.product_id = p.id and s.store_id = $1
         {joins}",
        joins = price_joins("$1", minute),
        name = markdown_name_sql("$1", minute),
    )
}

/// The name the manager gave the markdown in force on `p` (下午菜价, 晚市特惠): the rule whose
/// tier gives [`price_joins`]'s deepest cut, the older rule on a tie.
fn markdown_name_sql(store: &str, minute: &str) -> String {
    format!(
        "(select r.name from markdown_rules r
             join markdown_rule_categories rc on rc.rule_id = r.id
             join markdown_tiers t on t.rule_id = r.id
          where r.store_id = {store} and r.active and rc.category_id = p.category_id
            and t.from_minute <= {minute} and {minute} < t.until_minute
          order by t.percent_off desc, r.id limit 1)"
    )
}

pub async fn categories(pool: &AnyPool) -> Result<Vec<Category>, AppError> {
    let rows: Vec<CategoryRow> = sqlx::query_as("select id, slug, name_zh, name_en from categories where active = $1 order by sort, id")
        .bind(true)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| Category { id: r.id, slug: r.slug, name_zh: r.name_zh, name_en: r.name_en }).collect())
}

/// The store's shelf: active products, optionally one category and a substring search.
/// In stock first, then by category order.
pub async fn list_for_store(
    pool: &AnyPool,
    store_id: i64,
    category: Option<&str>,
    q: Option<&str>,
) -> Result<Vec<Product>, AppError> {
    shelf_at(pool, store_id, category, q, minute_now()).await
}

/// The shelf as it is (or will be) at store-local `minute` of today: the manager's preview of
/// a markdown rule reads the same SQL as the storefront.
pub async fn shelf_at(
    pool: &AnyPool,
    store_id: i64,
    category: Option<&str>,
    q: Option<&str>,
    minute: i64,
) -> Result<Vec<Product>, AppError> {
    let pattern = q.map(|q| format!("%{}%", crate::server::db::escape_like(q)));
    let rows: Vec<ProductRow> = sqlx::query_as(&format!(
        "select * from ({select}
         where p.active = $2
           and ($3 is null or c.slug = $3)
           and ($4 is null or p.name like $4 escape '\\' or p.origin like $4 escape '\\')) shelf
         order by case when available > 0 then 0 else 1 end, sort, id",
        select = product_select("$5")
    ))
    .bind(store_id)
    .bind(true)
    .bind(category)
    .bind(pattern)
    .bind(minute)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ProductRow::into_product).collect())
}

/// These products as the store's shelf shows them now (retired ones left out), in no order.
pub async fn products_at(conn: &mut AnyConnection, store_id: i64, ids: &[i64]) -> Result<Vec<Product>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{} where p.id in ({}) and p.active = $2", product_select("$3"), crate::server::db::placeholders(4, ids.len()));
    let mut q = sqlx::query_as(&sql).bind(store_id).bind(true).bind(minute_now());
    for id in ids {
        q = q.bind(*id);
    }
    let rows: Vec<ProductRow> = q.fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(ProductRow::into_product).collect())
}

pub async fn detail(pool: &AnyPool, product_id: i64, store_id: i64) -> Result<Option<ProductDetail>, AppError> {
    let row: Option<ProductRow> = sqlx::query_as(&format!("{} where p.id = $2 and p.active = $3", product_select("$4")))
        .bind(store_id)
        .bind(product_id)
        .bind(true)
        .bind(minute_now())
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut detail = row.into_detail(store_id);
    detail.components = components(pool, product_id)
        .await?
        .into_iter()
        .map(|(product_id, name, unit, qty)| BundleComponent { product_id, name, unit, qty })
        .collect();
    detail.photos = gallery(pool, product_id).await?;
    Ok(Some(detail))
}

/// A public picture (`/media/{id}`): the shop's; a group's photos are private and never here.
pub async fn media(pool: &AnyPool, id: i64) -> Result<Option<(String, Vec<u8>)>, AppError> {
    Ok(sqlx::query_as("select content_type, bytes from media where id = $1 and not private").bind(id).fetch_optional(pool).await?)
}

/// A picture whether private or not, for a route that has checked who may see it.
pub async fn media_of(pool: &AnyPool, id: i64) -> Result<Option<(String, Vec<u8>)>, AppError> {
    Ok(sqlx::query_as("select content_type, bytes from media where id = $1").bind(id).fetch_optional(pool).await?)
}
