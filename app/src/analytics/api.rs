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

/// The owner's dashboard: a store (or, for the owner, the whole chain), a period (day, week,
/// month) and a day in it.
#[server(prefix = "/api", endpoint = "load_insights")]
pub async fn load_insights(store: Option<i64>, span: Option<String>, date: Option<String>) -> Result<super::model::Insights, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let zh = crate::server::request::page_zh()?;
    super::service::dashboard(&state.db, &me, store, span.as_deref(), date.as_deref(), zh, true).await
}

/// Tomorrow's order list (以销定采) for a store and delivery day.
#[server(prefix = "/api", endpoint = "load_order_list")]
pub async fn load_order_list(store: Option<i64>, day: Option<String>) -> Result<super::model::OrderList, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let zh = crate::server::request::page_zh()?;
    super::order_list::order_list(&state.db, &me, store, day.as_deref(), zh).await
}

/// 保存采购单: the quantities as typed (`qty[product id]`); an empty box follows the suggestion.
#[server(prefix = "/api", endpoint = "save_order_list")]
pub async fn save_order_list(store_id: i64, day: String, #[server(default)] qty: std::collections::BTreeMap<String, String>) -> Result<super::model::OrderList, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let zh = crate::server::request::page_zh()?;
        let lines = super::order_list::parse_quantities(&qty)?;
        super::order_list::save(&state.db, &me, store_id, Some(&day), &lines, zh).await
    }
    .await;
    match &result {
        // Without JavaScript a refused list comes back with every box as it was typed.
        Err(e) => {
            let typed: Vec<(String, String)> = qty.iter().map(|(k, v)| (format!("qty_{k}"), v.clone())).collect();
            let keep: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            crate::server::form::bounce_back(e, &keep);
        }
        Ok(list) => crate::server::form::back_to(&plain_address(list)),
    }
    result
}

/// The list's own address, without a refused try's leftovers.
#[cfg(feature = "ssr")]
fn plain_address(list: &super::model::OrderList) -> String {
    format!("/admin/order-list?store={}&day={}#saved", list.store_id, list.for_day)
}

/// 恢复建议量: forget the day's changed quantities.
#[server(prefix = "/api", endpoint = "reset_order_list")]
pub async fn reset_order_list(store_id: i64, day: String) -> Result<super::model::OrderList, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let zh = crate::server::request::page_zh()?;
    let result = super::order_list::save(&state.db, &me, store_id, Some(&day), &[], zh).await;
    match &result {
        Err(e) => crate::server::form::bounce_back(e, &[]),
        Ok(list) => crate::server::form::back_to(&plain_address(list)),
    }
    result
}
