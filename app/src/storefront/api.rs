//! The storefront's server functions: the shelf and the product page, each with the cart.
use super::model::{ProductPage, Shelf};
use crate::shared::AppError;
use leptos::prelude::*;

/// The home page's shelf: the resident's store, its categories and products.
#[server(prefix = "/api", endpoint = "shelf")]
pub async fn load_shelf(category: Option<String>, q: Option<String>) -> Result<Option<Shelf>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(store) = crate::stores::api::current_store(None).await? else { return Ok(None) };
    let categories = crate::catalog::service::shelf_categories(&state.db).await?;
    let products = crate::catalog::service::shelf(&state.db, store.id, category.as_deref(), q.as_deref()).await?;
    let cart = crate::cart::api::summary_at(&store).await?;
    Ok(Some(Shelf { store, categories, products, cart }))
}

/// One product at the resident's store, with absolute share links. `None`: no such product.
#[server(prefix = "/api", endpoint = "product_page")]
pub async fn load_product_page(id: i64) -> Result<Option<ProductPage>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(store) = crate::stores::api::current_store(None).await? else { return Ok(None) };
    let Some(detail) = crate::catalog::service::detail(&state.db, id, store.id).await? else { return Ok(None) };
    let origin = crate::server::state::app_state()?.public_url;
    let cart = crate::cart::api::summary_at(&store).await?;
    let reviews = crate::community::service::reviews(&state.db, store.id, id).await?;
    Ok(Some(ProductPage {
        cart,
        reviews,
        now_ms: crate::shared::time::now_ms(),
        share_url: format!("{origin}/p/{id}"),
        share_image_url: detail.product.image_url.as_ref().map(|u| format!("{origin}{u}")),
        store_name: store.name,
        detail,
    }))
}
