use serde::{Deserialize, Serialize};

/// One store's stock at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreOverview {
    pub store_id: i64,
    pub name: String,
    pub address: String,
    pub products: i64,
    pub low_stock: i64,
    pub out_of_stock: i64,
}

/// The dashboard's period: a day, a (Monday-first) week or a calendar month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Span {
    #[default]
    Day,
    Week,
    Month,
}

impl Span {
    pub const ALL: [Span; 3] = [Span::Day, Span::Week, Span::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Span::Day => "day",
            Span::Week => "week",
            Span::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<Span> {
        Span::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One headline figure, this period and the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Kpi {
    /// Stable name: gmv, online_share, orders, average_basket, pickup_rate, repeat_rate, …
    pub key: String,
    pub label: String,
    /// As shown: yuan with two decimals, a percentage, a count, or "—".
    pub now: String,
    pub before: String,
    pub change: String,
    /// The number behind `now` (fen for money, percent for rates); null when undefined.
    pub value: Option<f64>,
    pub value_before: Option<f64>,
}

/// A table of the dashboard, exactly as shown and as its CSV.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Table {
    /// kpis, channels, daily, live, group_buys, top_revenue, top_margin, slow_movers, pairs
    pub key: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// What an empty table means, in words.
    pub empty: String,
}

/// A chart drawn on the server (SVG), with the table holding its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Chart {
    pub key: String,
    pub title: String,
    pub svg: String,
    pub table: String,
}

/// The owner's dashboard for a store or the whole chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Insights {
    /// The stores this person may see.
    pub stores: Vec<StoreName>,
    /// The store shown; null for the whole chain (the owner's default).
    pub store_id: Option<i64>,
    /// Whether the whole chain may be shown (the owner).
    pub chain: bool,
    pub scope: String,
    pub span: Span,
    /// The day the period was asked for, and the period and the one it is compared with
    /// (ISO dates, inclusive, store-local).
    pub date: String,
    /// Today, store-local (no period runs past it).
    pub today: String,
    pub from: String,
    pub to: String,
    pub prev_from: String,
    pub prev_to: String,
    pub kpis: Vec<Kpi>,
    pub charts: Vec<Chart>,
    pub tables: Vec<Table>,
}

/// A store to choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoreName {
    pub id: i64,
    pub name: String,
}

/// Tomorrow's order list (以销定采) for one store and delivery day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderList {
    pub stores: Vec<StoreName>,
    pub store_id: i64,
    pub store_name: String,
    /// The day the delivery arrives (ISO, store-local; tomorrow unless asked).
    pub for_day: String,
    pub today: String,
    /// The forecast's error over the last four weeks, weighted by units (percent).
    pub mape: Option<f64>,
    pub lines: Vec<OrderLine>,
    /// When someone last changed the quantities, and who ("11-30 18:02 刘店长").
    pub edited: Option<String>,
}

/// One product of the order list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    /// 生产者 (supplier); the printed list and the CSV are grouped by it.
    pub producer: String,
    /// Forecast units for each of the 7 days from the delivery day.
    pub next_7_days: Vec<f64>,
    /// How many days this delivery must last (its shelf life, 1–7).
    pub cover_days: i64,
    /// Forecast units over those days.
    pub forecast: f64,
    /// Units succeeded group buys will hand over by the end of those days and that have not
    /// arrived yet: bought on top of the forecast.
    pub committed: i64,
    /// Units set aside for scheduled live sessions in the coming week: they left the shelf
    /// when the session was scheduled, so `on_shelf` already leaves them out.
    pub live_set_aside: i64,
    /// What the shelf will still have when the delivery arrives (sellable now, less the
    /// forecast until then).
    pub on_shelf: i64,
    pub suggested: i64,
    /// What will be bought: the manager's number where they set one, else the suggestion.
    pub qty: i64,
    pub edited: bool,
    /// The last purchase cost booked with a delivery, per unit.
    pub unit_cost_fen: Option<i64>,
    /// This product's forecast error over the last four weeks (percent).
    pub mape: Option<f64>,
}

/// A changed quantity on the order list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanLine {
    pub product_id: i64,
    pub qty: i64,
}
