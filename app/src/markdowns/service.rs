//! Markdown actions shared by the back-office page and the JSON API. Managers (and the
//! owner) write a store's rules; staff see them, and close the day with 日清报损.
use super::model::{ClearedOut, MarkdownReport, MarkdownRule, RuleInput, Tier, Waste};
use super::rules::{self, TierSpan};
use super::store;
use crate::accounts::{Me, Role};
use crate::inventory::model::StockReason;
use crate::inventory::STOCK_ROLES;
use crate::inventory::{apply, Move};
use crate::server::idempotency::{self, Claim};
use crate::server::Db;
use crate::shared::time::{iso_date, local_time, now_ms, parse_iso_date, STORE_UTC_OFFSET_MS};
use crate::shared::{AppError, ErrorCode};

/// Who writes a store's markdown rules (the owner everywhere).
pub const RULE_ROLES: &[Role] = &[Role::Manager];
const CLEAR_OUT_SCOPE: &str = "markdown.clear_out";

pub fn may_edit(me: &Me, store_id: i64) -> bool {
    crate::accounts::rules::may_act(&me.roles, store_id, RULE_ROLES)
}

fn may_see(me: &Me, store_id: i64) -> bool {
    crate::accounts::rules::may_act(&me.roles, store_id, STOCK_ROLES)
}

/// Another store's markdowns are refused (403), like its stock; staff read their own
/// store's rules but only its managers (and the owner) change them.
async fn check_store(db: &Db, me: &Me, store_id: i64, edit: bool) -> Result<(), AppError> {
    if !may_see(me, store_id) || (edit && !may_edit(me, store_id)) {
        return Err(AppError::forbidden());
    }
    if crate::stores::get_active(&db.pool, store_id).await?.is_none() {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// The store's rules with the tier in force now.
pub async fn list(db: &Db, me: &Me, store_id: i64, zh: bool) -> Result<Vec<MarkdownRule>, AppError> {
    check_store(db, me, store_id, false).await?;
    let (heads, tiers, categories) =
        (store::rules(&db.pool, store_id).await?, store::tiers(&db.pool, store_id).await?, store::rule_categories(&db.pool, store_id, zh).await?);
    let minute = crate::catalog::minute_now();
    Ok(heads
        .into_iter()
        .map(|h| {
            let spans: Vec<TierSpan> = tiers.iter().filter(|t| t.rule_id == h.id).map(store::TierRow::span).collect();
            MarkdownRule {
                id: h.id,
                store_id: h.store_id,
                name: h.name,
                categories: categories.iter().filter(|(r, _)| *r == h.id).map(|(_, c)| c.clone()).collect(),
                tiers: spans.iter().map(|t| Tier { from: rules::clock(t.from), until: rules::clock(t.until), percent_off: t.percent_off }).collect(),
                until: rules::clock(h.until_minute),
                active: h.active != 0,
                now_percent_off: if h.active != 0 { rules::tier_at(&spans, minute) } else { None },
            }
        })
        .collect())
}

/// Refuses a rule whose window shares a minute with another active rule on a category they
/// both cover: which one priced the shelf would be a surprise. (The price expression takes
/// the deepest tier, so even a race past this check cannot price a product twice.)
async fn check_overlap(tx: &mut sqlx::AnyConnection, store_id: i64, category_ids: &[i64], tiers: &[TierSpan], except: Option<i64>) -> Result<(), AppError> {
    if rules::overlaps(tiers, &store::active_spans(tx, store_id, category_ids, except).await?) {
        return Err(AppError::new(ErrorCode::MarkdownOverlap));
    }
    Ok(())
}

/// Creates a rule; it prices the shelf from its first tier's start.
#[tracing::instrument(skip_all, fields(staff = me.id, store_id))]
pub async fn create(db: &Db, me: &Me, store_id: i64, input: &RuleInput, zh: bool) -> Result<MarkdownRule, AppError> {
    check_store(db, me, store_id, true).await?;
    let rule = rules::validate(input)?;
    let mut tx = db.begin_write().await?;
    if store::usable_categories(&mut tx, store_id, &rule.category_ids).await? != rule.category_ids.len() {
        return Err(AppError::field(ErrorCode::MarkdownCategoriesRequired, "categories"));
    }
    check_overlap(&mut tx, store_id, &rule.category_ids, &rule.tiers, None).await?;
    let id = store::insert_rule(&mut tx, store_id, &rule, me.id).await?;
    tx.commit().await?;
    tracing::info!(rule = id, "markdown rule created");
    list(db, me, store_id, zh).await?.into_iter().find(|r| r.id == id).ok_or_else(AppError::not_found)
}

/// The rule if it is this store's (else 404), inside the action's transaction.
async fn own_rule(tx: &mut sqlx::AnyConnection, store_id: i64, rule_id: i64) -> Result<store::RuleRow, AppError> {
    store::rule(tx, rule_id).await?.filter(|r| r.store_id == store_id).ok_or_else(AppError::not_found)
}

/// Pauses or resumes a rule.
pub async fn set_active(db: &Db, me: &Me, store_id: i64, rule_id: i64, active: bool, zh: bool) -> Result<MarkdownRule, AppError> {
    check_store(db, me, store_id, true).await?;
    let mut tx = db.begin_write().await?;
    own_rule(&mut tx, store_id, rule_id).await?;
    if active {
        let spans = store::rule_tiers(&mut tx, rule_id).await?;
        let categories = store::category_ids(&mut tx, rule_id).await?;
        check_overlap(&mut tx, store_id, &categories, &spans, Some(rule_id)).await?;
    }
    store::set_active(&mut tx, rule_id, active).await?;
    tx.commit().await?;
    list(db, me, store_id, zh).await?.into_iter().find(|r| r.id == rule_id).ok_or_else(AppError::not_found)
}

pub async fn delete(db: &Db, me: &Me, store_id: i64, rule_id: i64) -> Result<(), AppError> {
    check_store(db, me, store_id, true).await?;
    let mut tx = db.begin_write().await?;
    own_rule(&mut tx, store_id, rule_id).await?;
    store::delete(&mut tx, rule_id).await?;
    tx.commit().await?;
    Ok(())
}

/// What is left now of the rules' categories.
pub async fn leftovers(db: &Db, me: &Me, store_id: i64) -> Result<Vec<super::model::Leftover>, AppError> {
    check_store(db, me, store_id, false).await?;
    store::leftovers(&db.pool, store_id, crate::catalog::minute_now()).await
}

/// 日清报损: writes off what is left at closing, one ledger row per product, all in one
/// transaction. Units held for online orders are never touched (a line asking for more
/// than can be sold is refused with what there is, 409, and nothing is written). With a key,
/// a resent form writes off once.
#[tracing::instrument(skip_all, fields(staff = me.id, store_id))]
pub async fn clear_out(db: &Db, me: &Me, store_id: i64, items: &[(i64, i64)], key: &str) -> Result<ClearedOut, AppError> {
    check_store(db, me, store_id, false).await?;
    rules::check_clear_out(items)?;
    let key = idempotency::parse_key(key)?;
    let mut tx = db.begin_write().await?;
    if let Claim::Replay(saved) = idempotency::claim::<ClearedOut>(&mut tx, me.id, CLEAR_OUT_SCOPE, &key, &(store_id, items)).await? {
        tx.commit().await?;
        return Ok(saved);
    }
    let mut done = ClearedOut { products: 0, units: 0, movement_ids: Vec::new() };
    for (product_id, qty) in items {
        if !crate::catalog::stockable(&mut tx, store_id, *product_id).await? {
            return Err(AppError::not_found());
        }
        let m = Move { store_id, product_id: *product_id, delta: -qty, reason: StockReason::ClearOut, note: "", by_user_id: Some(me.id), order_id: None, sale_id: None };
        let Some(moved) = apply(&mut tx, &m).await? else {
            tx.rollback().await?;
            return Err(crate::inventory::service::short(db, store_id, *product_id).await?);
        };
        done.products += 1;
        done.units += qty;
        done.movement_ids.push(moved.movement_id);
    }
    idempotency::remember(&mut tx, me.id, CLEAR_OUT_SCOPE, &key, &done).await?;
    tx.commit().await?;
    tracing::info!(products = done.products, units = done.units, "cleared out at closing");
    Ok(done)
}

/// The day's markdown sales and write-offs (today when `date` is none), store-local day.
pub async fn report(db: &Db, me: &Me, store_id: i64, date: Option<&str>) -> Result<MarkdownReport, AppError> {
    check_store(db, me, store_id, false).await?;
    let day = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_iso_date(d).ok_or_else(|| AppError::field(ErrorCode::BadRequest, "date"))?,
        None => local_time(now_ms()).day,
    };
    let from_ms = day * 86_400_000 - STORE_UTC_OFFSET_MS;
    let to_ms = from_ms + 86_400_000;
    let sold = store::markdown_sales(&db.pool, store_id, from_ms, to_ms).await?;
    let wasted: Vec<Waste> = store::write_offs(&db.pool, store_id, from_ms, to_ms)
        .await?
        .into_iter()
        .map(|(product_id, name, cleared, spoiled, price)| Waste { product_id, name, cleared, spoiled, value_fen: (cleared + spoiled) * price })
        .collect();
    Ok(MarkdownReport {
        store_id,
        date: iso_date(day),
        revenue_fen: sold.iter().map(|s| s.revenue_fen).sum(),
        discount_fen: sold.iter().map(|s| s.discount_fen).sum(),
        wasted_units: wasted.iter().map(|w| w.cleared + w.spoiled).sum(),
        wasted_value_fen: wasted.iter().map(|w| w.value_fen).sum(),
        sold,
        wasted,
    })
}

/// The shelf as residents will see it at `at` ("20:45") today: the manager's check of a
/// rule, read through the storefront's own SQL.
pub async fn preview(db: &Db, me: &Me, store_id: i64, at: &str) -> Result<Vec<crate::catalog::model::Product>, AppError> {
    check_store(db, me, store_id, false).await?;
    let minute = rules::parse_clock(at, false).ok_or_else(|| AppError::field(ErrorCode::BadRequest, "at"))?;
    crate::catalog::shelf_at(&db.pool, store_id, None, None, minute).await
}
