//! Pieces the staff pages share: an order card with its items and the resident's notes, and
//! the words for each one-tap step.
use super::model::{OrderStatus, Payment, StaffOrder};
use crate::shared::{Fen, Locale};
use crate::ui::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The button for moving an order to `to`: 接单, 开始拣货, 备好了…
pub fn step_label(locale: Locale, to: OrderStatus) -> &'static str {
    match to {
        OrderStatus::Accepted => locale.pick("接单", "Accept"),
        OrderStatus::Picking => locale.pick("开始拣货", "Start picking"),
        OrderStatus::Ready => locale.pick("备好了", "Ready"),
        OrderStatus::OutForDelivery => locale.pick("出发配送", "Out for delivery"),
        OrderStatus::Completed => locale.pick("已送达", "Delivered"),
        OrderStatus::NoShow => locale.pick("标记未取货", "Mark not collected"),
        _ => locale.pick("下一步", "Next"),
    }
}

/// When and where: "明天 17:00-18:00 自提" or "配送 嘉绿苑 3幢201 · 尽快".
pub fn when_where(locale: Locale, o: &StaffOrder) -> String {
    let window = if o.window == "asap" { locale.pick("尽快", "ASAP").to_string() } else { o.window.clone() };
    if o.delivery {
        format!("{} {} · {window}", locale.pick("配送", "Delivery"), o.address.clone().unwrap_or_default())
    } else {
        let day = o.pickup_date.as_deref().map(|d| super::rules::short_date(locale, d)).unwrap_or_default();
        format!("{} {day} {window}", locale.pick("自提", "Pickup"))
    }
}

/// An order as staff handle it: number, status, who (masked), when, items, notes, money.
#[component]
pub fn StaffOrderCard(order: StaffOrder, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let locale = use_locale();
    let status = locale.t(order.status.label(order.delivery));
    let due = if order.payment == Payment::Wallet || order.due_fen == 0 {
        locale.pick("已用余额付清", "Paid from wallet").to_string()
    } else {
        format!("{} {}", locale.pick(if order.delivery { "货到收款" } else { "到店收款" }, "To collect"), Fen(order.due_fen))
    };
    view! {
        <article class="card staff-order" data-order=order.id data-status=order.status.as_str()>
            <header class="staff-order-head">
                <span class="num staff-order-no">{order.number.clone()}</span>
                <span class=format!("badge badge-{}", order.status.as_str())>{status}</span>
                {order.shelf_slot.clone().map(|s| view! { <span class="slot" title=locale.pick("取货位", "Shelf slot")>{s}</span> })}
            </header>
            <p class="staff-order-who">
                <strong>{order.customer.clone()}</strong>
                " " <span class="muted">{locale.pick("尾号", "Phone ..")} <span class="num">{order.phone_tail.clone()}</span></span>
            </p>
            <p class="staff-order-when">{when_where(locale, &order)}</p>
            <ul class="staff-items">
                {order.items.iter().map(|i| view! {
                    <li><span>{i.name.clone()}</span> <span class="num qty">{format!("×{}", i.qty)}</span></li>
                }).collect_view()}
            </ul>
            {(!order.note.is_empty()).then(|| view! { <p class="order-note">{locale.pick("订单备注：", "Note: ")}{order.note.clone()}</p> })}
            {(!order.customer_notes.is_empty()).then(|| view! {
                <ul class="customer-notes" aria-label=locale.pick("顾客偏好", "Preferences")>
                    {order.customer_notes.iter().map(|n| view! {
                        <li class:allergy=n.is_allergy()>
                            <span class="note-by">{if n.kind == "staff" { locale.pick("店员记", "Staff") } else { locale.pick("顾客", "Resident") }}</span>
                            {n.text.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <p class="staff-order-money"><span class="num">{Fen(order.total_fen).to_string()}</span> " · " {due}</p>
            {children.map(|c| c())}
        </article>
    }
}

/// 添加顾客备注: staff write down a resident's preference; it shows on their orders from then on.
#[component]
pub fn StaffNoteForm(action: ServerAction<super::staff_api::AddCustomerNote>, store: i64, customer: i64) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ActionForm action=action attr:class="form inline-form staff-note-form">
            <input type="hidden" name="store" value=store/>
            <input type="hidden" name="customer" value=customer/>
            <label class="field">
                <span class="field-label">{locale.pick("给这位顾客记一笔（以后的订单都会显示）", "Note about this resident (shown on their orders)")}</span>
                <input name="text" maxlength="40" required placeholder=locale.pick("例如：香蕉要软一点", "e.g. likes soft bananas")/>
            </label>
            <button type="submit" class="btn btn-secondary">{locale.pick("记下", "Save")}</button>
        </ActionForm>
    }
}

/// Something the resident is told about may have happened (an order's status changed, a group
/// buy moved): the page that heard it live bumps this, and the bell counts again. Provided by
/// the residents' frame.
#[derive(Clone, Copy)]
pub struct BellTick(RwSignal<u32>);

impl BellTick {
    pub fn provide() {
        provide_context(BellTick(RwSignal::new(0)));
    }

    /// The frame's tick, looked up while the page is built (a stream's callback runs outside
    /// any owner, where contexts cannot be found).
    pub fn find() -> Option<BellTick> {
        use_context::<BellTick>()
    }

    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

/// The bell: unread notifications, leading to 消息通知. Shown only when there is news.
#[component]
pub fn Bell() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let tick = use_context::<BellTick>().map(|BellTick(t)| t);
    // Re-read on each navigation (opening the list clears it) and whenever a page hears news.
    let unread = Resource::new(move || (location.pathname.get(), tick.map(|t| t.get())), |_| super::api::unread_count());
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
