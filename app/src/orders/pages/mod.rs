//! The resident tabs whose features have not opened yet show an honest empty state.
use crate::shared::Msg;
use crate::ui::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// A tab whose service this store has not opened: says so and offers the way back.
#[component]
pub fn NotOpenYet(title: Msg, body: Msg) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=locale.t(title)/>
        <section class="empty-state">
            <h1 class="page-title">{locale.t(title)}</h1>
            <p>{locale.t(body)}</p>
            <A href="/" attr:class="btn btn-primary">{locale.t(Msg::GoShopping)}</A>
        </section>
    }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! { <NotOpenYet title=Msg::TabOrders body=Msg::NoOrdersYet/> }
}

#[component]
pub fn GroupBuysPage() -> impl IntoView {
    view! { <NotOpenYet title=Msg::TabGroupBuy body=Msg::ComingWithIssue/> }
}

#[component]
pub fn LivePage() -> impl IntoView {
    view! { <NotOpenYet title=Msg::TabLive body=Msg::ComingWithIssue/> }
}
