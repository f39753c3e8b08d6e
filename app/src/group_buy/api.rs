//! Group-buy server functions for the pages; the JSON API calls the same service.
// A server function's arguments are its form's fields: the campaign form has twelve.
#![allow(clippy::too_many_arguments)]
use super::model::{CampaignForm, GroupBuy, GroupBuyList, GroupBuyPage, GroupBuyReport};
use crate::shared::AppError;
use leptos::prelude::*;

/// The campaigns at the resident's store (open first), and that store's name.
#[server(prefix = "/api", endpoint = "group_buys")]
pub async fn load_group_buys() -> Result<Option<GroupBuyList>, AppError> {
    let state = crate::server::state::app_state()?;
    let Some(store) = crate::stores::api::current_store(None).await? else {
        return Ok(None);
    };
    let groups = super::service::for_store(&state.db, store.id).await?;
    Ok(Some(GroupBuyList { store_name: store.name, groups, now_ms: crate::shared::time::now_ms() }))
}

/// The join page: the campaign, recent joiners, and for a signed-in reader their joins.
#[server(prefix = "/api", endpoint = "group_buy_page")]
pub async fn load_group_buy_page(id: i64) -> Result<Option<GroupBuyPage>, AppError> {
    use super::model::JoinerView;
    let state = crate::server::state::app_state()?;
    let db = &state.db;
    let me = crate::server::current_user().await?;
    let Some(group) = super::service::get(db, id, me.as_ref()).await? else {
        return Ok(None);
    };
    let mut conn = db.pool.acquire().await?;
    let recent =
        super::store::recent(&mut conn, id, super::service::RECENT).await?.into_iter().map(|(n, q, at)| super::store::joiner(&n, q, at)).collect();
    drop(conn);
    let me_view = match &me {
        Some(m) => Some(JoinerView {
            joins: super::store::joins_of(&db.pool, id, m.id).await?,
            units: super::store::household_units(&db.pool, id, m.id).await?,
            wallet_fen: m.wallet_fen,
            home_store_id: m.home_store_id,
            key: crate::cart::service::new_guest_token()?,
        }),
        None => None,
    };
    let origin = crate::server::state::app_state()?.public_url;
    let share_url = format!("{origin}/g/{id}");
    Ok(Some(GroupBuyPage {
        qr_svg: crate::server::qr::svg(&share_url, 160)?,
        share_url,
        staff: me.as_ref().is_some_and(|m| super::service::may_view(m, &group.stores)),
        group,
        recent,
        now_ms: crate::shared::time::now_ms(),
        me: me_view,
    }))
}

/// Joins from the join page; back to it with the join shown.
#[server(prefix = "/api", endpoint = "join_group_buy")]
pub async fn join_group_buy(id: i64, key: String, qty: String, payment: String, store_id: Option<String>) -> Result<i64, AppError> {
    let kept = [("qty", qty.as_str()), ("payment", payment.as_str()), ("store_id", store_id.as_deref().unwrap_or(""))];
    let result = async {
        use crate::shared::ErrorCode;
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let qty = qty.trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::InvalidQuantity, "qty"))?;
        let store_id = match store_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse::<i64>().map_err(|_| AppError::field(ErrorCode::NotInGroup, "store_id"))?),
            None => None,
        };
        let req = super::model::JoinRequest { qty, payment: super::service::payment_of(&payment)?, store_id };
        super::service::join(&state.db, me.id, id, &req, &key).await
    }
    .await;
    match result {
        Ok(order) => {
            leptos_axum::redirect(&format!("/g/{id}?joined={}", order.id));
            Ok(order.id)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &kept);
            Err(e)
        }
    }
}

/// Leaves (one join of) a campaign before its deadline.
#[server(prefix = "/api", endpoint = "leave_group_buy")]
pub async fn leave_group_buy(id: i64, order_id: i64) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::leave(&state.db, me.id, order_id).await
    }
    .await;
    match result {
        Ok(_) => {
            leptos_axum::redirect(&format!("/g/{id}?left={order_id}"));
            Ok(())
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &[]);
            Err(e)
        }
    }
}

/// The back office's campaigns.
#[server(prefix = "/api", endpoint = "staff_group_buys")]
pub async fn load_campaigns() -> Result<Vec<GroupBuy>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::for_staff(&state.db, &me).await
}

/// The campaign form's choices: stores the asker manages, the chain's products.
#[server(prefix = "/api", endpoint = "campaign_form")]
pub async fn load_campaign_form() -> Result<CampaignForm, AppError> {
    use crate::shared::time::{iso_date, local_input, local_time, now_ms};
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let stores: Vec<super::model::GroupStore> = crate::stores::list_active(&state.db.pool)
        .await?
        .into_iter()
        .filter(|s| crate::accounts::rules::may_act(&me.roles, s.id, super::service::MANAGE_ROLES))
        .map(|s| super::model::GroupStore { id: s.id, name: s.name, address: s.address })
        .collect();
    if stores.is_empty() {
        return Err(AppError::forbidden());
    }
    let today = local_time(now_ms()).day;
    // Two days out at 20:00 store time: long enough to gather a group, a common cut-off.
    let deadline_ms = (today + 2) * 86_400_000 + 20 * 3_600_000 - crate::shared::time::STORE_UTC_OFFSET_MS;
    Ok(CampaignForm {
        stores,
        products: super::store::products(&state.db.pool).await?,
        default_deadline: local_input(deadline_ms),
        default_pickup_date: iso_date(today + 3),
    })
}

/// Turns the campaign form's fields into a campaign request.
#[cfg(feature = "ssr")]
fn campaign_from_form(
    scope: &str,
    product_id: &str,
    title: Option<String>,
    story: Option<String>,
    price: &str,
    min_households: &str,
    max_units: Option<String>,
    per_household_limit: &str,
    deadline: String,
    pickup_date: String,
    stores_all: &[i64],
) -> Result<super::model::NewGroupBuy, AppError> {
    use crate::shared::{ErrorCode, Fen};
    let int = |v: &str, code: ErrorCode, field: &str| v.trim().parse::<i64>().map_err(|_| AppError::field(code, field));
    let (store_id, store_ids) = match scope.trim() {
        "all" => (None, stores_all.to_vec()),
        s => (Some(int(s, ErrorCode::StoresRequired, "stores")?), Vec::new()),
    };
    Ok(super::model::NewGroupBuy {
        store_id,
        store_ids,
        product_id: int(product_id, ErrorCode::ProductUnavailable, "product_id")?,
        price_fen: Fen::parse_yuan(price).map_err(|_| AppError::field(ErrorCode::InvalidGroupPrice, "price"))?.0,
        min_households: int(min_households, ErrorCode::InvalidThreshold, "min_households")?,
        max_units: match max_units.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Some(int(v, ErrorCode::InvalidThreshold, "max_units")?),
            None => None,
        },
        per_household_limit: int(per_household_limit, ErrorCode::InvalidThreshold, "per_household_limit")?,
        deadline,
        pickup_date,
        title,
        story,
        cover_url: None,
        draft: false,
    })
}

/// Creates (publish = "1") or drafts a campaign from the form; on to its staff page.
#[server(prefix = "/api", endpoint = "create_campaign")]
pub async fn save_campaign(
    id: Option<i64>,
    scope: String,
    product_id: String,
    title: Option<String>,
    story: Option<String>,
    price: String,
    min_households: String,
    max_units: Option<String>,
    per_household_limit: String,
    deadline: String,
    pickup_date: String,
    publish: Option<String>,
) -> Result<i64, AppError> {
    let kept = [
        ("scope", scope.as_str()),
        ("product_id", product_id.as_str()),
        ("title", title.as_deref().unwrap_or("")),
        ("story", story.as_deref().unwrap_or("")),
        ("price", price.as_str()),
        ("min_households", min_households.as_str()),
        ("max_units", max_units.as_deref().unwrap_or("")),
        ("per_household_limit", per_household_limit.as_str()),
        ("deadline", deadline.as_str()),
        ("pickup_date", pickup_date.as_str()),
    ];
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let all: Vec<i64> = crate::stores::list_active(&state.db.pool)
            .await?
            .into_iter()
            .filter(|s| crate::accounts::rules::may_act(&me.roles, s.id, super::service::MANAGE_ROLES))
            .map(|s| s.id)
            .collect();
        let mut new = campaign_from_form(
            &scope,
            &product_id,
            title.clone(),
            story.clone(),
            &price,
            &min_households,
            max_units.clone(),
            &per_household_limit,
            deadline.clone(),
            pickup_date.clone(),
            &all,
        )?;
        new.draft = publish.as_deref() != Some("1");
        match id {
            Some(id) => super::service::update(&state.db, &me, id, &new).await,
            None => super::service::create(&state.db, &me, &new).await,
        }
    }
    .await;
    match result {
        Ok(g) => {
            leptos_axum::redirect(&format!("/admin/group-buys/{}", g.id));
            Ok(g.id)
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &kept);
            Err(e)
        }
    }
}

/// The staff page of one campaign.
#[server(prefix = "/api", endpoint = "campaign_report")]
pub async fn load_campaign_report(id: i64) -> Result<GroupBuyReport, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    super::service::report(&state.db, &me, id).await
}

/// Publish, extend the deadline once, or cancel (with a reason), from the campaign's page.
#[server(prefix = "/api", endpoint = "campaign_action")]
pub async fn campaign_action(id: i64, action: String, deadline: Option<String>, reason: Option<String>, store_id: Option<i64>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        match action.as_str() {
            "publish" => super::service::publish(&state.db, &me, id).await.map(|_| ()),
            "extend" => super::service::extend(&state.db, &me, id, deadline.as_deref().unwrap_or("")).await.map(|_| ()),
            "cancel" => super::service::cancel(&state.db, &me, id, reason.as_deref().unwrap_or("")).await.map(|_| ()),
            "receive" => super::service::receive(&state.db, &me, id, store_id.unwrap_or(0)).await.map(|_| ()),
            _ => Err(AppError::new(crate::shared::ErrorCode::BadRequest)),
        }
    }
    .await;
    match result {
        Ok(_) => {
            leptos_axum::redirect(&format!("/admin/group-buys/{id}"));
            Ok(())
        }
        Err(e) => {
            crate::server::form::bounce_back(&e, &[("reason", reason.as_deref().unwrap_or("")), ("deadline", deadline.as_deref().unwrap_or(""))]);
            Err(e)
        }
    }
}
