//! Live-session types shared by the pages and the JSON API.
use crate::orders::model::{FulfillmentRequest, Payment};
use serde::{Deserialize, Serialize};

/// Where a session stands: scheduled (预告), live (直播中), ended (已结束).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum LiveStatus {
    Scheduled,
    Live,
    Ended,
}

impl LiveStatus {
    pub const ALL: [LiveStatus; 3] = [LiveStatus::Scheduled, LiveStatus::Live, LiveStatus::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            LiveStatus::Scheduled => "scheduled",
            LiveStatus::Live => "live",
            LiveStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<LiveStatus> {
        LiveStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// `POST /api/v1/live-sessions`: a session and its line-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewLiveSession {
    pub store_id: i64,
    pub title: String,
    /// RFC 3339, or a form's store-local `2026-12-05T19:30`.
    pub starts_at: String,
    /// An HLS playback address (https://…m3u8) while linli does not carry the video itself.
    #[serde(default)]
    pub stream_url: Option<String>,
    /// A picture already uploaded (`/media/{id}`).
    #[serde(default)]
    pub cover_url: Option<String>,
    pub items: Vec<NewLiveItem>,
}

/// One product of the line-up: its live price, the units set aside from the shelf for the
/// session (`stock`), and how many one resident may buy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewLiveItem {
    pub product_id: i64,
    pub live_price_fen: i64,
    pub stock: i64,
    pub per_user_limit: i64,
}

/// A session as the room, the console and `GET /api/v1/live-sessions/{id}` show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveSession {
    pub id: i64,
    pub store_id: i64,
    pub store_name: String,
    pub title: String,
    pub cover_url: Option<String>,
    pub stream_url: Option<String>,
    pub status: LiveStatus,
    /// RFC 3339.
    pub starts_at: String,
    pub starts_at_ms: i64,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub pinned_product_id: Option<i64>,
    pub items: Vec<LiveItem>,
    /// Orders taken in the session and their goods' worth (GMV), in fen.
    pub orders: i64,
    pub gmv_fen: i64,
}

/// One line of the line-up as it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveItem {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub image_url: Option<String>,
    pub live_price_fen: i64,
    /// The shelf's usual price, struck through next to the live one.
    pub usual_price_fen: i64,
    pub allotted: i64,
    pub sold: i64,
    pub remaining: i64,
    pub per_user_limit: i64,
}

/// What the room's stream carries on every change: status, pin and units left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveState {
    pub id: i64,
    pub status: LiveStatus,
    pub pinned_product_id: Option<i64>,
    pub remaining: Vec<UnitsLeft>,
}

/// Units left of one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitsLeft {
    pub product_id: i64,
    pub remaining: i64,
}

/// `POST /api/v1/live-sessions/{id}/pin`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PinRequest {
    pub product_id: i64,
}

/// `POST /api/v1/live-sessions/{id}/orders`: 抢购 at the live price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveOrderRequest {
    pub product_id: i64,
    pub qty: i64,
    pub fulfillment: FulfillmentRequest,
    pub payment: Payment,
}
