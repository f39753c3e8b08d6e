//! The dashboard's arithmetic: which days a period covers, what each figure means, and how it
//! is shown. Pure functions, tested here; the SQL that counts lives in store.rs.
use super::model::{OrderLine, Span};
use crate::shared::time::{iso_date, parse_iso_date};
use std::collections::BTreeMap;

// The daily rollup's metrics (insight_days.metric). Money in fen, the rest are counts.
/// Takings at the till, less its refunds.
pub const GMV_COUNTER: &str = "gmv_counter";
/// Online orders that are neither group buys nor live orders.
pub const GMV_SHOP: &str = "gmv_shop";
pub const GMV_GROUP: &str = "gmv_group";
pub const GMV_LIVE: &str = "gmv_live";
pub const ORDERS_COUNTER: &str = "orders_counter";
pub const ORDERS_ONLINE: &str = "orders_online";
pub const PICKUP_ORDERS: &str = "pickup_orders";
pub const DELIVERY_ORDERS: &str = "delivery_orders";
/// Pickup orders handed over, and those never collected (no-show): the pickup rate's parts.
pub const PICKUP_DONE: &str = "pickup_done";
pub const NO_SHOW: &str = "no_show";
/// Residents who bought online that day (one per resident and day), and how many of them had
/// also bought in the 30 days before: the repeat rate's parts.
pub const BUYER_DAYS: &str = "buyer_days";
pub const RETURNING: &str = "returning_buyer_days";
pub const NEW_MEMBERS: &str = "new_group_members";
pub const NEW_RESIDENTS: &str = "new_residents";
/// 日清报损 and other write-offs (losses, no-shows written off), at the shelf price.
pub const CLEAR_OUT_FEN: &str = "clear_out_fen";
pub const LOSS_FEN: &str = "loss_fen";
/// What sold at a 晚市特惠 markdown, and what the markdown gave away.
pub const MARKDOWN_FEN: &str = "markdown_fen";
pub const MARKDOWN_OFF_FEN: &str = "markdown_off_fen";
/// Wallet top-ups taken at the store, less reversals.
pub const TOPUP_FEN: &str = "topup_fen";

// Period figures that are not daily sums: counted for the period itself (see service.rs).
pub const GB_DECIDED: &str = "gb_decided";
pub const GB_SUCCEEDED: &str = "gb_succeeded";
pub const GB_HOUSEHOLDS: &str = "gb_households";
pub const LIVE_SESSIONS: &str = "live_sessions";
pub const LIVE_VIEWERS: &str = "live_viewers";
pub const LIVE_ORDERS: &str = "live_orders";
pub const LIVE_BUYERS: &str = "live_buyers";
pub const WALLET_BALANCE: &str = "wallet_balance_fen";

/// A day is open to recomputation for this long after it ends: orders placed on it are still
/// handed over, cancelled or missed, and group-buy joins wait for their group (deadlines are
/// days away, rarely two weeks).
pub const SETTLE_AFTER_DAYS: i64 = 14;

/// Figures summed over days (and stores).
pub type Totals = BTreeMap<String, i64>;

pub fn get(t: &Totals, metric: &str) -> i64 {
    t.get(metric).copied().unwrap_or(0)
}

pub fn add(t: &mut Totals, metric: &str, v: i64) {
    if v != 0 {
        *t.entry(metric.to_string()).or_insert(0) += v;
    }
}

/// The days a period covers, inclusive, and the same stretch of the period before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub prev_from: i64,
    pub prev_to: i64,
}

/// The period of `span` holding `day`, cut at `today` (a week or month under way is compared
/// with the same number of days of the one before: 本周至今 against 上周同期).
pub fn window(span: Span, day: i64, today: i64) -> Window {
    let day = day.min(today);
    match span {
        Span::Day => Window { from: day, to: day, prev_from: day - 1, prev_to: day - 1 },
        Span::Week => {
            let from = day - i64::from(crate::shared::time::weekday(day));
            let to = (from + 6).min(today);
            Window { from, to, prev_from: from - 7, prev_to: to - 7 }
        }
        Span::Month => {
            let from = month_start(day);
            let next = month_start(from + 31);
            let to = (next - 1).min(today);
            let prev_from = month_start(from - 1);
            // The same days of last month, never running into this one (31 March → 28 Feb).
            let prev_to = (prev_from + (to - from)).min(from - 1);
            Window { from, to, prev_from, prev_to }
        }
    }
}

/// The first day of the month holding `day`.
pub fn month_start(day: i64) -> i64 {
    let iso = iso_date(day);
    parse_iso_date(&format!("{}-01", &iso[..7])).unwrap_or(day)
}

/// `part / whole` as a percentage with one decimal, or None when there is nothing to divide.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// "12.5%" or "—".
pub fn show_percent(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p:.1}%"))
}

/// Fen as yuan with two decimals, no symbol (a table's column says 元): "1234.50", "-3.00".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// The change on the period before: "↑ 12.5%", "↓ 3.0%", "持平"/"flat", or "—" when there was
/// nothing before. Arrows rather than signs, so a spreadsheet reads the cell as text.
pub fn change(now: f64, before: f64, zh: bool) -> String {
    if before == 0.0 {
        return "—".to_string();
    }
    let p = ((now - before) / before.abs() * 1000.0).round() / 10.0;
    if p > 0.0 {
        format!("↑ {p:.1}%")
    } else if p < 0.0 {
        format!("↓ {:.1}%", -p)
    } else if zh {
        "持平".to_string()
    } else {
        "flat".to_string()
    }
}

/// A figure of the dashboard: how it is shown, and its number for comparing with before.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub shown: String,
    pub value: Option<f64>,
}

fn money(fen: i64) -> Figure {
    Figure { shown: yuan(fen), value: Some(fen as f64) }
}

fn count(n: i64) -> Figure {
    Figure { shown: n.to_string(), value: Some(n as f64) }
}

fn share(part: i64, whole: i64) -> Figure {
    let p = percent(part, whole);
    Figure { shown: show_percent(p), value: p }
}

fn ratio(part: i64, whole: i64) -> Figure {
    // Households per campaign and the like: one decimal.
    if whole == 0 {
        return Figure { shown: "—".to_string(), value: None };
    }
    let v = (part as f64 * 10.0 / whole as f64).round() / 10.0;
    Figure { shown: format!("{v:.1}"), value: Some(v) }
}

fn average_fen(total: i64, n: i64) -> Figure {
    if n == 0 {
        return Figure { shown: "—".to_string(), value: None };
    }
    money((total as f64 / n as f64).round() as i64)
}

pub fn gmv_online(t: &Totals) -> i64 {
    get(t, GMV_SHOP) + get(t, GMV_GROUP) + get(t, GMV_LIVE)
}

pub fn gmv(t: &Totals) -> i64 {
    gmv_online(t) + get(t, GMV_COUNTER)
}

/// The core figures in the dashboard's order: (key, 中文, English, figure). The key is stable
/// (API and CSV readers); labels say the unit.
pub fn kpis(t: &Totals) -> Vec<(&'static str, &'static str, &'static str, Figure)> {
    let orders = get(t, ORDERS_ONLINE) + get(t, ORDERS_COUNTER);
    let pickups_decided = get(t, PICKUP_DONE) + get(t, NO_SHOW);
    let markdown_fate = get(t, MARKDOWN_FEN) + get(t, CLEAR_OUT_FEN);
    vec![
        ("gmv", "销售额（元）", "Sales (¥)", money(gmv(t))),
        ("online_share", "线上占比", "Online share", share(gmv_online(t), gmv(t))),
        ("orders", "订单数（含门店收银）", "Orders (incl. till)", count(orders)),
        ("average_basket", "客单价（元）", "Average basket (¥)", average_fen(gmv(t), orders)),
        ("pickup_orders", "自提订单", "Pickup orders", count(get(t, PICKUP_ORDERS))),
        ("delivery_orders", "配送订单", "Delivery orders", count(get(t, DELIVERY_ORDERS))),
        ("pickup_rate", "自提率（按时取走）", "Picked up", share(get(t, PICKUP_DONE), pickups_decided)),
        ("no_show_rate", "爽约率（未取）", "No-show rate", share(get(t, NO_SHOW), pickups_decided)),
        ("repeat_rate", "30天复购率", "30-day repeat rate", share(get(t, RETURNING), get(t, BUYER_DAYS))),
        ("new_members", "新入群邻居", "New group members", count(get(t, NEW_MEMBERS))),
        ("new_residents", "新注册居民", "New residents", count(get(t, NEW_RESIDENTS))),
        ("group_buys", "截单团购", "Group buys decided", count(get(t, GB_DECIDED))),
        ("group_success_rate", "成团率", "Group-buy success rate", share(get(t, GB_SUCCEEDED), get(t, GB_DECIDED))),
        ("households_per_group", "每团户数", "Households per campaign", ratio(get(t, GB_HOUSEHOLDS), get(t, GB_DECIDED))),
        ("live_sessions", "直播场次", "Live sessions", count(get(t, LIVE_SESSIONS))),
        ("live_viewers", "直播观看（峰值合计）", "Live viewers (peaks)", count(get(t, LIVE_VIEWERS))),
        ("live_orders", "直播订单", "Live orders", count(get(t, LIVE_ORDERS))),
        ("live_gmv", "直播销售额（元）", "Live sales (¥)", money(get(t, GMV_LIVE))),
        ("live_conversion", "直播转化率（下单人数/观看）", "Live conversion (buyers/viewers)", share(get(t, LIVE_BUYERS), get(t, LIVE_VIEWERS))),
        ("clear_out", "日清报损（元，按原价）", "Cleared out (¥ at shelf price)", money(get(t, CLEAR_OUT_FEN))),
        ("losses", "其他损耗（元，按原价）", "Other losses (¥ at shelf price)", money(get(t, LOSS_FEN))),
        ("markdown_sales", "晚市特惠卖出（元）", "Sold at markdown (¥)", money(get(t, MARKDOWN_FEN))),
        ("markdown_recovery", "特惠回收率（卖出/卖出+日清）", "Markdown recovery (sold / sold + cleared)", share(get(t, MARKDOWN_FEN), markdown_fate)),
        ("wallet_top_ups", "储值充值（元）", "Wallet top-ups (¥)", money(get(t, TOPUP_FEN))),
    ]
}

/// The change column: only where both periods have a number.
pub fn compare(now: &Figure, before: &Figure, zh: bool) -> String {
    match (now.value, before.value) {
        (Some(n), Some(b)) => change(n, b, zh),
        _ => "—".to_string(),
    }
}

/// A span's own words.
pub fn span_label(span: Span, zh: bool) -> &'static str {
    match (span, zh) {
        (Span::Day, true) => "日",
        (Span::Week, true) => "周",
        (Span::Month, true) => "月",
        (Span::Day, false) => "Day",
        (Span::Week, false) => "Week",
        (Span::Month, false) => "Month",
    }
}

/// The contiguous runs of days in `from..=to` that `settled` lacks: what must be counted from
/// the ledgers because the rollup job has not (yet) written them.
pub fn unsettled_runs(from: i64, to: i64, settled: &std::collections::BTreeSet<i64>) -> Vec<(i64, i64)> {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for d in from..=to {
        if settled.contains(&d) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == d => *end = d,
            _ => runs.push((d, d)),
        }
    }
    runs
}

/// Order-list lines grouped by supplier (生产者), suppliers in name order, an unnamed one last.
pub fn by_supplier(lines: &[OrderLine]) -> Vec<(String, Vec<&OrderLine>)> {
    let mut groups: BTreeMap<(bool, String), Vec<&OrderLine>> = BTreeMap::new();
    for l in lines {
        groups.entry((l.producer.trim().is_empty(), l.producer.clone())).or_default().push(l);
    }
    groups.into_iter().map(|((_, p), ls)| (p, ls)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        parse_iso_date(s).expect("a date")
    }

    #[test]
    fn a_day_is_compared_with_the_day_before() {
        let w = window(Span::Day, day("2026-12-07"), day("2026-12-07"));
        assert_eq!((w.from, w.to, w.prev_from, w.prev_to), (day("2026-12-07"), day("2026-12-07"), day("2026-12-06"), day("2026-12-06")));
    }

    #[test]
    fn a_week_under_way_is_compared_with_the_same_days_of_last_week() {
        // 2026-12-09 is a Wednesday: Monday to Wednesday against last Monday to Wednesday.
        let w = window(Span::Week, day("2026-12-09"), day("2026-12-09"));
        assert_eq!(iso_date(w.from), "2026-12-07");
        assert_eq!(iso_date(w.to), "2026-12-09");
        assert_eq!(iso_date(w.prev_from), "2026-11-30");
        assert_eq!(iso_date(w.prev_to), "2026-12-02");
        // A past week is whole.
        let w = window(Span::Week, day("2026-11-25"), day("2026-12-09"));
        assert_eq!((iso_date(w.from), iso_date(w.to)), ("2026-11-23".to_string(), "2026-11-29".to_string()));
    }

    #[test]
    fn a_month_is_compared_with_the_same_days_of_the_month_before() {
        let w = window(Span::Month, day("2026-03-31"), day("2026-04-10"));
        assert_eq!((iso_date(w.from), iso_date(w.to)), ("2026-03-01".to_string(), "2026-03-31".to_string()));
        // February has 28 days: the comparison stops at its end.
        assert_eq!((iso_date(w.prev_from), iso_date(w.prev_to)), ("2026-02-01".to_string(), "2026-02-28".to_string()));
        let w = window(Span::Month, day("2026-12-07"), day("2026-12-07"));
        assert_eq!((iso_date(w.from), iso_date(w.to)), ("2026-12-01".to_string(), "2026-12-07".to_string()));
        assert_eq!((iso_date(w.prev_from), iso_date(w.prev_to)), ("2026-11-01".to_string(), "2026-11-07".to_string()));
        // A day in the future is read as today.
        assert_eq!(window(Span::Day, day("2027-01-01"), day("2026-12-07")).from, day("2026-12-07"));
    }

    #[test]
    fn figures_are_divided_only_when_there_is_something_to_divide() {
        let mut t = Totals::new();
        add(&mut t, GMV_COUNTER, 10_000);
        add(&mut t, GMV_SHOP, 20_000);
        add(&mut t, GMV_GROUP, 6_000);
        add(&mut t, GMV_LIVE, 4_000);
        add(&mut t, ORDERS_COUNTER, 3);
        add(&mut t, ORDERS_ONLINE, 5);
        add(&mut t, PICKUP_DONE, 3);
        add(&mut t, NO_SHOW, 1);
        add(&mut t, MARKDOWN_FEN, 300);
        add(&mut t, CLEAR_OUT_FEN, 100);
        let k = kpis(&t);
        let f = |key: &str| k.iter().find(|(k, ..)| *k == key).map(|(.., f)| f.shown.clone()).expect("a figure");
        assert_eq!(f("gmv"), "400.00");
        assert_eq!(f("online_share"), "75.0%");
        assert_eq!(f("orders"), "8");
        assert_eq!(f("average_basket"), "50.00");
        assert_eq!(f("pickup_rate"), "75.0%");
        assert_eq!(f("no_show_rate"), "25.0%");
        assert_eq!(f("markdown_recovery"), "75.0%");
        assert_eq!(f("repeat_rate"), "—");
        assert_eq!(f("households_per_group"), "—");
        assert_eq!(f("live_conversion"), "—");
    }

    #[test]
    fn changes_read_as_text_and_say_when_there_is_nothing_to_compare() {
        assert_eq!(change(112.5, 100.0, true), "↑ 12.5%");
        assert_eq!(change(97.0, 100.0, true), "↓ 3.0%");
        assert_eq!(change(5.0, 5.0, true), "持平");
        assert_eq!(change(5.0, 0.0, false), "—");
        assert_eq!(yuan(-305), "-3.05");
        assert_eq!(yuan(123_450), "1234.50");
    }

    #[test]
    fn the_days_the_job_has_not_written_are_counted_in_runs() {
        let settled: std::collections::BTreeSet<i64> = [1, 2, 5].into_iter().collect();
        assert_eq!(unsettled_runs(0, 7, &settled), vec![(0, 0), (3, 4), (6, 7)]);
        assert_eq!(unsettled_runs(1, 2, &settled), vec![]);
    }
}
