//! Stock types shared with the browser: levels, the ledger, the till and its receipts.
use crate::shared::Locale;
use crate::stores::StoreChoice;
use serde::{Deserialize, Serialize};

/// Why a store's on-hand count moved. The first four are what staff book by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum StockReason {
    /// 进货: goods arrived from the supplier or the chain's warehouse.
    Receive,
    /// 损耗/报废: spoiled, damaged, past its date.
    Loss,
    /// 盘点: the shelf was counted and the books follow the count.
    Count,
    /// 退货: sent back to the supplier.
    Return,
    /// Sold at the till.
    CounterSale,
    /// An online order handed over or delivered.
    OnlineSale,
    /// An uncollected order's units written off.
    NoShowLoss,
    /// 日清报损: what was left of the day's fresh goods at closing, thrown away.
    ClearOut,
    /// 退款: goods of a refunded till sale back on the shelf.
    CounterRefund,
    /// 直播预留: set aside for a live session's line-up.
    LiveAllot,
    /// 直播订单: a live order's units, from the allotment back into the store, held for it.
    LiveOrder,
    /// 直播结束退回: what a live session did not sell, back on the shelf.
    LiveReturn,
}

impl StockReason {
    pub const ALL: [StockReason; 12] = [
        StockReason::Receive,
        StockReason::Loss,
        StockReason::Count,
        StockReason::Return,
        StockReason::CounterSale,
        StockReason::OnlineSale,
        StockReason::NoShowLoss,
        StockReason::ClearOut,
        StockReason::CounterRefund,
        StockReason::LiveAllot,
        StockReason::LiveOrder,
        StockReason::LiveReturn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StockReason::Receive => "receive",
            StockReason::Loss => "loss",
            StockReason::Count => "count",
            StockReason::Return => "return",
            StockReason::CounterSale => "counter_sale",
            StockReason::OnlineSale => "online_sale",
            StockReason::NoShowLoss => "no_show_loss",
            StockReason::ClearOut => "clear_out",
            StockReason::CounterRefund => "counter_refund",
            StockReason::LiveAllot => "live_allot",
            StockReason::LiveOrder => "live_order",
            StockReason::LiveReturn => "live_return",
        }
    }

    pub fn parse(s: &str) -> Option<StockReason> {
        StockReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            StockReason::Receive => locale.pick("进货", "Received"),
            StockReason::Loss => locale.pick("损耗报废", "Spoiled / written off"),
            StockReason::Count => locale.pick("盘点", "Stock count"),
            StockReason::Return => locale.pick("退回供应商", "Returned to supplier"),
            StockReason::CounterSale => locale.pick("门店销售", "Sold at the counter"),
            StockReason::OnlineSale => locale.pick("线上订单", "Online order"),
            StockReason::NoShowLoss => locale.pick("逾期未取报损", "Uncollected, written off"),
            StockReason::ClearOut => locale.pick("日清报损", "Cleared out at closing"),
            StockReason::CounterRefund => locale.pick("门店退款退回", "Refunded at the counter"),
            StockReason::LiveAllot => locale.pick("直播预留", "Set aside for a live session"),
            StockReason::LiveOrder => locale.pick("直播订单", "Live order"),
            StockReason::LiveReturn => locale.pick("直播结束退回", "Back from a live session"),
        }
    }
}

/// A product's stock at a store after a movement: `POST /api/v1/staff/stores/{id}/stock`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockLevel {
    pub product_id: i64,
    pub on_hand: i64,
    /// Held for online orders not yet handed over.
    pub reserved: i64,
    /// What the storefront and the till may still sell: on hand − reserved.
    pub available: i64,
    /// The ledger row this movement wrote (none when a count matched the books).
    pub movement_id: Option<i64>,
}

/// One product's row on the stock page (and in `GET /api/v1/staff/stores/{id}/stock`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockLine {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    /// The alert threshold: available at or below this is low.
    pub low_at: i64,
    pub low: bool,
}

/// One row of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockMovement {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub product_id: i64,
    pub product: String,
    pub delta: i64,
    pub on_hand_after: i64,
    pub reason: StockReason,
    pub note: String,
    /// Who booked it (none for a resident's own action).
    pub by: Option<String>,
    pub order_id: Option<i64>,
    pub sale_id: Option<i64>,
}

/// The stock page: the store switch, every product with a shelf of its own, the latest movements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockView {
    pub stores: Vec<StoreChoice>,
    pub store_id: i64,
    pub store_name: String,
    pub lines: Vec<StockLine>,
    /// How many lines are low (out of stock included).
    pub low: usize,
    /// The store's latest movements, newest first.
    pub movements: Vec<StockMovement>,
}

/// One product's stock page: its level, the forms to book movements, its ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockItemView {
    pub store_id: i64,
    pub store_name: String,
    pub line: StockLine,
    pub movements: Vec<StockMovement>,
    /// Whether the reader may change the alert level (a manager or the owner).
    pub may_set_threshold: bool,
    /// A fresh idempotency key for the booking form.
    pub key: String,
}

/// How a walk-in customer paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum TillPayment {
    /// 现金.
    Cash,
    /// 扫码: the store's own WeChat/Alipay code; the money does not pass through Linli.
    Qr,
    /// 储值: a member's wallet, found by phone number.
    Wallet,
}

impl TillPayment {
    pub const ALL: [TillPayment; 3] = [TillPayment::Cash, TillPayment::Qr, TillPayment::Wallet];

    pub fn as_str(self) -> &'static str {
        match self {
            TillPayment::Cash => "cash",
            TillPayment::Qr => "qr",
            TillPayment::Wallet => "wallet",
        }
    }

    pub fn parse(s: &str) -> Option<TillPayment> {
        TillPayment::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            TillPayment::Cash => locale.pick("现金", "Cash"),
            TillPayment::Qr => locale.pick("扫码付", "QR code"),
            TillPayment::Wallet => locale.pick("储值余额", "Wallet"),
        }
    }
}

/// A line of a till sale as asked for: `{product_id, qty}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaleItem {
    pub product_id: i64,
    pub qty: i64,
}

/// `POST /api/v1/staff/stores/{id}/counter-sales`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CounterSaleRequest {
    pub items: Vec<SaleItem>,
    pub payment: TillPayment,
    /// The member's payment code (付款码) from their phone: required for, and only used by, a
    /// wallet payment. It pays once and lives about a minute.
    #[serde(default)]
    pub pay_code: Option<String>,
    /// 实收: the cash handed over, for a cash sale (at least the total); the receipt then
    /// prints it with 找零. Ignored for other payments.
    #[serde(default)]
    pub cash_received_fen: Option<i64>,
}

/// A product the till offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillProduct {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub price_fen: i64,
    /// The shelf price while a markdown is in force.
    pub regular_price_fen: Option<i64>,
    pub available: i64,
}

/// A line in the basket at the till, priced now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillLine {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub price_fen: i64,
    pub qty: i64,
    pub available: i64,
}

/// A receipt on the till page, and whether the reader may refund it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub receipt: Receipt,
    pub may_refund: bool,
}

/// The till page: products to tap, the basket (kept in the URL), its total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillView {
    pub stores: Vec<StoreChoice>,
    pub store_id: i64,
    pub store_name: String,
    pub products: Vec<TillProduct>,
    pub basket: Vec<TillLine>,
    pub total_fen: i64,
    /// The sale's idempotency key, from the basket's token and its lines: a double tap on 收款,
    /// or the page submitted again after Back, sells once.
    pub key: String,
    /// The basket's token, carried by every link that changes the basket.
    pub token: String,
    /// The store's latest sales, newest first.
    pub recent: Vec<SaleSummary>,
}

/// A sale in the till's recent list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleSummary {
    pub id: i64,
    pub at: String,
    pub total_fen: i64,
    pub payment: TillPayment,
    pub items: i64,
    /// What was refunded of it, if it was.
    pub refunded_fen: Option<i64>,
}

/// `POST /api/v1/staff/counter-sales/{id}/refund`: 退款, once per sale, by the store's manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TillRefundRequest {
    /// The lines and how many of each to take back; absent: the whole sale.
    #[serde(default)]
    pub items: Option<Vec<SaleItem>>,
    /// Why (up to 60 characters), kept with the refund and the ledger rows.
    #[serde(default)]
    pub note: String,
}

/// A sale's refund as its receipt shows it. The money went back the way it was paid: to the
/// member's wallet, or in cash / by QR from the till.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiptRefund {
    /// RFC 3339.
    pub at: String,
    pub amount_fen: i64,
    /// The lines taken back (qty = how many of each), at the price paid.
    pub lines: Vec<ReceiptLine>,
    /// The manager who refunded it.
    pub by: String,
    pub note: String,
    /// For a wallet sale: the member's balance after the money came back.
    pub wallet_after_fen: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceiptLine {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub qty: i64,
    pub price_fen: i64,
    /// The shelf price when this line sold at a markdown (晚市特惠); null otherwise.
    #[serde(default)]
    pub regular_price_fen: Option<i64>,
}

/// A till sale as its receipt (小票) shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub id: i64,
    /// 小票号: S + yyMMdd + the sale id (the S keeps it apart from order numbers).
    pub number: String,
    pub store_id: i64,
    pub store_name: String,
    /// RFC 3339.
    pub at: String,
    pub lines: Vec<ReceiptLine>,
    pub total_fen: i64,
    pub payment: TillPayment,
    /// The member who paid from the wallet, masked (王**), and their balance afterwards.
    pub customer: Option<String>,
    pub wallet_after_fen: Option<i64>,
    /// 实收 and 找零 of a cash sale where the cash was counted in.
    #[serde(default)]
    pub cash_received_fen: Option<i64>,
    #[serde(default)]
    pub change_fen: Option<i64>,
    /// The staff member at the till.
    pub cashier: String,
    /// 已退款: set once the sale has been refunded.
    #[serde(default)]
    pub refund: Option<ReceiptRefund>,
}
