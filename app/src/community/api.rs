//! The group's server functions for the pages; the JSON API calls the same services. Every
//! form here works without JavaScript (a refused one comes back with what was typed).
use super::model::{CommunityView, ThreadView};
use crate::shared::AppError;
use leptos::prelude::*;

/// `/community`: the store's group as the reader may see it — `store` from a shared link or
/// the counter's QR code, else the resident's store; `before` pages the feed on.
#[server(prefix = "/api", endpoint = "community")]
pub async fn load_community(store: Option<i64>, before: Option<i64>) -> Result<Option<CommunityView>, AppError> {
    use crate::group_buy::model::GroupBuyStatus;
    use crate::live::model::LiveStatus;
    let state = crate::server::state::app_state()?;
    let db = &state.db;
    let Some(store) = crate::stores::api::current_store(store).await? else {
        return Ok(None);
    };
    let now_ms = crate::shared::time::now_ms();
    let mut view = CommunityView {
        store_id: store.id,
        store_name: store.name.clone(),
        membership: None,
        feed: None,
        live: Vec::new(),
        group_buys: Vec::new(),
        bought: Vec::new(),
        now_ms,
    };
    let Some(me) = crate::server::current_user().await? else {
        return Ok(Some(view));
    };
    let membership = super::service::membership(db, &me, store.id).await?;
    if membership.member.is_some() || membership.moderator {
        view.feed = Some(super::service::feed(db, &me, store.id, before).await?);
        if before.is_none() {
            view.live = crate::live::room::for_store(db, store.id, Some(me.id)).await?.into_iter().filter(|s| s.status != LiveStatus::Ended).take(3).collect();
            view.group_buys = crate::group_buy::service::for_store(db, store.id).await?.into_iter().filter(|g| g.status == GroupBuyStatus::Open).take(3).collect();
        }
        if membership.member.is_some() {
            let mut conn = db.pool.acquire().await?;
            view.bought = crate::orders::received_products(&mut conn, store.id, me.id, 20).await?;
        }
    }
    view.membership = Some(membership);
    Ok(Some(view))
}

/// `/community/p/{id}`: a post and its comments.
#[server(prefix = "/api", endpoint = "community_post")]
pub async fn load_community_post(id: i64) -> Result<Option<ThreadView>, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    let Some(store_id) = super::service::store_of_post(&state.db, id).await? else {
        return Ok(None);
    };
    let thread = match super::service::thread(&state.db, &me, store_id, id).await {
        Ok(t) => t,
        Err(e) if e.code == crate::shared::ErrorCode::NotFound => return Ok(None),
        // Someone opening a shared post of a group they are not in: the page offers that
        // store's group to join.
        Err(e) => return Err(e.with_details(serde_json::json!({ "store_id": store_id }))),
    };
    let membership = super::service::membership(&state.db, &me, store_id).await?;
    Ok(Some(ThreadView { store_id, store_name: membership.store_name.clone(), thread, membership, now_ms: crate::shared::time::now_ms() }))
}

/// Joins (or renames in) the store's group from the join form.
#[server(prefix = "/api", endpoint = "community_join")]
pub async fn join_community(store_id: i64, display_name: String, estate: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let req = super::model::JoinRequest { display_name: display_name.clone(), estate: estate.clone() };
        super::service::join(&state.db, &me, store_id, &req).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "group", &[("display_name", display_name.as_str()), ("estate", estate.as_str())])
}

/// Leaves the store's group.
#[server(prefix = "/api", endpoint = "community_leave")]
pub async fn leave_community(store_id: i64) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::leave(&state.db, &me, store_id).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "group", &[])
}

/// A comment from a post's page.
#[server(prefix = "/api", endpoint = "community_comment")]
pub async fn community_comment(store_id: i64, post_id: i64, body: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::comment(&state.db, &me, store_id, post_id, &body).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "comments", &[("body", body.as_str())])
}

/// 点赞 (`on` = "1") or taking it back, from a post's button.
#[server(prefix = "/api", endpoint = "community_like")]
pub async fn community_like(store_id: i64, post_id: i64, on: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::like(&state.db, &me, store_id, post_id, on == "1").await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, &format!("post-{post_id}"), &[])
}

/// A ballot from a poll's form (radio buttons or check boxes `option_ids[i]`).
#[server(prefix = "/api", endpoint = "community_vote")]
pub async fn community_vote(store_id: i64, post_id: i64, option_ids: Option<Vec<i64>>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::vote(&state.db, &me, store_id, post_id, &option_ids.unwrap_or_default()).await.map(|_| ())
    }
    .await;
    // `poll` keeps a refusal (no JavaScript) at this poll, not under every poll of the page.
    crate::server::form::settle(result, &format!("post-{post_id}"), &[("poll", post_id.to_string().as_str())])
}

/// 举报 a post or (with `comment_id`) a comment, with a reason for the store.
#[server(prefix = "/api", endpoint = "community_report")]
pub async fn community_report(store_id: i64, post_id: i64, comment_id: Option<i64>, reason: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let post = if comment_id.is_some() { None } else { Some(post_id) };
        super::service::report(&state.db, &me, store_id, post, comment_id, &reason).await
    }
    .await;
    crate::server::form::settle(result, "report", &[("reason", reason.as_str())])
}

/// The back office's 邻里群 for `store` (else the first the reader moderates).
#[server(prefix = "/api", endpoint = "community_office")]
pub async fn load_community_office(store: Option<i64>) -> Result<super::model::CommunityOffice, AppError> {
    use crate::shared::time::{local_input, local_time, now_ms, STORE_UTC_OFFSET_MS};
    let state = crate::server::state::app_state()?;
    let db = &state.db;
    let me = crate::server::require_user().await?;
    let stores = super::service::moderated_stores(db, &me).await?;
    let (store_id, store_name) = store
        .and_then(|s| stores.iter().find(|(id, _)| *id == s).cloned())
        .or_else(|| stores.first().cloned())
        .ok_or_else(AppError::forbidden)?;
    let clerks = if crate::accounts::rules::may_act(&me.roles, store_id, super::MODERATOR_ROLES) {
        Some(super::service::moderators(db, &me, store_id).await?)
    } else {
        None
    };
    let join_url = format!("{}/community?store={store_id}", state.public_url);
    let now = now_ms();
    // Tomorrow 20:00 in the store's time: a poll runs through one evening's group chat.
    let tomorrow_8pm = (local_time(now).day + 1) * 86_400_000 + 20 * 3_600_000 - STORE_UTC_OFFSET_MS;
    Ok(super::model::CommunityOffice {
        members: super::service::members(db, &me, store_id).await?,
        reports: super::service::reports(db, &me, store_id).await?,
        feed: super::service::feed(db, &me, store_id, None).await?,
        clerks,
        qr_svg: crate::server::qr::svg(&join_url, 180)?,
        join_url,
        stores,
        store_id,
        store_name,
        now_ms: now,
        default_close: local_input(tomorrow_8pm),
    })
}

/// An announcement from the back office (置顶 when `pinned` is ticked).
#[server(prefix = "/api", endpoint = "community_announce")]
pub async fn community_announce(store_id: i64, body: String, pinned: Option<String>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let new = super::model::NewAnnouncement { body: body.clone(), pinned: pinned.is_some() };
        super::service::announce(&state.db, &me, store_id, &new).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "announce", &[("body", body.as_str())])
}

/// A poll from the back office: the choices one per line.
#[server(prefix = "/api", endpoint = "community_poll")]
pub async fn community_poll(store_id: i64, question: String, options: String, multiple: Option<String>, closes_at: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let new = super::model::NewPoll {
            question: question.clone(),
            options: options.lines().map(str::to_string).collect(),
            multiple: multiple.is_some(),
            closes_at: closes_at.clone(),
        };
        super::service::create_poll(&state.db, &me, store_id, &new).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "poll", &[("question", question.as_str()), ("options", options.as_str()), ("closes_at", closes_at.as_str())])
}

/// One of the back office's buttons: 今日鲜货, pin/unpin, hide a post or comment (with the
/// reason its author sees), settle a report, mute or unmute, remove a member.
#[server(prefix = "/api", endpoint = "community_act")]
pub async fn community_act(
    store_id: i64,
    action: String,
    id: Option<i64>,
    reason: Option<String>,
    minutes: Option<String>,
) -> Result<(), AppError> {
    let reason_typed = reason.clone().unwrap_or_default();
    let result = async {
        use crate::shared::ErrorCode;
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let db = &state.db;
        let id = || id.ok_or_else(|| AppError::field(ErrorCode::BadRequest, "id"));
        let reason = reason.as_deref().unwrap_or_default();
        match action.as_str() {
            "arrivals" => super::service::post_arrivals(db, &me, store_id).await.map(|_| ()),
            "pin" => super::service::pin(db, &me, store_id, id()?, true).await.map(|_| ()),
            "unpin" => super::service::pin(db, &me, store_id, id()?, false).await.map(|_| ()),
            "hide_post" => super::service::hide_post(db, &me, store_id, id()?, reason).await,
            "hide_comment" => super::service::hide_comment(db, &me, store_id, id()?, reason).await,
            "hide_report" => super::service::resolve(db, &me, store_id, id()?, "hidden", Some(reason)).await,
            "keep_report" => super::service::resolve(db, &me, store_id, id()?, "kept", None).await,
            "mute" => {
                let minutes = minutes.as_deref().unwrap_or_default().trim().parse::<i64>().map_err(|_| AppError::field(ErrorCode::InvalidMute, "minutes"))?;
                super::service::mute(db, &me, store_id, id()?, minutes, reason).await.map(|_| ())
            }
            "unmute" => super::service::mute(db, &me, store_id, id()?, 0, "").await.map(|_| ()),
            "remove" => super::service::remove(db, &me, store_id, id()?).await,
            _ => Err(AppError::field(ErrorCode::BadRequest, "action")),
        }
    }
    .await;
    crate::server::form::settle(result, &action, &[("reason", reason_typed.as_str())])
}

/// Which of the store's clerks may moderate its group (check boxes `user_ids[i]`).
#[server(prefix = "/api", endpoint = "community_moderators")]
pub async fn community_moderators(store_id: i64, user_ids: Option<Vec<i64>>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        super::service::set_moderators(&state.db, &me, store_id, &user_ids.unwrap_or_default()).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "moderators", &[])
}

/// The member's switches for the bell, from the name card's check boxes.
#[server(prefix = "/api", endpoint = "community_notify")]
pub async fn community_notify(store_id: i64, announcements: Option<String>, live: Option<String>, group_buys: Option<String>) -> Result<(), AppError> {
    let result = async {
        let state = crate::server::state::app_state()?;
        let me = crate::server::require_user().await?;
        let prefs = super::model::NotifyPrefs { announcements: announcements.is_some(), live: live.is_some(), group_buys: group_buys.is_some() };
        super::service::set_notify(&state.db, &me, store_id, prefs).await.map(|_| ())
    }
    .await;
    crate::server::form::settle(result, "group", &[])
}
