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

/// Whether the host's video reaches linli's relay (WHIP): not yet this session, on air, or
/// gone for now (the room says 主播暂时离开 and picks the video up again by itself).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum LiveVideo {
    #[default]
    None,
    OnAir,
    Away,
}

impl LiveVideo {
    pub const ALL: [LiveVideo; 3] = [LiveVideo::None, LiveVideo::OnAir, LiveVideo::Away];

    pub fn as_str(self) -> &'static str {
        match self {
            LiveVideo::None => "none",
            LiveVideo::OnAir => "on_air",
            LiveVideo::Away => "away",
        }
    }

    pub fn parse(s: &str) -> LiveVideo {
        LiveVideo::ALL.into_iter().find(|v| v.as_str() == s).unwrap_or_default()
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
    /// The host's video through linli's relay (when there is no `stream_url`).
    pub video: LiveVideo,
    /// Once ended: the recordings of what the relay carried, in order (回放).
    pub replays: Vec<LiveReplay>,
}

/// One recorded stretch of a session, played at `url` (WebM: VP8 + Opus).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveReplay {
    pub id: i64,
    pub url: String,
    /// 0 for a stretch cut short (it plays; its length is not known).
    pub duration_ms: i64,
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
    pub video: LiveVideo,
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

/// The 直播 tab: the resident's store and its sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveList {
    pub store_id: i64,
    pub store_name: String,
    pub sessions: Vec<LiveCard>,
    pub signed_in: bool,
    pub now_ms: i64,
}

/// The room `/live/{id}` as first painted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveRoom {
    pub session: LiveSession,
    pub comments: Vec<LiveComment>,
    pub share_url: String,
    pub now_ms: i64,
    /// STUN/TURN servers for the video's `RTCPeerConnection` (JSON).
    pub ice_servers: String,
    /// The signed-in reader's side; `None` for a guest.
    pub me: Option<RoomMe>,
    /// Days a pickup can be booked (today while a window is left, and the next two).
    pub pickup_days: Vec<PickupDay>,
    /// Where the store delivers this reader's live order (their last delivery address from
    /// it), when it delivers now.
    pub delivery_address: Option<String>,
    /// The reader hosts this session: the console is a tap away.
    pub host: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomMe {
    pub wallet_fen: i64,
    /// Units already bought per product in this session.
    pub bought: Vec<(i64, i64)>,
    pub reminded: bool,
    pub muted: bool,
    /// The buy form's idempotency key.
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupDay {
    pub date: String,
    pub days_ahead: i64,
    /// The store's pickup hours that day, e.g. 08:00-21:00.
    pub hours: String,
}

/// The host's console `/admin/live/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveConsole {
    pub session: LiveSession,
    pub comments: Vec<LiveComment>,
    pub share_url: String,
    pub qr_svg: String,
    pub now_ms: i64,
    /// For the camera's `RTCPeerConnection` (JSON), as in `LiveRoom`.
    pub ice_servers: String,
}

/// The back office's live page: sessions, and for a store the reader manages, its settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveOffice {
    pub sessions: Vec<LiveCard>,
    /// Stores the reader may schedule at, with their names.
    pub stores: Vec<(i64, String)>,
    pub settings: Option<LiveSettings>,
    pub now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSettings {
    pub store_id: i64,
    pub banned_words: Vec<String>,
    /// The store's staff: (id, name, may host).
    pub staff: Vec<(i64, String, bool)>,
}

/// The schedule form: the store, and its products with units free to set aside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveForm {
    pub stores: Vec<(i64, String)>,
    pub store_id: i64,
    pub products: Vec<FormProduct>,
    pub default_start: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormProduct {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub usual_price_fen: i64,
    pub available: i64,
}

/// One row of the schedule form's line-up (`items[{row}][…]`); only ticked rows count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    pub product_id: String,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub stock: String,
    #[serde(default)]
    pub limit: String,
}
