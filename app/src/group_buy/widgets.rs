//! Pieces the group-buy pages share: the progress bar, the countdown, the status word, a card.
use super::model::{GroupBuy, GroupBuyStatus};
use super::rules;
use crate::shared::Locale;
use crate::ui::{use_locale, Price};
use leptos::prelude::*;

pub fn status_word(locale: Locale, s: GroupBuyStatus) -> &'static str {
    match s {
        GroupBuyStatus::Draft => locale.pick("草稿", "Draft"),
        GroupBuyStatus::Open => locale.pick("拼团中", "Open"),
        GroupBuyStatus::Succeeded => locale.pick("已成团", "Going ahead"),
        GroupBuyStatus::Failed => locale.pick("未成团", "Not enough households"),
        GroupBuyStatus::Cancelled => locale.pick("已取消", "Cancelled"),
    }
}

/// "还剩 1天 03:20:05" — the words a countdown shows for `left` (days, h, m, s).
pub fn countdown_text(locale: Locale, (d, h, m, s): (i64, i64, i64, i64)) -> String {
    let clock = format!("{h:02}:{m:02}:{s:02}");
    match (d, locale) {
        (0, Locale::Zh) => format!("还剩 {clock}"),
        (0, Locale::En) => format!("{clock} left"),
        (d, Locale::Zh) => format!("还剩 {d}天 {clock}"),
        (d, Locale::En) => format!("{d}d {clock} left"),
    }
}

/// Households against the threshold: "38/50户", a bar, and what is missing — while it can
/// still be made up; after the deadline, how many were missing.
#[component]
pub fn GroupProgress(
    households: Signal<i64>,
    min_households: i64,
    /// Past its deadline (or ended): no more "还差…" to chase.
    #[prop(optional)]
    closed: bool,
) -> impl IntoView {
    let locale = use_locale();
    let pct = move || rules::percent(households.get(), min_households);
    view! {
        <div class="gb-progress">
            <p class="gb-count">
                <strong class="num" data-households=move || households.get()>{move || households.get()}</strong>
                <span class="num">"/" {min_households}</span> {locale.pick("户", " households")}
                <span class="gb-missing">{move || {
                    let missing = rules::households_missing(households.get(), min_households);
                    if missing == 0 {
                        locale.pick("已达成团户数", "Threshold reached").to_string()
                    } else if closed {
                        match locale {
                            Locale::Zh => format!("截止时差{missing}户"),
                            Locale::En => format!("{missing} short at the deadline"),
                        }
                    } else {
                        match locale {
                            Locale::Zh => format!("还差{missing}户成团"),
                            Locale::En => format!("{missing} more to go ahead"),
                        }
                    }
                }}</span>
            </p>
            <div class="bar" role="progressbar" aria-label=locale.pick("成团进度", "Progress to the threshold") aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct>
                <span class="bar-fill" style=move || format!("width:{}%", pct())></span>
            </div>
        </div>
    }
}

/// Time left until the deadline: rendered on the server, ticking each second in the browser.
#[component]
pub fn Countdown(deadline_ms: i64, now_ms: i64) -> impl IntoView {
    let locale = use_locale();
    let now = crate::ui::ticking_clock(now_ms);
    view! {
        <span class="countdown num">{move || {
            if now.get() >= deadline_ms {
                locale.pick("已截止", "Closed").to_string()
            } else {
                countdown_text(locale, rules::time_left(deadline_ms, now.get()))
            }
        }}</span>
    }
}

/// A campaign in a list: picture, title, price against the usual one, progress, time left.
#[component]
pub fn GroupCard(group: GroupBuy, now_ms: i64, href: String) -> impl IntoView {
    let locale = use_locale();
    let households = Signal::derive({
        let h = group.households;
        move || h
    });
    view! {
        <a class="card gb-card" href=href>
            {group.image_url.clone().map(|src| view! { <img class="gb-thumb" src=src alt="" loading="lazy" width="96" height="96"/> })}
            <div class="gb-card-body">
                <p class="gb-card-title">{group.title.clone()}</p>
                <p class="gb-card-price"><Price fen=group.price_fen was_fen=Some(group.normal_price_fen)/> <span class="muted">"/" {group.unit.clone()}</span></p>
                <GroupProgress households=households min_households=group.min_households/>
                <p class="gb-card-foot">
                    <span class="status" data-gb-status=group.status.as_str()>{status_word(locale, group.status)}</span>
                    {(group.status == GroupBuyStatus::Open).then(|| view! { " · " <Countdown deadline_ms=group.deadline_ms now_ms=now_ms/> })}
                </p>
            </div>
        </a>
    }
}
