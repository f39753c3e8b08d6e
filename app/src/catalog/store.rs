//! Catalog SQL. Availability is read from the stock table (written by inventory).
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
            {AVAILABLE_SQL} as available, p.image_id, p.tags,
            p.producer, p.harvest_date, p.shelf_life_days, p.description, c.sort as sort
         from products p
         join categories c on c.id = p.category_id
         join stores st on st.id = $1 and st.chain_id = p.chain_id
         left join stock s on s.product_id = p.id and s.store_id = $1
         {joins}",
        joins = price_joins("$1", minute)
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

pub async fn insert_category(conn: &mut AnyConnection, chain_id: i64, slug: &str, zh: &str, en: &str, sort: i64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into categories (chain_id, slug, name_zh, name_en, sort) values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(chain_id)
    .bind(slug)
    .bind(zh)
    .bind(en)
    .bind(sort)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// A product as it is created.
pub struct NewProduct<'a> {
    pub category_id: i64,
    pub name: &'a str,
    pub unit: &'a str,
    pub price_fen: i64,
    pub origin: &'a str,
    pub producer: &'a str,
    pub harvest_date: Option<&'a str>,
    pub shelf_life_days: Option<i64>,
    pub description: &'a str,
    pub tags: &'a str,
    pub image_id: Option<i64>,
    /// Whether stores may set their own price.
    pub store_pricing: bool,
}

pub async fn insert_product(conn: &mut AnyConnection, chain_id: i64, p: &NewProduct<'_>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into products (chain_id, category_id, name, unit, price_fen, origin, producer, harvest_date,
            shelf_life_days, description, tags, image_id, created_at_ms, store_pricing)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
    )
    .bind(chain_id)
    .bind(p.category_id)
    .bind(p.name)
    .bind(p.unit)
    .bind(p.price_fen)
    .bind(p.origin)
    .bind(p.producer)
    .bind(p.harvest_date)
    .bind(p.shelf_life_days)
    .bind(p.description)
    .bind(p.tags)
    .bind(p.image_id)
    .bind(now_ms())
    .bind(p.store_pricing)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Stores a media file (a product photo); returns its id for `/media/{id}`.
pub async fn insert_media(conn: &mut AnyConnection, content_type: &str, bytes: &[u8], size: Option<(u32, u32)>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into media (content_type, bytes, width, height, created_at_ms) values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(content_type)
    .bind(bytes)
    .bind(size.map(|s| i64::from(s.0)))
    .bind(size.map(|s| i64::from(s.1)))
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn media(pool: &AnyPool, id: i64) -> Result<Option<(String, Vec<u8>)>, AppError> {
    Ok(sqlx::query_as("select content_type, bytes from media where id = $1").bind(id).fetch_optional(pool).await?)
}

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
    let short: Vec<super::model::ShortItem> = priced
        .iter()
        .filter_map(|(p, qty)| {
            let available = limits.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
            (available < *qty).then(|| super::model::ShortItem { product_id: p.id, name: p.name.clone(), requested: *qty, available })
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

// ---- The back office: categories, products and photos, chain-wide ----

#[derive(FromRow)]
struct CategoryAdminRow {
    id: i64,
    slug: String,
    name_zh: String,
    name_en: String,
    sort: i64,
    /// 1 or 0: the Any driver cannot read SQLite's booleans.
    active: i64,
    products: i64,
}

/// Every category of the chain (retired ones last), with how many products on sale each holds.
pub async fn admin_categories(pool: &AnyPool, chain_id: i64) -> Result<Vec<super::model::CategoryAdmin>, AppError> {
    let rows: Vec<CategoryAdminRow> = sqlx::query_as(
        "select c.id, c.slug, c.name_zh, c.name_en, c.sort, case when c.active then 1 else 0 end as active,
            (select count(*) from products p where p.category_id = c.id and p.active = $2) as products
         from categories c where c.chain_id = $1
         order by case when c.active = $2 then 0 else 1 end, c.sort, c.id",
    )
    .bind(chain_id)
    .bind(true)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::model::CategoryAdmin { id: r.id, slug: r.slug, name_zh: r.name_zh, name_en: r.name_en, sort: r.sort, active: r.active == 1, products: r.products })
        .collect())
}

/// Whether `slug` is taken in the chain (retired categories keep theirs: old links still work).
pub async fn slug_taken(conn: &mut AnyConnection, chain_id: i64, slug: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("select id from categories where chain_id = $1 and slug = $2").bind(chain_id).bind(slug).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// Renames or moves a category; false when the chain has no such category.
pub async fn update_category(conn: &mut AnyConnection, chain_id: i64, id: i64, c: &super::model::CategoryInput) -> Result<bool, AppError> {
    let done = sqlx::query("update categories set name_zh = $3, name_en = $4, sort = $5 where id = $1 and chain_id = $2")
        .bind(id)
        .bind(chain_id)
        .bind(&c.name_zh)
        .bind(&c.name_en)
        .bind(c.sort)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Retires (only while no product on sale is in it, in the same statement) or restores a
/// category. Returns whether it changed.
pub async fn set_category_active(conn: &mut AnyConnection, chain_id: i64, id: i64, active: bool) -> Result<bool, AppError> {
    let done = sqlx::query(
        "update categories set active = $3 where id = $1 and chain_id = $2
           and ($3 = $4 or not exists (select 1 from products p where p.category_id = categories.id and p.active = $4))",
    )
    .bind(id)
    .bind(chain_id)
    .bind(active)
    .bind(true)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the chain has the category and it is in use (products may only go into those).
pub async fn category_usable(conn: &mut AnyConnection, chain_id: i64, id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select id from categories where id = $1 and chain_id = $2 and active = $3")
        .bind(id)
        .bind(chain_id)
        .bind(true)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

#[derive(FromRow)]
struct ProductAdminRow {
    id: i64,
    name: String,
    unit: String,
    price_fen: i64,
    category_id: i64,
    category: String,
    origin: String,
    producer: String,
    harvest_date: Option<String>,
    shelf_life_days: Option<i64>,
    description: String,
    tags: String,
    /// 1 or 0: the Any driver cannot read SQLite's booleans.
    active: i64,
    image_id: Option<i64>,
    store_pricing: i64,
    version: i64,
}

impl ProductAdminRow {
    fn into_admin(self) -> super::model::ProductAdmin {
        super::model::ProductAdmin {
            id: self.id,
            version: self.version,
            fields: super::model::ProductInput {
                name: self.name,
                unit: self.unit,
                price_fen: self.price_fen,
                category_id: self.category_id,
                origin: self.origin,
                producer: self.producer,
                harvest_date: self.harvest_date,
                shelf_life_days: self.shelf_life_days,
                description: self.description,
                tags: parse_tags(&self.tags),
                store_pricing: self.store_pricing == 1,
                version: None,
            },
            category: self.category,
            active: self.active == 1,
            image_url: self.image_id.map(|id| format!("/media/{id}")),
            photos: Vec::new(),
            components: Vec::new(),
            store_prices: Vec::new(),
        }
    }
}

/// Which products the back-office list shows.
pub struct AdminFilter<'a> {
    pub category_id: Option<i64>,
    /// Some(true): on sale; Some(false): retired; None: all.
    pub active: Option<bool>,
    pub q: Option<&'a str>,
}

fn admin_select(zh: bool) -> String {
    let name = if zh { "c.name_zh" } else { "c.name_en" };
    format!(
        "select p.id, p.name, p.unit, p.price_fen, p.category_id, {name} as category, p.origin, p.producer, p.harvest_date,
            p.shelf_life_days, p.description, p.tags, case when p.active then 1 else 0 end as active, p.image_id,
            case when p.store_pricing then 1 else 0 end as store_pricing, p.version
         from products p join categories c on c.id = p.category_id"
    )
}

/// The chain's products for the back office (retired ones too), by category order then id.
pub async fn admin_products(pool: &AnyPool, chain_id: i64, zh: bool, f: &AdminFilter<'_>) -> Result<Vec<super::model::ProductAdmin>, AppError> {
    let pattern = f.q.map(|q| format!("%{}%", crate::server::db::escape_like(q)));
    let rows: Vec<ProductAdminRow> = sqlx::query_as(&format!(
        "{} where p.chain_id = $1 and ($2 is null or p.category_id = $2) and ($3 is null or p.active = $3)
           and ($4 is null or p.name like $4 escape '\\' or p.origin like $4 escape '\\' or p.producer like $4 escape '\\')
         order by c.sort, p.id",
        admin_select(zh)
    ))
    .bind(chain_id)
    .bind(f.category_id)
    .bind(f.active)
    .bind(pattern)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ProductAdminRow::into_admin).collect())
}

/// One product of the chain with its photos and components.
pub async fn admin_product(pool: &AnyPool, chain_id: i64, id: i64, zh: bool) -> Result<Option<super::model::ProductAdmin>, AppError> {
    let row: Option<ProductAdminRow> = sqlx::query_as(&format!("{} where p.chain_id = $1 and p.id = $2", admin_select(zh)))
        .bind(chain_id)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut p = row.into_admin();
    let cover = p.image_url.clone();
    p.photos = photos(pool, id)
        .await?
        .into_iter()
        .map(|(photo_id, card, large)| super::model::Photo {
            id: photo_id,
            card_url: format!("/media/{card}"),
            large_url: format!("/media/{large}"),
            cover: cover.as_deref() == Some(format!("/media/{card}").as_str()),
        })
        .collect();
    p.components = components(pool, id).await?.into_iter().map(|(product_id, name, unit, qty)| BundleComponent { product_id, name, unit, qty }).collect();
    Ok(Some(p))
}

/// Writes a product's editable fields; false when the chain has no such product.
/// Saves an edit made to version `based_on`, and bumps the version; false when the product
/// is not the chain's or was saved since (one statement: no save can slip in between).
pub async fn update_product(conn: &mut AnyConnection, chain_id: i64, id: i64, p: &super::model::ProductInput, based_on: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "update products set name = $3, unit = $4, price_fen = $5, category_id = $6, origin = $7, producer = $8,
            harvest_date = $9, shelf_life_days = $10, description = $11, tags = $12, store_pricing = $13, version = version + 1
         where id = $1 and chain_id = $2 and version = $14",
    )
    .bind(id)
    .bind(chain_id)
    .bind(&p.name)
    .bind(&p.unit)
    .bind(p.price_fen)
    .bind(p.category_id)
    .bind(&p.origin)
    .bind(&p.producer)
    .bind(p.harvest_date.as_deref())
    .bind(p.shelf_life_days)
    .bind(&p.description)
    .bind(p.tags.join(","))
    .bind(p.store_pricing)
    .bind(based_on)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a product off sale (or back on). Orders already placed keep their lines; carts and
/// checkout stop offering it at once. False when the chain has no such product.
pub async fn set_product_active(conn: &mut AnyConnection, chain_id: i64, id: i64, active: bool) -> Result<bool, AppError> {
    let done = sqlx::query("update products set active = $3 where id = $1 and chain_id = $2")
        .bind(id)
        .bind(chain_id)
        .bind(active)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks the product's row for the rest of the transaction (photo uploads count and insert
/// under it, so two at once cannot make a tenth; a bundle's recipe is replaced under it) and
/// says how many photos it has; `None` when the chain has no such product.
pub async fn lock_product(conn: &mut AnyConnection, chain_id: i64, product_id: i64) -> Result<Option<i64>, AppError> {
    let locked = sqlx::query("update products set image_id = image_id where id = $1 and chain_id = $2")
        .bind(product_id)
        .bind(chain_id)
        .execute(&mut *conn)
        .await?;
    if locked.rows_affected() == 0 {
        return Ok(None);
    }
    let (n,): (i64,) = sqlx::query_as("select count(*) from product_photos where product_id = $1").bind(product_id).fetch_one(&mut *conn).await?;
    Ok(Some(n))
}

/// Adds a photo after the product's others; the first real photo becomes the cover (in
/// place of the drawn tile a product starts with). Returns the photo's id.
pub async fn insert_photo(conn: &mut AnyConnection, product_id: i64, card_id: i64, large_id: i64, by: i64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into product_photos (product_id, card_media_id, large_media_id, position, created_by, created_at_ms)
         values ($1, $2, $3, coalesce((select max(position) from product_photos where product_id = $1), 0) + 1, $4, $5) returning id",
    )
    .bind(product_id)
    .bind(card_id)
    .bind(large_id)
    .bind(by)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "update products set image_id = $2 where id = $1
           and (image_id is null or image_id not in (select card_media_id from product_photos where product_id = $1 and id <> $3))",
    )
    .bind(product_id)
    .bind(card_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A product's photos in order: (photo id, card media id, large media id).
pub async fn photos(pool: &AnyPool, product_id: i64) -> Result<Vec<(i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as("select id, card_media_id, large_media_id from product_photos where product_id = $1 order by position, id")
        .bind(product_id)
        .fetch_all(pool)
        .await?)
}

/// Removes one photo; if it was the cover, the next photo (or none) takes its place. False
/// when the product has no such photo.
pub async fn delete_photo(conn: &mut AnyConnection, product_id: i64, photo_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("delete from product_photos where id = $1 and product_id = $2 returning card_media_id")
        .bind(photo_id)
        .bind(product_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((card,)) = row else { return Ok(false) };
    sqlx::query(
        "update products set image_id = (select card_media_id from product_photos where product_id = $1 order by position, id limit 1)
         where id = $1 and image_id = $2",
    )
    .bind(product_id)
    .bind(card)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Makes one of the product's photos its cover; false when it has no such photo.
pub async fn set_cover(conn: &mut AnyConnection, product_id: i64, photo_id: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "update products set image_id = (select card_media_id from product_photos where id = $2 and product_id = $1)
         where id = $1 and exists (select 1 from product_photos where id = $2 and product_id = $1)",
    )
    .bind(product_id)
    .bind(photo_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The large pictures of a product, in order, for its page's gallery.
pub async fn gallery(pool: &AnyPool, product_id: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select ph.large_media_id from product_photos ph join products p on p.id = ph.product_id where ph.product_id = $1
         order by case when ph.card_media_id = p.image_id then 0 else 1 end, ph.position, ph.id",
    )
        .bind(product_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id,)| format!("/media/{id}")).collect())
}

/// A store's own prices for one product: (store id, price).
pub async fn store_prices(pool: &AnyPool, product_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("select store_id, price_fen from store_prices where product_id = $1 order by store_id")
        .bind(product_id)
        .fetch_all(pool)
        .await?)
}

/// Sets a store's own price, only while the product allows store pricing (in the same
/// statement); false when it does not (or there is no such product in the store's chain).
pub async fn set_store_price(conn: &mut AnyConnection, store_id: i64, product_id: i64, price_fen: i64, by: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "insert into store_prices (store_id, product_id, price_fen, set_by, updated_at_ms)
         select $1, p.id, $3, $4, $5 from products p join stores st on st.id = $1 and st.chain_id = p.chain_id
         where p.id = $2 and p.store_pricing = $6
         on conflict (store_id, product_id) do update
         set price_fen = excluded.price_fen, set_by = excluded.set_by, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(price_fen)
    .bind(by)
    .bind(now_ms())
    .bind(true)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Back to the chain's price at one store.
pub async fn clear_store_price(conn: &mut AnyConnection, store_id: i64, product_id: i64) -> Result<(), AppError> {
    sqlx::query("delete from store_prices where store_id = $1 and product_id = $2").bind(store_id).bind(product_id).execute(&mut *conn).await?;
    Ok(())
}
