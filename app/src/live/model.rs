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
    /// Watching now (every instance's open rooms) and the most at once.
    pub viewers: i64,
    pub viewers_peak: i64,
    /// One comment per this many seconds per viewer; 0 when slow mode is off.
    pub slow_mode_secs: i64,
    /// The comment the host pinned under the video.
    pub pinned_comment: Option<LiveComment>,
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
    pub viewers: i64,
    pub viewers_peak: i64,
    pub slow_mode_secs: i64,
    pub pinned_comment: Option<LiveComment>,
    /// Orders and GMV so far, for the host's console.
    pub orders: i64,
    pub gmv_fen: i64,
}

/// A comment in the room. The author is shown masked (张*); nothing in it is HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveComment {
    pub id: i64,
    pub author: String,
    pub text: String,
    /// Written by one of the store's hosts (主播).
    pub host: bool,
    /// RFC 3339.
    pub at: String,
}

/// The `viewers` event: watching now and the peak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Viewers {
    pub viewers: i64,
    pub viewers_peak: i64,
}

/// The `hidden` event: a comment the host took down, to drop from every room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Hidden {
    pub comment_id: i64,
}

/// `POST /api/v1/live-sessions/{id}/comments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentRequest {
    pub text: String,
}

/// `POST /api/v1/live-sessions/{id}/mutes`: the viewer to mute, by account or by one of
/// their comments (the room shows no account ids, so the console mutes by comment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MuteRequest {
    #[serde(default)]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub comment_id: Option<i64>,
}

/// `PUT /api/v1/live-sessions/{id}/slow-mode`: 0 turns it off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlowModeRequest {
    pub seconds: i64,
}

/// `POST /api/v1/live-sessions/{id}/pinned-comment`: `null` unpins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PinCommentRequest {
    pub comment_id: Option<i64>,
}

/// A store's banned words (`GET`/`PUT /api/v1/staff/stores/{id}/live-banned-words`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BannedWords {
    pub words: Vec<String>,
}

/// Staff of a store its managers let host (`GET`/`PUT /api/v1/staff/stores/{id}/live-hosts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveHosts {
    pub user_ids: Vec<i64>,
}

/// A session in a list (the 直播 tab, the back office).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveCard {
    pub id: i64,
    pub store_id: i64,
    pub title: String,
    pub cover_url: Option<String>,
    pub status: LiveStatus,
    pub starts_at: String,
    pub starts_at_ms: i64,
    pub ended_at: Option<String>,
    /// Products in the line-up, and the first few's pictures.
    pub products: i64,
    pub pictures: Vec<String>,
    pub viewers: i64,
    /// The signed-in resident asked to be told when it starts.
    pub reminded: bool,
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
