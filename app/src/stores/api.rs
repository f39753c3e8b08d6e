//! Store server functions: the store list and the resident's choice of store.
use super::model::StoreList;
#[cfg(feature = "ssr")]
use super::model::Store;
use crate::shared::AppError;
use leptos::prelude::*;

/// The stores where `me` holds one of `roles` (the owner: all), and the one to show:
/// `requested` if allowed, else the first. Nobody else gets a store at all (Forbidden).
#[cfg(feature = "ssr")]
pub async fn working_stores(
    db: &crate::server::Db,
    me: &crate::accounts::Me,
    roles: &[crate::accounts::Role],
    requested: Option<i64>,
) -> Result<(Vec<super::StoreChoice>, Store), AppError> {
    let stores: Vec<Store> =
        super::store::list_active(&db.pool).await?.into_iter().filter(|s| crate::accounts::rules::may_act(&me.roles, s.id, roles)).collect();
    let chosen = requested.and_then(|id| stores.iter().find(|s| s.id == id)).or_else(|| stores.first()).cloned().ok_or_else(AppError::forbidden)?;
    Ok((stores.into_iter().map(|s| super::StoreChoice { id: s.id, name: s.name }).collect(), chosen))
}

/// The cookie remembering a guest's store (signed-in residents keep it in their profile too).
pub const STORE_COOKIE: &str = "linli_store";

/// The chain's stores, nearest first when the browser shared its position or the resident
/// searched for their 小区 or street (`place`).
#[server(prefix = "/api", endpoint = "stores")]
pub async fn list_stores(lat: Option<f64>, lng: Option<f64>, place: Option<String>) -> Result<StoreList, AppError> {
    let state = crate::server::state::app_state()?;
    let mut point = super::rules::point(lat, lng)?;
    let (mut found, mut others, mut not_found) = (None, Vec::new(), false);
    if let Some(q) = place.as_deref().map(|q| q.chars().filter(|c| !c.is_control()).take(20).collect::<String>()).filter(|q| !q.trim().is_empty()) {
        let all = super::store::communities(&state.db.pool).await?;
        let mut hits = super::rules::search_communities(&all, &q).into_iter().cloned();
        match hits.next() {
            Some(first) => {
                point = Some((first.lat, first.lng));
                found = Some(first);
                others = hits.take(8).collect();
            }
            None => not_found = true,
        }
    }
    let stores = super::service::nearby_to(&state.db, point).await?;
    Ok(StoreList { stores, place: found, other_places: others, place_not_found: not_found })
}

/// Makes `store_id` the resident's store, then goes to its home page.
#[server(prefix = "/api", endpoint = "choose_store")]
pub async fn choose_store(store_id: i64) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let store = super::service::open_store(&state.db, store_id).await?;
    if let Some(me) = crate::server::current_user().await? {
        crate::accounts::set_home_store(&state.db.pool, me.id, store.id).await?;
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!("{STORE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", store.id);
        if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
            res.append_header(axum::http::header::SET_COOKIE, v);
        }
    }
    leptos_axum::redirect("/");
    Ok(())
}

/// The store a page is about: the one asked for, else the resident's cookie, else their
/// profile's, else the chain's first. `None` only when the chain has no store at all.
#[cfg(feature = "ssr")]
pub async fn current_store(requested: Option<i64>) -> Result<Option<Store>, AppError> {
    let state = crate::server::state::app_state()?;
    let pool = &state.db.pool;
    let from_cookie = crate::server::request::parts().ok().and_then(|p| {
        let cookies = p.headers.get(axum::http::header::COOKIE)?.to_str().ok()?.to_string();
        cookies.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == STORE_COOKIE).then(|| v.parse::<i64>().ok()).flatten()
        })
    });
    let from_profile = crate::server::current_user().await?.and_then(|me| me.home_store_id);
    for id in [requested, from_cookie, from_profile].into_iter().flatten() {
        if let Some(s) = super::store::get_active(pool, id).await? {
            return Ok(Some(s));
        }
    }
    Ok(super::store::list_active(pool).await?.into_iter().next())
}

/// The chain's LBS 分单 setting; only the owner may see or change it.
#[server(prefix = "/api", endpoint = "routing")]
pub async fn load_routing() -> Result<bool, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    routing_of(&state.db, &me).await
}

#[server(prefix = "/api", endpoint = "set_routing")]
pub async fn set_routing(on: String) -> Result<(), AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    set_routing_for(&state.db, &me, on == "1").await
}

/// The owner's chain's routing (403 for anyone else): shared by the page and the JSON API.
#[cfg(feature = "ssr")]
pub async fn routing_of(db: &crate::server::Db, me: &crate::accounts::Me) -> Result<bool, AppError> {
    let chain = owner_chain(db, me).await?;
    super::store::chain_routing(&db.pool, chain).await
}

#[cfg(feature = "ssr")]
pub async fn set_routing_for(db: &crate::server::Db, me: &crate::accounts::Me, on: bool) -> Result<(), AppError> {
    let chain = owner_chain(db, me).await?;
    super::store::set_chain_routing(&db.pool, chain, on).await?;
    tracing::info!(chain, on, by = me.id, "LBS routing changed");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn owner_chain(db: &crate::server::Db, me: &crate::accounts::Me) -> Result<i64, AppError> {
    if !me.has(crate::accounts::Role::Owner) {
        return Err(AppError::forbidden());
    }
    super::store::chain_id(&db.pool).await?.ok_or_else(AppError::not_found)
}
