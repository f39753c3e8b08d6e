//! Staff server functions: the order queue, moving orders along, no-show stock, the pick list.
//! Each checks that the caller works at the store in question.
use super::model::{PickListView, QueueView};
use crate::shared::AppError;
use leptos::prelude::*;

/// The stores `me` works the desk at (the owner: all), and the one to show.
#[cfg(feature = "ssr")]
pub async fn desk_stores(
    db: &crate::server::Db,
    me: &crate::accounts::Me,
    requested: Option<i64>,
) -> Result<(Vec<crate::stores::StoreChoice>, crate::stores::Store), AppError> {
    crate::stores::api::working_stores(db, me, super::DESK_ROLES, requested).await
}

/// The queue: every open order of the store (or one status), filtered by fulfilment and day.
#[server(prefix = "/api", endpoint = "staff_queue")]
pub async fn load_queue(
    store: Option<i64>,
    status: Option<String>,
    fulfillment: Option<String>,
    date: Option<String>,
) -> Result<QueueView, AppError> {
    use crate::shared::time::{iso_date, local_time, now_ms};
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let ask = super::rules::QueueAsk::parse(status.as_deref(), fulfillment.as_deref(), date.as_deref())?;
    let (stores, chosen) = desk_stores(&state.db, &me, store).await?;
    Ok(QueueView {
        stores,
        store_id: chosen.id,
        store_name: chosen.name,
        orders: super::flow::queue(&state.db, chosen.id, &ask).await?,
        today: iso_date(local_time(now_ms()).day),
    })
}

/// One tap in the queue: the order moves to `to` (a store cancelling gives `reason`).
#[server(prefix = "/api", endpoint = "staff_move")]
pub async fn move_order(id: i64, to: String, reason: Option<String>) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        let to = super::model::OrderStatus::parse(&to).ok_or_else(|| AppError::new(crate::shared::ErrorCode::BadRequest))?;
        super::flow::staff_transition(&state.db, &me, id, to, reason.as_deref().unwrap_or("")).await.map(|_| ())
    }
    .await;
    if let Err(e) = &result {
        crate::server::form::bounce_back(e, &[("order", &id.to_string())]);
    }
    result
}

/// A no-show's units: back on the shelf (`back` = "1") or written off.
#[server(prefix = "/api", endpoint = "staff_no_show_stock")]
pub async fn decide_no_show(id: i64, back: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        super::flow::settle_no_show(&state.db, &me, id, back == "1").await.map(|_| ())
    }
    .await;
    if let Err(e) = &result {
        crate::server::form::bounce_back(e, &[("order", &id.to_string())]);
    }
    result
}

/// 拣货单 and shelf labels for a day.
#[server(prefix = "/api", endpoint = "staff_pick_list")]
pub async fn load_pick_list(store: Option<i64>, date: Option<String>) -> Result<PickListView, AppError> {
    use super::store::QueueFilter;
    use crate::shared::time::{iso_date, local_time, now_ms};
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (_, chosen) = desk_stores(&state.db, &me, store).await?;
    let date = date.filter(|d| crate::shared::time::parse_iso_date(d).is_some()).unwrap_or_else(|| iso_date(local_time(now_ms()).day));
    let lines = super::flow::pick_list(&state.db, &me, chosen.id, Some(&date)).await?;
    // Labels: the day's pickup orders that are being picked or wait on the shelf.
    let filter = QueueFilter { status: None, fulfillment: Some("pickup"), pickup_date: Some(&date), phone_tail: None };
    let rows = super::store::queue(&state.db.pool, chosen.id, &filter, super::flow::QUEUE_LIMIT).await?;
    let orders = super::flow::staff_orders(&state.db, rows).await?;
    Ok(PickListView { store_id: chosen.id, store_name: chosen.name, date, lines, orders })
}

/// Staff note a resident's preference (常买小份, 要发票…) from the desk or the queue.
#[server(prefix = "/api", endpoint = "staff_note")]
pub async fn add_customer_note(store: i64, customer: i64, text: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        super::flow::add_staff_note(&state.db, &me, customer, store, &text).await.map(|_| ())
    }
    .await;
    if let Err(e) = &result {
        crate::server::form::bounce_back(e, &[("note_text", &text)]);
    }
    result
}
