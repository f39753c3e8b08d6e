//! Markdown types shared with the browser and the JSON API.
use serde::{Deserialize, Serialize};

/// One tier of a rule: from `from` (HH:MM, store time) the rule's categories sell at
/// `percent_off` off (20 = 8折) until the next tier or the rule's end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TierInput {
    /// "19:00".
    pub from: String,
    /// 1–90.
    pub percent_off: i64,
}

/// A markdown rule as the back office writes it: `POST /api/v1/staff/stores/{id}/markdowns`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    /// 1–12 characters: 晚市特惠.
    pub name: String,
    pub category_ids: Vec<i64>,
    /// 1–3 tiers, each later and deeper than the one before.
    pub tiers: Vec<TierInput>,
    /// When the markdown ends, "22:00" (at most "24:00"): usually closing time.
    pub until: String,
}

/// A category a rule covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleCategory {
    pub id: i64,
    pub name: String,
}

/// A tier as stored: its window is [from, until).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Tier {
    pub from: String,
    pub until: String,
    pub percent_off: i64,
}

/// A store's markdown rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MarkdownRule {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    pub categories: Vec<RuleCategory>,
    pub tiers: Vec<Tier>,
    pub until: String,
    /// A paused rule prices nothing.
    pub active: bool,
    /// The tier in force now (percent off), if any.
    pub now_percent_off: Option<i64>,
}

/// `PUT /api/v1/staff/stores/{id}/markdowns/{rule_id}/active`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActiveInput {
    pub active: bool,
}

/// 日清报损: `POST /api/v1/staff/stores/{id}/clear-out` (with an Idempotency-Key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClearOutRequest {
    /// Units of each product to write off.
    pub items: Vec<crate::catalog::model::ItemRequest>,
}

/// What a clear-out wrote: one ledger row per product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClearedOut {
    pub products: i64,
    pub units: i64,
    pub movement_ids: Vec<i64>,
}

/// What is left on the shelf of the rules' categories (what a 日清 would write off).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Leftover {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    /// Sellable now (on hand − held for online orders): what a clear-out may take.
    pub available: i64,
    /// Its price now (the markdown included) and the shelf price.
    pub price_fen: i64,
    pub regular_price_fen: i64,
}

/// One product's markdown sales in a day, online and at the counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MarkdownSale {
    pub product_id: i64,
    pub name: String,
    pub qty: i64,
    /// What it brought in.
    pub revenue_fen: i64,
    /// What the markdown gave away against the shelf price.
    pub discount_fen: i64,
}

/// One product's write-offs in a day: 日清报损 and other 损耗.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Waste {
    pub product_id: i64,
    pub name: String,
    /// Thrown away at closing (日清报损).
    pub cleared: i64,
    /// Other write-offs that day (损耗报废, 逾期未取).
    pub spoiled: i64,
    /// Both at today's shelf price.
    pub value_fen: i64,
}

/// The day's markdown report: `GET /api/v1/staff/stores/{id}/markdowns/report?date=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MarkdownReport {
    pub store_id: i64,
    /// Store-local day, YYYY-MM-DD.
    pub date: String,
    pub sold: Vec<MarkdownSale>,
    pub wasted: Vec<Waste>,
    pub revenue_fen: i64,
    pub discount_fen: i64,
    pub wasted_units: i64,
    pub wasted_value_fen: i64,
}

/// A category the rule form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub id: i64,
    pub name: String,
}

/// The 晚市特惠 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownsView {
    pub stores: Vec<crate::stores::model::StoreChoice>,
    pub store_id: i64,
    pub store_name: String,
    /// The store's closing time, the form's default end.
    pub closes_at: String,
    pub rules: Vec<MarkdownRule>,
    pub categories: Vec<CategoryChoice>,
    /// Whether this person may write rules here (managers and the owner; staff see them).
    pub may_edit: bool,
    pub leftovers: Vec<Leftover>,
    pub report: MarkdownReport,
    /// Idempotency key for the clear-out form.
    pub key: String,
}
