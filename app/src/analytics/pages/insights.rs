//! 经营分析 (`/admin/insights`): the owner's figures of the 店-群-播 model for a store or the
//! whole chain, by day, week or month against the period before. The period is a plain GET
//! form and every link is an address, so it works before (and without) the WASM; charts
//! arrive as SVG drawn on the server, each with its table, and every table downloads as CSV.
use crate::analytics::api::load_insights;
use crate::analytics::model::{Chart, Insights, Kpi, Span, Table};
use crate::ui::{store_chips, use_locale, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Tables longer than this start folded.
const LONG_TABLE: usize = 12;

/// The period as the address has it: (store, span, date).
type Args = (Option<i64>, Option<String>, Option<String>);

fn address(store: Option<i64>, span: Span, date: &str) -> String {
    let store = store.map(|s| format!("store={s}&")).unwrap_or_default();
    format!("/admin/insights?{store}span={}&date={date}", span.as_str())
}

#[component]
pub fn InsightsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let args = Memo::new(move |_| -> Args {
        let q = query.read();
        let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        (text("store").and_then(|s| s.parse().ok()), text("span"), text("date"))
    });
    let data = Resource::new(move || args.get(), |(store, span, date)| load_insights(store, span, date));
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("经营分析", "Insights")}</h1>
        </header>
        <PeriodForm args=args/>
        <OfficePage title=locale.pick("经营分析", "Insights") data=data let:v>
            <Dashboard v=v/>
        </OfficePage>
    }
}

/// 日 / 周 / 月 and the day: what was typed stays in the form, also when the server refuses it.
#[component]
fn PeriodForm(args: Memo<Args>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <form method="get" action="/admin/insights" class="insight-period no-print">
            {move || args.get().0.map(|s| view! { <input type="hidden" name="store" value=s.to_string()/> })}
            <fieldset class="segmented">
                <legend class="visually-hidden">{locale.pick("统计周期", "Period")}</legend>
                {Span::ALL.into_iter().map(|s| {
                    let checked = move || args.get().1.as_deref().and_then(Span::parse).unwrap_or_default() == s;
                    view! {
                        <label class="segment">
                            <input type="radio" name="span" value=s.as_str() prop:checked=checked checked=checked/>
                            <span>{crate::analytics::rules::span_label(s, locale == crate::shared::Locale::Zh)}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="insight-date">
                <span class="visually-hidden">{locale.pick("日期", "Date")}</span>
                <input type="date" name="date" prop:value=move || args.get().2.unwrap_or_default() value=move || args.get().2.unwrap_or_default()/>
            </label>
            <button type="submit" class="btn btn-primary">{locale.pick("查看", "Show")}</button>
        </form>
    }
}

#[component]
fn Dashboard(v: Insights) -> impl IntoView {
    let locale = use_locale();
    let Insights { stores, store_id, chain, scope, span, date, today, from, to, prev_from, prev_to, kpis, charts, tables } = v;
    let mut chips: Vec<(i64, String)> = stores.iter().map(|s| (s.id, s.name.clone())).collect();
    if chain {
        chips.insert(0, (0, locale.pick("全部门店", "All stores").to_string()));
    }
    let here = date.clone();
    let chip_href = move |id: i64| address((id != 0).then_some(id), span, &here);
    let csv = {
        let date = date.clone();
        move |key: &str| {
            let store = store_id.map(|s| format!("&store={s}")).unwrap_or_default();
            format!("/api/v1/insights.csv?table={key}&span={}&date={date}{store}", span.as_str())
        }
    };
    let period = if from == to { from.clone() } else { format!("{from} ~ {to}") };
    let before = if prev_from == prev_to { prev_from.clone() } else { format!("{prev_from} ~ {prev_to}") };
    let earlier = crate::shared::time::parse_iso_date(&from).map(|d| crate::shared::time::iso_date(d - 1));
    let later = crate::shared::time::parse_iso_date(&to).map(|d| crate::shared::time::iso_date(d + 1));
    let later = later.filter(|d| *d <= today);
    let mut tables: std::collections::HashMap<String, Table> = tables.into_iter().map(|t| (t.key.clone(), t)).collect();
    let mut take = move |key: &str| tables.remove(key);
    let chart = |key: &str| charts.iter().find(|c| c.key == key).cloned();
    let headline = ["gmv", "online_share", "orders", "average_basket", "pickup_rate", "repeat_rate"];
    let cards: Vec<Kpi> = headline.iter().filter_map(|k| kpis.iter().find(|x| x.key == *k).cloned()).collect();
    view! {
        {store_chips(chips, store_id.unwrap_or(0), chip_href)}
        <p class="insight-scope">
            <strong>{scope}</strong> " · " <span class="num">{period}</span>
            <span class="muted">" " {locale.pick("对比", "vs")} " " <span class="num">{before}</span></span>
        </p>
        <nav class="insight-steps no-print">
            {earlier.map(|d| view! { <a class="btn btn-small btn-secondary" href=address(store_id, span, &d)>{locale.pick("‹ 上一期", "‹ Earlier")}</a> })}
            {later.map(|d| view! { <a class="btn btn-small btn-secondary" href=address(store_id, span, &d)>{locale.pick("下一期 ›", "Later ›")}</a> })}
        </nav>
        <ul class="kpi-cards">
            {cards.into_iter().map(|k| {
                let (up, down) = (k.change.starts_with('↑'), k.change.starts_with('↓'));
                view! {
                <li class="kpi-card">
                    <span class="kpi-label">{k.label}</span>
                    <strong class="kpi-value num">{k.now}</strong>
                    <span class="kpi-change num" class:up=up class:down=down>{k.change}</span>
                </li>
            }}).collect_view()}
        </ul>
        {take("kpis").map(|t| view! { <FigureTable t=t csv=csv("kpis")/> })}
        {take("channels").map(|t| view! { <FigureTable t=t csv=csv("channels")/> })}
        {chart("sales").map(|c| view! { <ChartFigure c=c legend=vec![
            locale.pick("门店收银", "Till"), locale.pick("线上商城", "Storefront"), locale.pick("社区团购", "Group buys"), locale.pick("直播", "Live")]/> })}
        {chart("fulfilment").map(|c| view! { <ChartFigure c=c legend=vec![locale.pick("自提", "Pickup"), locale.pick("配送", "Delivery")]/> })}
        {take("daily").map(|t| view! { <FigureTable t=t csv=csv("daily")/> })}
        {take("live").map(|t| view! { <FigureTable t=t csv=csv("live")/> })}
        {take("group_buys").map(|t| view! { <FigureTable t=t csv=csv("group_buys")/> })}
        {chart("products").map(|c| view! { <ChartFigure c=c legend=vec![]/> })}
        {take("top_revenue").map(|t| view! { <FigureTable t=t csv=csv("top_revenue")/> })}
        {take("top_margin").map(|t| view! { <FigureTable t=t csv=csv("top_margin")/> })}
        {take("slow_movers").map(|t| view! { <FigureTable t=t csv=csv("slow_movers")/> })}
        {take("pairs").map(|t| view! { <FigureTable t=t csv=csv("pairs")/> })}
        <p class="hint">{locale.pick(
            "以前的日子按每日汇总读取，今天和还没汇总的日子直接从账上算；近14天的汇总每10分钟重算一次（订单还会取货、取消或爽约）。",
            "Past days are read from the daily rollups, today and any day not yet rolled up straight from the ledgers; the last 14 days are recounted every 10 minutes (orders are still collected, cancelled or missed).",
        )}</p>
    }
}

/// A chart with its legend; the figures are in the table that follows it.
#[component]
fn ChartFigure(c: Chart, legend: Vec<&'static str>) -> impl IntoView {
    let locale = use_locale();
    let colours = ["#2e9e5b", "#f28c28", "#3b7dd8", "#8e5cc4"];
    let label = format!("{}{}", c.title, locale.pick("（数字见下表）", " (figures in the table below)"));
    view! {
        <figure class="chart card">
            <figcaption>
                <span class="chart-title">{c.title}</span>
                <span class="chart-legend">
                    {legend.into_iter().enumerate().map(|(i, l)| view! {
                        <span class="legend-item"><span class="swatch" style=format!("background:{}", colours[i % colours.len()])></span>{l}</span>
                    }).collect_view()}
                </span>
            </figcaption>
            <div class="chart-svg" role="img" aria-label=label inner_html=c.svg></div>
        </figure>
    }
}

#[component]
fn FigureTable(t: Table, csv: String) -> impl IntoView {
    let locale = use_locale();
    let Table { key, title, columns, rows, empty } = t;
    view! {
        <section class="office-section insight-table" id=format!("t-{key}")>
            <div class="section-head">
                <h2 class="section-title">{title.clone()}</h2>
                <a class="btn btn-small btn-secondary no-print" href=csv download="" aria-label=format!("{}{}{title}{}", locale.pick("导出 CSV", "CSV"), locale.pick("（", " ("), locale.pick("）", ")"))>{locale.pick("导出 CSV", "CSV")}</a>
            </div>
            {if rows.is_empty() {
                view! { <p class="empty-state">{empty}</p> }.into_any()
            } else {
                let n = rows.len();
                let grid = view! {
                    // A wide table scrolls inside its box; the box takes focus so a keyboard can scroll it.
                    <div class="table-scroll" tabindex="0" role="region" aria-label=title.clone()>
                        <table class="office-table insight-grid">
                            <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>{r.into_iter().enumerate().map(|(i, cell)| if i == 0 {
                                        view! { <th scope="row">{cell}</th> }.into_any()
                                    } else {
                                        // Figures line up on the right, words (a product, a result) read from the left.
                                        let figure = cell == "—" || cell.trim_start_matches(['↑', '↓', ' ', '-']).trim_end_matches('%').parse::<f64>().is_ok();
                                        view! { <td class:num=figure>{cell}</td> }.into_any()
                                    }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                };
                // A long list (a month of days, every slow mover) folds away so the page stays
                // a page on a phone; the CSV has it all the same.
                if n > LONG_TABLE && key != "kpis" {
                    view! {
                        <details class="table-more">
                            <summary class="btn btn-quiet btn-small">{format!("{}{n}{}", locale.pick("共", ""), locale.pick("行，点开看全部", " rows — show all"))}</summary>
                            {grid}
                        </details>
                    }.into_any()
                } else {
                    grid.into_any()
                }
            }}
        </section>
    }
}
