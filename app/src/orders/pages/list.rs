//! 订单: the resident's orders, newest first.
use super::LoginFirst;
use crate::orders::api::load_my_orders;
use crate::shared::i18n::items_count;
use crate::shared::{ErrorCode, Fen, Msg};
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let locale = use_locale();
    let orders = Resource::new(|| (), |_| load_my_orders());
    view! {
        <Title text=locale.t(Msg::MyOrders)/>
        <h1 class="page-title">{locale.t(Msg::MyOrders)}</h1>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => view! { <LoginFirst next="/orders".to_string()/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="empty-state">
                            <p>{locale.t(Msg::NoOrdersYet)}</p>
                            <a href="/" class="btn btn-primary">{locale.t(Msg::GoShopping)}</a>
                        </section>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="order-list">
                            {list.into_iter().map(|o| {
                                let mut names = o.first_items.join(locale.pick("、", ", "));
                                if o.item_count > o.first_items.len() as i64 {
                                    names.push_str(locale.pick(" 等", " …"));
                                }
                                view! {
                                    <li class="card order-card">
                                        <a href=format!("/orders/{}", o.id) class="order-card-link">
                                            <div class="order-card-head">
                                                <span class="order-store">{o.store_name.clone()}</span>
                                                <span class="status" data-status=o.status.as_str()>{locale.t(o.status.label(o.delivery))}</span>
                                            </div>
                                            <p class="order-items-line">{names}</p>
                                            <div class="order-card-foot">
                                                <span class="muted">{locale.t(Msg::OrderNumber)} " " {o.number.clone()}</span>
                                                <span>{items_count(locale, o.item_count)} " " <strong>{Fen(o.total_fen).to_string()}</strong></span>
                                            </div>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
