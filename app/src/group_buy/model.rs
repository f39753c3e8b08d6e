//! Group-buy types shared by the pages and the JSON API.
use crate::orders::model::Payment;
use serde::{Deserialize, Serialize};

/// Where a campaign stands. The API's `status` is the snake_case name; a draft is seen only
/// by the store's people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum GroupBuyStatus {
    Draft,
    Open,
    Succeeded,
    Failed,
    Cancelled,
}

impl GroupBuyStatus {
    pub const ALL: [GroupBuyStatus; 5] =
        [GroupBuyStatus::Draft, GroupBuyStatus::Open, GroupBuyStatus::Succeeded, GroupBuyStatus::Failed, GroupBuyStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBuyStatus::Draft => "draft",
            GroupBuyStatus::Open => "open",
            GroupBuyStatus::Succeeded => "succeeded",
            GroupBuyStatus::Failed => "failed",
            GroupBuyStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<GroupBuyStatus> {
        GroupBuyStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// A store the campaign is picked up at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupStore {
    pub id: i64,
    pub name: String,
    pub address: String,
}

/// A campaign as everyone sees it: the counts are the real ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupBuy {
    pub id: i64,
    pub status: GroupBuyStatus,
    pub title: String,
    pub story: String,
    pub product_id: i64,
    pub product_name: String,
    pub unit: String,
    pub origin: String,
    /// The cover picture (the product's picture unless the campaign has its own).
    pub image_url: Option<String>,
    pub price_fen: i64,
    /// The usual shelf price, to compare.
    pub normal_price_fen: i64,
    pub min_households: i64,
    pub households: i64,
    pub units_sold: i64,
    pub max_units: Option<i64>,
    pub per_household_limit: i64,
    /// RFC 3339.
    pub deadline: String,
    pub deadline_ms: i64,
    pub deadline_extended: bool,
    /// "2026-11-26", store local.
    pub pickup_date: String,
    pub stores: Vec<GroupStore>,
    pub cancel_reason: String,
}

impl GroupBuy {
    /// Units still to be had under the cap.
    pub fn units_left(&self) -> Option<i64> {
        self.max_units.map(|m| (m - self.units_sold).max(0))
    }
}

/// A household that joined, as the join page shows it: 王** 参团2份.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Joiner {
    pub name: String,
    pub qty: i64,
    pub at: String,
}

/// The resident's own join (an order waiting for the group).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyJoin {
    pub order_id: i64,
    pub number: String,
    pub qty: i64,
    pub store_name: String,
    pub status: crate::orders::model::OrderStatus,
    pub total_fen: i64,
    pub payment: Payment,
}

/// Everything the join page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupBuyPage {
    pub group: GroupBuy,
    pub recent: Vec<Joiner>,
    pub now_ms: i64,
    /// Absent for a visitor who has not logged in.
    pub me: Option<JoinerView>,
    /// The address to share (absolute), and its QR code as SVG.
    pub share_url: String,
    pub qr_svg: String,
    /// Whether the reader works at one of the campaign's stores (links to the staff page).
    pub staff: bool,
}

/// What the signed-in reader needs to join.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinerView {
    pub joins: Vec<MyJoin>,
    pub units: i64,
    pub wallet_fen: i64,
    pub home_store_id: Option<i64>,
    /// A fresh idempotency key for the join form.
    pub key: String,
}

/// A list of campaigns with the server's clock (countdowns start from it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupBuyList {
    pub store_name: String,
    pub groups: Vec<GroupBuy>,
    pub now_ms: i64,
}

/// What a manager or the owner fills in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewGroupBuy {
    /// One store, as the API's contract names it...
    #[serde(default)]
    pub store_id: Option<i64>,
    /// ...or several stores of the chain.
    #[serde(default)]
    pub store_ids: Vec<i64>,
    pub product_id: i64,
    pub price_fen: i64,
    pub min_households: i64,
    #[serde(default)]
    pub max_units: Option<i64>,
    pub per_household_limit: i64,
    /// RFC 3339, or "2026-11-25T20:00" in store-local time.
    pub deadline: String,
    /// "2026-11-26".
    pub pickup_date: String,
    /// Defaults to "<product>·团购".
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub story: Option<String>,
    /// A picture already on this site ("/media/..."); the product's picture otherwise.
    #[serde(default)]
    pub cover_url: Option<String>,
    /// Keep it as a draft (not visible to residents) instead of publishing it at once.
    #[serde(default)]
    pub draft: bool,
}

impl NewGroupBuy {
    /// The stores named either way, each once.
    pub fn stores(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.store_id.into_iter().chain(self.store_ids.iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A join: how many, how to pay, and at which of the campaign's stores to pick up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    pub qty: i64,
    pub payment: Payment,
    /// Required when the campaign runs at several stores.
    #[serde(default)]
    pub store_id: Option<i64>,
}

/// Households and units at one store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoreTally {
    pub store_id: i64,
    pub store_name: String,
    pub households: i64,
    pub units: i64,
}

/// One line of the supplier purchase summary (以销定采): units of a product for a store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PurchaseLine {
    pub store_id: i64,
    pub store_name: String,
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub units: i64,
    pub households: i64,
}

/// The staff's view of a campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupBuyReport {
    pub group: GroupBuy,
    pub by_store: Vec<StoreTally>,
    /// Frozen when the campaign succeeded; empty before.
    pub purchases: Vec<PurchaseLine>,
    /// Nobody has joined yet: every field may still change.
    pub editable: bool,
    /// The deadline may still be moved later (once, while open).
    pub can_extend: bool,
    /// Joins the deadline job has still to confirm or refund (0 once settled).
    pub unsettled_orders: i64,
    /// Once succeeded: whether each store has booked the goods in (到货入库).
    pub arrivals: Vec<Arrival>,
    pub now_ms: i64,
}

/// A store's 到货入库 for a succeeded campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Arrival {
    pub store_id: i64,
    pub store_name: String,
    /// RFC 3339; `None` until booked in.
    pub received_at: Option<String>,
    /// The reader works at this store and it has not booked the goods in yet.
    pub may_receive: bool,
}

/// `POST /api/v1/group-buys/{id}/receive`: the goods arrived at this store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceiveGoods {
    pub store_id: i64,
}

/// The live progress a join page hears (SSE event `progress`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub id: i64,
    pub status: GroupBuyStatus,
    pub households: i64,
    pub units_sold: i64,
    pub deadline: String,
    pub recent: Vec<Joiner>,
}

/// A product the campaign form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChoice {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub price_fen: i64,
}

/// What the campaign form needs: the stores the asker may run campaigns for, and products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignForm {
    pub stores: Vec<GroupStore>,
    pub products: Vec<ProductChoice>,
    /// Defaults: a deadline two days out at 20:00, pickup the day after.
    pub default_deadline: String,
    pub default_pickup_date: String,
}
