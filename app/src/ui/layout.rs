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
        let here = super::this_address(&location.pathname.get(), &location.search.get());
        format!("/lang/{}?next={}", locale.other().code(), crate::shared::url::encode(&here))
    };
    view! { <a class="lang-switch" href=href rel="external nofollow" lang=locale.other().tag()>{locale.t(Msg::SwitchLanguage)}</a> }
}

/// Residents' pages: content, then the fixed bottom tab bar 首页 · 团购 · 直播 · 订单 · 我的.
/// `corner` sits in the top strip beside the language switch (the app puts the bell there:
/// the frame itself knows no domain).
#[component]
pub fn ResidentShell(#[prop(into)] corner: ViewFn) -> impl IntoView {
    let locale = use_locale();
    let tabs = [
        ("/", Msg::TabHome, "M3 10.5 12 3l9 7.5V21H3z"),
        ("/group-buys", Msg::TabGroupBuy, "M7 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm10 0a4 4 0 1 1 0-8 4 4 0 0 1 0 8zM1 21c0-3.3 2.7-6 6-6s6 2.7 6 6zm12 0c0-3.3 1.7-6 4-6 3.3 0 6 2.7 6 6z"),
        ("/live", Msg::TabLive, "M3 6h13v12H3zm13 4 5-3v10l-5-3z"),
        ("/orders", Msg::TabOrders, "M5 3h14v18H5zm3 4h8M8 11h8M8 15h5"),
        ("/me", Msg::TabMe, "M12 12a5 5 0 1 1 0-10 5 5 0 0 1 0 10zm-9 10c0-5 4-8 9-8s9 3 9 8z"),
    ];
    view! {
        <div class="resident-shell">
            <div class="top-strip"><span class="brand">{locale.t(Msg::AppName)}</span>{corner.run()}<LanguageSwitch/></div>
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

/// Staff and owners' pages: a left rail on wide screens, a top menu on phones. `menu` is the
/// entries (the app's route table decides which pages a person is shown).
#[component]
pub fn BackOfficeShell(#[prop(into)] menu: ViewFn) -> impl IntoView {
    let locale = use_locale();
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
                {menu.run()}
            </nav>
            <main class="office-main"><Outlet/></main>
        </div>
    }
}
