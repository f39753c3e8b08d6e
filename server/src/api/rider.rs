//! `/api/v1/rider/…`: a rider's delivery orders, claiming one, delivering it against the
//! resident's code.
use super::error::{ApiJson, ApiPath, ApiResult};
use super::staff::one;
use super::who::SignedIn;
use axum::extract::State;
use axum::Json;
use linli_app::orders::flow;
use linli_app::orders::model::{CodeRequest, StaffOrder};
use linli_app::server::AppState;

/// Ready delivery orders at the rider's stores, and the ones the rider carries.
#[utoipa::path(get, path = "/api/v1/rider/orders", tag = "rider", responses((status = 200, body = [StaffOrder]), (status = 401), (status = 403)))]
pub async fn orders(State(state): State<AppState>, SignedIn(me): SignedIn) -> ApiResult<Json<Vec<StaffOrder>>> {
    Ok(Json(flow::rider_orders(&state.db, &me).await?))
}

/// Takes a ready delivery order out: 配送中 for the resident.
#[utoipa::path(post, path = "/api/v1/rider/orders/{id}/claim", params(("id" = i64, Path)), tag = "rider",
    responses((status = 200, body = StaffOrder), (status = 401), (status = 404), (status = 409, description = "invalid_transition: taken by someone else or not ready")))]
pub async fn claim(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<StaffOrder>> {
    let row = flow::rider_claim(&state.db, &me, id).await?;
    one(&state, row).await
}

/// Delivered, confirmed with the code the resident shows: 已送达.
#[utoipa::path(post, path = "/api/v1/rider/orders/{id}/deliver", params(("id" = i64, Path)), request_body = CodeRequest, tag = "rider",
    responses((status = 200, body = StaffOrder), (status = 401), (status = 404), (status = 409), (status = 422, description = "wrong_delivery_code"), (status = 429)))]
pub async fn deliver(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<StaffOrder>> {
    let row = linli_app::delivery::service::deliver(&state.db, &me, id, &body.code).await?;
    one(&state, row).await
}
