//! 直播 tab: the resident's store's sessions — live now first, then upcoming (with 提醒我 on
//! each session's page), then the latest ended ones.
use crate::live::api::load_live_list;
use crate::live::model::{LiveCard, LiveStatus};
use crate::live::widgets::LiveCardView;
use crate::shared::Msg;
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use crate::stores::pages::PickStoreFirst;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LiveListPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |()| load_live_list());
    view! {
        <Title text=locale.t(Msg::TabLive)/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <PickStoreFirst why=locale.pick("先选一家离你近的门店，就能看这家店的直播。", "Choose a store near you to watch its live sessions.")/> }.into_any(),
                    Ok(Some(list)) => {
                        let now = list.now_ms;
                        let (on, rest): (Vec<LiveCard>, Vec<LiveCard>) = list.sessions.into_iter().partition(|s| s.status != LiveStatus::Ended);
                        view! {
                            <header class="page-head">
                                <h1 class="page-title">{locale.pick("直播", "Live")}</h1>
                                <p class="muted">{list.store_name} {locale.pick(" · 店里的直播，看中了直接抢，到店自提", " · the store's own live sales: buy as you watch, pick up at the store")}</p>
                            </header>
                            {if on.is_empty() {
                                view! { <p class="empty-state">{locale.pick("现在没有直播，也还没有预告。店里排好下一场会出现在这里。", "Nothing live or scheduled right now. The store's next session will show up here.")}</p> }.into_any()
                            } else {
                                view! { <div class="live-list">{on.into_iter().map(|s| view! { <LiveCardView card=s now_ms=now/> }).collect_view()}</div> }.into_any()
                            }}
                            {(!rest.is_empty()).then(|| view! {
                                <h2 class="section-title">{locale.pick("往期直播", "Earlier sessions")}</h2>
                                <div class="live-list">{rest.into_iter().map(|s| view! { <LiveCardView card=s now_ms=now/> }).collect_view()}</div>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
