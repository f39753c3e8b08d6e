//! Live-room server functions for the pages; the JSON API calls the same services.
use super::model::{LineForm, LiveComment, LiveConsole, LiveForm, LiveList, LiveOffice, LiveRoom};
use crate::shared::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The 直播 tab: the resident's store's sessions (live, upcoming, the latest ended).
#[server(prefix = "/api", endpoint = "live_list")]
pub async fn load_live_list() -> Result<Option<LiveList>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(store) = crate::stores::api::current_store(None).await? else {
        return Ok(None);
    };
    let me = crate::server::current_user().await?;
    let sessions = super::room::for_store(&state.db, store.id, me.as_ref().map(|m| m.id)).await?;
    Ok(Some(LiveList { store_id: store.id, store_name: store.name, sessions, signed_in: me.is_some(), now_ms: crate::shared::time::now_ms() }))
}

/// The room: the session, the latest comments, and for a signed-in reader what they bought,
/// their 提醒我 and the ways their 抢购 can be picked up or delivered.
#[server(prefix = "/api", endpoint = "live_room")]
pub async fn load_live_room(id: i64) -> Result<Option<LiveRoom>, AppError> {
    use super::model::{PickupDay, RoomMe};
    use crate::shared::time::{iso_date, local_time, now_ms};
    let state = crate::server::state::app_state()?;
    let db = &state.db;
    let Some(session) = super::service::get(db, id).await? else {
        return Ok(None);
    };
    let me = crate::server::current_user().await?;
    let store = crate::stores::get_active(&db.pool, session.store_id).await?.ok_or_else(AppError::not_found)?;
    let now = local_time(now_ms());
    let pickup_days = crate::orders::rules::pickup_days(&store, now)
        .into_iter()
        .map(|day| PickupDay { date: iso_date(day), days_ahead: day - now.day, hours: format!("{}-{}", store.pickup_from, store.pickup_until) })
        .collect();
    let (room_me, delivery_address, host) = match &me {
        Some(m) => {
            let mut conn = db.pool.acquire().await?;
            let mine = super::room::mine(&mut conn, id, m.id).await?;
            let host = super::service::may_host(&mut conn, m, session.store_id).await?;
            let delivers = store.delivery_radius_m > 0 && !crate::orders::rules::delivery_slots(&store, now).is_empty();
            let address = if delivers { crate::orders::last_delivery(&mut conn, m.id, store.id).await?.map(|(a, _, _)| a) } else { None };
            let key = crate::cart::service::new_guest_token()?;
            (Some(RoomMe { wallet_fen: m.wallet_fen, bought: mine.bought, reminded: mine.reminded, muted: mine.muted, key }), address, host)
        }
        None => (None, None, false),
    };
    Ok(Some(LiveRoom {
        comments: super::room::recent(db, id).await?,
        share_url: format!("{}/live/{id}", state.public_url),
        ice_servers: state.ice_servers.clone(),
        now_ms: now_ms(),
        me: room_me,
        pickup_days,
        delivery_address,
        host,
        session,
    }))
}

/// 抢购 from the room's form: `way` is `pickup|2026-12-05` or `delivery` (to the last
/// address this store delivered to); on to the order with its pickup code.
#[server(prefix = "/api", endpoint = "live_buy")]
pub async fn live_buy(id: i64, key: String, product_id: i64, qty: String, way: String, payment: String) -> Result<i64, AppError> {
    let kept = [("qty", qty.as_str()), ("way", way.as_str()), ("payment", payment.as_str()), ("buy", &product_id.to_string())];
    let result = async {
        use crate::orders::model::FulfillmentRequest;
        use crate::shared::ErrorCode;
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let qty = qty.trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::InvalidQuantity, "qty"))?;
        let payment = crate::orders::model::Payment::parse(&payment).ok_or_else(|| AppError::field(ErrorCode::BadRequest, "payment"))?;
        let fulfillment = match way.split_once('|') {
            Some(("pickup", date)) => FulfillmentRequest::Pickup { pickup_date: date.to_string(), window: None },
            _ if way == "delivery" => {
                let session = super::service::get(&state.db, id).await?.ok_or_else(AppError::not_found)?;
                let mut conn = state.db.pool.acquire().await?;
                let (address, lat, lng) = crate::orders::last_delivery(&mut conn, me.id, session.store_id)
                    .await?
                    .ok_or_else(|| AppError::field(ErrorCode::AddressRequired, "way"))?;
                FulfillmentRequest::Delivery { address, lat, lng, slot: "asap".into() }
            }
            _ => return Err(AppError::field(ErrorCode::InvalidPickupTime, "way")),
        };
        let req = super::model::LiveOrderRequest { product_id, qty, fulfillment, payment };
        super::service::order(&state.db, me.id, id, &req, &key).await
    }
    .await;
    match result {
        Ok(order) => {
            leptos_axum::redirect(&format!("/orders/{}", order.id));
            Ok(order.id)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &kept);
            Err(e)
        }
    }
}

/// A comment from the room's box. Without JavaScript, back to the comments.
#[server(prefix = "/api", endpoint = "live_comment")]
pub async fn post_live_comment(id: i64, text: String) -> Result<LiveComment, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::room::comment(&state.db, &me, id, &text).await
    }
    .await;
    crate::server::form::settle(result, "comments", &[("text", text.as_str())])
}

/// 提醒我 (on = "1") or not.
#[server(prefix = "/api", endpoint = "live_remind")]
pub async fn live_remind(id: i64, on: String) -> Result<bool, AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::room::remind(&state.db, me.id, id, on == "1").await
    }
    .await;
    crate::server::form::settle(result, "remind", &[])
}

/// The back office's live page; `store` picks whose settings are shown.
#[server(prefix = "/api", endpoint = "live_office")]
pub async fn load_live_office(store: Option<i64>) -> Result<LiveOffice, AppError> {
    use super::model::LiveSettings;
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let stores = hostable_stores(&state.db, &me).await?;
    if stores.is_empty() {
        return Err(AppError::forbidden());
    }
    let managed: Vec<i64> = stores.iter().map(|s| s.0).filter(|s| crate::accounts::rules::may_act(&me.roles, *s, super::HOST_ROLES)).collect();
    let chosen = store.filter(|s| managed.contains(s)).or_else(|| managed.first().copied());
    let settings = match chosen {
        Some(store_id) => Some(LiveSettings {
            store_id,
            banned_words: super::room::banned_words(&state.db, &me, store_id).await?.words,
            staff: super::room::hosts(&state.db, &me, store_id).await?,
        }),
        None => None,
    };
    let sessions = super::room::for_staff(&state.db, &me).await?.into_iter().filter(|s| stores.iter().any(|(id, _)| *id == s.store_id)).collect();
    Ok(LiveOffice { sessions, stores, settings, now_ms: crate::shared::time::now_ms() })
}

/// The stores `me` may host at, with their names.
#[cfg(feature = "ssr")]
async fn hostable_stores(db: &crate::server::Db, me: &crate::accounts::Me) -> Result<Vec<(i64, String)>, AppError> {
    let mut out = Vec::new();
    let mut conn = db.pool.acquire().await?;
    for s in crate::stores::list_active(&db.pool).await? {
        if super::service::may_host(&mut conn, me, s.id).await? {
            out.push((s.id, s.name));
        }
    }
    Ok(out)
}

/// Saves a store's banned words from the settings form (one per line or comma-separated).
#[server(prefix = "/api", endpoint = "live_banned_words")]
pub async fn save_banned_words(store_id: i64, words: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::room::set_banned_words(&state.db, &me, store_id, &[words.clone()]).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "settings", &[("words", words.as_str())])
}

/// Saves who of the store's staff may host (check boxes `user_ids[i]`).
#[server(prefix = "/api", endpoint = "live_hosts")]
pub async fn save_hosts(store_id: i64, user_ids: Option<Vec<i64>>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let req = super::model::LiveHosts { user_ids: user_ids.unwrap_or_default() };
        super::room::set_hosts(&state.db, &me, store_id, &req).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "settings", &[])
}

/// The schedule form for a store the reader may host at (`store`, else the first).
#[server(prefix = "/api", endpoint = "live_form")]
pub async fn load_live_form(store: Option<i64>) -> Result<LiveForm, AppError> {
    use super::model::FormProduct;
    use crate::shared::time::{local_input, now_ms};
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let stores = hostable_stores(&state.db, &me).await?;
    let store_id = store.filter(|s| stores.iter().any(|(id, _)| id == s)).or_else(|| stores.first().map(|s| s.0)).ok_or_else(AppError::forbidden)?;
    let zh = crate::server::request::parts().map(|p| crate::server::request::page_locale_of(&p.headers) == crate::shared::Locale::Zh).unwrap_or(true);
    let lines: Vec<_> = crate::inventory::service::lines(&state.db, store_id, zh).await?.into_iter().filter(|l| l.available > 0).collect();
    let mut conn = state.db.pool.acquire().await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
    let priced = crate::catalog::priced_products(&mut conn, store_id, &ids).await?;
    let products = lines
        .into_iter()
        .filter_map(|l| {
            let p = priced.iter().find(|p| p.id == l.product_id)?;
            Some(FormProduct {
                id: l.product_id,
                name: l.name,
                unit: l.unit,
                category: l.category,
                usual_price_fen: p.regular_price_fen.unwrap_or(p.price_fen),
                available: l.available,
            })
        })
        .collect();
    // An hour from now on the quarter: long enough to share the preview in the group.
    let start = (now_ms() / 900_000 + 5) * 900_000;
    Ok(LiveForm { stores, store_id, products, default_start: local_input(start) })
}

/// Schedules a session from the form; on to its console.
#[server(prefix = "/api", endpoint = "schedule_live")]
pub async fn schedule_live(
    store_id: i64,
    title: String,
    starts_at: String,
    stream_url: Option<String>,
    items: Option<BTreeMap<String, LineForm>>,
) -> Result<i64, AppError> {
    let items = items.unwrap_or_default();
    let mut kept: Vec<(String, String)> =
        vec![("title".into(), title.clone()), ("starts_at".into(), starts_at.clone()), ("stream_url".into(), stream_url.clone().unwrap_or_default())];
    for l in items.values().filter(|l| l.on.is_some()) {
        let pid = &l.product_id;
        kept.push((format!("on_{pid}"), "1".into()));
        kept.push((format!("price_{pid}"), l.price.clone()));
        kept.push((format!("stock_{pid}"), l.stock.clone()));
        kept.push((format!("limit_{pid}"), l.limit.clone()));
    }
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let new = super::rules::session_from_form(store_id, &title, &starts_at, stream_url.as_deref(), items.values())?;
        super::service::create(&state.db, &me, &new).await
    }
    .await;
    match result {
        Ok(s) => {
            leptos_axum::redirect(&format!("/admin/live/{}", s.id));
            Ok(s.id)
        }
        Err(e) => {
            let kept: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            crate::server::form::bounce_back(&e, &kept);
            Err(e)
        }
    }
}

/// The host's console.
#[server(prefix = "/api", endpoint = "live_console")]
pub async fn load_live_console(id: i64) -> Result<LiveConsole, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    {
        let mut conn = state.db.pool.acquire().await?;
        super::service::hosted(&mut conn, &me, id).await?;
    }
    let session = super::service::get(&state.db, id).await?.ok_or_else(AppError::not_found)?;
    let share_url = format!("{}/live/{id}", state.public_url);
    Ok(LiveConsole {
        qr_svg: crate::server::qr::svg(&share_url, 140)?,
        share_url,
        comments: super::room::recent(&state.db, id).await?,
        session,
        now_ms: crate::shared::time::now_ms(),
        ice_servers: state.ice_servers.clone(),
    })
}

/// One of the console's buttons: start, end, pin/unpin a product, add units to or close a
/// line, pin/unpin/hide a comment, mute its author, slow mode.
#[server(prefix = "/api", endpoint = "live_host")]
pub async fn live_host(id: i64, action: String, product_id: Option<i64>, comment_id: Option<i64>, units: Option<String>, seconds: Option<String>) -> Result<(), AppError> {
    let result = async {
        use crate::shared::ErrorCode;
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let db = &state.db;
        let need = |v: Option<i64>, field: &str| v.ok_or_else(|| AppError::field(ErrorCode::BadRequest, field));
        match action.as_str() {
            "start" => super::service::start(db, &me, id).await.map(|_| ()),
            "end" => super::service::end(db, &me, id).await.map(|_| ()),
            "pin" => super::service::pin(db, &me, id, Some(need(product_id, "product_id")?)).await.map(|_| ()),
            "unpin" => super::service::pin(db, &me, id, None).await.map(|_| ()),
            "add_units" => {
                let n = units.as_deref().unwrap_or("").trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::InvalidLiveStock, "units"))?;
                super::service::add_units(db, &me, id, need(product_id, "product_id")?, n).await.map(|_| ())
            }
            "close_item" => super::service::close_item(db, &me, id, need(product_id, "product_id")?).await.map(|_| ()),
            "pin_comment" => super::room::pin_comment(db, &me, id, Some(need(comment_id, "comment_id")?)).await.map(|_| ()),
            "unpin_comment" => super::room::pin_comment(db, &me, id, None).await.map(|_| ()),
            "hide" => super::room::hide(db, &me, id, need(comment_id, "comment_id")?).await,
            "mute" => super::room::mute(db, &me, id, None, Some(need(comment_id, "comment_id")?)).await.map(|_| ()),
            "slow" => {
                let s = seconds.as_deref().unwrap_or("").trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::InvalidSlowMode, "seconds"))?;
                super::room::slow_mode(db, &me, id, s).await.map(|_| ())
            }
            _ => Err(AppError::new(ErrorCode::BadRequest)),
        }
    }
    .await;
    let anchor = match action.as_str() {
        "pin_comment" | "unpin_comment" | "hide" | "mute" | "slow" => "comments",
        "add_units" | "close_item" | "pin" | "unpin" => "lineup",
        _ => "top",
    };
    crate::server::form::settle(result, anchor, &[("units", units.as_deref().unwrap_or(""))])
}
