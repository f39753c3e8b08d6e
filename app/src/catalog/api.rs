//! Catalog server functions.
use super::model::Shelf;
use crate::shared::AppError;
use leptos::prelude::*;

/// The home page's shelf: the resident's store, its categories and products.
#[server(prefix = "/api", endpoint = "shelf")]
pub async fn load_shelf(category: Option<String>, q: Option<String>) -> Result<Option<Shelf>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(store) = crate::stores::api::current_store(None).await? else { return Ok(None) };
    let q = super::rules::search_term(q.as_deref());
    let category = category.filter(|c| !c.is_empty());
    let pool = &state.db.pool;
    let categories = super::store::categories(pool).await?;
    let products = super::store::list_for_store(pool, store.id, category.as_deref(), q.as_deref()).await?;
    Ok(Some(Shelf { store, categories, products }))
}
