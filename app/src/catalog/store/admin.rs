//! The back office's chain-wide catalog editing, and the inserts the demo seed uses.
use super::*;
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

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
pub async fn admin_categories(pool: &AnyPool, chain_id: i64) -> Result<Vec<crate::catalog::model::CategoryAdmin>, AppError> {
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
        .map(|r| crate::catalog::model::CategoryAdmin { id: r.id, slug: r.slug, name_zh: r.name_zh, name_en: r.name_en, sort: r.sort, active: r.active == 1, products: r.products })
        .collect())
}

/// Whether `slug` is taken in the chain (retired categories keep theirs: old links still work).
pub async fn slug_taken(conn: &mut AnyConnection, chain_id: i64, slug: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("select id from categories where chain_id = $1 and slug = $2").bind(chain_id).bind(slug).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// Renames or moves a category; false when the chain has no such category.
pub async fn update_category(conn: &mut AnyConnection, chain_id: i64, id: i64, c: &crate::catalog::model::CategoryInput) -> Result<bool, AppError> {
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
    fn into_admin(self) -> crate::catalog::model::ProductAdmin {
        crate::catalog::model::ProductAdmin {
            id: self.id,
            version: self.version,
            fields: crate::catalog::model::ProductInput {
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
pub async fn admin_products(pool: &AnyPool, chain_id: i64, zh: bool, f: &AdminFilter<'_>) -> Result<Vec<crate::catalog::model::ProductAdmin>, AppError> {
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
pub async fn admin_product(pool: &AnyPool, chain_id: i64, id: i64, zh: bool) -> Result<Option<crate::catalog::model::ProductAdmin>, AppError> {
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
        .map(|(photo_id, card, large)| crate::catalog::model::Photo {
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
pub async fn update_product(conn: &mut AnyConnection, chain_id: i64, id: i64, p: &crate::catalog::model::ProductInput, based_on: i64) -> Result<bool, AppError> {
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
    insert_media_as(conn, content_type, bytes, size, false).await
}

/// A picture that `/media/{id}` never serves (`private`): a group's photo.
pub async fn insert_media_as(conn: &mut AnyConnection, content_type: &str, bytes: &[u8], size: Option<(u32, u32)>, private: bool) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into media (content_type, bytes, width, height, created_at_ms, private) values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(content_type)
    .bind(bytes)
    .bind(size.map(|s| i64::from(s.0)))
    .bind(size.map(|s| i64::from(s.1)))
    .bind(now_ms())
    .bind(private)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}
