//! Customer server functions for the back-office pages; the JSON API calls the same services.
use super::model::{CustomerView, CustomersView};
use crate::shared::AppError;
use leptos::prelude::*;

/// The customers page: the stores the asker works at, and who matches `q` at the chosen one.
#[server(prefix = "/api", endpoint = "staff_customers")]
pub async fn load_customers(store: Option<i64>, q: Option<String>) -> Result<CustomersView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (stores, chosen) = crate::stores::api::working_stores(&state.db, &me, crate::wallet::COUNTER_ROLES, store).await?;
    let q = q.unwrap_or_default();
    let (hits, search_error) = match super::service::search(&state.db, &me, chosen.id, &q).await {
        Ok(hits) => (hits, None),
        Err(e) if e.code == crate::shared::ErrorCode::InvalidSearch => (Vec::new(), Some(e)),
        Err(e) => return Err(e),
    };
    Ok(CustomersView { stores, store_id: chosen.id, store_name: chosen.name, hits, searched: !q.trim().is_empty(), search_error })
}

/// A resident's page at the chosen store.
#[server(prefix = "/api", endpoint = "staff_customer")]
pub async fn load_customer(store: Option<i64>, id: i64) -> Result<CustomerView, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let (_, chosen) = crate::stores::api::working_stores(&state.db, &me, crate::wallet::COUNTER_ROLES, store).await?;
    let mut view = super::service::profile(&state.db, &me, chosen.id, chosen.name, id).await?;
    // A reset code just issued for this resident: shown this once.
    if let Some((user, code, expires_at_ms)) = crate::server::session::flash_take::<(i64, String, i64)>(RESET_FLASH).await? {
        if user == id && expires_at_ms > crate::shared::time::now_ms() {
            let until = crate::shared::time::hhmm(crate::shared::time::local_time(expires_at_ms).minute);
            view.reset = Some(super::model::ResetShown { code, until });
        }
    }
    Ok(view)
}

#[cfg(feature = "ssr")]
const RESET_FLASH: &str = "reset_code";

/// 忘记密码: a one-time reset code for this resident, shown once on their page.
#[server(prefix = "/api", endpoint = "staff_password_reset")]
pub async fn issue_password_reset(store_id: i64, user_id: i64) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let issued = super::service::issue_password_reset(&state.db, &me, store_id, user_id).await?;
        crate::server::session::flash_put(RESET_FLASH, (issued.user_id, issued.code, issued.expires_at_ms)).await
    }
    .await;
    match result {
        Ok(()) => {
            leptos_axum::redirect(&format!("/admin/customers/{user_id}?store={store_id}"));
            Ok(())
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &[]);
            Err(e)
        }
    }
}

/// 充值 at the counter: yuan as typed ("100", "50.5"); back to the resident's page with the
/// receipt for the new entry. The form's key makes a double tap top up once.
#[server(prefix = "/api", endpoint = "staff_wallet_top_up")]
pub async fn top_up_wallet(store_id: i64, user_id: i64, key: String, amount: String) -> Result<i64, AppError> {
    let result = async {
        use crate::shared::{ErrorCode, Fen};
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let fen = Fen::parse_yuan(&amount).map_err(|_| AppError::field(ErrorCode::InvalidAmount, "amount"))?.0;
        crate::wallet::service::top_up(&state.db, &me, user_id, fen, Some(&key), Some(store_id))
            .await
            .map_err(|e| if e.code == ErrorCode::InvalidAmount { AppError::field(ErrorCode::InvalidAmount, "amount") } else { e })
    }
    .await;
    back_to_customer(result, store_id, user_id, &[("amount", &amount)])
}

/// 冲正: takes a mistaken top-up back out with a reversing entry; back to the page with the
/// reversal's receipt.
#[server(prefix = "/api", endpoint = "staff_wallet_reverse")]
pub async fn reverse_top_up(store_id: i64, user_id: i64, entry_id: i64) -> Result<i64, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        crate::wallet::service::reverse(&state.db, &me, entry_id).await
    }
    .await;
    back_to_customer(result, store_id, user_id, &[("reversal", "1")])
}

/// Back to the resident's page: with the new entry's receipt, or with the error and what
/// was typed when JavaScript is off.
#[cfg(feature = "ssr")]
fn back_to_customer(result: Result<crate::wallet::model::Balance, AppError>, store_id: i64, user_id: i64, keep: &[(&str, &str)]) -> Result<i64, AppError> {
    match result {
        Ok(balance) => {
            leptos_axum::redirect(&format!("/admin/customers/{user_id}?store={store_id}&entry={}", balance.entry_id));
            Ok(balance.entry_id)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, keep);
            Err(e)
        }
    }
}
