//! 消息通知: the resident's bell — accepted, ready, on the way, delivered, cancelled by the
//! store — each leading to its order; and the news of the store's group (公告, 开播, 新团购).
//! Opening the page marks them read.
use super::LoginFirst;
use crate::orders::api::load_notifications;
use crate::orders::model::OrderStatus;
use crate::shared::ErrorCode;
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| load_notifications());
    view! {
        <Title text=locale.pick("消息通知", "Notifications")/>
        <h1 class="page-title">{locale.pick("消息通知", "Notifications")}</h1>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => view! { <LoginFirst next="/notifications".to_string()/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">{locale.pick("还没有消息", "No notifications yet")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="notifications">
                            {list.into_iter().map(|n| {
                                let (text, href, detail) = match (n.kind.as_str(), n.live_session_id) {
                                    ("group_announcement", _) => (
                                        locale.pick("门店在邻里群发了新公告", "The store posted a notice in its group"),
                                        n.post_id.map(|id| format!("/community/p/{id}")).unwrap_or_else(|| "/community".to_string()),
                                        n.post_excerpt.clone().unwrap_or_default().into_any(),
                                    ),
                                    ("group_buy_new", _) => (
                                        locale.pick("门店开了新团购，快来参团", "A new group buy at your store"),
                                        n.group_buy_id.map(|id| format!("/g/{id}")).unwrap_or_else(|| "/group-buys".to_string()),
                                        n.group_buy_title.clone().unwrap_or_default().into_any(),
                                    ),
                                    ("group_live", Some(live)) => (
                                        locale.pick("门店开播了，直播价只在直播中有效", "Your store is live now — live prices hold only while it lasts"),
                                        format!("/live/{live}"),
                                        n.live_title.clone().unwrap_or_default().into_any(),
                                    ),
                                    // 提醒我: the session the resident asked about went live.
                                    (_, Some(live)) => (
                                        locale.pick("你预约的直播开始了，快来看", "A live session you asked about has started"),
                                        format!("/live/{live}"),
                                        n.live_title.clone().unwrap_or_default().into_any(),
                                    ),
                                    (_, None) => (
                                        order_news(locale, &n),
                                        n.order_id.map(|id| format!("/orders/{id}")).unwrap_or_else(|| "/orders".to_string()),
                                        view! { {locale.pick("订单号 ", "Order ")}<span class="num">{n.order_number.clone().unwrap_or_default()}</span> }.into_any(),
                                    ),
                                };
                                view! {
                                    <li class="card notification" class:unread=!n.read>
                                        <a href=href>
                                            <strong>{text}</strong>
                                            <span class="muted">{detail}</span>
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

/// What an order's notification says: a group buy's outcome in the order history's words, or
/// the status it announces.
fn order_news(locale: crate::shared::Locale, n: &crate::orders::model::Notification) -> &'static str {
    match (crate::orders::rules::event_note(&n.kind), n.status) {
        (crate::orders::rules::EventNote::Said(zh, en), _) => locale.pick(zh, en),
        (_, status) => match status {
            OrderStatus::Accepted => locale.pick("门店已接单，正在准备", "The store accepted your order"),
            OrderStatus::Ready if n.delivery => locale.pick("已备好，等骑手取货", "Ready, waiting for the rider"),
            OrderStatus::Ready => locale.pick("已备好，可以来门店取货了", "Ready — come and pick it up"),
            OrderStatus::OutForDelivery => locale.pick("骑手已出发，正在配送", "On its way to you"),
            OrderStatus::Completed if n.delivery => locale.pick("已送达，祝您用餐愉快", "Delivered — enjoy"),
            OrderStatus::Completed => locale.pick("已取货，欢迎再来", "Picked up — see you again"),
            OrderStatus::Cancelled => locale.pick("门店取消了订单，款项已退回", "The store cancelled the order; any payment is refunded"),
            OrderStatus::NoShow => locale.pick("订单超时未取，款项已退回", "Not collected in time; any payment is refunded"),
            _ => locale.pick("订单有更新", "Your order was updated"),
        },
    }
}
