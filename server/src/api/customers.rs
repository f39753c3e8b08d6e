//! `/api/v1/staff/customers…` and top-up reversals: the counter's view of residents. Staff
//! search at a store they work at; a reversal of another store's top-up does not exist (404).
use super::error::{ApiPath, ApiQuery, ApiResult};
use super::who::SignedIn;
use axum::extract::State;
use axum::Json;
use linli_app::customers::model::{CustomerHit, CustomerView};
use linli_app::customers::service;
use linli_app::server::AppState;
use linli_app::wallet::model::Balance;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// The store whose counter asks.
    pub store_id: i64,
    /// A name, or 4 to 11 digits of the phone (4: the last four).
    #[serde(default)]
    pub q: String,
}

/// Residents matching a name or phone digits, those who shop at the store first (at most 20).
#[utoipa::path(get, path = "/api/v1/staff/customers", params(SearchQuery), tag = "customers",
    responses((status = 200, body = [CustomerHit]), (status = 401), (status = 403, description = "not staff of this store"), (status = 422, description = "invalid_search")))]
pub async fn search(State(state): State<AppState>, SignedIn(me): SignedIn, ApiQuery(q): ApiQuery<SearchQuery>) -> ApiResult<Json<Vec<CustomerHit>>> {
    Ok(Json(service::search(&state.db, &me, q.store_id, &q.q).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StoreQuery {
    pub store_id: i64,
}

/// A resident as the store's counter sees them: wallet and ledger, orders at this store, notes.
#[utoipa::path(get, path = "/api/v1/staff/customers/{user_id}", params(("user_id" = i64, Path), StoreQuery), tag = "customers",
    responses((status = 200, body = CustomerView), (status = 401), (status = 403), (status = 404)))]
pub async fn get(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(user_id): ApiPath<i64>, ApiQuery(q): ApiQuery<StoreQuery>) -> ApiResult<Json<CustomerView>> {
    let (_, store) = linli_app::stores::api::working_stores(&state.db, &me, linli_app::wallet::COUNTER_ROLES, Some(q.store_id)).await?;
    if store.id != q.store_id {
        return Err(linli_app::shared::AppError::forbidden().into());
    }
    Ok(Json(service::profile(&state.db, &me, store.id, store.name, user_id).await?))
}

/// Corrects a mistaken counter top-up with a reversing ledger entry that names it. Once only;
/// refused while the resident has spent part of it.
#[utoipa::path(post, path = "/api/v1/staff/wallet-entries/{entry_id}/reversal", params(("entry_id" = i64, Path)), tag = "wallet",
    responses((status = 200, body = Balance), (status = 401), (status = 404, description = "no such entry at a store of yours"),
        (status = 409, description = "already_reversed, not_reversible or reversal_not_covered")))]
pub async fn reverse(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(entry_id): ApiPath<i64>) -> ApiResult<Json<Balance>> {
    Ok(Json(linli_app::wallet::service::reverse(&state.db, &me, entry_id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The store whose counter issues it.
    pub store_id: i64,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct IssuedResetCode {
    /// Eight digits, to hand to the resident; shown only in this answer.
    pub code: String,
    /// RFC 3339: 15 minutes from now.
    pub expires_at: String,
}

/// 忘记密码 at the counter: after checking who is asking, staff get a one-time code for the
/// resident to set a new password with. A newer code voids an older one; only the owner resets
/// an account that works at a store.
#[utoipa::path(post, path = "/api/v1/staff/customers/{user_id}/password-reset", params(("user_id" = i64, Path)), request_body = PasswordResetRequest,
    tag = "customers", responses((status = 201, body = IssuedResetCode), (status = 401), (status = 403), (status = 404)))]
pub async fn password_reset(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(user_id): ApiPath<i64>,
    super::error::ApiJson(body): super::error::ApiJson<PasswordResetRequest>,
) -> ApiResult<(axum::http::StatusCode, Json<IssuedResetCode>)> {
    let issued = service::issue_password_reset(&state.db, &me, body.store_id, user_id).await?;
    let expires_at = linli_app::shared::time::rfc3339(issued.expires_at_ms);
    Ok((axum::http::StatusCode::CREATED, Json(IssuedResetCode { code: issued.code, expires_at })))
}
