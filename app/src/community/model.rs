//! The store's group as the pages and `/api/v1/stores/{store_id}/community/...` show it.
use serde::{Deserialize, Serialize};

/// What a post is: a member's (or the store's) post, an announcement, 今日鲜货, a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum PostKind {
    Post,
    Announcement,
    Arrivals,
    Poll,
}

impl PostKind {
    pub const ALL: [PostKind; 4] = [PostKind::Post, PostKind::Announcement, PostKind::Arrivals, PostKind::Poll];

    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Announcement => "announcement",
            PostKind::Arrivals => "arrivals",
            PostKind::Poll => "poll",
        }
    }

    pub fn parse(s: &str) -> Option<PostKind> {
        PostKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `POST /api/v1/stores/{store_id}/community/members`: joining, with the name the group sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    /// 王阿姨: 1–10 characters.
    pub display_name: String,
    /// 小区/楼栋: 嘉绿苑, 嘉绿苑3幢 — 1–15 characters.
    pub estate: String,
}

/// A member as the group and the store see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    pub estate: String,
    /// 王阿姨(嘉绿苑).
    pub label: String,
    /// RFC 3339.
    pub joined_at: String,
    /// Until when they may only read (RFC 3339), and the store's reason.
    pub muted_until: Option<String>,
    pub muted_reason: Option<String>,
    /// Their posts and comments still shown (counted in the members list; null elsewhere), and
    /// when they last wrote.
    pub posts: Option<i64>,
    pub comments: Option<i64>,
    pub last_active_at: String,
}

/// The reader's place in a store's group (`GET .../community/members/me`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Membership {
    pub store_id: i64,
    pub store_name: String,
    /// A member now (not left, not removed).
    pub member: Option<Member>,
    /// The store removed them: they cannot join again by themselves.
    pub removed: bool,
    /// Staff who may moderate this store's group and post for the store.
    pub moderator: bool,
    pub members: i64,
    /// A member's switches for the bell.
    pub notify: Option<NotifyPrefs>,
}

/// What a member wants in the bell from the group (`PUT .../community/members/me/notifications`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotifyPrefs {
    /// The store's announcements.
    pub announcements: bool,
    /// A live session of the store going live.
    pub live: bool,
    /// A new group buy at the store.
    pub group_buys: bool,
}

/// A post's photo at both sizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostPhoto {
    pub card_url: String,
    pub large_url: String,
}

/// A product a post shows: 晒单's product, or one of 今日鲜货, at today's price here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostProduct {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub image_url: Option<String>,
    /// None when the store no longer sells it.
    pub price_fen: Option<i64>,
}

/// A poll's choice; `votes` only once the reader may see the results (voted, closed, staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PollOption {
    pub id: i64,
    pub label: String,
    pub votes: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Poll {
    pub multiple: bool,
    /// RFC 3339.
    pub closes_at: String,
    pub closes_at_ms: i64,
    pub closed: bool,
    pub options: Vec<PollOption>,
    /// The reader's choices (empty: not voted).
    pub voted: Vec<i64>,
    /// Members who voted (shown with the results).
    pub voters: Option<i64>,
}

/// A post in the feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: i64,
    pub store_id: i64,
    pub kind: PostKind,
    /// 王阿姨(嘉绿苑), or the store's name for the store's posts.
    pub author: String,
    pub by_store: bool,
    /// Written by the reader.
    pub mine: bool,
    /// Plain text; never HTML.
    pub body: String,
    pub photos: Vec<PostPhoto>,
    /// 晒单: the product the author bought here (已购).
    pub product: Option<PostProduct>,
    /// 今日鲜货's products.
    pub products: Vec<PostProduct>,
    pub poll: Option<Poll>,
    pub pinned: bool,
    /// RFC 3339.
    pub created_at: String,
    pub created_at_ms: i64,
    pub likes: i64,
    pub liked: bool,
    pub comments: i64,
    /// Only the author (and staff) see a hidden post, with the store's reason.
    pub hidden_reason: Option<String>,
}

impl Post {
    /// Changes whenever anything the reader sees of the post does: a list keyed by it redraws
    /// exactly the posts that changed, and a row never inherits another post's open form.
    pub fn version(&self) -> (i64, i64, bool, i64, bool, bool, usize, Option<i64>) {
        let poll = self.poll.as_ref();
        (self.id, self.likes, self.liked, self.comments, self.pinned, self.hidden_reason.is_some(), poll.map_or(0, |p| p.voted.len()), poll.and_then(|p| p.voters))
    }
}

/// A comment under a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub author: String,
    pub by_store: bool,
    pub mine: bool,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
    /// Only the author (and staff) see a hidden comment, with the reason.
    pub hidden_reason: Option<String>,
}

/// One page of the feed: pinned announcements first (on the first page), then the newest
/// posts; `next_before` fetches the page after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Feed {
    pub pinned: Vec<Post>,
    pub posts: Vec<Post>,
    pub next_before: Option<i64>,
}

/// A post's page: the post and its comments, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Thread {
    pub post: Post,
    pub comments: Vec<Comment>,
}

/// `POST .../community/posts` as JSON (a text post; with photos it is multipart: parts
/// `body`, `product_id`, and up to six `photo`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPost {
    pub body: String,
    /// 晒单: a product the author bought at this store.
    #[serde(default)]
    pub product_id: Option<i64>,
}

/// `POST .../community/announcements` (the store).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewAnnouncement {
    pub body: String,
    #[serde(default)]
    pub pinned: bool,
}

/// `POST .../community/polls` (the store): 2–10 choices, closing 1 hour to 30 days ahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPoll {
    pub question: String,
    pub options: Vec<String>,
    #[serde(default)]
    pub multiple: bool,
    /// RFC 3339, or a form's store-local `2026-12-08T20:00`.
    pub closes_at: String,
}

/// `POST .../community/posts/{post_id}/votes`: one choice, or several in a multiple-choice poll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoteRequest {
    pub option_ids: Vec<i64>,
}

/// `POST .../comments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewComment {
    pub body: String,
}

/// A store's reason for hiding a post or a comment (the author sees it), or a member's for
/// reporting one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReasonRequest {
    pub reason: String,
}

/// `POST .../members/{user_id}/mute`: read-only for `minutes` (1 minute to 30 days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MuteRequest {
    pub minutes: i64,
    pub reason: String,
}

/// `PUT .../posts/{post_id}/pin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PinRequest {
    pub pinned: bool,
}

/// `POST .../reports/{report_id}/resolve`: hide what was reported, or keep it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    /// `hidden` or `kept`.
    pub outcome: String,
    /// Required when hiding: the author sees it.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A report in the store's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: i64,
    pub post_id: i64,
    pub comment_id: Option<i64>,
    /// What was reported, as written.
    pub text: String,
    pub author: String,
    pub author_id: i64,
    pub reporter: String,
    pub reason: String,
    /// RFC 3339.
    pub created_at: String,
    /// Other open reports of the same post or comment.
    pub also_reported: i64,
    /// Already hidden (by another report or by hand).
    pub hidden: bool,
}

/// `/community` as first painted: the store's group as the reader may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommunityView {
    pub store_id: i64,
    pub store_name: String,
    /// `None` for a guest (the page asks them to log in first).
    pub membership: Option<Membership>,
    /// For members and the store's moderators.
    pub feed: Option<Feed>,
    /// Live and upcoming sessions and open group buys, as cards at the top of the first page.
    pub live: Vec<crate::live::model::LiveCard>,
    pub group_buys: Vec<crate::group_buy::model::GroupBuy>,
    /// What the member has had from this store, to show off (晒单): (product id, name).
    pub bought: Vec<(i64, String)>,
    pub now_ms: i64,
}

/// `/community/p/{id}`: a post, its comments, and the reader's standing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub store_id: i64,
    pub store_name: String,
    pub thread: Thread,
    pub membership: Membership,
    pub now_ms: i64,
}

/// The back office's 邻里群 for one store: reports to settle, the latest posts, members, the
/// group's QR code, and (for its managers) which clerks moderate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityOffice {
    /// Stores whose group the reader moderates.
    pub stores: Vec<(i64, String)>,
    pub store_id: i64,
    pub store_name: String,
    pub members: Vec<Member>,
    pub reports: Vec<Report>,
    pub feed: Feed,
    /// The store's clerks and whether each moderates; `None` for a clerk (managers choose).
    pub clerks: Option<Vec<(i64, String, bool)>>,
    /// Where the counter's QR code leads: the join page.
    pub join_url: String,
    pub qr_svg: String,
    pub now_ms: i64,
    /// The poll form's closing time: tomorrow at 20:00, store time.
    pub default_close: String,
}

/// The clerks a store's managers let moderate its group (`GET`/`PUT .../community/moderators`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Moderators {
    pub user_ids: Vec<i64>,
}
