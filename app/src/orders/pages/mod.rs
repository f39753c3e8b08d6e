//! The resident's order pages, and the tabs whose services have not opened yet.
pub mod checkout;
pub mod detail;
pub mod list;
pub mod notifications;
pub mod picklist;
pub mod queue;

pub use checkout::CheckoutPage;
pub use detail::OrderDetailPage;
pub use list::OrdersPage;
pub use notifications::NotificationsPage;
pub use picklist::PickListPage;
pub use queue::QueuePage;

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
pub fn LivePage() -> impl IntoView {
    view! { <NotOpenYet title=Msg::TabLive body=Msg::ComingWithIssue/> }
}

/// Shown instead of a page that needs a signed-in resident.
#[component]
pub fn LoginFirst(next: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card auth-card">
            <p>{locale.t(Msg::LoginToSeeOrders)}</p>
            <a href=format!("/login?next={}", crate::shared::url::encode(&next)) class="btn btn-primary btn-block">{locale.t(Msg::Login)}</a>
        </section>
    }
}
