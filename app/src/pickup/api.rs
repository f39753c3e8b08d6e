//! Pickup desk server functions. The code check is a POST (it is audited and counted); the
//! page then shows the found order by id, which only staff of its store can open.
use crate::orders::model::DeskView;
use crate::shared::AppError;
use leptos::prelude::*;

/// The desk: the store's ready pickup orders (optionally a phone tail's), the order to hand
/// over if one is open, and the one just handed over.
#[server(prefix = "/api", endpoint = "desk")]
pub async fn load_desk(store: Option<i64>, order: Option<i64>, done: Option<i64>, tail: Option<String>) -> Result<DeskView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (stores, chosen) = crate::orders::staff_api::desk_stores(&state.db, &me, store).await?;
    // The whole ready list is on this screen already, so narrowing it by a phone tail here
    // reveals nothing new and is not counted as guessing (the API's lookup is).
    let all = super::service::ready(&state.db, &me, chosen.id, None).await?;
    let found = order.and_then(|id| all.iter().find(|o| o.id == id).cloned());
    let found_verified = match &found {
        Some(o) => super::service::verified(&state.db, &me, o.id).await?,
        None => false,
    };
    let may_override = crate::accounts::rules::may_act(&me.roles, chosen.id, &[crate::accounts::Role::Manager]);
    let tail = tail.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let ready = all.into_iter().filter(|o| tail.as_deref().is_none_or(|t| o.phone_tail == t)).collect();
    let handed_over = match done {
        Some(id) => {
            let mut conn = state.db.pool.acquire().await?;
            crate::orders::find(&mut conn, id).await?.filter(|r| r.store_id == chosen.id && r.status == "completed").and_then(|r| r.number)
        }
        None => None,
    };
    Ok(DeskView { stores, store_id: chosen.id, store_name: chosen.name, ready, found, found_verified, may_override, handed_over })
}

/// Checks a typed or scanned code; on a match the desk opens that order.
#[server(prefix = "/api", endpoint = "desk_verify")]
pub async fn verify_code(store: i64, code: String) -> Result<i64, AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        super::service::verify(&state.db, &me, store, &code).await.map(|o| o.id)
    }
    .await;
    match &result {
        Ok(id) => leptos_axum::redirect(&format!("/admin/desk?store={store}&order={id}")),
        Err(e) => crate::server::form::bounce_back(e, &[("code", &code), ("tries_left", &tries_left_of(e))]),
    }
    result
}

/// 确认取货: the order is handed over, once the person proved it is theirs (see
/// `service::hand_over`).
#[server(prefix = "/api", endpoint = "desk_hand_over")]
pub async fn hand_over(store: i64, id: i64, proof: Option<String>, override_reason: Option<String>) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let result = async {
        let me = crate::server::require_user().await?;
        let p = super::service::Proof { code_or_tail: proof.clone(), override_reason: override_reason.clone() };
        super::service::hand_over(&state.db, &me, id, &p).await.map(|_| ())
    }
    .await;
    match &result {
        Ok(()) => leptos_axum::redirect(&format!("/admin/desk?store={store}&done={id}")),
        Err(e) => crate::server::form::bounce_back(e, &[("order", &id.to_string()), ("override_reason", override_reason.as_deref().unwrap_or("")), ("tries_left", &tries_left_of(e))]),
    }
    result
}

/// The tries a refusal says are left, kept in the address for a page without JavaScript.
#[cfg(feature = "ssr")]
fn tries_left_of(e: &AppError) -> String {
    e.details.as_ref().and_then(|d| d.get("tries_left")).and_then(serde_json::Value::as_i64).map(|n| n.to_string()).unwrap_or_default()
}
