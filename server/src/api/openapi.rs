//! `GET /api/openapi.json`, generated from the handlers' annotations.
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Linli API", version = "1", description = "The neighbourhood store's JSON API. Money is integer fen; writes need `X-Requested-With: linli` or a same-origin page."),
    paths(
        super::accounts::register, super::accounts::login, super::accounts::logout, super::accounts::reset_password, super::accounts::me,
        super::catalog::stores, super::catalog::store_products, super::catalog::product,
        super::accounts::notes, super::accounts::add_note, super::accounts::remove_note, super::accounts::add_staff_note,
        super::orders::place, super::orders::list, super::orders::get, super::orders::cancel, super::orders::events,
        super::orders::notifications, super::orders::notifications_read,
        super::staff::queue, super::staff::transition, super::staff::verify, super::staff::ready, super::staff::hand_over,
        super::staff::no_show_stock, super::staff::pick_list, super::staff::events, super::staff::routing, super::staff::set_routing,
        super::rider::orders, super::rider::claim, super::rider::deliver,
        super::wallet::top_up, super::wallet::pay_code, super::customers::reverse, super::customers::search, super::customers::get, super::customers::password_reset,
        super::products::list, super::products::create, super::products::get, super::products::update, super::products::retire,
        super::products::restore, super::products::add_photo, super::products::remove_photo, super::products::cover,
        super::products::categories, super::products::create_category, super::products::update_category,
        super::products::retire_category, super::products::restore_category, super::products::set_store_price, super::products::clear_store_price, super::products::set_components,
        super::team::list, super::team::invite, super::team::revoke, super::team::show, super::team::accept,
        super::team::remove_role, super::team::deactivate, super::team::reactivate,
        super::stock::levels, super::stock::book, super::stock::movements, super::stock::sell, super::stock::receipt, super::stock::refund,
        super::markdowns::list, super::markdowns::create, super::markdowns::set_active, super::markdowns::delete,
        super::markdowns::preview, super::markdowns::leftovers, super::markdowns::report, super::markdowns::clear_out,
        super::group_buys::create, super::group_buys::list, super::group_buys::get, super::group_buys::update,
        super::group_buys::publish, super::group_buys::extend, super::group_buys::cancel, super::group_buys::join,
        super::group_buys::leave, super::group_buys::events, super::group_buys::report, super::group_buys::purchase_csv, super::group_buys::receive,
        super::live_sessions::create, super::live_sessions::get, super::live_sessions::start, super::live_sessions::end,
        super::live_sessions::pin, super::live_sessions::order, super::live_sessions::events,
        super::live_sessions::comment, super::live_sessions::hide, super::live_sessions::mute, super::live_sessions::slow_mode,
        super::live_sessions::pin_comment, super::live_sessions::remind, super::live_sessions::unremind, super::live_sessions::for_store,
        super::live_sessions::banned_words, super::live_sessions::set_banned_words, super::live_sessions::hosts, super::live_sessions::set_hosts,
        super::live_sessions::add_units, super::live_sessions::close_item, super::live_sessions::cover,
        super::live_video::whip, super::live_video::whep, super::live_video::unpublish, super::live_video::unwatch, super::live_video::stream_key,
        super::community::me, super::community::join, super::community::leave, super::community::members, super::community::feed,
        super::community::thread, super::community::create_post, super::community::announce, super::community::create_poll,
        super::community::arrivals, super::community::comment, super::community::like, super::community::unlike, super::community::vote,
        super::community::pin, super::community::hide_post, super::community::hide_comment, super::community::mute, super::community::remove,
        super::community::report_post, super::community::report_comment, super::community::reports, super::community::resolve, super::community::moderators, super::community::set_moderators, super::community::set_notify, super::community::reviews,
        super::insights::get, super::insights::csv, super::insights::order_list, super::insights::save_order_list, super::insights::order_list_csv,
    ),
    tags((name = "accounts"), (name = "catalog"), (name = "orders"), (name = "staff"), (name = "rider"), (name = "wallet"), (name = "stock"), (name = "customers"), (name = "group_buys"), (name = "team"), (name = "markdowns"), (name = "live"), (name = "community"), (name = "insights"))
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
