//! `/api/v1/staff/users/{user_id}/wallet/top-up`.
use super::who::SignedIn;
use super::error::{ApiJson, ApiPath, ApiResult};
use axum::extract::State;
use axum::Json;
use linli_app::server::AppState;
use linli_app::wallet::model::{Balance, PayCode};
use linli_app::wallet::service;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopUpBody {
    /// Whole fen, 1 to 1,000,000.
    pub amount_fen: i64,
}

/// Staff take money in at the counter for a resident's wallet; one ledger entry.
/// An optional `Idempotency-Key` makes a retry answer the first result without paying twice.
#[utoipa::path(post, path = "/api/v1/staff/users/{user_id}/wallet/top-up", params(("user_id" = i64, Path)), request_body = TopUpBody, tag = "wallet",
    responses((status = 200, body = Balance), (status = 401), (status = 403, description = "not counter staff"), (status = 404, description = "no such user"), (status = 422, description = "invalid_amount or idempotency_key_reused")))]
pub async fn top_up(
    State(state): State<AppState>,
    SignedIn(staff): SignedIn,
    ApiPath(user_id): ApiPath<i64>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<TopUpBody>,
) -> ApiResult<Json<Balance>> {
    let key = super::idempotency_key(&headers)?;
    Ok(Json(service::top_up(&state.db, &staff, user_id, body.amount_fen, key.as_deref(), None).await?))
}

/// A member payment code (付款码) for the signed-in resident: shown at the till to pay one
/// sale from the wallet. One use, about a minute; making more than 30 in ten minutes is 429.
#[utoipa::path(post, path = "/api/v1/me/pay-codes", tag = "wallet",
    responses((status = 201, body = PayCode), (status = 401), (status = 429, description = "too_many_attempts")))]
pub async fn pay_code(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<(axum::http::StatusCode, [(axum::http::HeaderName, &'static str); 1], Json<PayCode>)> {
    let code = service::issue_pay_code(&state.db, &me).await?;
    Ok((axum::http::StatusCode::CREATED, [(axum::http::header::CACHE_CONTROL, "no-store")], Json(code)))
}
