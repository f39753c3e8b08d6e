//! Pieces the room, the tab and the console share: the status badge, when it starts, and the
//! room's live feed in the browser.
use super::model::{LiveComment, LiveStatus};
use crate::shared::time::{hhmm, iso_date, local_time};
use crate::shared::Locale;
use crate::ui::use_locale;
use leptos::prelude::*;

pub fn status_word(locale: Locale, status: LiveStatus) -> &'static str {
    match status {
        LiveStatus::Scheduled => locale.pick("预告", "Upcoming"),
        LiveStatus::Live => locale.pick("直播中", "Live"),
        LiveStatus::Ended => locale.pick("已结束", "Ended"),
    }
}

#[component]
pub fn LiveBadge(#[prop(into)] status: Signal<LiveStatus>) -> impl IntoView {
    let locale = use_locale();
    view! { <span class="live-badge" data-live=move || status.get().as_str()>{move || status_word(locale, status.get())}</span> }
}

/// 今天 19:30 / 明天 19:30 / 12-08 19:30: when a session starts, as a resident says it.
pub fn start_text(locale: Locale, starts_ms: i64, now_ms: i64) -> String {
    let (t, now) = (local_time(starts_ms), local_time(now_ms));
    let clock = hhmm(t.minute);
    match t.day - now.day {
        0 => format!("{}{clock}", locale.pick("今天 ", "today ")),
        1 => format!("{}{clock}", locale.pick("明天 ", "tomorrow ")),
        2 => format!("{}{clock}", locale.pick("后天 ", "in 2 days, ")),
        _ => format!("{} {clock}", &iso_date(t.day)[5..]),
    }
}

/// 还有 1小时05分 / 马上开播: ticking each second from the server's clock.
#[component]
pub fn StartsIn(starts_ms: i64, now_ms: i64) -> impl IntoView {
    let locale = use_locale();
    let now = crate::ui::ticking_clock(now_ms);
    view! {
        <span class="countdown num">{move || {
            let left = (starts_ms - now.get()) / 1000;
            if left <= 0 {
                return locale.pick("马上开播", "starting any minute").to_string();
            }
            let (h, m, s) = (left / 3600, left % 3600 / 60, left % 60);
            match (locale, h) {
                (Locale::Zh, 0) => format!("还有 {m}分{s:02}秒"),
                (Locale::Zh, _) => format!("还有 {h}小时{m:02}分"),
                (Locale::En, 0) => format!("in {m}m {s:02}s"),
                (Locale::En, _) => format!("in {h}h {m:02}m"),
            }
        }}</span>
    }
}

/// 128 人在看 / 128 watching.
pub fn viewers_text(locale: Locale, n: i64) -> String {
    match locale {
        Locale::Zh => format!("{n}人在看"),
        Locale::En => format!("{n} watching"),
    }
}

/// One comment: the author (masked), a 主播 mark, the text — always as text, never HTML.
#[component]
pub fn CommentLine(comment: LiveComment, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li class="live-comment" class:live-comment-host=comment.host data-comment=comment.id>
            <span class="live-author">{comment.author.clone()}</span>
            {comment.host.then(|| view! { <span class="live-host-tag">{locale.pick("主播", "Host")}</span> })}
            <span class="live-text">{comment.text.clone()}</span>
            {children.map(|c| c())}
        </li>
    }
}

/// The room's state in the browser, fed by its event stream: what the first paint showed,
/// then every change.
#[derive(Clone, Copy)]
pub struct LiveFeed {
    pub status: RwSignal<LiveStatus>,
    pub pinned: RwSignal<Option<i64>>,
    pub remaining: RwSignal<Vec<(i64, i64)>>,
    pub viewers: RwSignal<(i64, i64)>,
    pub comments: RwSignal<Vec<LiveComment>>,
    pub pinned_comment: RwSignal<Option<LiveComment>>,
    pub takings: RwSignal<(i64, i64)>,
    pub slow_mode: RwSignal<i64>,
    /// The host's video through the relay: on air, away (主播暂时离开), or not yet.
    pub video: RwSignal<super::model::LiveVideo>,
}

/// Comments a room keeps on screen.
const KEEP: usize = 80;

impl LiveFeed {
    pub fn new(s: &super::model::LiveSession, comments: Vec<LiveComment>) -> LiveFeed {
        LiveFeed {
            status: RwSignal::new(s.status),
            pinned: RwSignal::new(s.pinned_product_id),
            remaining: RwSignal::new(s.items.iter().map(|i| (i.product_id, i.remaining)).collect()),
            viewers: RwSignal::new((s.viewers, s.viewers_peak)),
            comments: RwSignal::new(comments),
            pinned_comment: RwSignal::new(s.pinned_comment.clone()),
            takings: RwSignal::new((s.orders, s.gmv_fen)),
            slow_mode: RwSignal::new(s.slow_mode_secs),
            video: RwSignal::new(s.video),
        }
    }

    pub fn left(&self, product_id: i64) -> i64 {
        self.remaining.get().iter().find(|(p, _)| *p == product_id).map_or(0, |(_, n)| *n)
    }

    /// Takes one event from the stream. A status change calls `on_status` (the page reloads
    /// what depends on it: prices, the buy form).
    pub fn apply(&self, name: &str, data: &str, on_status: &impl Fn()) {
        match name {
            "state" => {
                let Ok(s) = serde_json::from_str::<super::model::LiveState>(data) else { return };
                let moved = self.status.get_untracked() != s.status;
                self.status.set(s.status);
                self.pinned.set(s.pinned_product_id);
                self.remaining.set(s.remaining.iter().map(|u| (u.product_id, u.remaining)).collect());
                self.viewers.set((s.viewers, s.viewers_peak));
                self.pinned_comment.set(s.pinned_comment);
                self.takings.set((s.orders, s.gmv_fen));
                self.slow_mode.set(s.slow_mode_secs);
                self.video.set(s.video);
                if moved {
                    on_status();
                }
            }
            "comment" => {
                let Ok(c) = serde_json::from_str::<LiveComment>(data) else { return };
                self.comments.update(|list| {
                    // The replay on a reconnect repeats what is already shown.
                    if !list.iter().any(|x| x.id == c.id) {
                        list.push(c);
                        if list.len() > KEEP {
                            list.remove(0);
                        }
                    }
                });
            }
            "hidden" => {
                let Ok(h) = serde_json::from_str::<super::model::Hidden>(data) else { return };
                self.comments.update(|list| list.retain(|c| c.id != h.comment_id));
                if self.pinned_comment.get_untracked().is_some_and(|c| c.id == h.comment_id) {
                    self.pinned_comment.set(None);
                }
            }
            "viewers" => {
                if let Ok(v) = serde_json::from_str::<super::model::Viewers>(data) {
                    self.viewers.set((v.viewers, v.viewers_peak));
                }
            }
            _ => {}
        }
    }

    /// Follows the room's stream while the page is open (browser only).
    pub fn follow(self, id: i64, on_status: impl Fn() + Clone + Send + Sync + 'static) {
        #[cfg(feature = "hydrate")]
        {
            let stream = StoredValue::new_local(None::<crate::ui::live::Live>);
            Effect::new(move |_| {
                let on_status = on_status.clone();
                let s = crate::ui::live::listen(&format!("/api/v1/live-sessions/{id}/events"), &["state", "comment", "hidden", "viewers"], move |name, data| {
                    if name == "reload" {
                        on_status();
                        return;
                    }
                    self.apply(name, &data, &on_status);
                });
                stream.set_value(s);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, on_status);
    }
}

/// A session in a list (the 直播 tab, the store's group): picture, state, when, products.
#[component]
pub fn LiveCardView(card: super::model::LiveCard, now_ms: i64) -> impl IntoView {
    let locale = use_locale();
    let picture = card.cover_url.clone().or_else(|| card.pictures.first().cloned());
    let when = match card.status {
        LiveStatus::Live => viewers_text(locale, card.viewers),
        LiveStatus::Scheduled => format!("{}{}", start_text(locale, card.starts_at_ms, now_ms), locale.pick(" 开播", " start")),
        LiveStatus::Ended => format!("{}{}", card.ended_at.as_deref().map(crate::shared::time::local_clock).unwrap_or_default(), locale.pick(" 结束", " ended")),
    };
    let products = match locale {
        crate::shared::Locale::Zh => format!("{}款好货", card.products),
        crate::shared::Locale::En => format!("{} products", card.products),
    };
    view! {
        <a class="card live-card" href=format!("/live/{}", card.id) data-live=card.status.as_str()>
            <div class="live-card-pic">
                {picture.map(|src| view! { <img src=src alt="" loading="lazy" width="112" height="112"/> })}
                <span class="live-badge" data-live=card.status.as_str()>{status_word(locale, card.status)}</span>
            </div>
            <div class="live-card-body">
                <p class="live-card-title">{card.title.clone()}</p>
                <p class="muted">{when}</p>
                <p class="muted">{products}{card.reminded.then(|| locale.pick(" · 已设提醒", " · reminder set"))}</p>
            </div>
        </a>
    }
}
