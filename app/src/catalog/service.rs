//! Catalog edits shared by the back-office pages and the JSON API. The catalog is the
//! chain's: the owner creates and retires products, sets prices and keeps the categories;
//! a store manager keeps descriptions, tags, traceability and photos up to date. Staff and
//! residents edit nothing.
use super::editing;
use super::model::{Category, CategoryAdmin, CategoryInput, Photo, ProductAdmin, ProductEditView, ProductInput, ProductsAdminView, StorePrice, Product, ProductDetail};
use super::store::{self, AdminFilter};
use crate::accounts::{Me, Role};
use crate::server::Db;
use crate::shared::time::{iso_date, local_time, now_ms};
use crate::shared::{AppError, ErrorCode};

/// Who may edit what the catalog says about a product (and its photos).
pub fn may_edit(me: &Me) -> bool {
    me.has(Role::Owner) || me.has(Role::Manager)
}

/// Who decides what is sold and for how much.
pub fn may_manage(me: &Me) -> bool {
    me.has(Role::Owner)
}

fn require(allowed: bool) -> Result<(), AppError> {
    if allowed { Ok(()) } else { Err(AppError::forbidden()) }
}

async fn chain(db: &Db) -> Result<i64, AppError> {
    crate::stores::chain_id(&db.pool).await?.ok_or_else(AppError::not_found)
}

fn today() -> i64 {
    local_time(now_ms()).day
}

/// A store's shelf as residents see it: what is on sale there with what is available, one
/// category (by slug) or a search. The home page and `GET /api/v1/stores/{id}/products` both
/// read it here.
pub async fn shelf(db: &Db, store_id: i64, category: Option<&str>, q: Option<&str>) -> Result<Vec<Product>, AppError> {
    let term = super::rules::search_term(q);
    let category = super::rules::category_slug(category);
    store::list_for_store(&db.pool, store_id, category.as_deref(), term.as_deref()).await
}

/// One product with its traceability card and availability at a store; `None`: no such product.
pub async fn detail(db: &Db, id: i64, store_id: i64) -> Result<Option<ProductDetail>, AppError> {
    store::detail(&db.pool, id, store_id).await
}

/// The chain's categories, for the shelf's chips.
pub async fn shelf_categories(db: &Db) -> Result<Vec<Category>, AppError> {
    store::categories(&db.pool).await
}

/// The back office's product list.
pub async fn products(db: &Db, me: &Me, zh: bool, filter: &AdminFilter<'_>) -> Result<ProductsAdminView, AppError> {
    require(may_edit(me))?;
    let chain = chain(db).await?;
    Ok(ProductsAdminView {
        products: store::admin_products(&db.pool, chain, zh, filter).await?,
        categories: store::admin_categories(&db.pool, chain).await?,
        may_manage: may_manage(me),
    })
}

/// Who may set a store's own price (where the owner allows it): its manager, the owner.
pub const STORE_PRICE_ROLES: &[Role] = &[Role::Manager];

/// One product as the editor shows it; 404 when the chain has none by that id.
pub async fn product(db: &Db, me: &Me, id: i64, zh: bool) -> Result<ProductAdmin, AppError> {
    require(may_edit(me))?;
    let p = store::admin_product(&db.pool, chain(db).await?, id, zh).await?.ok_or_else(AppError::not_found)?;
    with_store_prices(db, me, p).await
}

/// Adds the stores the reader may price, with their own prices.
async fn with_store_prices(db: &Db, me: &Me, mut p: ProductAdmin) -> Result<ProductAdmin, AppError> {
    let prices = store::store_prices(&db.pool, p.id).await?;
    p.store_prices = crate::stores::list_active(&db.pool)
        .await?
        .into_iter()
        .filter(|s| crate::accounts::rules::may_act(&me.roles, s.id, STORE_PRICE_ROLES))
        .map(|s| StorePrice { store_id: s.id, price_fen: prices.iter().find(|(id, _)| *id == s.id).map(|(_, f)| *f), store_name: s.name })
        .collect();
    Ok(p)
}

/// Sets (or with `None` clears) a store's own price for a product the owner lets stores price.
#[tracing::instrument(skip_all, fields(by = me.id, store_id, product = product_id))]
pub async fn set_store_price(db: &Db, me: &Me, store_id: i64, product_id: i64, price_fen: Option<i64>, zh: bool) -> Result<ProductAdmin, AppError> {
    if !crate::accounts::rules::may_act(&me.roles, store_id, STORE_PRICE_ROLES) {
        return Err(AppError::forbidden());
    }
    if price_fen.is_some_and(|f| f <= 0 || f > editing::PRICE_MAX_FEN) {
        return Err(AppError::field(ErrorCode::InvalidPrice, "price"));
    }
    let chain = chain(db).await?;
    store::admin_product(&db.pool, chain, product_id, zh).await?.ok_or_else(AppError::not_found)?;
    let mut tx = db.begin_write().await?;
    match price_fen {
        Some(f) => {
            if !store::set_store_price(&mut tx, store_id, product_id, f, me.id).await? {
                return Err(AppError::new(ErrorCode::StorePricingOff));
            }
            tracing::info!(price_fen = f, "store price set");
        }
        None => store::clear_store_price(&mut tx, store_id, product_id).await?,
    }
    tx.commit().await?;
    product(db, me, product_id, zh).await
}

/// The editor's page: the product (none for a new one) and the categories to choose from.
pub async fn edit_view(db: &Db, me: &Me, id: Option<i64>, zh: bool) -> Result<ProductEditView, AppError> {
    require(may_edit(me))?;
    if id.is_none() {
        require(may_manage(me))?;
    }
    let chain = chain(db).await?;
    let product = match id {
        Some(id) => Some(product(db, me, id, zh).await?),
        None => None,
    };
    let parts = if may_manage(me) && id.is_some() { store::part_choices(&db.pool, chain).await? } else { Vec::new() };
    Ok(ProductEditView { product, categories: store::admin_categories(&db.pool, chain).await?, may_manage: may_manage(me), today: iso_date(today()), parts })
}

/// A new product, on sale at once (every store shows it sold out until it receives stock).
#[tracing::instrument(skip_all, fields(by = me.id))]
pub async fn create_product(db: &Db, me: &Me, input: &ProductInput, zh: bool) -> Result<ProductAdmin, AppError> {
    require(may_manage(me))?;
    let p = editing::check_product(input, today())?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    if !store::category_usable(&mut tx, chain, p.category_id).await? {
        return Err(AppError::field(ErrorCode::CategoryRequired, "category_id"));
    }
    let tags = p.tags.join(",");
    let new = store::NewProduct {
        category_id: p.category_id,
        name: &p.name,
        unit: &p.unit,
        price_fen: p.price_fen,
        origin: &p.origin,
        producer: &p.producer,
        harvest_date: p.harvest_date.as_deref(),
        shelf_life_days: p.shelf_life_days,
        description: &p.description,
        tags: &tags,
        image_id: None,
        store_pricing: p.store_pricing,
    };
    let id = store::insert_product(&mut tx, chain, &new).await?;
    tx.commit().await?;
    tracing::info!(product = id, price_fen = p.price_fen, "product created");
    product(db, me, id, zh).await
}

/// Saves the editor. A manager's save may not change the price or the category (403
/// price_is_owners); everything else it may.
#[tracing::instrument(skip_all, fields(by = me.id, product = id))]
pub async fn update_product(db: &Db, me: &Me, id: i64, input: &ProductInput, zh: bool) -> Result<ProductAdmin, AppError> {
    require(may_edit(me))?;
    let p = editing::check_product(input, today())?;
    let chain = chain(db).await?;
    let current = store::admin_product(&db.pool, chain, id, zh).await?.ok_or_else(AppError::not_found)?;
    // The edit is checked against, and may only overwrite, the version it was made from.
    let based_on = p.version.unwrap_or(current.version);
    if based_on != current.version {
        return Err(stale(&current));
    }
    let moved = current.fields.category_id != p.category_id;
    if !may_manage(me) {
        let owners = [(moved, "category_id"), (current.fields.price_fen != p.price_fen, "price"), (current.fields.store_pricing != p.store_pricing, "store_pricing")];
        if let Some((_, field)) = owners.into_iter().find(|(changed, _)| *changed) {
            return Err(AppError::field(ErrorCode::PriceIsOwners, field));
        }
    }
    let mut tx = db.begin_write().await?;
    if moved && !store::category_usable(&mut tx, chain, p.category_id).await? {
        return Err(AppError::field(ErrorCode::CategoryRequired, "category_id"));
    }
    if !store::update_product(&mut tx, chain, id, &p, based_on).await? {
        drop(tx);
        // Saved by someone else between our read and our write.
        let latest = store::admin_product(&db.pool, chain, id, zh).await?.ok_or_else(AppError::not_found)?;
        return Err(stale(&latest));
    }
    tx.commit().await?;
    if current.fields.price_fen != p.price_fen {
        tracing::info!(from = current.fields.price_fen, to = p.price_fen, "price changed");
    }
    product(db, me, id, zh).await
}

/// 409 stale_edit, with what the product is now, so the editor can say what changed.
fn stale(now: &ProductAdmin) -> AppError {
    AppError::new(ErrorCode::StaleEdit).with_details(serde_json::json!({ "version": now.version, "price_fen": now.fields.price_fen }))
}

/// 下架 / 重新上架.
#[tracing::instrument(skip_all, fields(by = me.id, product = id, active))]
pub async fn set_active(db: &Db, me: &Me, id: i64, active: bool, zh: bool) -> Result<ProductAdmin, AppError> {
    require(may_manage(me))?;
    let chain = chain(db).await?;
    let current = store::admin_product(&db.pool, chain, id, zh).await?.ok_or_else(AppError::not_found)?;
    let mut tx = db.begin_write().await?;
    // Back on sale only into a category the shelf shows.
    if active && !store::category_usable(&mut tx, chain, current.fields.category_id).await? {
        return Err(AppError::field(ErrorCode::CategoryRequired, "category_id"));
    }
    if !store::set_product_active(&mut tx, chain, id, active).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    product(db, me, id, zh).await
}

/// Adds an uploaded photo: decoded, checked and re-encoded off the async runtime, then both
/// sizes and the photo row written in one transaction under the product's row lock.
#[tracing::instrument(skip_all, fields(by = me.id, product = product_id, bytes = bytes.len()))]
pub async fn add_photo(db: &Db, me: &Me, product_id: i64, bytes: Vec<u8>) -> Result<Photo, AppError> {
    require(may_edit(me))?;
    let chain = chain(db).await?;
    // Refuse early (before the decoding work) when there is no room; the count is checked
    // again under the row lock below.
    if store::photos(&db.pool, product_id).await?.len() as i64 >= editing::PHOTOS_MAX {
        return Err(AppError::field(ErrorCode::TooManyPhotos, "photo"));
    }
    let processed = tokio::task::spawn_blocking(move || super::photos::process(&bytes)).await.map_err(AppError::internal)??;
    let mut tx = db.begin_write().await?;
    match store::lock_product(&mut tx, chain, product_id).await? {
        None => return Err(AppError::not_found()),
        Some(n) if n >= editing::PHOTOS_MAX => return Err(AppError::field(ErrorCode::TooManyPhotos, "photo")),
        Some(_) => {}
    }
    let card = store::insert_media(&mut tx, "image/jpeg", &processed.card, Some(processed.card_size)).await?;
    let large = store::insert_media(&mut tx, "image/jpeg", &processed.large, Some(processed.large_size)).await?;
    let id = store::insert_photo(&mut tx, product_id, card, large, me.id).await?;
    tx.commit().await?;
    tracing::info!(photo = id, card_bytes = processed.card.len(), large_bytes = processed.large.len(), "photo added");
    let cover = store::admin_product(&db.pool, chain, product_id, true).await?.and_then(|p| p.image_url) == Some(format!("/media/{card}"));
    Ok(Photo { id, card_url: format!("/media/{card}"), large_url: format!("/media/{large}"), cover })
}

/// Stores a picture that belongs to no product (a live session's cover): decoded with the
/// photos' limits and re-encoded as JPEG at the large size. Returns its media id.
pub async fn store_picture(db: &Db, bytes: Vec<u8>) -> Result<i64, AppError> {
    let processed = tokio::task::spawn_blocking(move || super::photos::process(&bytes)).await.map_err(AppError::internal)??;
    let mut tx = db.begin_write().await?;
    let id = store::insert_media(&mut tx, "image/jpeg", &processed.large, Some(processed.large_size)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Checks, decodes and re-encodes pictures that belong to no product (a group post's
/// photos) off the async runtime, all before anything is written: one bad file refuses the
/// lot under `photo` with its position in `details.photo`.
pub async fn process_pictures(pictures: Vec<Vec<u8>>) -> Result<Vec<super::photos::Processed>, AppError> {
    tokio::task::spawn_blocking(move || {
        pictures
            .iter()
            .enumerate()
            .map(|(i, bytes)| super::photos::process(bytes).map_err(|e| e.with_details(serde_json::json!({ "photo": i + 1 }))))
            .collect()
    })
    .await
    .map_err(AppError::internal)?
}

/// Keeps a processed picture's two sizes in the caller's transaction, private (never served at
/// `/media/{id}`; the caller's own route decides who sees them): (card id, large id).
pub async fn keep_private_picture(conn: &mut sqlx::AnyConnection, p: &super::photos::Processed) -> Result<(i64, i64), AppError> {
    let card = store::insert_media_as(conn, "image/jpeg", &p.card, Some(p.card_size), true).await?;
    let large = store::insert_media_as(conn, "image/jpeg", &p.large, Some(p.large_size), true).await?;
    Ok((card, large))
}

/// Removes a photo (the next one becomes the cover if it was).
pub async fn remove_photo(db: &Db, me: &Me, product_id: i64, photo_id: i64) -> Result<(), AppError> {
    require(may_edit(me))?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    if store::lock_product(&mut tx, chain, product_id).await?.is_none() || !store::delete_photo(&mut tx, product_id, photo_id).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(())
}

/// Puts a photo on the product's card.
pub async fn make_cover(db: &Db, me: &Me, product_id: i64, photo_id: i64) -> Result<(), AppError> {
    require(may_edit(me))?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    if store::lock_product(&mut tx, chain, product_id).await?.is_none() || !store::set_cover(&mut tx, product_id, photo_id).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    Ok(())
}

pub async fn categories(db: &Db, me: &Me) -> Result<Vec<CategoryAdmin>, AppError> {
    require(may_edit(me))?;
    store::admin_categories(&db.pool, chain(db).await?).await
}

async fn category(db: &Db, chain: i64, id: i64) -> Result<CategoryAdmin, AppError> {
    store::admin_categories(&db.pool, chain).await?.into_iter().find(|c| c.id == id).ok_or_else(AppError::not_found)
}

/// A new category, at the end of the shelf unless placed.
#[tracing::instrument(skip_all, fields(by = me.id))]
pub async fn create_category(db: &Db, me: &Me, input: &CategoryInput) -> Result<CategoryAdmin, AppError> {
    require(may_manage(me))?;
    let c = editing::check_category(input)?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    let base = editing::slugify(&c.name_en);
    let mut slug = base.clone();
    let mut n = 1;
    while store::slug_taken(&mut tx, chain, &slug).await? {
        n += 1;
        slug = format!("{base}-{n}");
    }
    let id = store::insert_category(&mut tx, chain, &slug, &c.name_zh, &c.name_en, c.sort).await?;
    tx.commit().await?;
    category(db, chain, id).await
}

pub async fn update_category(db: &Db, me: &Me, id: i64, input: &CategoryInput) -> Result<CategoryAdmin, AppError> {
    require(may_manage(me))?;
    let c = editing::check_category(input)?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    if !store::update_category(&mut tx, chain, id, &c).await? {
        return Err(AppError::not_found());
    }
    tx.commit().await?;
    category(db, chain, id).await
}

/// Retires a category once nothing on sale is in it (409 category_in_use), or restores it.
pub async fn set_category_active(db: &Db, me: &Me, id: i64, active: bool) -> Result<CategoryAdmin, AppError> {
    require(may_manage(me))?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    if !store::set_category_active(&mut tx, chain, id, active).await? {
        category(db, chain, id).await?;
        return Err(AppError::new(ErrorCode::CategoryInUse));
    }
    tx.commit().await?;
    category(db, chain, id).await
}

/// The owner sets what a bundle (套餐) holds; its stock is then its parts' (what the shelf
/// shows, what an order reserves). A product with stock of its own, or that is itself part of
/// a bundle, does not become one (a recipe is one level deep, and no units are stranded).
#[tracing::instrument(skip_all, fields(by = me.id, product = id))]
pub async fn set_components(db: &Db, me: &Me, id: i64, items: &[(i64, i64)], zh: bool) -> Result<ProductAdmin, AppError> {
    require(may_manage(me))?;
    let items = editing::check_components(id, items)?;
    let chain = chain(db).await?;
    let mut tx = db.begin_write().await?;
    if store::lock_product(&mut tx, chain, id).await?.is_none() {
        return Err(AppError::not_found());
    }
    if !items.is_empty() {
        let (part, stocked) = store::part_and_stock(&mut tx, chain, id, now_ms()).await?;
        if part {
            return Err(AppError::new(ErrorCode::BundleIsPart));
        }
        if stocked {
            return Err(AppError::new(ErrorCode::BundleHasStock));
        }
        let ids: Vec<i64> = items.iter().map(|(p, _)| *p).collect();
        if store::single_products(&mut tx, chain, &ids).await? != ids.len() {
            return Err(AppError::field(ErrorCode::InvalidBundle, "components"));
        }
    }
    store::replace_components(&mut tx, id, &items).await?;
    tx.commit().await?;
    tracing::info!(parts = items.len(), "bundle recipe set");
    product(db, me, id, zh).await
}
