//! `/api/v1/staff/stores/{store_id}/markdowns…` and `/clear-out`: a store's end-of-day
//! markdown rules (晚市特惠), a preview of the shelf at a time of day, what is left of the
//! rules' categories, 日清报损 and the day's report. Managers (and the owner) write rules;
//! staff of the store read them and clear out; anyone else is refused (403).
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::who::SignedIn;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use linli_app::catalog::model::{ItemRequest, Product};
use linli_app::markdowns::model::{ActiveInput, ClearOutRequest, ClearedOut, Leftover, MarkdownReport, MarkdownRule, RuleInput};
use linli_app::markdowns::service;
use linli_app::server::{request, AppState};
use linli_app::shared::{AppError, ErrorCode};
use serde::Deserialize;


/// The store's rules, with the tier in force now.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/markdowns", params(("store_id" = i64, Path)), tag = "markdowns",
    responses((status = 200, body = [MarkdownRule]), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Vec<MarkdownRule>>> {
    Ok(Json(service::list(&state.db, &me, store_id, request::api_zh(&headers)).await?))
}

/// Creates a rule: from each tier's time (store time) the categories' products sell at its
/// discount, until the next tier or `until`.
#[utoipa::path(post, path = "/api/v1/staff/stores/{store_id}/markdowns", params(("store_id" = i64, Path)), request_body = RuleInput, tag = "markdowns",
    responses((status = 201, body = MarkdownRule), (status = 401), (status = 403, description = "not a manager of this store"),
        (status = 409, description = "markdown_overlap"),
        (status = 422, description = "invalid_markdown_name, markdown_categories_required, invalid_markdown_tiers, invalid_markdown_until")))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiPath(store_id): ApiPath<i64>,
    ApiJson(body): ApiJson<RuleInput>,
) -> ApiResult<(StatusCode, Json<MarkdownRule>)> {
    Ok((StatusCode::CREATED, Json(service::create(&state.db, &me, store_id, &body, request::api_zh(&headers)).await?)))
}

/// Pauses (`false`) or resumes (`true`) a rule.
#[utoipa::path(put, path = "/api/v1/staff/stores/{store_id}/markdowns/{rule_id}/active", params(("store_id" = i64, Path), ("rule_id" = i64, Path)),
    request_body = ActiveInput, tag = "markdowns",
    responses((status = 200, body = MarkdownRule), (status = 401), (status = 403), (status = 404), (status = 409, description = "markdown_overlap")))]
pub async fn set_active(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    headers: axum::http::HeaderMap,
    ApiPath((store_id, rule_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<ActiveInput>,
) -> ApiResult<Json<MarkdownRule>> {
    Ok(Json(service::set_active(&state.db, &me, store_id, rule_id, body.active, request::api_zh(&headers)).await?))
}

#[utoipa::path(delete, path = "/api/v1/staff/stores/{store_id}/markdowns/{rule_id}", params(("store_id" = i64, Path), ("rule_id" = i64, Path)), tag = "markdowns",
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn delete(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, rule_id)): ApiPath<(i64, i64)>) -> ApiResult<StatusCode> {
    service::delete(&state.db, &me, store_id, rule_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PreviewQuery {
    /// Store time of day, "20:45".
    pub at: String,
}

/// The store's shelf as residents will see it at `at` today (prices with the markdown then
/// in force).
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/markdowns/preview", params(("store_id" = i64, Path), PreviewQuery), tag = "markdowns",
    responses((status = 200, body = [Product]), (status = 400), (status = 401), (status = 403)))]
pub async fn preview(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiQuery(q): ApiQuery<PreviewQuery>) -> ApiResult<Json<Vec<Product>>> {
    Ok(Json(service::preview(&state.db, &me, store_id, &q.at).await?))
}

/// What can still be sold now of the categories the store's active rules cover.
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/markdowns/leftovers", params(("store_id" = i64, Path)), tag = "markdowns",
    responses((status = 200, body = [Leftover]), (status = 401), (status = 403)))]
pub async fn leftovers(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Vec<Leftover>>> {
    Ok(Json(service::leftovers(&state.db, &me, store_id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// Store-local day, YYYY-MM-DD; today when absent.
    pub date: Option<String>,
}

/// A day's markdown sales (online and at the counter) and write-offs (日清报损 and other losses).
#[utoipa::path(get, path = "/api/v1/staff/stores/{store_id}/markdowns/report", params(("store_id" = i64, Path), ReportQuery), tag = "markdowns",
    responses((status = 200, body = MarkdownReport), (status = 400), (status = 401), (status = 403)))]
pub async fn report(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiQuery(q): ApiQuery<ReportQuery>) -> ApiResult<Json<MarkdownReport>> {
    Ok(Json(service::report(&state.db, &me, store_id, q.date.as_deref()).await?))
}

/// 日清报损: writes off these units at closing, one stock-ledger row per product, all or
/// nothing. Units held for online orders cannot be written off (409 insufficient_stock with
/// what there is). `Idempotency-Key` is required: a retry writes off once.
#[utoipa::path(post, path = "/api/v1/staff/stores/{store_id}/clear-out", params(("store_id" = i64, Path)), request_body = ClearOutRequest, tag = "markdowns",
    responses((status = 201, body = ClearedOut), (status = 400, description = "idempotency_key_required"), (status = 401), (status = 403),
        (status = 404, description = "no such product here (or a bundle)"), (status = 409, description = "insufficient_stock"), (status = 422, description = "invalid_clear_out")))]
pub async fn clear_out(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ApiPath(store_id): ApiPath<i64>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<ClearOutRequest>,
) -> ApiResult<(StatusCode, Json<ClearedOut>)> {
    let key = super::idempotency_key(&headers)?.ok_or(ApiError(AppError::new(ErrorCode::IdempotencyKeyRequired)))?;
    let items: Vec<(i64, i64)> = body.items.iter().map(ItemRequest::pair).collect();
    Ok((StatusCode::CREATED, Json(service::clear_out(&state.db, &me, store_id, &items, &key).await?)))
}
