//! Group-buy actions shared by the JSON API, the pages and the deadline job.
use super::model::{Arrival, GroupBuy, GroupBuyReport, GroupBuyStatus, GroupStore, JoinRequest, NewGroupBuy, Progress};
use super::rules;
use super::store::{self, GroupBuyRow};
use super::rules::VIEW_ROLES;
use crate::accounts::{Me, Role};
use crate::orders::flow::{apply_in, Asker};
use crate::orders::lifecycle::Actor;
use crate::orders::model::{Order, OrderStatus, Payment};
use crate::orders::{NewOrder, PricedProduct};
use crate::server::events::{Event, Topic};
use crate::server::idempotency::{self, Claim};
use crate::server::retry::{Failure, Job, Retries};
use crate::server::Db;
use crate::shared::time::{now_ms, parse_instant, rfc3339};
use crate::shared::{AppError, ErrorCode};
use sqlx::AnyConnection;

const JOIN_SCOPE: &str = "group_buy.join";
/// Who sets campaigns up: a store's manager (the owner everywhere).
pub const MANAGE_ROLES: &[Role] = &[Role::Manager];

/// Whether `me` may set up or change campaigns at every one of `stores`.
fn may_manage(me: &Me, stores: &[i64]) -> bool {
    !stores.is_empty() && stores.iter().all(|s| crate::accounts::rules::may_act(&me.roles, *s, MANAGE_ROLES))
}

/// Whether `me` works at one of `stores`.
pub fn may_view(me: &Me, stores: &[GroupStore]) -> bool {
    stores.iter().any(|s| crate::accounts::rules::may_act(&me.roles, s.id, VIEW_ROLES))
}

async fn model(db: &Db, row: GroupBuyRow) -> Result<GroupBuy, AppError> {
    let stores = store::stores_of(&db.pool, &[row.id]).await?.into_iter().map(|(_, s)| s).collect();
    Ok(row.into_model(stores))
}

async fn models(db: &Db, rows: Vec<GroupBuyRow>) -> Result<Vec<GroupBuy>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let stores = store::stores_of(&db.pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = stores.iter().filter(|(g, _)| *g == r.id).map(|(_, s)| s.clone()).collect();
            r.into_model(mine)
        })
        .collect())
}

/// A campaign as `me` may see it: drafts only for the people of its stores.
pub async fn get(db: &Db, id: i64, me: Option<&Me>) -> Result<Option<GroupBuy>, AppError> {
    let mut conn = db.pool.acquire().await?;
    let Some(row) = store::find(&mut conn, id).await? else {
        return Ok(None);
    };
    drop(conn);
    let g = model(db, row).await?;
    if g.status == GroupBuyStatus::Draft && !me.is_some_and(|m| may_view(m, &g.stores)) {
        return Ok(None);
    }
    Ok(Some(g))
}

/// The campaigns residents of a store see.
pub async fn for_store(db: &Db, store_id: i64) -> Result<Vec<GroupBuy>, AppError> {
    models(db, store::for_store(&db.pool, store_id, now_ms()).await?).await
}

/// The campaigns of the stores `me` works at.
pub async fn for_staff(db: &Db, me: &Me) -> Result<Vec<GroupBuy>, AppError> {
    let stores = crate::accounts::rules::staff_store_ids(me);
    if stores.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::forbidden());
    }
    models(db, store::for_staff(&db.pool, stores.as_deref()).await?).await
}

/// Checks a campaign's fields: every store the asker's and in the product's chain.
async fn checked(db: &Db, me: &Me, new: &NewGroupBuy) -> Result<(rules::Checked, i64, i64), AppError> {
    let mut conn = db.pool.acquire().await?;
    let (chain_id, name, _unit, normal) =
        store::product(&mut conn, new.product_id).await?.ok_or_else(|| AppError::field(ErrorCode::ProductUnavailable, "product_id"))?;
    let c = rules::check_campaign(new, &name, normal, now_ms())?;
    let chains = store::store_chains(&mut conn, &c.stores).await?;
    if chains.len() != c.stores.len() || chains.iter().any(|(_, ch)| *ch != chain_id) {
        return Err(AppError::field(ErrorCode::StoresRequired, "stores"));
    }
    if !may_manage(me, &c.stores) {
        return Err(AppError::forbidden());
    }
    Ok((c, chain_id, normal))
}

/// Sets up a campaign: published at once, or kept as a draft.
#[tracing::instrument(skip_all, fields(user_id = me.id))]
pub async fn create(db: &Db, me: &Me, new: &NewGroupBuy) -> Result<GroupBuy, AppError> {
    if !me.roles.iter().any(|g| g.role == Role::Owner || MANAGE_ROLES.contains(&g.role)) {
        return Err(AppError::forbidden());
    }
    let (c, chain_id, normal) = checked(db, me, new).await?;
    let status = if new.draft { GroupBuyStatus::Draft } else { GroupBuyStatus::Open };
    let mut tx = db.begin_write().await?;
    let id = store::insert(&mut tx, chain_id, new.product_id, &c, normal, status, me.id).await?;
    tx.commit().await?;
    tracing::info!(group_buy_id = id, status = status.as_str(), "group buy created");
    get(db, id, Some(me)).await?.ok_or_else(|| AppError::internal("new campaign vanished"))
}

/// The campaign if `me` may manage it (every one of its stores); 404 for others.
async fn managed(db: &Db, me: &Me, id: i64) -> Result<GroupBuy, AppError> {
    let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
    let ids: Vec<i64> = g.stores.iter().map(|s| s.id).collect();
    if !may_manage(me, &ids) {
        return Err(if may_view(me, &g.stores) { AppError::forbidden() } else { AppError::not_found() });
    }
    Ok(g)
}

/// Rewrites a campaign nobody has joined yet.
pub async fn update(db: &Db, me: &Me, id: i64, new: &NewGroupBuy) -> Result<GroupBuy, AppError> {
    managed(db, me, id).await?;
    let (c, _, normal) = checked(db, me, new).await?;
    let mut tx = db.begin_write().await?;
    if !store::update(&mut tx, id, new.product_id, &c, normal).await? {
        return Err(AppError::new(ErrorCode::GroupNotEditable));
    }
    tx.commit().await?;
    get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)
}

/// Draft → open.
pub async fn publish(db: &Db, me: &Me, id: i64) -> Result<GroupBuy, AppError> {
    let g = managed(db, me, id).await?;
    if !store::publish(&db.pool, id, now_ms()).await? {
        return Err(if g.status == GroupBuyStatus::Draft {
            AppError::field(ErrorCode::InvalidDeadline, "deadline")
        } else {
            AppError::new(ErrorCode::Closed)
        });
    }
    let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
    announce(db, &g).await?;
    Ok(g)
}

/// Moves the deadline later, once, while open.
pub async fn extend(db: &Db, me: &Me, id: i64, deadline: &str) -> Result<GroupBuy, AppError> {
    let g = managed(db, me, id).await?;
    let now = now_ms();
    if !rules::is_joinable(g.status, g.deadline_ms, now) {
        return Err(AppError::new(ErrorCode::Closed));
    }
    if g.deadline_extended {
        return Err(AppError::new(ErrorCode::AlreadyExtended));
    }
    let new_ms = parse_instant(deadline).ok_or_else(|| AppError::field(ErrorCode::InvalidDeadline, "deadline"))?;
    rules::check_extension(g.deadline_ms, new_ms, &g.pickup_date, now)?;
    if !store::extend(&db.pool, id, g.deadline_ms, new_ms, now).await? {
        return Err(AppError::new(ErrorCode::AlreadyExtended));
    }
    let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
    announce(db, &g).await?;
    Ok(g)
}

/// Cancels a draft or open campaign: every join is cancelled and refunded by the same path the
/// deadline takes (and, should this process die first, by the deadline job).
pub async fn cancel(db: &Db, me: &Me, id: i64, reason: &str) -> Result<GroupBuy, AppError> {
    managed(db, me, id).await?;
    let reason: String = reason.trim().chars().filter(|c| !c.is_control()).collect();
    if reason.is_empty() || reason.chars().count() > crate::orders::lifecycle::MAX_REASON_CHARS {
        return Err(AppError::field(ErrorCode::ReasonRequired, "reason"));
    }
    if !store::cancel(&db.pool, id, &reason, now_ms()).await? {
        return Err(AppError::new(ErrorCode::Closed));
    }
    tracing::info!(group_buy_id = id, "group buy cancelled");
    let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
    announce(db, &g).await?;
    // The campaign is cancelled: refunding its joins is the deadline job's work too, so a join
    // that cannot be settled now is left to its retries instead of failing the manager's tap.
    if let Err(e) = settle(db, id).await {
        tracing::warn!(group_buy_id = id, error = ?e, "settling a cancelled group buy is left to the deadline job");
    }
    get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)
}

/// The `progress` event join pages hear: the counts, the status and the latest joiners.
pub async fn progress_event(conn: &mut AnyConnection, id: i64) -> Result<Event, AppError> {
    let row = store::find(conn, id).await?.ok_or_else(AppError::not_found)?;
    let recent = store::recent(conn, id, RECENT).await?.into_iter().map(|(n, q, at)| store::joiner(&n, q, at)).collect();
    let p = Progress {
        id,
        status: row.status(),
        households: row.households,
        units_sold: row.units_sold,
        deadline: crate::shared::time::rfc3339(row.deadline_ms),
        recent,
    };
    Ok(Event::new("progress", vec![Topic::GroupBuy(id)], &p))
}

/// How many recent joiners a join page shows.
pub const RECENT: i64 = 8;

/// Tells open join pages about a change made in an earlier transaction (an edit, a deadline
/// extended): the event is logged in a short transaction of its own.
async fn announce(db: &Db, g: &GroupBuy) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let mut event = progress_event(&mut tx, g.id).await?;
    db.events.stage(&mut tx, &mut event).await?;
    tx.commit().await?;
    db.events.committed([event]);
    Ok(())
}

/// Joins a campaign: one transaction takes the units under the cap (a conditional statement on
/// the campaign), adds them to the household's within its limit (a conditional upsert), writes
/// the order waiting for the group and takes a wallet payment. `key` makes a retry return the
/// first answer.
#[tracing::instrument(skip_all, fields(user_id, group_buy_id = id))]
pub async fn join(db: &Db, user_id: i64, id: i64, req: &JoinRequest, key: &str) -> Result<Order, AppError> {
    let order_id = idempotency::once(&db.pool, user_id, JOIN_SCOPE, key, &(id, req), |key| async move { join_fresh(db, user_id, id, req, &key).await }).await?;
    crate::orders::service::load(db, order_id, user_id).await?.ok_or_else(AppError::not_found)
}

async fn join_fresh(db: &Db, user_id: i64, id: i64, req: &JoinRequest, key: &str) -> Result<i64, AppError> {
    let now = now_ms();
    // A draft is refused as closed (with its status), not as missing: the link was real.
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    drop(conn);
    let g = model(db, row).await?;
    if !rules::is_joinable(g.status, g.deadline_ms, now) {
        return Err(closed(&g));
    }
    let store_id = match (req.store_id, g.stores.as_slice()) {
        (Some(s), stores) if stores.iter().any(|x| x.id == s) => s,
        (None, [only]) => only.id,
        _ => return Err(AppError::field(ErrorCode::NotInGroup, "store_id")),
    };
    let store = crate::stores::get_active(&db.pool, store_id).await?.ok_or_else(|| AppError::field(ErrorCode::NotInGroup, "store_id"))?;
    let held = store::household_units(&db.pool, id, user_id).await?;
    rules::check_join_qty(req.qty, held, g.per_household_limit)?;

    let mut tx = db.begin_write().await?;
    if let Claim::Replay(saved) = idempotency::claim::<i64>(&mut tx, user_id, JOIN_SCOPE, key, &(id, req)).await? {
        tx.commit().await?;
        return Ok(saved);
    }
    if !store::take_units(&mut tx, id, req.qty, now).await? {
        drop(tx);
        // Say why: the campaign closed meanwhile, or these units are more than are left.
        let g = get(db, id, None).await?.ok_or_else(AppError::not_found)?;
        return Err(if rules::is_joinable(g.status, g.deadline_ms, now_ms()) {
            AppError::field(ErrorCode::GroupFull, "qty").with_details(serde_json::json!({ "units_left": g.units_left() }))
        } else {
            closed(&g)
        });
    }
    // take_units marked the first join under this transaction's write lock, so no edit can land
    // after this read: the order gets the terms in force now, not the ones read above (an edit
    // racing the first join could otherwise sell at the old price).
    let terms = store::find(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
    if !store::offered_at(&mut tx, id, store_id).await? {
        return Err(AppError::field(ErrorCode::NotInGroup, "store_id"));
    }
    let Some(units) = store::household_add(&mut tx, id, user_id, req.qty, terms.per_household_limit).await? else {
        return Err(AppError::field(ErrorCode::LimitExceeded, "qty").with_details(serde_json::json!({ "limit": terms.per_household_limit })));
    };
    if units == req.qty {
        store::count_household(&mut tx, id, 1).await?;
    }
    let total = terms.price_fen * req.qty;
    let new_order = NewOrder {
        store_id,
        user_id,
        status: OrderStatus::AwaitingGroup,
        delivery: false,
        pickup_date: Some(&terms.pickup_date),
        window_from: Some(store.pickup_from.clone()),
        window_until: Some(store.pickup_until.clone()),
        address: None,
        lat: None,
        lng: None,
        distance_m: None,
        payment: req.payment.as_str(),
        goods_fen: total,
        discount_fen: 0,
        delivery_fee_fen: 0,
        total_fen: total,
        note: "",
        group_buy_id: Some(id),
        live_session_id: None,
    };
    let line = PricedProduct { id: terms.product_id, name: terms.product_name, unit: terms.unit, price_fen: terms.price_fen, regular_price_fen: None };
    let order_id = crate::orders::service::write_order(&mut tx, &new_order, &[(line, req.qty)], req.payment, user_id, "").await?;
    idempotency::remember(&mut tx, user_id, JOIN_SCOPE, key, &order_id).await?;
    let mut event = progress_event(&mut tx, id).await?;
    db.events.stage(&mut tx, &mut event).await?;
    tx.commit().await?;
    db.events.committed([event]);
    tracing::info!(order_id, qty = req.qty, "joined group buy");
    Ok(order_id)
}

fn closed(g: &GroupBuy) -> AppError {
    AppError::new(ErrorCode::Closed).with_details(serde_json::json!({ "status": g.status }))
}

/// Leaves a campaign before its deadline: the join's units go back to the group (the household
/// count drops when its last unit goes) and a wallet payment is refunded, in one transaction.
pub async fn leave(db: &Db, user_id: i64, order_id: i64) -> Result<Order, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = crate::orders::find(&mut tx, order_id)
        .await?
        .filter(|r| r.user_id == user_id && r.group_buy_id.is_some())
        .ok_or_else(AppError::not_found)?;
    let id = row.group_buy_id.unwrap_or_default();
    if row.status != OrderStatus::AwaitingGroup.as_str() {
        return Err(AppError::new(ErrorCode::Closed).with_details(serde_json::json!({ "order_status": row.status })));
    }
    let qty: i64 = crate::orders::items(&mut tx, order_id).await?.iter().map(|i| i.qty).sum();
    if !store::give_back_units(&mut tx, id, qty, now).await? {
        return Err(AppError::new(ErrorCode::Closed));
    }
    if store::household_remove(&mut tx, id, user_id, qty).await? == Some(0) {
        store::count_household(&mut tx, id, -1).await?;
    }
    let asker = Asker { user_id: Some(user_id), actor: Actor::Resident };
    let status = apply_in(&mut tx, db, &row, OrderStatus::Cancelled, asker, "left_group").await?;
    let mut progress = progress_event(&mut tx, id).await?;
    db.events.stage(&mut tx, &mut progress).await?;
    tx.commit().await?;
    db.events.committed([status, progress]);
    crate::orders::service::load(db, order_id, user_id).await?.ok_or_else(AppError::not_found)
}

/// What one pass of the deadline job did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    pub decided: usize,
    pub orders: usize,
    /// Items that failed in this pass (logged, counted, retried later with backoff).
    pub failed: Vec<Failure>,
}

/// The deadline job: decides every open campaign whose deadline has passed, then confirms or
/// refunds the joins of every decided or cancelled campaign not yet settled. Everything it does
/// is read from the database and guarded by compare-and-set, so running it twice, on two
/// instances at once, or again after a kill -9 in the middle finishes the work with no join
/// skipped and none refunded twice. One campaign or join that fails holds back nothing else:
/// it is recorded and retried on a later pass (`server::retry`).
pub async fn resolve_due(db: &Db) -> Result<Resolved, AppError> {
    let mut done = Resolved::default();
    let retries = Retries::load(db, Job::GroupDecide).await?;
    for id in store::due(&db.pool, now_ms()).await? {
        if retries.is_resting(id) {
            continue;
        }
        match decide(db, id).await {
            Ok(decided) => {
                done.decided += usize::from(decided);
                retries.succeeded(db, id).await;
            }
            Err(e) => done.failed.push(retries.failed(db, id, &e).await),
        }
    }
    for id in store::unsettled(&db.pool).await? {
        let s = settle(db, id).await?;
        done.orders += s.moved;
        done.failed.extend(s.failed);
    }
    Ok(done)
}

/// Decides one due campaign by its household count; the supplier summary is frozen in the
/// same transaction when it succeeded.
async fn decide(db: &Db, id: i64) -> Result<bool, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let Some(row) = store::find(&mut tx, id).await? else {
        return Ok(false);
    };
    if row.status() != GroupBuyStatus::Open || row.deadline_ms > now {
        return Ok(false);
    }
    let outcome = rules::outcome(row.households, row.min_households);
    if !store::decide(&mut tx, id, outcome, row.households, now).await? {
        return Ok(false);
    }
    if outcome == GroupBuyStatus::Succeeded {
        store::freeze_purchases(&mut tx, id).await?;
    }
    let mut event = progress_event(&mut tx, id).await?;
    db.events.stage(&mut tx, &mut event).await?;
    tx.commit().await?;
    db.events.committed([event]);
    tracing::info!(group_buy_id = id, outcome = outcome.as_str(), households = row.households, "group buy decided");
    Ok(true)
}

/// Test hook for the kill-during-resolution test: a pause after each settled join, so a test
/// can kill the process half-way. Unset (the default) means no pause.
fn settle_pause() -> Option<std::time::Duration> {
    std::env::var("LINLI_SETTLE_PAUSE_MS").ok().and_then(|v| v.parse().ok()).filter(|ms| *ms > 0).map(std::time::Duration::from_millis)
}

/// What settling a campaign came to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Joins confirmed or refunded.
    pub moved: usize,
    /// Joins that failed and wait for a retry; the campaign stays unsettled until they go.
    pub failed: Vec<Failure>,
}

/// Confirms (succeeded) or cancels and refunds (failed, cancelled) every join of a decided
/// campaign still waiting, one transaction each, then marks the campaign settled once none
/// waits. A join that fails is recorded for a retry and the others go on.
pub async fn settle(db: &Db, id: i64) -> Result<Settled, AppError> {
    let mut conn = db.pool.acquire().await?;
    let Some(row) = store::find(&mut conn, id).await? else {
        return Ok(Settled::default());
    };
    drop(conn);
    let (to, reason) = match row.status() {
        GroupBuyStatus::Succeeded => (OrderStatus::Placed, "group_succeeded"),
        GroupBuyStatus::Failed => (OrderStatus::Cancelled, "group_failed"),
        GroupBuyStatus::Cancelled => (OrderStatus::Cancelled, "group_cancelled"),
        GroupBuyStatus::Open | GroupBuyStatus::Draft => return Ok(Settled::default()),
    };
    let pause = settle_pause();
    let retries = Retries::load(db, Job::GroupSettle).await?;
    let mut done = Settled::default();
    // Walk the waiting joins by id, so one that fails is passed, not met again.
    let mut after = 0;
    loop {
        let batch = store::waiting_orders(&db.pool, id, after, 100).await?;
        let Some(last) = batch.last() else { break };
        after = *last;
        for order_id in batch {
            if retries.is_resting(order_id) {
                continue;
            }
            match settle_join(db, order_id, to, reason).await {
                Ok(moved) => {
                    done.moved += usize::from(moved);
                    retries.succeeded(db, order_id).await;
                }
                Err(e) => done.failed.push(retries.failed(db, order_id, &e).await),
            }
            if let Some(p) = pause {
                tokio::time::sleep(p).await;
            }
        }
    }
    if store::mark_settled(&db.pool, id, now_ms()).await? {
        tracing::info!(group_buy_id = id, orders = done.moved, outcome = row.status, "group buy settled");
    }
    Ok(done)
}

/// One join to its campaign's outcome, in its own transaction; false when another instance
/// settled it meanwhile.
async fn settle_join(db: &Db, order_id: i64, to: OrderStatus, reason: &str) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let Some(order) = crate::orders::find(&mut tx, order_id).await? else {
        return Ok(false);
    };
    let asker = Asker { user_id: None, actor: Actor::System };
    match apply_in(&mut tx, db, &order, to, asker, reason).await {
        Ok(event) => {
            tx.commit().await?;
            db.events.committed([event]);
            Ok(true)
        }
        Err(e) if e.code == ErrorCode::InvalidTransition => Ok(false),
        Err(e) => Err(e),
    }
}

/// The staff's view: counts by store, the supplier summary once succeeded, what may change.
pub async fn report(db: &Db, me: &Me, id: i64) -> Result<GroupBuyReport, AppError> {
    let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
    if !may_view(me, &g.stores) {
        return Err(AppError::not_found());
    }
    let now = now_ms();
    let mut conn = db.pool.acquire().await?;
    let row = store::find(&mut conn, id).await?.ok_or_else(AppError::not_found)?;
    drop(conn);
    let open = rules::is_joinable(g.status, g.deadline_ms, now);
    Ok(GroupBuyReport {
        by_store: store::tallies(&db.pool, id).await?,
        purchases: store::purchases(&db.pool, id).await?,
        editable: row.first_join_at_ms.is_none() && matches!(g.status, GroupBuyStatus::Draft | GroupBuyStatus::Open),
        can_extend: open && !g.deadline_extended,
        unsettled_orders: if g.status == GroupBuyStatus::Open { 0 } else { store::waiting_count(&db.pool, id).await? },
        arrivals: if g.status == GroupBuyStatus::Succeeded { arrivals(db, me, &g).await? } else { Vec::new() },
        now_ms: now,
        group: g,
    })
}

async fn arrivals(db: &Db, me: &Me, g: &GroupBuy) -> Result<Vec<Arrival>, AppError> {
    let received = store::receipts(&db.pool, g.id).await?;
    Ok(g.stores
        .iter()
        .map(|s| {
            let at = received.iter().find(|(id, _)| *id == s.id).and_then(|(_, at)| *at);
            Arrival { store_id: s.id, store_name: s.name.clone(), received_at: at.map(rfc3339), may_receive: at.is_none() && crate::inventory::service::may_book(me, s.id) }
        })
        .collect())
}

/// 到货入库: a succeeded campaign's goods arrived at a store. In one transaction, once: the
/// campaign's orders there hold their goods, and the goods are booked in as stock that those
/// holds cover (on hand and held rise together, a 进货 ledger row per product naming the
/// campaign) — so they cannot be sold at the till or online, and handing an order over takes
/// its goods out like any order's. Staff of the store (or the owner).
#[tracing::instrument(skip_all, fields(by = me.id, group_buy = id, store_id))]
pub async fn receive(db: &Db, me: &Me, id: i64, store_id: i64) -> Result<Vec<crate::inventory::model::StockLevel>, AppError> {
    let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
    if !may_view(me, &g.stores) {
        return Err(AppError::not_found());
    }
    if !g.stores.iter().any(|s| s.id == store_id) {
        return Err(AppError::field(ErrorCode::NotInGroup, "store_id"));
    }
    if !crate::inventory::service::may_book(me, store_id) {
        return Err(AppError::forbidden());
    }
    let mut tx = db.begin_write().await?;
    if !store::claim_receipt(&mut tx, id, store_id, me.id, now_ms()).await? {
        drop(tx);
        let g = get(db, id, Some(me)).await?.ok_or_else(AppError::not_found)?;
        return Err(if g.status == GroupBuyStatus::Succeeded {
            AppError::new(ErrorCode::AlreadyReceived)
        } else {
            AppError::new(ErrorCode::GroupNotSucceeded).with_details(serde_json::json!({ "status": g.status }))
        });
    }
    let note = format!("团购到货 #{id}");
    let mut levels = Vec::new();
    for (product_id, units) in store::hold_for_orders(&mut tx, id, store_id).await? {
        let m = crate::inventory::Move {
            store_id,
            product_id,
            delta: units,
            reason: crate::inventory::model::StockReason::Receive,
            note: &note,
            by_user_id: Some(me.id),
            order_id: None,
            sale_id: None,
        };
        let moved = crate::inventory::receive_held(&mut tx, &m, id).await?;
        levels.push(crate::inventory::model::StockLevel {
            product_id,
            on_hand: moved.on_hand,
            reserved: moved.reserved,
            available: moved.on_hand - moved.reserved,
            movement_id: Some(moved.movement_id),
        });
    }
    tx.commit().await?;
    tracing::info!(products = levels.len(), "group buy goods booked in");
    Ok(levels)
}

/// The supplier summary as CSV (UTF-8 with a BOM, so Excel on Windows reads the Chinese).
pub async fn purchases_csv(db: &Db, me: &Me, id: i64) -> Result<(String, String), AppError> {
    let r = report(db, me, id).await?;
    if r.group.status != GroupBuyStatus::Succeeded {
        return Err(AppError::new(ErrorCode::Closed).with_details(serde_json::json!({ "status": r.group.status })));
    }
    let mut csv = String::from("\u{feff}门店,商品,规格,数量,户数,提货日\r\n");
    for l in &r.purchases {
        let fields = [l.store_name.as_str(), &l.name, &l.unit, &l.units.to_string(), &l.households.to_string(), &r.group.pickup_date];
        csv.push_str(&crate::shared::csv::line(&fields));
        csv.push_str("\r\n");
    }
    Ok((format!("group-buy-{id}-purchase.csv"), csv))
}

/// Pays with `payment` as a resident would say it.
pub fn payment_of(s: &str) -> Result<Payment, AppError> {
    Payment::parse(s).ok_or_else(|| AppError::field(ErrorCode::BadRequest, "payment"))
}

/// The share poster as SVG (open and decided campaigns; drafts are not shared).
pub async fn poster(db: &Db, id: i64, origin: &str) -> Result<Option<String>, AppError> {
    let Some(g) = get(db, id, None).await? else {
        return Ok(None);
    };
    let share_url = format!("{origin}/g/{id}");
    let qr = crate::server::qr::svg(&share_url, 280)?;
    let chain = crate::stores::chain_name(&db.pool).await?.unwrap_or_default();
    // Store names already carry the chain's ("绿源生活·文三路店").
    let store_line = match g.stores.as_slice() {
        [one] => one.name.clone(),
        _ => chain,
    };
    Ok(Some(super::poster::svg(&g, &share_url, &qr, &store_line)))
}
