//! The owner's dashboard (`/admin/insights` and `GET /api/v1/insights`): who may see which
//! store, the figures of a period against the one before, the tables and charts; and the job
//! that materialises the daily rollups.
//!
//! Why rollups on a schedule rather than in the writing transactions: a day's figures depend
//! on a dozen ledgers (orders and their later hand-over or no-show, the till and its refunds,
//! write-offs, wallets, the group) written by as many services; counting them again from the
//! ledgers after the fact keeps every write path as it is, and one SQL per figure is both the
//! rollup and the live count. A settled day is read from `insight_days`; today, and any day the
//! job has not written yet, is counted from the ledgers with the same SQL — so the dashboard
//! is never wrong, only slower for days the job has not reached. Recent days are recounted
//! (orders placed on them are still handed over, cancelled or missed) until
//! `rules::SETTLE_AFTER_DAYS` have passed.
use super::charts;
use super::model::{Chart, Insights, Kpi, Span, StoreName, Table};
use super::rules::{self, Totals};
use super::store;
use crate::accounts::{Me, Role};
use crate::server::Db;
use crate::shared::time::{iso_date, local_time, now_ms, parse_iso_date};
use crate::shared::{AppError, ErrorCode};
use std::collections::{BTreeMap, BTreeSet};

/// Who sees a store's figures (the owner: every store and the chain).
pub const INSIGHT_ROLES: &[Role] = &[Role::Manager];
const DAY_MS: i64 = 86_400_000;
/// How stale a recent day's rollup may get before the job counts it again.
const RECOUNT_AFTER_MS: i64 = 10 * 60 * 1000;
/// The most days the job counts for one store in one go.
const RUN_DAYS: i64 = 31;
/// How many rows the product tables show.
const TOP: usize = 10;

/// The stores this person may see, and the one (or, for the owner, all) they asked for.
pub struct Scope {
    pub stores: Vec<StoreName>,
    pub chain: bool,
    pub store_id: Option<i64>,
    pub ids: Vec<i64>,
    pub name: String,
}

pub async fn scope(db: &Db, me: &Me, store: Option<i64>, zh: bool) -> Result<Scope, AppError> {
    let stores: Vec<StoreName> = crate::stores::list_active(&db.pool)
        .await?
        .into_iter()
        .filter(|s| crate::accounts::rules::may_act(&me.roles, s.id, INSIGHT_ROLES))
        .map(|s| StoreName { id: s.id, name: s.name })
        .collect();
    if stores.is_empty() {
        return Err(AppError::forbidden());
    }
    let whole_chain = me.has(Role::Owner);
    match store {
        Some(id) => {
            let Some(s) = stores.iter().find(|s| s.id == id) else {
                return Err(AppError::forbidden());
            };
            let name = s.name.clone();
            Ok(Scope { ids: vec![id], store_id: Some(id), name, stores, chain: whole_chain })
        }
        None if whole_chain => {
            let name = if zh { "全部门店" } else { "All stores" }.to_string();
            Ok(Scope { ids: stores.iter().map(|s| s.id).collect(), store_id: None, name, stores, chain: true })
        }
        None => {
            let (id, name) = (stores[0].id, stores[0].name.clone());
            Ok(Scope { ids: vec![id], store_id: Some(id), name, stores, chain: whole_chain })
        }
    }
}

/// The period asked for: `span` (day, week, month) and a day in it (default today).
pub fn period(span: Option<&str>, date: Option<&str>, today: i64) -> Result<(Span, i64), AppError> {
    let span = match span.map(str::trim).filter(|s| !s.is_empty()) {
        None => Span::Day,
        Some(s) => Span::parse(s).ok_or_else(|| AppError::field(ErrorCode::InvalidPeriod, "span"))?,
    };
    let day = match date.map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(d) => parse_iso_date(d).ok_or_else(|| AppError::field(ErrorCode::InvalidDate, "date"))?,
    };
    Ok((span, day))
}

/// Each day's figures `from..=to` over the stores: the rollup where the job has written the
/// day, the ledgers where it has not. The settled days are read first and only their rollup
/// rows are taken, so a day the job settles meanwhile is counted once, from the ledgers.
pub async fn daily(db: &Db, ids: &[i64], from: i64, to: i64) -> Result<BTreeMap<i64, Totals>, AppError> {
    let mut out: BTreeMap<i64, Totals> = (from..=to).map(|d| (d, Totals::new())).collect();
    let settled = store::settled_days(&db.pool, ids, from, to).await?;
    let is_settled = |s: i64, d: i64| settled.get(&s).is_some_and(|days| days.contains(&d));
    for (s, day, metric, v) in store::rollup(&db.pool, ids, from, to).await? {
        if is_settled(s, day) {
            rules::add(out.entry(day).or_default(), &metric, v);
        }
    }
    for ((a, b), stores) in unsettled(ids, from, to, &settled) {
        for (day, metric, v) in store::count_days(&db.pool, &stores, a, b).await? {
            rules::add(out.entry(day).or_default(), &metric, v);
        }
    }
    Ok(out)
}

/// The runs of days not yet settled, each with the stores it is unsettled for. Stores mostly
/// share them (today, and the days the job has not reached), so the ledgers are read once per
/// run for all of them, not once per store: the chain's month costs a handful of queries at
/// 200 stores as at 3.
fn unsettled(ids: &[i64], from: i64, to: i64, settled: &BTreeMap<i64, BTreeSet<i64>>) -> BTreeMap<(i64, i64), Vec<i64>> {
    let empty = BTreeSet::new();
    let mut runs: BTreeMap<(i64, i64), Vec<i64>> = BTreeMap::new();
    for id in ids {
        for run in rules::unsettled_runs(from, to, settled.get(id).unwrap_or(&empty)) {
            runs.entry(run).or_default().push(*id);
        }
    }
    runs
}

/// Units and takings per store and product over `from..=to`, settled or not (read as
/// [`daily`] reads).
pub async fn product_days(db: &Db, ids: &[i64], from: i64, to: i64) -> Result<Vec<(i64, store::ProductDay)>, AppError> {
    let settled = store::settled_days(&db.pool, ids, from, to).await?;
    let is_settled = |s: i64, d: i64| settled.get(&s).is_some_and(|days| days.contains(&d));
    let mut out: Vec<(i64, store::ProductDay)> = store::product_rollup(&db.pool, ids, from, to).await?.into_iter().filter(|(s, p)| is_settled(*s, p.day)).collect();
    for ((a, b), stores) in unsettled(ids, from, to, &settled) {
        out.extend(store::count_product_days(&db.pool, &stores, a, b).await?);
    }
    Ok(out)
}

/// Units and takings per (store, product) over `from..=to`.
async fn products(db: &Db, ids: &[i64], from: i64, to: i64) -> Result<BTreeMap<(i64, i64), (i64, i64)>, AppError> {
    let mut out: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
    for (s, p) in product_days(db, ids, from, to).await? {
        let e = out.entry((s, p.product_id)).or_default();
        e.0 += p.qty;
        e.1 += p.revenue_fen;
    }
    Ok(out)
}

fn sum(days: &BTreeMap<i64, Totals>, from: i64, to: i64) -> Totals {
    let mut t = Totals::new();
    for (_, d) in days.range(from..=to) {
        for (m, v) in d {
            rules::add(&mut t, m, *v);
        }
    }
    t
}

/// The figures counted per period rather than per day: group buys decided, live sessions held.
async fn period_figures(db: &Db, scope: &Scope, from: i64, to: i64, t: &mut Totals) -> Result<(), AppError> {
    let (a, b) = (store::day_start_ms(from), store::day_start_ms(to + 1));
    let groups = store::group_buys(&db.pool, &scope.ids, a, b, scope.store_id.is_none()).await?;
    rules::add(t, rules::GB_DECIDED, groups.len() as i64);
    rules::add(t, rules::GB_SUCCEEDED, groups.iter().filter(|g| g.succeeded).count() as i64);
    rules::add(t, rules::GB_HOUSEHOLDS, groups.iter().map(|g| g.households).sum());
    let live = store::live_sessions(&db.pool, &scope.ids, a, b).await?;
    rules::add(t, rules::LIVE_SESSIONS, live.len() as i64);
    rules::add(t, rules::LIVE_VIEWERS, live.iter().map(|l| l.viewers).sum());
    rules::add(t, rules::LIVE_ORDERS, live.iter().map(|l| l.orders).sum());
    rules::add(t, rules::LIVE_BUYERS, live.iter().map(|l| l.buyers).sum());
    Ok(())
}

fn table(key: &str, title: &str, columns: &[&str], rows: Vec<Vec<String>>, empty: &str) -> Table {
    Table { key: key.to_string(), title: title.to_string(), columns: columns.iter().map(|c| (*c).to_string()).collect(), rows, empty: empty.to_string() }
}

fn short_date(day: i64) -> String {
    iso_date(day)[5..].to_string()
}

fn clock(ms: i64) -> String {
    let t = local_time(ms);
    format!("{} {}", short_date(t.day), crate::shared::time::hhmm(t.minute))
}

/// The dashboard. `charts: false` for a CSV or an API reader that wants only the figures.
#[tracing::instrument(skip_all, fields(user = me.id, ?store))]
pub async fn dashboard(db: &Db, me: &Me, store: Option<i64>, span: Option<&str>, date: Option<&str>, zh: bool, with_charts: bool) -> Result<Insights, AppError> {
    let scope = scope(db, me, store, zh).await?;
    let now = now_ms();
    let today = local_time(now).day;
    let (span, day) = period(span, date, today)?;
    let w = rules::window(span, day, today);
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };

    // A single day is drawn with the six before it, so its chart has a shape.
    let chart_from = if span == Span::Day { w.to - 6 } else { w.from };
    let days = daily(db, &scope.ids, chart_from.min(w.prev_from), w.to).await?;
    let mut now_t = sum(&days, w.from, w.to);
    let mut before_t = sum(&days, w.prev_from, w.prev_to);
    period_figures(db, &scope, w.from, w.to, &mut now_t).await?;
    period_figures(db, &scope, w.prev_from, w.prev_to, &mut before_t).await?;

    // Headline figures.
    let mut kpis: Vec<Kpi> = rules::kpis(&now_t)
        .into_iter()
        .zip(rules::kpis(&before_t))
        .map(|((key, z, e, n), (_, _, _, b))| Kpi {
            key: key.to_string(),
            label: pick(z, e).to_string(),
            change: rules::compare(&n, &b, zh),
            now: n.shown,
            before: b.shown,
            value: n.value,
            value_before: b.value,
        })
        .collect();
    let balance = store::wallet_balance(&db.pool, scope.store_id.is_some().then_some(scope.ids.as_slice())).await?;
    kpis.push(Kpi {
        key: "wallet_balance".into(),
        label: pick("会员储值余额（元，当前）", "Wallet balances outstanding (¥, now)").into(),
        now: rules::yuan(balance),
        before: "—".into(),
        change: "—".into(),
        value: Some(balance as f64),
        value_before: None,
    });
    let mut tables = vec![table(
        "kpis",
        pick("核心指标", "Key figures"),
        &[pick("指标", "Figure"), pick("本期", "This period"), pick("上期", "Period before"), pick("变化", "Change")],
        kpis.iter().map(|k| vec![k.label.clone(), k.now.clone(), k.before.clone(), k.change.clone()]).collect(),
        "",
    )];

    // Sales by channel.
    let channels = [
        (rules::GMV_COUNTER, pick("门店收银", "Till")),
        (rules::GMV_SHOP, pick("线上商城", "Storefront")),
        (rules::GMV_GROUP, pick("社区团购", "Group buys")),
        (rules::GMV_LIVE, pick("直播", "Live")),
    ];
    tables.push(table(
        "channels",
        pick("各渠道销售额", "Sales by channel"),
        &[pick("渠道", "Channel"), pick("本期（元）", "This period (¥)"), pick("上期（元）", "Before (¥)"), pick("占比", "Share"), pick("变化", "Change")],
        channels
            .iter()
            .map(|(m, label)| {
                let (n, b) = (rules::get(&now_t, m), rules::get(&before_t, m));
                vec![(*label).to_string(), rules::yuan(n), rules::yuan(b), rules::show_percent(rules::percent(n, rules::gmv(&now_t))), rules::change(n as f64, b as f64, zh)]
            })
            .collect(),
        "",
    ));

    // Day by day.
    let chart_days: Vec<(i64, &Totals)> = days.range(chart_from..=w.to).map(|(d, t)| (*d, t)).collect();
    tables.push(table(
        "daily",
        if span == Span::Day { pick("近7天每日销售", "The last 7 days") } else { pick("每日销售", "Day by day") },
        &[
            pick("日期", "Date"),
            pick("门店收银（元）", "Till (¥)"),
            pick("线上商城（元）", "Storefront (¥)"),
            pick("社区团购（元）", "Group buys (¥)"),
            pick("直播（元）", "Live (¥)"),
            pick("合计（元）", "Total (¥)"),
            pick("自提单", "Pickup"),
            pick("配送单", "Delivery"),
        ],
        chart_days
            .iter()
            .map(|(d, t)| {
                let mut row = vec![iso_date(*d)];
                row.extend(channels.iter().map(|(m, _)| rules::yuan(rules::get(t, m))));
                row.push(rules::yuan(rules::gmv(t)));
                row.push(rules::get(t, rules::PICKUP_ORDERS).to_string());
                row.push(rules::get(t, rules::DELIVERY_ORDERS).to_string());
                row
            })
            .collect(),
        "",
    ));

    // Live sessions and group buys of the period.
    let (a, b) = (store::day_start_ms(w.from), store::day_start_ms(w.to + 1));
    let live = store::live_sessions(&db.pool, &scope.ids, a, b).await?;
    tables.push(table(
        "live",
        pick("直播场次", "Live sessions"),
        &[pick("门店", "Store"), pick("直播", "Session"), pick("开播", "Started"), pick("观看（峰值）", "Viewers (peak)"), pick("订单", "Orders"), pick("销售额（元）", "Sales (¥)"), pick("转化率", "Conversion")],
        live.iter()
            .map(|l| {
                vec![l.store_name.clone(), l.title.clone(), clock(l.started_at_ms), l.viewers.to_string(), l.orders.to_string(), rules::yuan(l.gmv_fen), rules::show_percent(rules::percent(l.buyers, l.viewers))]
            })
            .collect(),
        pick("这段时间没有开播", "No live sessions in this period"),
    ));
    let groups = store::group_buys(&db.pool, &scope.ids, a, b, scope.store_id.is_none()).await?;
    tables.push(table(
        "group_buys",
        pick("截单的团购", "Group buys decided"),
        &[pick("团购", "Group buy"), pick("结果", "Result"), pick("成团要求（户）", "Needed (households)"), pick("参团户数", "Households"), pick("截单", "Decided")],
        groups
            .iter()
            .map(|g| {
                vec![
                    g.title.clone(),
                    if g.succeeded { pick("已成团", "Succeeded") } else { pick("未成团，已退款", "Failed, refunded") }.to_string(),
                    g.min_households.to_string(),
                    g.households.to_string(),
                    clock(g.decided_at_ms),
                ]
            })
            .collect(),
        pick("这段时间没有截单的团购", "No group buy was decided in this period"),
    ));

    // Products: best sellers, best margins, slow movers, bought together.
    let sold = products(db, &scope.ids, w.from, w.to).await?;
    let costs = store::unit_costs(&db.pool, &scope.ids).await?;
    // (units, takings, margin, takings where the cost is known): a chain's margin rate is
    // over the stores that booked a cost, not over all takings.
    let mut per_product: BTreeMap<i64, (i64, i64, Option<i64>, i64)> = BTreeMap::new();
    for ((s, p), (qty, fen)) in &sold {
        let e = per_product.entry(*p).or_insert((0, 0, None, 0));
        e.0 += qty;
        e.1 += fen;
        if let Some(c) = costs.get(&(*s, *p)) {
            e.2 = Some(e.2.unwrap_or(0) + fen - qty * c);
            e.3 += fen;
        }
    }
    let names = store::product_names(&db.pool, &per_product.keys().copied().collect::<Vec<_>>()).await?;
    let name = |p: &i64| names.get(p).map(|(n, u)| format!("{n}（{u}）")).unwrap_or_else(|| format!("#{p}"));
    let mut by_revenue: Vec<_> = per_product.iter().collect();
    by_revenue.sort_by(|x, y| y.1 .1.cmp(&x.1 .1).then(x.0.cmp(y.0)));
    let product_columns = [pick("商品", "Product"), pick("销量", "Units"), pick("销售额（元）", "Sales (¥)"), pick("毛利（元）", "Margin (¥)"), pick("毛利率", "Margin %")];
    let product_row = |p: &i64, v: &(i64, i64, Option<i64>, i64)| {
        vec![
            name(p),
            v.0.to_string(),
            rules::yuan(v.1),
            v.2.map_or_else(|| "—".to_string(), rules::yuan),
            v.2.map_or_else(|| "—".to_string(), |m| rules::show_percent(rules::percent(m, v.3))),
        ]
    };
    tables.push(table(
        "top_revenue",
        pick("销售额前十的商品", "Top products by sales"),
        &product_columns,
        by_revenue.iter().take(TOP).map(|(p, v)| product_row(p, v)).collect(),
        pick("这段时间还没有卖出商品", "Nothing sold in this period"),
    ));
    let mut by_margin: Vec<_> = per_product.iter().filter(|(_, v)| v.2.is_some()).collect();
    by_margin.sort_by(|x, y| y.1 .2.cmp(&x.1 .2).then(x.0.cmp(y.0)));
    tables.push(table(
        "top_margin",
        pick("毛利前十的商品", "Top products by margin"),
        &product_columns,
        by_margin.iter().take(TOP).map(|(p, v)| product_row(p, v)).collect(),
        pick("进货时登记了进货价的商品才算得出毛利", "Margins appear for products whose purchase cost was booked with a delivery"),
    ));
    tables.push(slow_movers(db, &scope, today, zh).await?);
    tables.push(table(
        "pairs",
        pick("常被一起买的商品（近4周线上订单）", "Often bought together (online, last 4 weeks)"),
        &[pick("商品", "Product"), pick("一起买的商品", "Bought with"), pick("同一单次数", "Orders")],
        store::pairs(&db.pool, &scope.ids, TOP as i64).await?.into_iter().map(|(a, b, n)| vec![a, b, n.to_string()]).collect(),
        pick("还没有两样商品常被一起买（每天更新一次）", "No pair bought together twice yet (counted hourly)"),
    ));

    let charts = if with_charts { draw(&chart_days, &channels, &by_revenue, &name, zh) } else { Vec::new() };
    Ok(Insights {
        stores: scope.stores,
        store_id: scope.store_id,
        chain: scope.chain,
        scope: scope.name,
        span,
        date: iso_date(day.min(today)),
        today: iso_date(today),
        from: iso_date(w.from),
        to: iso_date(w.to),
        prev_from: iso_date(w.prev_from),
        prev_to: iso_date(w.prev_to),
        kpis,
        charts,
        tables,
    })
}

type ProductFigures<'a> = (&'a i64, &'a (i64, i64, Option<i64>, i64));

fn draw(days: &[(i64, &Totals)], channels: &[(&str, &str); 4], top: &[ProductFigures<'_>], name: &dyn Fn(&i64) -> String, zh: bool) -> Vec<Chart> {
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    let labels: Vec<String> = days.iter().map(|(d, _)| short_date(*d)).collect();
    let series: Vec<(String, Vec<f64>)> =
        channels.iter().map(|(m, label)| ((*label).to_string(), days.iter().map(|(_, t)| rules::get(t, m) as f64 / 100.0).collect())).collect();
    let fulfilment = vec![
        (pick("自提", "Pickup").to_string(), days.iter().map(|(_, t)| rules::get(t, rules::PICKUP_ORDERS) as f64).collect()),
        (pick("配送", "Delivery").to_string(), days.iter().map(|(_, t)| rules::get(t, rules::DELIVERY_ORDERS) as f64).collect()),
    ];
    let top: Vec<(String, f64)> = top.iter().take(TOP).map(|(p, v)| (name(p), v.1 as f64 / 100.0)).collect();
    vec![
        Chart { key: "sales".into(), title: pick("每日销售额（元），按渠道", "Sales per day (¥) by channel").into(), svg: charts::stacked_bars(&labels, &series), table: "daily".into() },
        Chart { key: "fulfilment".into(), title: pick("每日自提与配送单", "Pickup and delivery orders per day").into(), svg: charts::lines(&labels, &fulfilment), table: "daily".into() },
        Chart { key: "products".into(), title: pick("销售额前十的商品（元）", "Top products by sales (¥)").into(), svg: charts::bars(&top), table: "top_revenue".into() },
    ]
}

/// Products on the shelf that have not sold for 7 days, with the last day they did.
async fn slow_movers(db: &Db, scope: &Scope, today: i64, zh: bool) -> Result<Table, AppError> {
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e };
    let since = today - 6;
    let recent = products(db, &scope.ids, since, today).await?;
    let mut rows = Vec::new();
    for (s, store_name, p, name, unit, on_hand) in store::on_shelf(&db.pool, &scope.ids).await? {
        if recent.get(&(s, p)).is_some_and(|(qty, _)| *qty > 0) {
            continue;
        }
        let last = store::last_sold(&db.pool, s, p).await?;
        rows.push(vec![
            store_name,
            format!("{name}（{unit}）"),
            on_hand.to_string(),
            last.map_or_else(|| pick("没有卖出过", "Never sold").to_string(), iso_date),
        ]);
    }
    Ok(table(
        "slow_movers",
        pick("滞销：7天没卖出的在架商品", "Slow movers: on the shelf, unsold for 7 days"),
        &[pick("门店", "Store"), pick("商品", "Product"), pick("库存", "On hand"), pick("最后卖出", "Last sold")],
        rows,
        pick("在架商品近7天都有卖出", "Everything on the shelf sold in the last 7 days"),
    ))
}

/// One of the dashboard's tables as CSV: (file name, document).
pub async fn csv(db: &Db, me: &Me, store: Option<i64>, span: Option<&str>, date: Option<&str>, key: &str, zh: bool) -> Result<(String, String), AppError> {
    let d = dashboard(db, me, store, span, date, zh, false).await?;
    let t = d.tables.into_iter().find(|t| t.key == key).ok_or_else(AppError::not_found)?;
    let scope = d.store_id.map_or_else(|| "chain".to_string(), |id| format!("store-{id}"));
    Ok((format!("linli-{}-{scope}-{}-{}.csv", t.key, d.span.as_str(), d.date), crate::shared::csv::document(&t.columns, &t.rows)))
}

/// What one pass of the rollup job did.
#[derive(Debug, Default)]
pub struct Settled {
    pub days: i64,
    pub pair_stores: i64,
}

/// Where the next pass starts among the stores, so a budget spent early in one pass is spent
/// on the next stores in the next (no store waits behind the others for ever).
static NEXT_STORE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One pass of the rollup job, in every instance: for each store (from where the last pass
/// stopped), recounts the settled days whose orders changed since they were counted, then
/// counts the oldest run of days that is missing or due a recount, within `budget_days` in
/// all; and refreshes its bought-together pairs hourly. Each run is written whole in one
/// transaction; two instances on the same days queue on their `insight_settled` rows.
pub async fn settle_due(db: &Db, budget_days: i64) -> Result<Settled, AppError> {
    let now = now_ms();
    let today = local_time(now).day;
    let mut done = Settled::default();
    let stores = crate::stores::list_active(&db.pool).await?;
    let start = NEXT_STORE.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % stores.len().max(1);
    for s in stores.iter().cycle().skip(start).take(stores.len()) {
        if done.days < budget_days {
            done.days += settle_store(db, s.id, now, today, budget_days - done.days).await?;
        }
        if store::pairs_counted_at(&db.pool, s.id).await?.is_none_or(|at| at < now - 3_600_000) {
            let mut tx = db.begin_write().await?;
            let counted = store::refresh_pairs(&mut tx, s.id, now - 28 * DAY_MS, now - 3_600_000, now).await?;
            tx.commit().await?;
            done.pair_stores += i64::from(counted);
        }
    }
    Ok(done)
}

/// The days of one store the job counts in this pass (at most `budget` days): how many.
async fn settle_store(db: &Db, store_id: i64, now: i64, today: i64, budget: i64) -> Result<i64, AppError> {
    let Some(first) = store::first_day(&db.pool, store_id).await? else { return Ok(0) };
    let yesterday = today - 1;
    if first > yesterday {
        return Ok(0);
    }
    let mut counted = 0;
    // Orders handed over, missed or decided after their day was counted: whenever it was.
    for d in store::changed_days(&db.pool, store_id, now - 2 * DAY_MS).await?.into_iter().filter(|d| *d <= yesterday).take(budget as usize) {
        settle(db, store_id, d, d).await?;
        counted += 1;
    }
    let settled = store::settled(&db.pool, store_id, first, yesterday).await?;
    let due = |d: i64| match settled.get(&d) {
        None => true,
        // Counted before its window closed and not in the last minutes: again (a day the job
        // missed while every instance was down gets its final count late).
        Some(at) => *at < store::day_start_ms(d + 1) + rules::SETTLE_AFTER_DAYS * DAY_MS && *at < now - RECOUNT_AFTER_MS,
    };
    if counted < budget
        && let Some(from) = (first..=yesterday).find(|d| due(*d))
    {
        let to = (from..=yesterday.min(from + RUN_DAYS.min(budget - counted) - 1)).take_while(|d| due(*d)).last().unwrap_or(from);
        settle(db, store_id, from, to).await?;
        counted += to - from + 1;
    }
    Ok(counted)
}

/// Counts a store's days `from..=to` and writes them as settled (seed-history and the job).
pub async fn settle(db: &Db, store_id: i64, from: i64, to: i64) -> Result<(), AppError> {
    // Stamped with when counting began: what changes while it runs is newer than the stamp,
    // so the next pass sees it.
    let started = now_ms();
    // Counted before the write transaction opens: never hold a pooled connection while
    // waiting for another.
    let figures = store::count_days(&db.pool, &[store_id], from, to).await?;
    let products: Vec<store::ProductDay> = store::count_product_days(&db.pool, &[store_id], from, to).await?.into_iter().map(|(_, p)| p).collect();
    let mut tx = db.begin_write().await?;
    store::write_days(&mut tx, store_id, from, to, &figures, &products, started).await?;
    tx.commit().await?;
    Ok(())
}
