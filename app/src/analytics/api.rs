//! Back-office figures.
use super::model::StoreOverview;
use crate::shared::AppError;
use leptos::prelude::*;

/// Stock at a glance for every store the person works at (the owner: all of them).
#[server(prefix = "/api", endpoint = "office_overview")]
pub async fn office_overview() -> Result<Vec<StoreOverview>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    if !me.works_here() {
        return Err(AppError::forbidden());
    }
    let allowed = crate::accounts::rules::staff_store_ids(&me);
    let mut out = Vec::new();
    for s in crate::stores::list_active(&state.db.pool).await? {
        if allowed.as_ref().is_some_and(|ids| !ids.contains(&s.id)) {
            continue;
        }
        let f = crate::catalog::stock_summary(&state.db.pool, s.id, crate::catalog::rules::LOW_STOCK_HINT).await?;
        out.push(StoreOverview { store_id: s.id, name: s.name, address: s.address, products: f.products, low_stock: f.low, out_of_stock: f.out });
    }
    Ok(out)
}
