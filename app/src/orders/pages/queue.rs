//! 订单 (staff): the store's queue. New orders arrive live with a chime, a badge and the tab
//! title; filters live in the URL; each order moves on with one tap. Works without
//! JavaScript too (plain forms, reload to see new orders).
use crate::orders::lifecycle::next_for_staff;
use crate::orders::model::{OrderStatus, QueueView, StaffOrder};
use crate::orders::staff_api::{load_queue, AddCustomerNote, DecideNoShow, MoveOrder};
use crate::orders::widgets::{step_label, StaffNoteForm, StaffOrderCard};
use crate::shared::Msg;
use crate::ui::form::form_error;
use crate::stores::model::StoreChoice;
use crate::ui::{chip, store_chips, use_locale, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, PartialEq)]
struct Filters {
    store: Option<i64>,
    status: Option<String>,
    fulfillment: Option<String>,
    date: Option<String>,
}

impl Filters {
    /// This page's URL with one filter changed.
    fn with(&self, key: &str, value: Option<&str>) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k.to_string(), v));
            }
        };
        let pick = |k: &str, current: Option<String>| if k == key { value.map(str::to_string) } else { current };
        push("store", pick("store", self.store.map(|s| s.to_string())));
        push("status", pick("status", self.status.clone()));
        push("fulfillment", pick("fulfillment", self.fulfillment.clone()));
        push("date", pick("date", self.date.clone()));
        let q: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", crate::shared::url::encode(&v))).collect();
        if q.is_empty() { "/admin/orders".to_string() } else { format!("/admin/orders?{}", q.join("&")) }
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        Filters { store: q.get("store").and_then(|s| s.parse().ok()), status: q.get("status"), fulfillment: q.get("fulfillment"), date: q.get("date") }
    });
    let moved = ServerAction::<MoveOrder>::new();
    let decided = ServerAction::<DecideNoShow>::new();
    let noted = ServerAction::<AddCustomerNote>::new();
    // Bumped by the live stream; the queue reloads on every change at the store.
    let changes = RwSignal::new(0u32);
    let unseen = RwSignal::new(0u32);
    let data = Resource::new(
        move || (filters.get(), moved.version().get(), decided.version().get(), noted.version().get(), changes.get()),
        |(f, _, _, _, _)| load_queue(f.store, f.status, f.fulfillment, f.date),
    );
    let error = form_error(move || moved.value().get().or_else(|| decided.value().get()).or_else(|| noted.value().get()));

    #[cfg(feature = "hydrate")]
    {
        let live = StoredValue::new_local(None::<crate::ui::live::Live>);
        let store_id = Memo::new(move |_| data.get().and_then(|r| r.ok()).map(|v| v.store_id));
        Effect::new(move |_| {
            let Some(store) = store_id.get() else { return };
            let stream = crate::ui::live::listen(&format!("/api/v1/staff/stores/{store}/events"), &["status"], move |name, data| {
                if name == "status" && data.contains("\"new\":true") {
                    unseen.update(|n| *n += 1);
                    crate::ui::live::chime();
                }
                changes.update(|n| *n += 1);
            });
            live.set_value(stream);
        });
        Effect::new(move |_| {
            let n = unseen.get();
            let base = format!("{} · {}", locale.pick("订单", "Orders"), locale.t(Msg::AppName));
            crate::ui::live::set_title(&if n > 0 { format!("({n}) {base}") } else { base });
        });
    }

    view! {
        <OfficePage title=locale.pick("订单", "Orders") data=data let:v>
            <Queue view=v filters=filters.get_untracked() moved=moved decided=decided noted=noted error=error unseen=unseen/>
        </OfficePage>
    }
}

#[component]
fn Queue(
    view: QueueView,
    filters: Filters,
    moved: ServerAction<MoveOrder>,
    decided: ServerAction<DecideNoShow>,
    noted: ServerAction<AddCustomerNote>,
    error: Signal<Option<crate::shared::AppError>>,
    unseen: RwSignal<u32>,
) -> impl IntoView {
    let locale = use_locale();
    let f = Filters { store: Some(view.store_id), ..filters };
    let statuses: [(Option<&str>, &str); 7] = [
        (None, locale.pick("进行中", "Open")),
        (Some("placed"), locale.t(Msg::StatusPlaced)),
        (Some("accepted"), locale.t(Msg::StatusAccepted)),
        (Some("picking"), locale.t(Msg::StatusPicking)),
        (Some("ready"), locale.pick("已备好", "Ready")),
        (Some("out_for_delivery"), locale.t(Msg::StatusOutForDelivery)),
        (Some("no_show"), locale.t(Msg::StatusNoShow)),
    ];
    let kinds: [(Option<&str>, &str); 3] = [(None, locale.pick("全部", "All")), (Some("pickup"), locale.pick("自提", "Pickup")), (Some("delivery"), locale.pick("配送", "Delivery"))];
    let tomorrow = crate::shared::time::parse_iso_date(&view.today).map(|d| crate::shared::time::iso_date(d + 1)).unwrap_or_default();
    let days: [(Option<String>, &str); 3] = [(None, locale.pick("所有日期", "Any day")), (Some(view.today.clone()), locale.pick("今天", "Today")), (Some(tomorrow), locale.pick("明天", "Tomorrow"))];
    let count = view.orders.len();
    let store_id = view.store_id;
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("订单", "Orders")} " · " {view.store_name.clone()}</h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href=format!("/admin/desk?store={store_id}")>{locale.pick("自提台", "Pickup desk")}</a>
                <a class="btn btn-secondary" href=format!("/admin/picklist?store={store_id}")>{locale.pick("拣货单", "Pick list")}</a>
            </nav>
        </header>
        {store_chips(view.stores.iter().map(StoreChoice::pair).collect(), store_id, |id| f.with("store", Some(&id.to_string())))}
        // The filters fold into one line saying what is shown; the orders get the screen.
        <details class="queue-filters">
            <summary class="queue-filters-line">
                <span class="muted">{locale.pick("筛选", "Filter")}</span> " "
                <strong>{filter_line(&statuses, &kinds, &days, &f)}</strong>
            </summary>
            <nav class="chips" aria-label=locale.pick("状态", "Status")>
                {statuses.into_iter().map(|(v, label)| chip(f.with("status", v), f.status.as_deref() == v, label.to_string())).collect_view()}
            </nav>
            <nav class="chips" aria-label=locale.pick("方式与日期", "Kind and day")>
                {kinds.into_iter().map(|(v, label)| chip(f.with("fulfillment", v), f.fulfillment.as_deref() == v, label.to_string())).collect_view()}
                {days.into_iter().map(|(v, label)| chip(f.with("date", v.as_deref()), f.date == v, label.to_string())).collect_view()}
            </nav>
        </details>
        <p class="live-line" role="status" aria-live="polite">
            {move || match unseen.get() {
                0 => view! { <span class="muted">{locale.pick("新订单会自动出现并响铃", "New orders appear here with a chime")}</span> }.into_any(),
                n => view! {
                    <button type="button" class="badge badge-new" on:click=move |_| unseen.set(0)>
                        {format!("{n} {}", locale.pick("个新订单", "new orders"))}
                    </button>
                }.into_any(),
            }}
        </p>
        <FormError error=error/>
        {if count == 0 {
            view! { <p class="empty-state">{locale.pick("这里暂时没有订单", "No orders here right now")}</p> }.into_any()
        } else {
            view! {
                // Newest on top, under the badge that announces them (the list itself is the
                // oldest open orders, so none is ever cut off the end).
                <div class="queue-grid">
                    {view.orders.into_iter().rev().map(|o| view! { <QueueCard order=o moved=moved decided=decided noted=noted/> }).collect_view()}
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn QueueCard(order: StaffOrder, moved: ServerAction<MoveOrder>, decided: ServerAction<DecideNoShow>, noted: ServerAction<AddCustomerNote>) -> impl IntoView {
    let locale = use_locale();
    let id = order.id;
    let next = next_for_staff(order.status, order.delivery);
    let ready_pickup = order.status == OrderStatus::Ready && !order.delivery;
    let cancellable = matches!(order.status, OrderStatus::Placed | OrderStatus::Accepted | OrderStatus::Picking | OrderStatus::Ready | OrderStatus::OutForDelivery);
    let awaiting = order.awaiting_stock_decision;
    let store = order.store_id;
    let customer = order.customer_id;
    view! {
        <StaffOrderCard order=order>
            <div class="staff-order-actions">
                {next.map(|to| view! {
                    <ActionForm action=moved attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="to" value=to.as_str()/>
                        <button type="submit" class="btn btn-primary btn-step">{step_label(locale, to)}</button>
                    </ActionForm>
                })}
                {ready_pickup.then(|| view! {
                    <a class="btn btn-primary btn-step" href=format!("/admin/desk?store={store}&order={id}")>{locale.pick("去自提台交付", "Hand over at desk")}</a>
                })}
                {awaiting.then(|| view! {
                    <p class="hint">{locale.pick("顾客没来取，这些货怎么处理？", "Not collected — what happens to the goods?")}</p>
                    <ActionForm action=decided attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="back" value="1"/>
                        <button type="submit" class="btn btn-secondary">{locale.pick("退回货架", "Back on the shelf")}</button>
                    </ActionForm>
                    <ActionForm action=decided attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="back" value="0"/>
                        <button type="submit" class="btn btn-secondary">{locale.pick("记损耗", "Write off")}</button>
                    </ActionForm>
                })}
                {cancellable.then(|| view! {
                    <details class="more">
                        <summary>{locale.pick("更多", "More")}</summary>
                        {ready_pickup.then(|| view! {
                            <ActionForm action=moved attr:class="inline-form">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="to" value="no_show"/>
                                <button type="submit" class="btn btn-secondary">{step_label(locale, OrderStatus::NoShow)}</button>
                            </ActionForm>
                        })}
                        <ActionForm action=moved attr:class="form cancel-form">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="to" value="cancelled"/>
                            <label class="field">
                                <span class="field-label">{locale.pick("取消原因（顾客会看到）", "Reason (the resident sees it)")}</span>
                                <input name="reason" maxlength="60" required placeholder=locale.pick("例如：今天的货品相不好", "e.g. today's batch is not good enough")/>
                            </label>
                            <button type="submit" class="btn btn-danger">{locale.pick("取消订单并退款", "Cancel and refund")}</button>
                        </ActionForm>
                        <StaffNoteForm action=noted store=store customer=customer/>
                    </details>
                })}
            </div>
        </StaffOrderCard>
    }
}

/// 进行中 · 自提 · 今天: the filters in force, in the words of their chips (an unfiltered kind
/// or day says nothing).
fn filter_line(statuses: &[(Option<&str>, &str)], kinds: &[(Option<&str>, &str)], days: &[(Option<String>, &str)], f: &Filters) -> String {
    let status = statuses.iter().find(|(k, _)| *k == f.status.as_deref()).map(|(_, l)| l.to_string());
    let kind = f.fulfillment.as_deref().and_then(|v| kinds.iter().find(|(k, _)| *k == Some(v))).map(|(_, l)| l.to_string());
    let day = f.date.as_ref().map(|v| days.iter().find(|(k, _)| k.as_ref() == Some(v)).map_or_else(|| v.clone(), |(_, l)| l.to_string()));
    [status, kind, day].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}
