//! Catalog server functions for the back-office pages (商品, 分类); the JSON API calls the
//! same service. Each form bounces back with its error and what was typed when JavaScript is
//! off. Photos are uploaded by a plain multipart form to `/admin/products/{id}/photos`.
// A server function's arguments are its form's fields: the product form has sixteen.
#![allow(clippy::too_many_arguments)]
use super::model::{CategoryAdmin, ProductEditView, ProductsAdminView};
use crate::shared::AppError;
use leptos::prelude::*;

/// The product list: on sale / retired / all, one category, a search.
#[server(prefix = "/api", endpoint = "admin_products")]
pub async fn load_products_admin(q: Option<String>, category: Option<i64>, status: Option<String>) -> Result<ProductsAdminView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let q = super::rules::search_term(q.as_deref());
    let active = match status.as_deref() {
        Some("retired") => Some(false),
        Some("all") => None,
        _ => Some(true),
    };
    let filter = super::store::AdminFilter { category_id: category, active, q: q.as_deref() };
    super::service::products(&state.db, &me, crate::server::request::page_zh()?, &filter).await
}

/// The editor: a product of the chain, or an empty form (`id` none) for the owner.
#[server(prefix = "/api", endpoint = "admin_product")]
pub async fn load_product_editor(id: Option<i64>) -> Result<ProductEditView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::edit_view(&state.db, &me, id, crate::server::request::page_zh()?).await
}

/// 保存 from the editor. Prices are typed in yuan, days as text, suggested tags as
/// checkboxes (`tag_0`…`tag_4`) and other tags comma separated; a new product (`id` empty) goes to its page.
#[server(prefix = "/api", endpoint = "admin_save_product")]
pub async fn save_product(
    id: Option<i64>,
    name: String,
    unit: String,
    price: String,
    category_id: String,
    origin: String,
    producer: String,
    harvest_date: String,
    shelf_life_days: String,
    description: String,
    tag_0: Option<String>,
    tag_1: Option<String>,
    tag_2: Option<String>,
    tag_3: Option<String>,
    tag_4: Option<String>,
    tags_other: String,
    store_pricing: Option<String>,
    version: Option<i64>,
) -> Result<i64, AppError> {
    // One checkbox per suggested tag (a form's repeated names do not survive the encoding).
    let picked: Vec<String> = [tag_0, tag_1, tag_2, tag_3, tag_4].into_iter().flatten().collect();
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let input = super::model::ProductInput {
            name: name.clone(),
            unit: unit.clone(),
            // What cannot be read goes on as a value the checks refuse with the same words, so
            // the form marks every problem at once rather than the price alone.
            price_fen: super::editing::parse_price(&price).unwrap_or(0),
            category_id: category_id.trim().parse().unwrap_or(0),
            origin: origin.clone(),
            producer: producer.clone(),
            harvest_date: Some(harvest_date.clone()),
            shelf_life_days: super::editing::parse_shelf_life(&shelf_life_days).unwrap_or(Some(0)),
            description: description.clone(),
            tags: super::editing::collect_tags(picked.iter().map(String::as_str), &tags_other),
            store_pricing: store_pricing.as_deref() == Some("1"),
            version,
        };
        let saved = match id {
            Some(id) => super::service::update_product(&state.db, &me, id, &input, crate::server::request::page_zh()?).await?,
            None => super::service::create_product(&state.db, &me, &input, crate::server::request::page_zh()?).await?,
        };
        Ok::<_, AppError>(saved.id)
    }
    .await;
    match &result {
        Ok(saved) => leptos_axum::redirect(&format!("/admin/products/{saved}?saved=1")),
        Err(e) => {
            let tags = picked.join(",");
            // After a stale edit the form keeps what was typed but moves on to the latest
            // version: a second 保存, once checked, saves it.
            let version = super::editing::version_after(e, version).map(|v| v.to_string()).unwrap_or_default();
            crate::server::form::bounce_back(
                e,
                &[
                    ("name", &name),
                    ("unit", &unit),
                    ("price", &price),
                    ("category_id", &category_id),
                    ("origin", &origin),
                    ("producer", &producer),
                    ("harvest_date", &harvest_date),
                    ("shelf_life_days", &shelf_life_days),
                    ("description", &description),
                    ("picked", &tags),
                    ("tags_other", &tags_other),
                    ("store_pricing", store_pricing.as_deref().unwrap_or("")),
                    ("version", &version),
                ],
            );
        }
    }
    result
}

/// 本店售价: a store's own price (empty: back to the chain's).
#[server(prefix = "/api", endpoint = "admin_store_price")]
pub async fn set_store_price(product_id: i64, store_id: i64, price: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let price_fen = super::editing::parse_store_price(&price)?;
        super::service::set_store_price(&state.db, &me, store_id, product_id, price_fen, crate::server::request::page_zh()?).await.map(|_| ())
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/admin/products/{product_id}?saved=1#store-prices")),
        Err(e) => {
            let store = store_id.to_string();
            crate::server::form::bounce_back(e, &[("price_store", &store), ("store_price", &price)]);
        }
    }
    result
}

/// 下架 (`active` "0") or 重新上架 ("1").
#[server(prefix = "/api", endpoint = "admin_product_active")]
pub async fn set_product_on_sale(id: i64, active: String) -> Result<bool, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::set_active(&state.db, &me, id, active == "1", crate::server::request::page_zh()?).await.map(|p| p.active)
    }
    .await;
    match &result {
        Ok(_) => leptos_axum::redirect(&format!("/admin/products/{id}")),
        Err(e) => crate::server::form::bounce_back(e, &[]),
    }
    result
}

/// 套餐内容: up to six rows of a single product and how many (the owner).
#[server(prefix = "/api", endpoint = "admin_bundle")]
pub async fn set_bundle(
    product_id: i64,
    part_0: String,
    qty_0: String,
    part_1: String,
    qty_1: String,
    part_2: String,
    qty_2: String,
    part_3: String,
    qty_3: String,
    part_4: String,
    qty_4: String,
    part_5: String,
    qty_5: String,
) -> Result<(), AppError> {
    let rows = [(part_0, qty_0), (part_1, qty_1), (part_2, qty_2), (part_3, qty_3), (part_4, qty_4), (part_5, qty_5)];
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let refs: Vec<(&str, &str)> = rows.iter().map(|(p, q)| (p.as_str(), q.as_str())).collect();
        let items = super::editing::components_from_form(&refs)?;
        super::service::set_components(&state.db, &me, product_id, &items, crate::server::request::page_zh()?).await.map(|_| ())
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/admin/products/{product_id}?saved=1#bundle")),
        Err(e) => {
            use super::editing::{PART_KEYS, QTY_KEYS};
            let keep: Vec<(&str, &str)> = rows.iter().enumerate().flat_map(|(i, (p, q))| [(PART_KEYS[i], p.as_str()), (QTY_KEYS[i], q.as_str())]).collect();
            crate::server::form::bounce_back(e, &keep);
        }
    }
    result
}

/// 设为封面 (`cover` "1") or 删除 a photo.
#[server(prefix = "/api", endpoint = "admin_photo")]
pub async fn change_photo(product_id: i64, photo_id: i64, cover: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        if cover == "1" {
            super::service::make_cover(&state.db, &me, product_id, photo_id).await
        } else {
            super::service::remove_photo(&state.db, &me, product_id, photo_id).await
        }
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/admin/products/{product_id}#photos")),
        Err(e) => crate::server::form::bounce_back(e, &[]),
    }
    result
}

#[server(prefix = "/api", endpoint = "admin_categories")]
pub async fn load_categories() -> Result<(Vec<CategoryAdmin>, bool), AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    Ok((super::service::categories(&state.db, &me).await?, super::service::may_manage(&me)))
}

/// Adds (`id` empty) or renames a category.
#[server(prefix = "/api", endpoint = "admin_save_category")]
pub async fn save_category(id: Option<i64>, name_zh: String, name_en: String, sort: String) -> Result<i64, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let next = super::service::categories(&state.db, &me).await?.iter().map(|c| c.sort).max().unwrap_or(0) + 10;
        let input = super::model::CategoryInput { name_zh: name_zh.clone(), name_en: name_en.clone(), sort: super::editing::parse_sort(&sort, next.min(999))? };
        match id {
            Some(id) => super::service::update_category(&state.db, &me, id, &input).await,
            None => super::service::create_category(&state.db, &me, &input).await,
        }
        .map(|c| c.id)
    }
    .await;
    match &result {
        Ok(_) => leptos_axum::redirect("/admin/categories?saved=1"),
        Err(e) => {
            let which = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
            crate::server::form::bounce_back(e, &[("which", &which), ("name_zh", &name_zh), ("name_en", &name_en), ("sort", &sort)]);
        }
    }
    result
}

/// 停用 (`active` "0") or 恢复 ("1") a category.
#[server(prefix = "/api", endpoint = "admin_category_active")]
pub async fn set_category_in_use(id: i64, active: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::set_category_active(&state.db, &me, id, active == "1").await.map(|_| ())
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect("/admin/categories"),
        Err(e) => {
            let which = id.to_string();
            crate::server::form::bounce_back(e, &[("which", &which)]);
        }
    }
    result
}
