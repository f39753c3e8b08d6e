//! 团购 tab: the campaigns at the resident's store, open ones first.
use crate::group_buy::api::load_group_buys;
use crate::group_buy::widgets::GroupCard;
use crate::shared::Msg;
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use crate::stores::pages::PickStoreFirst;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GroupBuysPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |()| load_group_buys());
    view! {
        <Title text=locale.t(Msg::TabGroupBuy)/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <PickStoreFirst why=locale.pick("先选一家离你近的门店，就能看到这家店的团购。", "Choose a store near you to see its group buys.")/> }.into_any(),
                    Ok(Some(list)) => {
                        let (store, groups, now) = (list.store_name, list.groups, list.now_ms);
                        view! {
                            <header class="page-head">
                                <h1 class="page-title">{locale.pick("团购", "Group buys")}</h1>
                                <p class="muted">{store} {locale.pick(" · 满户数才成团，不成团全额退款", " · goes ahead only with enough households, otherwise refunded")}</p>
                            </header>
                            {if groups.is_empty() {
                                view! { <p class="empty-state">{locale.pick("这家店暂时没有进行中的团购，过两天再来看看。", "No group buys at this store right now — check back soon.")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="gb-list">
                                        {groups.into_iter().map(|g| {
                                            let href = format!("/g/{}", g.id);
                                            view! { <GroupCard group=g now_ms=now href=href/> }
                                        }).collect_view()}
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
