//! Rider server functions.
use crate::orders::model::StaffOrder;
use crate::shared::AppError;
use leptos::prelude::*;

/// Ready delivery orders at the rider's stores, and the ones the rider carries.
#[server(prefix = "/api", endpoint = "rider_orders")]
pub async fn load_rider_orders() -> Result<Vec<StaffOrder>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    crate::orders::flow::rider_orders(&state.db, &me).await
}

/// 我来送: takes a ready order out.
#[server(prefix = "/api", endpoint = "rider_claim")]
pub async fn claim(id: i64) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        crate::orders::flow::rider_claim(&state.db, &me, id).await.map(|_| ())
    }
    .await;
    if let Err(e) = &result {
        crate::server::form::bounce_back(e, &[("order", &id.to_string())]);
    }
    result
}

/// 确认送达 with the code the resident shows.
#[server(prefix = "/api", endpoint = "rider_deliver")]
pub async fn deliver(id: i64, code: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        super::service::deliver(&state.db, &me, id, &code).await.map(|_| ())
    }
    .await;
    if let Err(e) = &result {
        crate::server::form::bounce_back(e, &[("order", &id.to_string()), ("code", &code)]);
    }
    result
}
