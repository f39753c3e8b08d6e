//! Tomorrow's order list (以销定采, `/admin/order-list` and `/api/v1/order-list`): per product,
//! the demand forecast over the days a delivery must last (its shelf life, up to a week), plus
//! what succeeded group buys and scheduled live line-ups already commit, less what the shelf
//! will still hold when the delivery comes — a suggested quantity the manager can change,
//! exported per supplier (生产者) as CSV or printed.
use super::forecast;
use super::model::{OrderList, OrderLine, PlanLine};
use super::service::scope;
use super::store;
use crate::accounts::Me;
use crate::server::Db;
use crate::shared::time::{iso_date, local_time, now_ms, parse_iso_date, weekday};
use crate::shared::{AppError, ErrorCode};
use std::collections::{BTreeMap, BTreeSet};

/// The backtest reads four weeks before the forecast's own eight.
const SERIES_DAYS: i64 = forecast::HISTORY_DAYS as i64 + 28;
/// The most units one line may ask for.
const MAX_QTY: i64 = 100_000;

/// Regular demand per product and day over `from..=to` at the store (as the dashboard reads
/// it: rollups where settled, the ledgers where not): what sold less what group buys sold
/// (one-off campaigns, committed separately), and a bundle's units counted as its parts.
async fn series(db: &Db, store_id: i64, from: i64, to: i64, bundles: &BTreeMap<i64, Vec<(i64, i64)>>) -> Result<BTreeMap<i64, Vec<f64>>, AppError> {
    let len = (to - from + 1) as usize;
    let mut out: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (_, p) in super::service::product_days(db, &[store_id], from, to).await? {
        let units = (p.qty - p.group_qty) as f64;
        let i = (p.day - from) as usize;
        let parts = bundles.get(&p.product_id).map_or_else(|| vec![(p.product_id, 1)], Clone::clone);
        for (product, n) in parts {
            if let Some(slot) = out.entry(product).or_insert_with(|| vec![0.0; len]).get_mut(i) {
                *slot += units * n as f64;
            }
        }
    }
    Ok(out)
}

/// The delivery day asked for: tomorrow by default, today at the earliest, a week ahead at most.
fn delivery_day(day: Option<&str>, today: i64) -> Result<i64, AppError> {
    let d = match day.map(str::trim).filter(|s| !s.is_empty()) {
        None => return Ok(today + 1),
        Some(d) => parse_iso_date(d).ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "day"))?,
    };
    if d < today || d > today + 7 {
        return Err(AppError::field(ErrorCode::InvalidDate, "day").with_details(serde_json::json!({ "from": iso_date(today), "until": iso_date(today + 7) })));
    }
    Ok(d)
}

#[tracing::instrument(skip_all, fields(user = me.id, ?store))]
pub async fn order_list(db: &Db, me: &Me, store: Option<i64>, day: Option<&str>, zh: bool) -> Result<OrderList, AppError> {
    let scope = scope(db, me, store, zh).await?;
    // The chain has no shelf of its own: the owner's default is the first store.
    let store_id = scope.store_id.unwrap_or(scope.ids[0]);
    let store_name = scope.stores.iter().find(|s| s.id == store_id).map(|s| s.name.clone()).unwrap_or_default();
    let now = now_ms();
    let today = local_time(now).day;
    let for_day = delivery_day(day, today)?;
    // Complete days only: history ends yesterday; today is forecast like the days ahead and
    // what it has sold so far comes off its forecast.
    let (from, to) = (today - SERIES_DAYS, today - 1);
    let bundles = store::bundle_parts(&db.pool).await?;
    let history = series(db, store_id, from, to, &bundles).await?;
    let sold_today = series(db, store_id, today, today, &bundles).await?;
    let first_wd = weekday(from) as usize;
    let horizon = (for_day - today) as usize + 7;
    let edits = store::plan(&db.pool, store_id, for_day).await?;
    let costs = store::unit_costs(&db.pool, &[store_id]).await?;
    let window_end = for_day + 6;
    // Group buys not yet arrived, collected from today until the end of the longest cover:
    // each line takes those within its own (a pickup before the delivery comes with it).
    let groups = store::committed_by_group_buys(&db.pool, store_id, &iso_date(today), &iso_date(window_end)).await?;
    let live = store::committed_by_live(&db.pool, store_id, now, store::day_start_ms(window_end + 1)).await?;
    let (mut weighted_error, mut weight) = (0.0, 0.0);
    let mut lines = Vec::new();
    for c in store::candidates(&db.pool, store_id).await? {
        let h = history.get(&c.product_id).cloned().unwrap_or_else(|| vec![0.0; (to - from + 1) as usize]);
        let f = forecast::forecast(&h, first_wd, horizon);
        // f[0] is today. A delivery today meets the shelf as it is; a later one meets what is
        // left after the rest of today's sales and the days in between.
        let start = (for_day - today) as usize;
        let today_left = (f[0] - sold_today.get(&c.product_id).map_or(0.0, |v| v[0])).max(0.0);
        let until_delivery = if start == 0 { 0.0 } else { today_left + f[1..start].iter().sum::<f64>() };
        let on_shelf = (c.available - until_delivery.round() as i64).max(0);
        let next_7: Vec<f64> = f[start..start + 7].iter().map(|v| (v * 10.0).round() / 10.0).collect();
        let cover = forecast::cover_days(c.shelf_life_days);
        let demand: f64 = f[start..start + cover].iter().sum();
        let last_covered = iso_date(for_day + cover as i64 - 1);
        let committed: i64 = groups.iter().filter(|(p, pickup, _)| *p == c.product_id && *pickup <= last_covered).map(|(_, _, n)| n).sum();
        // A scheduled live session's units left the shelf when it was scheduled: shown, and
        // already out of `available`, so not bought twice.
        let live_set_aside = live.get(&c.product_id).copied().unwrap_or(0);
        if demand < 0.05 && committed == 0 && live_set_aside == 0 && !edits.contains_key(&c.product_id) {
            continue;
        }
        let suggested = forecast::suggested(demand, committed, on_shelf);
        let mape = forecast::backtest_mape(&h, first_wd, 4);
        let sold_recently: f64 = h[h.len().saturating_sub(28)..].iter().sum();
        if let Some(m) = mape {
            weighted_error += m * sold_recently;
            weight += sold_recently;
        }
        let edit = edits.get(&c.product_id).map(|(q, _)| *q);
        lines.push(OrderLine {
            product_id: c.product_id,
            name: c.name,
            unit: c.unit,
            producer: c.producer,
            next_7_days: next_7,
            cover_days: cover as i64,
            forecast: (demand * 10.0).round() / 10.0,
            committed,
            live_set_aside,
            on_shelf,
            suggested,
            qty: edit.unwrap_or(suggested),
            edited: edit.is_some(),
            unit_cost_fen: costs.get(&(store_id, c.product_id)).copied(),
            mape,
        });
    }
    let edited = edits.values().map(|(_, t)| *t).max().map(|t| {
        let lt = local_time(t);
        format!("{} {}", &iso_date(lt.day)[5..], crate::shared::time::hhmm(lt.minute))
    });
    Ok(OrderList {
        stores: scope.stores,
        store_id,
        store_name,
        for_day: iso_date(for_day),
        today: iso_date(today),
        mape: (weight > 0.0).then(|| (weighted_error / weight * 10.0).round() / 10.0),
        lines,
        edited,
    })
}

/// Parses the page's quantities (product id → typed number); empty means the suggestion.
pub fn parse_quantities(typed: &BTreeMap<String, String>) -> Result<Vec<PlanLine>, AppError> {
    let mut out = Vec::new();
    for (k, v) in typed {
        let Ok(product_id) = k.trim().parse::<i64>() else {
            return Err(AppError::new(ErrorCode::BadRequest));
        };
        if v.trim().is_empty() {
            continue;
        }
        match v.trim().parse::<i64>() {
            Ok(qty) if (0..=MAX_QTY).contains(&qty) => out.push(PlanLine { product_id, qty }),
            _ => return Err(AppError::field(ErrorCode::InvalidPlanQuantity, &format!("qty_{product_id}")).with_details(serde_json::json!({ "product_id": product_id, "max": MAX_QTY }))),
        }
    }
    Ok(out)
}

/// Saves the quantities that differ from the suggestion (the others follow the forecast as it
/// moves); `lines` empty goes back to the suggestions.
pub async fn save(db: &Db, me: &Me, store_id: i64, day: Option<&str>, lines: &[PlanLine], zh: bool) -> Result<OrderList, AppError> {
    if lines.iter().any(|l| !(0..=MAX_QTY).contains(&l.qty)) {
        return Err(AppError::field(ErrorCode::InvalidPlanQuantity, "qty"));
    }
    let current = order_list(db, me, Some(store_id), day, zh).await?;
    let for_day = parse_iso_date(&current.for_day).ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "day"))?;
    let known: BTreeMap<i64, i64> = current.lines.iter().map(|l| (l.product_id, l.suggested)).collect();
    let candidates: BTreeSet<i64> = store::candidates(&db.pool, store_id).await?.into_iter().map(|c| c.product_id).collect();
    let mut keep = Vec::new();
    for l in lines {
        if !candidates.contains(&l.product_id) {
            return Err(AppError::not_found().with_details(serde_json::json!({ "product_id": l.product_id })));
        }
        if known.get(&l.product_id) != Some(&l.qty) {
            keep.push((l.product_id, l.qty));
        }
    }
    let mut tx = db.begin_write().await?;
    store::save_plan(&mut tx, store_id, for_day, &keep, me.id, now_ms()).await?;
    tx.commit().await?;
    order_list(db, me, Some(store_id), Some(&current.for_day), zh).await
}

/// The list as CSV, suppliers together: (file name, document).
pub async fn csv(db: &Db, me: &Me, store: Option<i64>, day: Option<&str>, zh: bool) -> Result<(String, String), AppError> {
    let list = order_list(db, me, store, day, zh).await?;
    let header = if zh {
        ["生产者", "商品", "规格", "采购数量", "建议", "预测（覆盖天数内）", "团购未到货", "直播已留", "到货时货架", "进货价（元）", "预计金额（元）"]
    } else {
        ["Supplier", "Product", "Spec", "Buy", "Suggested", "Forecast (days covered)", "Group buys to come", "Set aside for live", "On shelf at delivery", "Unit cost (¥)", "Amount (¥)"]
    };
    let rows: Vec<Vec<String>> = super::rules::by_supplier(&list.lines)
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .filter(|l| l.qty > 0)
        .map(|l| {
            vec![
                l.producer.clone(),
                l.name.clone(),
                l.unit.clone(),
                l.qty.to_string(),
                l.suggested.to_string(),
                format!("{:.1}", l.forecast),
                l.committed.to_string(),
                l.live_set_aside.to_string(),
                l.on_shelf.to_string(),
                l.unit_cost_fen.map_or_else(String::new, super::rules::yuan),
                l.unit_cost_fen.map_or_else(String::new, |c| super::rules::yuan(c * l.qty)),
            ]
        })
        .collect();
    Ok((format!("linli-order-list-store-{}-{}.csv", list.store_id, list.for_day), crate::shared::csv::document(&header, &rows)))
}
