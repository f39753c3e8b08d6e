//! 订单详情: status, the pickup code with its QR code, when and where, the money line by line,
//! the history, and cancelling while the store has not started.
use super::LoginFirst;
use crate::orders::api::{load_order_page, CancelOrder};
use crate::orders::model::{Fulfillment, Order, OrderStatus, Payment};
use crate::orders::rules::{code_in_pairs, event_note, short_date, what_next, EventNote};
use crate::shared::time::local_clock;
use crate::shared::{ErrorCode, Fen, Msg};
use crate::ui::form::form_error;
use crate::ui::{use_locale, AskFirst, ErrorNotice, FormError, NotFoundNotice, Price, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let cancel = ServerAction::<CancelOrder>::new();
    let data = Resource::new(move || (id(), cancel.version().get()), |(id, _)| async move {
        match id {
            Some(id) => load_order_page(id).await,
            None => Ok(None),
        }
    });
    let cancel_error = form_error(move || cancel.value().get());

    // Live: the order's event stream starts with the current status, then one event per change;
    // each change reloads the order (timeline, code, slot, ETA) without reloading the page.
    #[cfg(feature = "hydrate")]
    {
        let live = StoredValue::new_local(None::<crate::ui::live::Live>);
        let bell = crate::orders::widgets::BellTick::find();
        Effect::new(move |_| {
            let Some(id) = id() else { return };
            let seen = std::rc::Rc::new(std::cell::Cell::new(0u32));
            let stream = crate::ui::live::listen(&format!("/api/v1/orders/{id}/events"), &["status"], move |_, _| {
                let n = seen.get();
                seen.set(n + 1);
                if n > 0 {
                    data.refetch();
                    // A status change also tells the resident in 消息通知.
                    if let Some(b) = bell {
                        b.bump();
                    }
                }
            });
            live.set_value(stream);
        });
    }
    view! {
        <Title text=locale.t(Msg::MyOrders)/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || {
                let id = id().unwrap_or_default();
                Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => {
                        view! { <LoginFirst next=format!("/orders/{id}")/> }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <NotFoundNotice body=Msg::OrderNotFound/> }.into_any(),
                    Ok(Some(page)) => view! {
                        <OrderView order=page.order qr_svg=page.qr_svg cancel=cancel cancel_error=cancel_error/>
                    }.into_any(),
                }
            })}}
        </Transition>
    }
}

#[component]
fn OrderView(
    order: Order,
    qr_svg: Option<String>,
    cancel: ServerAction<CancelOrder>,
    cancel_error: Signal<Option<crate::shared::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let delivery = order.fulfillment.is_delivery();
    // Cancelled or not collected: nothing is due, and anything paid has gone back.
    let ended_unsold = matches!(order.status, OrderStatus::Cancelled | OrderStatus::NoShow);
    let status_word = locale.t(order.status.label(delivery));
    let when_where = match &order.fulfillment {
        Fulfillment::Pickup { pickup_date, window_from, window_until } => view! {
            <div><dt>{locale.t(Msg::PickupAt)}</dt><dd>{order.store_name.clone()} <br/> <span class="muted">{order.store_address.clone()}</span></dd></div>
            <div><dt>{locale.t(Msg::PickupTime)}</dt><dd>{format!("{} {window_from}–{window_until}", short_date(locale, pickup_date))}</dd></div>
            <div><dt>{locale.pick("营业时间", "Store hours")}</dt><dd class="num">{order.store_hours.clone()}</dd></div>
        }.into_any(),
        Fulfillment::Delivery { address, slot, .. } => view! {
            <div><dt>{locale.t(Msg::DeliverTo)}</dt><dd>{address.clone()}</dd></div>
            <div><dt>{locale.t(Msg::DeliveryTime)}</dt><dd>{if slot == "asap" { locale.t(Msg::Asap).to_string() } else { slot.clone() }}</dd></div>
            {order.delivery_eta.clone().map(|eta| view! {
                <div class="eta"><dt>{locale.pick("预计送达", "Expected")}</dt><dd class="num">{eta}</dd></div>
            })}
        }.into_any(),
    };
    let map_link = format!("https://uri.amap.com/search?keyword={}", crate::shared::url::encode(&order.store_address));
    view! {
        <Title text=format!("{} {}", locale.t(Msg::OrderNumber), order.number)/>
        <section class="order-head card">
            <p class="status status-big" data-status=order.status.as_str() aria-live="polite">{status_word}</p>
            {order.shelf_slot.clone().map(|slot| view! {
                <p class="slot-line">{locale.pick("已放在取货位 ", "Waiting on shelf ")}<span class="slot num">{slot}</span>{locale.pick("，报取货码即可取走", " — show your code at the desk")}</p>
            })}
            <p class="muted">{locale.t(Msg::OrderNumber)} " " <span class="num">{order.number.clone()}</span></p>
            {order.group_buy_id.map(|g| view! {
                <p><a href=format!("/g/{g}")>{locale.pick("团购订单 · 查看成团进度", "Group buy · see its progress")}</a></p>
            })}
        </section>
        {order.pickup_code.clone().map(|code| view! {
            <section class="card code-card">
                <h2 class="section-title">{locale.t(if delivery { Msg::DeliveryCode } else { Msg::PickupCode })}</h2>
                <p class="pickup-code" aria-label=code.clone()>{code_in_pairs(&code)}</p>
                {qr_svg.clone().map(|svg| view! { <div class="qr" role="img" aria-label=locale.t(Msg::PickupCode) inner_html=svg></div> })}
                <p class="hint">{locale.t(if delivery { Msg::GiveCodeToRider } else { Msg::ShowCodeAtDesk })}</p>
            </section>
        })}
        <section class="card">
            <dl class="facts">
                {when_where}
                {(!order.store_phone.is_empty()).then(|| view! {
                    <div><dt>{locale.t(Msg::CallStore)}</dt><dd><a href=format!("tel:{}", order.store_phone)>{order.store_phone.clone()}</a>
                        " · " <a href=map_link.clone() rel="external noopener" target="_blank">{locale.pick("地图", "Map")}</a></dd></div>
                })}
                {(!order.note.is_empty()).then(|| view! { <div><dt>{locale.t(Msg::Note)}</dt><dd>{order.note.clone()}</dd></div> })}
            </dl>
        </section>
        {order.status.is_open().then(|| {
            let (zh, en) = what_next(order.status, delivery);
            // What is left to pay, said where the resident will pay it.
            let due = (order.paid_fen == 0 && order.payment == Payment::OnPickup && order.total_fen > 0).then(|| {
                format!("{} {}", locale.pick(if delivery { "送到时付给骑手" } else { "取货时在店里付" }, if delivery { "Pay the rider on arrival:" } else { "Pay at the desk when you collect:" }), Fen(order.total_fen))
            });
            view! {
                <section class="card what-next" data-status=order.status.as_str()>
                    <h2 class="section-title">{locale.t(Msg::WhatNext)}</h2>
                    <p>{locale.pick(zh, en)}</p>
                    {due.map(|d| view! { <p class="what-next-due">{d}</p> })}
                </section>
            }
        })}
        <section class="card summary">
            <h2 class="section-title">{locale.t(Msg::OrderItems)}</h2>
            <ul class="summary-items">
                {order.items.iter().map(|i| view! {
                    <li><span>{i.name.clone()} <small class="muted">" " {i.unit.clone()}</small> " × " {i.qty}</span><span>{Fen(i.line_fen).to_string()}</span></li>
                }).collect_view()}
            </ul>
            <dl class="summary-lines">
                <div><dt>{locale.t(Msg::Goods)}</dt><dd>{Fen(order.goods_fen).to_string()}</dd></div>
                {(order.discount_fen > 0).then(|| view! {
                    <div class="saving"><dt>{locale.t(Msg::PickupDiscountLine)}</dt><dd>{format!("−{}", Fen(order.discount_fen))}</dd></div>
                })}
                {delivery.then(|| view! {
                    <div><dt>{locale.t(Msg::DeliveryFeeLine)}</dt><dd>{Fen(order.delivery_fee_fen).to_string()}</dd></div>
                })}
                {if ended_unsold {
                    // Nothing is due on a cancelled or uncollected order: the sum in plain ink,
                    // and where any money went.
                    view! {
                        <div class="summary-total summary-void"><dt>{locale.t(Msg::OrderTotal)}</dt><dd>{Fen(order.total_fen).to_string()}</dd></div>
                        {if order.paid_fen > 0 {
                            view! { <div class="refunded"><dt>{locale.t(Msg::Refunded)}</dt><dd>{format!("{} · {}", Fen(order.paid_fen), locale.t(Msg::RefundedToWallet))}</dd></div> }.into_any()
                        } else {
                            view! { <div class="muted"><dt>{locale.t(Msg::PaymentMethod)}</dt><dd>{locale.t(Msg::NothingToPay)}</dd></div> }.into_any()
                        }}
                    }.into_any()
                } else {
                    view! {
                        <div class="summary-total"><dt>{locale.t(if order.status == OrderStatus::Completed || order.paid_fen > 0 { Msg::TotalPaid } else { Msg::TotalDue })}</dt><dd><Price fen=order.total_fen/></dd></div>
                        <div class="muted"><dt>{locale.t(Msg::PaymentMethod)}</dt><dd>{locale.t(match order.payment {
                            Payment::Wallet => Msg::PaidFromWallet,
                            Payment::OnPickup if delivery => Msg::PayOnDelivery,
                            Payment::OnPickup => Msg::PayAtPickup,
                        })}</dd></div>
                    }.into_any()
                }}
            </dl>
        </section>
        <section class="card">
            <h2 class="section-title">{locale.t(Msg::Progress)}</h2>
            <ol class="timeline">
                {order.events.iter().rev().map(|e| view! {
                    <li>
                        <span class="timeline-status">{locale.t(e.status.label(delivery))}</span> <time datetime=e.at.clone() class="muted">{local_clock(&e.at)}</time>
                        {match event_note(&e.reason) {
                            EventNote::RoutedFrom(from) => Some(format!("{}{from}{}", locale.pick("您选的是", "You chose "), locale.pick("，由离您更近、货品齐全的门店配送", "; a nearer store with everything delivers"))),
                            EventNote::Said(zh, en) => Some(locale.pick(zh, en).to_string()),
                            EventNote::FromStore(words) => Some(format!("{}{words}", locale.pick("门店说明：", "From the store: "))),
                            EventNote::Nothing => None,
                        }.map(|text| view! { <p class="timeline-reason">{text}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        {order.cancellable.then(|| view! {
            <section class="card">
                <FormError error=cancel_error/>
                <p class="hint">{locale.t(Msg::CancelHint)}</p>
                <AskFirst label=locale.t(Msg::CancelOrder).to_string() class="btn-block" question=cancel_question(locale, &order)>
                    <ActionForm action=cancel>
                        <input type="hidden" name="id" value=order.id/>
                        <button type="submit" class="btn btn-danger" disabled=move || cancel.pending().get()>{locale.pick("确定取消", "Yes, cancel it")}</button>
                    </ActionForm>
                </AskFirst>
            </section>
        })}
    }
}

/// What cancelling gives up, and where the money goes.
fn cancel_question(locale: crate::shared::Locale, order: &Order) -> String {
    let items = order.items.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join("、");
    if order.paid_fen > 0 {
        format!("{}{items}{}{}{}", locale.pick("取消后这单的", "Cancel? "), locale.pick("就不给您留了，", " will no longer be kept for you, and "), Fen(order.paid_fen), locale.pick("马上退回储值余额。", " goes straight back to your wallet."))
    } else {
        format!("{}{items}{}", locale.pick("取消后这单的", "Cancel? "), locale.pick("就不给您留了。", " will no longer be kept for you."))
    }
}
