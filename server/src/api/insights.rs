//! `/api/v1/insights` and `/api/v1/insights.csv`: the owner's dashboard as JSON (every
//! store, or the chain) and any of its tables as CSV; `/api/v1/order-list` (and `.csv`):
//! tomorrow's order list. Managers see their stores only (403
//! for another); staff, riders and residents are refused (403).
use super::error::{ApiJson, ApiQuery, ApiResult};
use super::who::SignedIn;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use linli_app::analytics::model::{Insights, OrderList, PlanLine};
use linli_app::analytics::service;
use linli_app::server::{request, AppState};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct InsightsQuery {
    /// A store; absent for the whole chain (the owner) or the manager's first store.
    pub store_id: Option<i64>,
    /// day, week (Monday first) or month; day when absent.
    pub span: Option<String>,
    /// A store-local day in the period, YYYY-MM-DD; today when absent.
    pub date: Option<String>,
}

/// The period's figures against the same stretch of the period before (`kpis`), and the
/// tables the dashboard shows (`tables`: kpis, channels, daily, live, group_buys, top_revenue,
/// top_margin, slow_movers, pairs). Money in the tables is yuan with two decimals.
#[utoipa::path(get, path = "/api/v1/insights", params(InsightsQuery), tag = "insights",
    responses((status = 200, body = Insights), (status = 401), (status = 403, description = "not a manager of that store"),
        (status = 422, description = "invalid_period, invalid_date")))]
pub async fn get(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiQuery(q): ApiQuery<InsightsQuery>) -> ApiResult<Json<Insights>> {
    Ok(Json(service::dashboard(&state.db, &me, q.store_id, q.span.as_deref(), q.date.as_deref(), request::api_zh(&headers), false).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CsvQuery {
    /// Which table: kpis, channels, daily, live, group_buys, top_revenue, top_margin, slow_movers, pairs.
    pub table: String,
    /// As for `/api/v1/insights`; the page's links say `store`.
    #[serde(alias = "store")]
    pub store_id: Option<i64>,
    pub span: Option<String>,
    pub date: Option<String>,
}

/// One table as CSV (UTF-8 with a BOM), the same cells as on the page.
#[utoipa::path(get, path = "/api/v1/insights.csv", params(CsvQuery), tag = "insights",
    responses((status = 200, content_type = "text/csv", description = "UTF-8 with BOM"), (status = 401), (status = 403), (status = 404, description = "no such table"),
        (status = 422, description = "invalid_period, invalid_date")))]
pub async fn csv(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiQuery(q): ApiQuery<CsvQuery>) -> ApiResult<impl IntoResponse> {
    // The page's language cookie travels with its link, so the CSV speaks as the page did.
    let (name, csv) = service::csv(&state.db, &me, q.store_id, q.span.as_deref(), q.date.as_deref(), &q.table, request::api_zh(&headers)).await?;
    Ok(super::csv_attachment(name, csv))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OrderListQuery {
    /// A store; the manager's (or the owner's) first store when absent.
    #[serde(alias = "store")]
    pub store_id: Option<i64>,
    /// The delivery day, YYYY-MM-DD, today to a week ahead; tomorrow when absent.
    pub day: Option<String>,
}

/// Tomorrow's order list (以销定采): per product the forecast over the days the delivery must
/// last, what group buys and live line-ups commit, the shelf at delivery, the suggestion, the
/// quantity to buy and the forecast's error (MAPE, last 4 weeks).
#[utoipa::path(get, path = "/api/v1/order-list", params(OrderListQuery), tag = "insights",
    responses((status = 200, body = OrderList), (status = 401), (status = 403), (status = 422, description = "invalid_date")))]
pub async fn order_list(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiQuery(q): ApiQuery<OrderListQuery>) -> ApiResult<Json<OrderList>> {
    Ok(Json(linli_app::analytics::order_list::order_list(&state.db, &me, q.store_id, q.day.as_deref(), request::api_zh(&headers)).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    pub store_id: i64,
    /// The delivery day, YYYY-MM-DD.
    pub day: String,
    /// The quantities to buy (0 to 100000); a product left out follows its suggestion, an
    /// empty list goes back to the suggestions.
    pub lines: Vec<PlanLine>,
}

/// Sets the quantities to buy; answers the list as it now stands.
#[utoipa::path(put, path = "/api/v1/order-list", request_body = PlanBody, tag = "insights",
    responses((status = 200, body = OrderList), (status = 401), (status = 403), (status = 404, description = "a product the store does not sell"),
        (status = 422, description = "invalid_plan_quantity, invalid_date")))]
pub async fn save_order_list(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiJson(body): ApiJson<PlanBody>) -> ApiResult<Json<OrderList>> {
    Ok(Json(linli_app::analytics::order_list::save(&state.db, &me, body.store_id, Some(&body.day), &body.lines, request::api_zh(&headers)).await?))
}

/// The order list as CSV, suppliers (生产者) together, lines with something to buy.
#[utoipa::path(get, path = "/api/v1/order-list.csv", params(OrderListQuery), tag = "insights",
    responses((status = 200, content_type = "text/csv", description = "UTF-8 with BOM"), (status = 401), (status = 403), (status = 422)))]
pub async fn order_list_csv(State(state): State<AppState>, SignedIn(me): SignedIn, headers: axum::http::HeaderMap, ApiQuery(q): ApiQuery<OrderListQuery>) -> ApiResult<impl IntoResponse> {
    let (name, csv) = linli_app::analytics::order_list::csv(&state.db, &me, q.store_id, q.day.as_deref(), request::api_zh(&headers)).await?;
    Ok(super::csv_attachment(name, csv))
}
