//! Order types shared by the pages and the JSON API.
use crate::shared::Msg;
use serde::{Deserialize, Serialize};

/// Where an order stands. The API's `status` is the snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum OrderStatus {
    AwaitingGroup,
    Placed,
    Accepted,
    Picking,
    Ready,
    OutForDelivery,
    Completed,
    Cancelled,
    NoShow,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 9] = [
        OrderStatus::AwaitingGroup,
        OrderStatus::Placed,
        OrderStatus::Accepted,
        OrderStatus::Picking,
        OrderStatus::Ready,
        OrderStatus::OutForDelivery,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
        OrderStatus::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingGroup => "awaiting_group",
            OrderStatus::Placed => "placed",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Picking => "picking",
            OrderStatus::Ready => "ready",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The words residents know from other shop apps: 待接单, 拣货中, 待自提…
    pub fn label(self, delivery: bool) -> Msg {
        match self {
            OrderStatus::AwaitingGroup => Msg::StatusAwaitingGroup,
            OrderStatus::Placed => Msg::StatusPlaced,
            OrderStatus::Accepted => Msg::StatusAccepted,
            OrderStatus::Picking => Msg::StatusPicking,
            OrderStatus::Ready if delivery => Msg::StatusAwaitingRider,
            OrderStatus::Ready => Msg::StatusReady,
            OrderStatus::OutForDelivery => Msg::StatusOutForDelivery,
            OrderStatus::Completed => Msg::StatusCompleted,
            OrderStatus::Cancelled => Msg::StatusCancelled,
            OrderStatus::NoShow => Msg::StatusNoShow,
        }
    }

    /// Whether the order still holds stock and its pickup code.
    pub fn is_open(self) -> bool {
        !matches!(self, OrderStatus::Completed | OrderStatus::Cancelled | OrderStatus::NoShow)
    }
}

/// How the resident gets the goods, as asked for: `fulfillment` in `POST /api/v1/orders`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FulfillmentRequest {
    /// 到店自提 on `pickup_date` ("2026-11-22"), in `window` ("17:00-18:00") or, without
    /// one, any time in the store's pickup hours that day.
    Pickup {
        pickup_date: String,
        #[serde(default)]
        window: Option<String>,
    },
    /// 配送 to `address` at (`lat`, `lng`); `slot` is "asap" (尽快, 30 min–2 h) or a window
    /// today such as "18:00-19:00".
    Delivery { address: String, lat: f64, lng: f64, slot: String },
}

/// How the resident pays: from the wallet now, or at the store / the door.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Payment {
    Wallet,
    OnPickup,
}

impl Payment {
    pub fn as_str(self) -> &'static str {
        match self {
            Payment::Wallet => "wallet",
            Payment::OnPickup => "on_pickup",
        }
    }

    pub fn parse(s: &str) -> Option<Payment> {
        match s {
            "wallet" => Some(Payment::Wallet),
            "on_pickup" => Some(Payment::OnPickup),
            _ => None,
        }
    }
}

pub use crate::catalog::model::ItemRequest;

/// `POST /api/v1/orders`. Prices are never part of it: the server prices every line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlaceOrder {
    pub store_id: i64,
    pub items: Vec<ItemRequest>,
    pub fulfillment: FulfillmentRequest,
    pub payment: Payment,
    /// A note to the store (切块, 不要香菜), at most 100 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// One summary line: goods, the pickup discount, the delivery fee — each shown on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Quote {
    pub goods_fen: i64,
    /// 到店自提优惠, taken off the goods.
    pub discount_fen: i64,
    pub delivery_fee_fen: i64,
    pub total_fen: i64,
    /// How much more goods the pickup discount needs (再买¥7.50可享); 0 when it applies.
    #[serde(default)]
    pub discount_short_fen: i64,
}

/// How the order is fulfilled, as placed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Fulfillment {
    Pickup {
        pickup_date: String,
        window_from: String,
        window_until: String,
    },
    Delivery {
        address: String,
        lat: f64,
        lng: f64,
        distance_m: u32,
        /// "asap" or a window such as "18:00-19:00".
        slot: String,
    },
}

impl Fulfillment {
    pub fn is_delivery(&self) -> bool {
        matches!(self, Fulfillment::Delivery { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderItem {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub price_fen: i64,
    pub qty: i64,
    pub line_fen: i64,
}

/// One status change in the order's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderEvent {
    pub status: OrderStatus,
    /// RFC 3339.
    pub at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// An order as its resident sees it: `GET /api/v1/orders/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: i64,
    /// 订单号, e.g. 26112200042.
    pub number: String,
    pub status: OrderStatus,
    pub store_id: i64,
    pub store_name: String,
    pub store_address: String,
    pub store_phone: String,
    pub items: Vec<OrderItem>,
    pub goods_fen: i64,
    pub discount_fen: i64,
    pub delivery_fee_fen: i64,
    pub total_fen: i64,
    pub payment: Payment,
    /// Taken from the wallet (0 when paying at pickup).
    pub paid_fen: i64,
    pub fulfillment: Fulfillment,
    pub note: String,
    /// The 6-digit code shown at the pickup desk (or to the rider) while the order is open.
    pub pickup_code: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub events: Vec<OrderEvent>,
    /// Whether the resident may still cancel (the store has not started picking).
    pub cancellable: bool,
    /// The group buy this order joined (leaving it happens on the campaign's page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_buy_id: Option<i64>,
    /// Where a ready pickup order waits at the desk ("A-12").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_slot: Option<String>,
    /// The store's opening hours, "08:00-21:00".
    pub store_hours: String,
    /// When a delivery should arrive, "18:15-18:25" (store local time), while it is on its way
    /// or booked; absent for pickup and closed orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_eta: Option<String>,
}

/// A status change as event streams carry it (`data:` of an SSE `status` event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub order_id: i64,
    pub status: OrderStatus,
    /// RFC 3339.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_slot: Option<String>,
    /// Whether this is a new order (the queue's cue).
    #[serde(default)]
    pub new: bool,
}

/// `POST /api/v1/staff/orders/{id}/transition`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransitionRequest {
    pub to: OrderStatus,
    /// Required when the store cancels: the resident is told why (at most 60 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/staff/stores/{store_id}/pickups/verify`, and a rider's delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    pub code: String,
}

/// An order as staff see it in the queue, at the desk and on a rider's list: the resident
/// only as a masked name and the phone's last four digits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffOrder {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub store_id: i64,
    pub delivery: bool,
    /// 王**
    pub customer: String,
    pub phone_tail: String,
    pub customer_id: i64,
    /// Pickup day ("2026-11-22") and window ("17:00-18:00"); for delivery the slot or 尽快 ("asap").
    pub pickup_date: Option<String>,
    pub window: String,
    pub address: Option<String>,
    pub shelf_slot: Option<String>,
    pub items: Vec<OrderItem>,
    pub item_count: i64,
    pub total_fen: i64,
    pub payment: Payment,
    /// To collect at hand-over or at the door (0 when paid from the wallet).
    pub due_fen: i64,
    pub note: String,
    pub customer_notes: Vec<crate::accounts::model::CustomerNote>,
    /// RFC 3339.
    pub created_at: String,
    /// The queue's one-tap next status, if any.
    pub next: Option<OrderStatus>,
    /// A no-show whose units wait for 退回货架 or 记损耗.
    pub awaiting_stock_decision: bool,
}

/// The day's pick list (拣货单): units per product over the orders still to pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PickLine {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub qty: i64,
    /// In how many orders.
    pub orders: i64,
}

/// A resident's notification (the bell).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    /// The order status it announces.
    pub status: OrderStatus,
    /// What happened: the status, or a group buy's outcome (`group_succeeded`, `group_failed`,
    /// `group_cancelled`).
    pub kind: String,
    pub delivery: bool,
    /// RFC 3339.
    pub at: String,
    pub read: bool,
    /// `live_started`: the session a resident asked to be reminded of, and its title; also
    /// `group_live`: a session of their group's store went live.
    pub live_session_id: Option<i64>,
    pub live_title: Option<String>,
    /// `group_buy_new`: a new group buy at their group's store, and its title.
    #[serde(default)]
    pub group_buy_id: Option<i64>,
    #[serde(default)]
    pub group_buy_title: Option<String>,
    /// `group_announcement`: the store's announcement in its group, and its first words.
    #[serde(default)]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub post_excerpt: Option<String>,
}

/// A line of `GET /api/v1/orders`: enough for the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub store_name: String,
    pub delivery: bool,
    pub total_fen: i64,
    pub item_count: i64,
    /// The first items' names, for the list ("西红柿、鸡蛋 等3件").
    pub first_items: Vec<String>,
    pub pickup_date: Option<String>,
    pub created_at: String,
}

pub use crate::catalog::model::ShortItem;

/// A pickup day and window offered at checkout; `value` is what the form posts
/// ("2026-11-22|17:00-18:00").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupChoice {
    pub value: String,
    pub date: String,
    /// 0 today, 1 tomorrow, 2 the day after.
    pub days_ahead: i64,
    pub window: String,
}

/// An estate the store may deliver to, with its distance and fee (`None`: outside the area).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryPoint {
    pub community_id: i64,
    pub name: String,
    pub district: String,
    pub distance_m: u32,
    pub fee_fen: Option<i64>,
}

/// Everything the checkout page shows, priced on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub store: crate::stores::Store,
    pub cart: crate::cart::model::Cart,
    pub pickup_choices: Vec<PickupChoice>,
    pub pickup_quote: Quote,
    /// "asap" or "18:00-19:00".
    pub delivery_slots: Vec<String>,
    pub delivery_points: Vec<DeliveryPoint>,
    pub wallet_fen: i64,
    /// A fresh idempotency key for this checkout: a double tap or a resent form places one order.
    pub key: String,
    /// The cart's signature as shown: the order goes through only if the cart still matches.
    pub cart_sig: String,
}

/// The order page: the order and its pickup code as a QR image (SVG, made on the server).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderPage {
    pub order: Order,
    pub qr_svg: Option<String>,
}

pub use crate::stores::model::StoreChoice;

/// The queue page: the stores to switch between, the chosen one, its orders as filtered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub stores: Vec<StoreChoice>,
    pub store_id: i64,
    pub store_name: String,
    pub orders: Vec<StaffOrder>,
    /// Today in the store's time, "2026-11-22".
    pub today: String,
}

/// The pick list page: per-product totals and the orders behind them (for shelf labels).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickListView {
    pub store_id: i64,
    pub store_name: String,
    pub date: String,
    pub lines: Vec<PickLine>,
    pub orders: Vec<StaffOrder>,
}

/// The pickup desk: the ready orders, and the one found (by code, scan or phone tail).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskView {
    pub stores: Vec<StoreChoice>,
    pub store_id: i64,
    pub store_name: String,
    pub ready: Vec<StaffOrder>,
    pub found: Option<StaffOrder>,
    /// Whether this clerk checked the found order's code lately: 确认取货 needs nothing more.
    pub found_verified: bool,
    /// Whether this person may hand over without a code (a manager, the owner), audited.
    pub may_override: bool,
    /// The order just handed over, for the confirmation line.
    pub handed_over: Option<String>,
}

/// The placed event's reason when LBS 分单 moved the order: this prefix, then the name of the
/// store the resident had chosen.
pub const ROUTED_FROM: &str = "routed_from:";
