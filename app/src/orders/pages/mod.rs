//! The resident's order pages and the staff's order pages.
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
