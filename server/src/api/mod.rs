//! The JSON API under `/api/v1` (see shared/API.md). Handlers call the same domain functions
//! as the pages' server functions.
pub mod accounts;
pub mod catalog;
pub mod community;
pub mod customers;
pub mod error;
pub mod events;
pub mod group_buys;
pub mod insights;
pub mod live_sessions;
pub mod markdowns;
pub mod openapi;
pub mod orders;
pub mod products;
pub mod rider;
pub mod staff;
pub mod stock;
pub mod team;
pub mod wallet;
pub mod live_video;
pub mod who;

use axum::routing::{any, delete, get, post, put};
use axum::Router;
use linli_app::server::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(accounts::register))
        .route("/auth/login", post(accounts::login))
        .route("/auth/logout", post(accounts::logout))
        .route("/auth/password-reset", post(accounts::reset_password))
        .route("/me", get(accounts::me))
        .route("/stores", get(catalog::stores))
        .route("/stores/{store_id}/products", get(catalog::store_products))
        .route("/products/{id}", get(catalog::product))
        .route("/orders", post(orders::place).get(orders::list))
        .route("/orders/{id}", get(orders::get))
        .route("/orders/{id}/cancel", post(orders::cancel))
        .route("/orders/{id}/events", get(orders::events))
        .route("/me/notifications", get(orders::notifications))
        .route("/me/notifications/read", post(orders::notifications_read))
        .route("/me/notes", get(accounts::notes).post(accounts::add_note))
        .route("/me/pay-codes", post(wallet::pay_code))
        .route("/me/notes/{id}", delete(accounts::remove_note))
        .route("/staff/stores/{store_id}/orders", get(staff::queue))
        .route("/staff/stores/{store_id}/events", get(staff::events))
        .route("/staff/stores/{store_id}/pickups", get(staff::ready))
        .route("/staff/stores/{store_id}/pickups/verify", post(staff::verify))
        .route("/staff/stores/{store_id}/pick-list", get(staff::pick_list))
        .route("/staff/orders/{id}/transition", post(staff::transition))
        .route("/staff/orders/{id}/hand-over", post(staff::hand_over))
        .route("/staff/orders/{id}/no-show-stock", post(staff::no_show_stock))
        .route("/staff/customers/{user_id}/notes", post(accounts::add_staff_note))
        .route("/owner/routing", get(staff::routing).put(staff::set_routing))
        .route("/insights", get(insights::get))
        .route("/insights.csv", get(insights::csv))
        .route("/order-list", get(insights::order_list).put(insights::save_order_list))
        .route("/order-list.csv", get(insights::order_list_csv))
        .route("/rider/orders", get(rider::orders))
        .route("/rider/orders/{id}/claim", post(rider::claim))
        .route("/rider/orders/{id}/deliver", post(rider::deliver))
        .route("/staff/users/{user_id}/wallet/top-up", post(wallet::top_up))
        .route("/staff/wallet-entries/{entry_id}/reversal", post(customers::reverse))
        .route("/staff/customers", get(customers::search))
        .route("/staff/customers/{user_id}", get(customers::get))
        .route("/staff/customers/{user_id}/password-reset", post(customers::password_reset))
        .route("/staff/stores/{store_id}/stock", get(stock::levels).post(stock::book))
        .route("/staff/stores/{store_id}/stock/movements", get(stock::movements))
        .route("/staff/stores/{store_id}/counter-sales", post(stock::sell))
        .route("/staff/counter-sales/{id}", get(stock::receipt))
        .route("/staff/counter-sales/{id}/refund", post(stock::refund))
        .route("/staff/stores/{store_id}/markdowns", get(markdowns::list).post(markdowns::create))
        .route("/staff/stores/{store_id}/markdowns/preview", get(markdowns::preview))
        .route("/staff/stores/{store_id}/markdowns/leftovers", get(markdowns::leftovers))
        .route("/staff/stores/{store_id}/markdowns/report", get(markdowns::report))
        .route("/staff/stores/{store_id}/markdowns/{rule_id}", delete(markdowns::delete))
        .route("/staff/stores/{store_id}/markdowns/{rule_id}/active", put(markdowns::set_active))
        .route("/staff/stores/{store_id}/clear-out", post(markdowns::clear_out))
        .route("/staff/products", get(products::list).post(products::create))
        .route("/staff/products/{id}", get(products::get).put(products::update))
        .route("/staff/products/{id}/retire", post(products::retire))
        .route("/staff/products/{id}/restore", post(products::restore))
        .route("/staff/products/{id}/components", put(products::set_components))
        .route(
            "/staff/products/{id}/photos",
            post(products::add_photo).layer(axum::extract::DefaultBodyLimit::max(products::UPLOAD_LIMIT)),
        )
        .route("/staff/products/{id}/photos/{photo_id}", delete(products::remove_photo))
        .route("/staff/products/{id}/photos/{photo_id}/cover", post(products::cover))
        .route("/staff/stores/{store_id}/prices/{product_id}", put(products::set_store_price).delete(products::clear_store_price))
        .route("/staff/categories", get(products::categories).post(products::create_category))
        .route("/staff/categories/{id}", put(products::update_category))
        .route("/staff/categories/{id}/retire", post(products::retire_category))
        .route("/staff/categories/{id}/restore", post(products::restore_category))
        .route("/owner/team", get(team::list))
        .route("/owner/invites", post(team::invite))
        .route("/owner/invites/{id}", delete(team::revoke))
        .route("/owner/team/{user_id}/remove-role", post(team::remove_role))
        .route("/owner/team/{user_id}/deactivate", post(team::deactivate))
        .route("/owner/team/{user_id}/reactivate", post(team::reactivate))
        .route("/invites/{token}", get(team::show))
        .route("/invites/{token}/accept", post(team::accept))
        .route("/group-buys", post(group_buys::create).get(group_buys::list))
        .route("/group-buys/{id}", get(group_buys::get).put(group_buys::update))
        .route("/group-buys/{id}/publish", post(group_buys::publish))
        .route("/group-buys/{id}/extend", post(group_buys::extend))
        .route("/group-buys/{id}/cancel", post(group_buys::cancel))
        .route("/group-buys/{id}/join", post(group_buys::join))
        .route("/group-buys/{id}/leave", post(group_buys::leave))
        .route("/group-buys/{id}/receive", post(group_buys::receive))
        .route("/group-buys/{id}/events", get(group_buys::events))
        .route("/group-buys/{id}/report", get(group_buys::report))
        .route("/group-buys/{id}/purchase.csv", get(group_buys::purchase_csv))
        .route("/live-sessions", post(live_sessions::create))
        .route("/live-sessions/{id}", get(live_sessions::get))
        .route("/live-sessions/{id}/start", post(live_sessions::start))
        .route("/live-sessions/{id}/end", post(live_sessions::end))
        .route("/live-sessions/{id}/pin", post(live_sessions::pin))
        .route("/live-sessions/{id}/orders", post(live_sessions::order))
        .route("/live-sessions/{id}/events", get(live_sessions::events))
        .route("/live-sessions/{id}/whip", post(live_video::whip).layer(axum::extract::DefaultBodyLimit::max(live_video::SDP_LIMIT)))
        .route("/live-sessions/{id}/whep", post(live_video::whep).layer(axum::extract::DefaultBodyLimit::max(live_video::SDP_LIMIT)))
        .route("/live-sessions/{id}/whip/{resource}", delete(live_video::unpublish))
        .route("/live-sessions/{id}/whep/{resource}", delete(live_video::unwatch))
        .route("/live-sessions/{id}/stream-key", post(live_video::stream_key))
        .route("/live-sessions/{id}/comments", post(live_sessions::comment))
        .route("/live-sessions/{id}/comments/{comment_id}/hide", post(live_sessions::hide))
        .route("/live-sessions/{id}/mutes", post(live_sessions::mute))
        .route("/live-sessions/{id}/slow-mode", put(live_sessions::slow_mode))
        .route("/live-sessions/{id}/pinned-comment", post(live_sessions::pin_comment))
        .route("/live-sessions/{id}/reminders", post(live_sessions::remind))
        .route("/live-sessions/{id}/reminders/me", delete(live_sessions::unremind))
        .route("/live-sessions/{id}/items/{product_id}/units", post(live_sessions::add_units))
        .route("/live-sessions/{id}/items/{product_id}/close", post(live_sessions::close_item))
        .route("/live-sessions/{id}/cover", post(live_sessions::cover).layer(axum::extract::DefaultBodyLimit::max(products::UPLOAD_LIMIT)))
        .route("/stores/{store_id}/live-sessions", get(live_sessions::for_store))
        .route("/staff/stores/{store_id}/live-banned-words", get(live_sessions::banned_words).put(live_sessions::set_banned_words))
        .route("/staff/stores/{store_id}/live-hosts", get(live_sessions::hosts).put(live_sessions::set_hosts))
        .route("/stores/{store_id}/community/members", get(community::members).post(community::join))
        .route("/stores/{store_id}/community/members/me", get(community::me).delete(community::leave))
        .route("/stores/{store_id}/community/members/me/notifications", put(community::set_notify))
        .route("/stores/{store_id}/community/members/{user_id}", delete(community::remove))
        .route("/stores/{store_id}/community/members/{user_id}/mute", post(community::mute))
        .route(
            "/stores/{store_id}/community/posts",
            get(community::feed).post(community::create_post).layer(axum::extract::DefaultBodyLimit::max(community::POST_LIMIT)),
        )
        .route("/stores/{store_id}/community/posts/{post_id}", get(community::thread))
        .route("/stores/{store_id}/community/posts/{post_id}/comments", post(community::comment))
        .route("/stores/{store_id}/community/posts/{post_id}/like", post(community::like).delete(community::unlike))
        .route("/stores/{store_id}/community/posts/{post_id}/votes", post(community::vote))
        .route("/stores/{store_id}/community/posts/{post_id}/pin", put(community::pin))
        .route("/stores/{store_id}/community/posts/{post_id}/hide", post(community::hide_post))
        .route("/stores/{store_id}/community/posts/{post_id}/reports", post(community::report_post))
        .route("/stores/{store_id}/community/comments/{comment_id}/hide", post(community::hide_comment))
        .route("/stores/{store_id}/community/comments/{comment_id}/reports", post(community::report_comment))
        .route("/stores/{store_id}/community/announcements", post(community::announce))
        .route("/stores/{store_id}/community/polls", post(community::create_poll))
        .route("/stores/{store_id}/community/arrivals", post(community::arrivals))
        .route("/stores/{store_id}/community/reports", get(community::reports))
        .route("/stores/{store_id}/community/reviews", get(community::reviews))
        .route("/stores/{store_id}/community/moderators", get(community::moderators).put(community::set_moderators))
        .route("/stores/{store_id}/community/reports/{report_id}/resolve", post(community::resolve))
        // Unknown API paths answer in the API's shape, not as a missing server function.
        .route("/{*rest}", any(error::not_found))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(error::localize))
}

/// The `Idempotency-Key` header, if sent (a header that is not text is a bad request).
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, error::ApiError> {
    headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_string).map_err(|_| linli_app::shared::ErrorCode::BadRequest.into()))
        .transpose()
}

/// A CSV download (UTF-8; the document carries its BOM), never cached: group buys' purchase
/// lists, the owner's tables and order list.
pub fn csv_attachment(name: String, csv: String) -> impl axum::response::IntoResponse {
    use axum::http::header;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        csv,
    )
}
