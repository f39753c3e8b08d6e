//! Page frames: the residents' bottom tabs and the back office's menu.
use super::use_locale;
use crate::shared::Msg;
use leptos::prelude::*;
use leptos_meta::Script;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

/// The language switch: a plain link (works without JavaScript) that sets a cookie and
/// comes back to the same page.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let href = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get().split('#').next().map(|s| if s.is_empty() { String::new() } else if s.starts_with('?') { s.to_string() } else { format!("?{s}") }).unwrap_or_default());
        format!("/lang/{}?next={}", locale.other().code(), crate::shared::url::encode(&here))
    };
    view! { <a class="lang-switch" href=href rel="external nofollow" lang=locale.other().tag()>{locale.t(Msg::SwitchLanguage)}</a> }
}

/// Residents' pages: content, then the fixed bottom tab bar 首页 · 团购 · 直播 · 订单 · 我的.
#[component]
pub fn ResidentShell() -> impl IntoView {
    let locale = use_locale();
    let tabs = [
        ("/", Msg::TabHome, "M3 10.5 12 3l9 7.5V21H3z"),
        ("/group-buys", Msg::TabGroupBuy, "M7 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm10 0a4 4 0 1 1 0-8 4 4 0 0 1 0 8zM1 21c0-3.3 2.7-6 6-6s6 2.7 6 6zm12 0c0-3.3 1.7-6 4-6 3.3 0 6 2.7 6 6z"),
        ("/live", Msg::TabLive, "M3 5h13v14H3zm13 5 5-3v10l-5-3z"),
        ("/orders", Msg::TabOrders, "M5 3h14v18H5zm3 4h8M8 11h8M8 15h5"),
        ("/me", Msg::TabMe, "M12 12a5 5 0 1 1 0-10 5 5 0 0 1 0 10zm-9 10c0-5 4-8 9-8s9 3 9 8z"),
    ];
    view! {
        <div class="resident-shell">
            <div class="top-strip"><span class="brand">{locale.t(Msg::AppName)}</span><Bell/><LanguageSwitch/></div>
            <main class="resident-main"><Outlet/></main>
            <nav class="tab-bar" aria-label=locale.t(Msg::AppName)>
                {tabs.into_iter().map(|(href, label, icon)| view! {
                    <A href=href attr:class="tab" exact=true>
                        <svg viewBox="0 0 24 24" aria-hidden="true" class="tab-icon"><path d=icon/></svg>
                        <span>{locale.t(label)}</span>
                    </A>
                }).collect_view()}
            </nav>
        </div>
    }
}

/// Staff and owners' pages: a left rail on wide screens, a top menu on phones.
/// Only pages that exist are listed.
#[component]
pub fn BackOfficeShell() -> impl IntoView {
    let locale = use_locale();
    let items = [
        ("/admin", locale.t(Msg::BackOfficeHome)),
        ("/admin/orders", locale.pick("订单", "Orders")),
        ("/admin/desk", locale.pick("自提台", "Pickup desk")),
        ("/admin/picklist", locale.pick("拣货单", "Pick list")),
        ("/admin/products", locale.pick("商品", "Products")),
        ("/admin/stock", locale.pick("库存", "Stock")),
        ("/admin/till", locale.pick("收银", "Till")),
        ("/admin/markdowns", locale.pick("晚市特惠", "Markdowns")),
        ("/admin/customers", locale.pick("会员", "Customers")),
        ("/admin/group-buys", locale.pick("团购", "Group buys")),
        ("/admin/team", locale.pick("员工", "Team")),
    ];
    view! {
        // data-confirm / data-print buttons (money corrections, 小票): public/office.js.
        <Script src="/office.js" defer="true"/>
        <div class="office-shell">
            <header class="office-top">
                <a href="/admin" class="brand">{locale.t(Msg::AppName)} " · " {locale.t(Msg::BackOffice)}</a>
                <LanguageSwitch/>
                <a href="/" class="office-exit">{locale.t(Msg::TabHome)}</a>
            </header>
            <nav class="office-menu" aria-label=locale.t(Msg::BackOffice)>
                {items.into_iter().map(|(href, label)| view! { <A href=href attr:class="office-link" exact=true>{label}</A> }).collect_view()}
            </nav>
            <main class="office-main"><Outlet/></main>
        </div>
    }
}

/// The bell: unread notifications, leading to 消息通知. Shown only when there is news.
#[component]
fn Bell() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    // Re-read on each navigation (opening the list clears it).
    let unread = Resource::new(move || location.pathname.get(), |_| crate::orders::api::unread_count());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let n = unread.await.unwrap_or(0);
                (n > 0).then(|| view! {
                    <a href="/notifications" class="bell" aria-label=format!("{} {n}", locale.pick("未读消息", "Unread notifications"))>
                        <svg viewBox="0 0 24 24" aria-hidden="true" class="bell-icon"><path d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>
                        <span class="bell-count num">{n}</span>
                    </a>
                })
            })}
        </Suspense>
    }
}
