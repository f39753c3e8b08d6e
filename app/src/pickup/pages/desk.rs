//! 自提台: one screen for handing orders over. A big code field with a numeric keypad and a
//! 扫码 button; the found order fills the screen with its slot, items and the resident's notes
//! (过敏 in red) and one big 确认取货; the ready orders below. Live: the list follows the queue.
use crate::orders::model::{DeskView, Payment, StaffOrder};
use crate::shared::Fen;
use crate::orders::widgets::{StaffNoteForm, StaffOrderCard};
use crate::orders::staff_api::AddCustomerNote;
use crate::pickup::api::{load_desk, HandOver, VerifyCode};
use crate::ui::form::{form_error, kept};
use crate::stores::model::StoreChoice;
use crate::ui::{store_chips, use_locale, FieldError, FormError, ScanOverlay, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DeskPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
        (num("store"), num("order"), num("done"), q.get("tail"))
    });
    let verify = ServerAction::<VerifyCode>::new();
    let hand = ServerAction::<HandOver>::new();
    let note = ServerAction::<AddCustomerNote>::new();
    let changes = RwSignal::new(0u32);
    let data = Resource::new(move || (params.get(), hand.version().get(), note.version().get(), changes.get()), |((store, order, done, tail), _, _, _)| {
        load_desk(store, order, done, tail)
    });
    let verify_error = form_error(move || verify.value().get().map(|r| r.map(|_| ())));
    let hand_error = form_error(move || hand.value().get());

    #[cfg(feature = "hydrate")]
    {
        let live = StoredValue::new_local(None::<crate::ui::live::Live>);
        let store_id = Memo::new(move |_| data.get().and_then(|r| r.ok()).map(|v| v.store_id));
        Effect::new(move |_| {
            let Some(store) = store_id.get() else { return };
            let stream = crate::ui::live::listen(&format!("/api/v1/staff/stores/{store}/events"), &["status"], move |_, _| {
                changes.update(|n| *n += 1);
            });
            live.set_value(stream);
        });
    }

    view! {
        <OfficePage title=locale.pick("自提台", "Pickup desk") data=data let:v>
            <Desk view=v verify=verify hand=hand note=note verify_error=verify_error hand_error=hand_error/>
        </OfficePage>
    }
}

#[component]
fn Desk(
    view: DeskView,
    verify: ServerAction<VerifyCode>,
    hand: ServerAction<HandOver>,
    note: ServerAction<AddCustomerNote>,
    verify_error: Signal<Option<crate::shared::AppError>>,
    hand_error: Signal<Option<crate::shared::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let store = view.store_id;
    let tail = use_query_map().read_untracked().get("tail").unwrap_or_default();
    let ready_count = view.ready.len();
    let found_any = view.found.is_some();
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("自提台", "Pickup desk")} " · " {view.store_name.clone()}</h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href=format!("/admin/orders?store={store}")>{locale.pick("订单", "Orders")}</a>
            </nav>
        </header>
        {store_chips(view.stores.iter().map(StoreChoice::pair).collect(), store, |id| format!("/admin/desk?store={id}"))}
        // One notice at a time: a handed-over line from the last order goes once the next
        // code is refused.
        {view.handed_over.clone().map(|n| view! {
            <Show when=move || verify_error.get().is_none() && hand_error.get().is_none()>
                <p class="notice notice-ok" role="status">{locale.pick("已交付，订单号 ", "Handed over: order ")}<span class="num">{n.clone()}</span></p>
            </Show>
        })}
        // The found order comes first: on a phone its slot, the money and 确认取货 fill the
        // first screen; the code field for the next resident follows.
        {view.found.clone().map(|o| view! {
            <Found order=o store=store verified=view.found_verified may_override=view.may_override hand=hand note=note hand_error=hand_error/>
        })}
        <section class="card desk-code" class:desk-code-next=found_any>
            <ActionForm action=verify attr:class="form" attr:novalidate=true>
                <FormError error=verify_error/>
                <input type="hidden" name="store" value=store/>
                <label class="field">
                    <span class="field-label">{if found_any { locale.pick("下一位的取货码", "Next pickup code") } else { locale.pick("取货码", "Pickup code") }}</span>
                    <input class="code-input num" name="code" data-code-input data-code-digits="6" inputmode="numeric" autocomplete="off" maxlength="10"
                        placeholder=locale.pick("6位数字", "6 digits") autofocus=!found_any value=kept("code") aria-describedby="code-error"/>
                </label>
                <FieldError error=verify_error field="code"/>
                <TriesLeft error=verify_error/>
                <Keypad/>
                <div class="desk-buttons">
                    <button type="submit" class="btn btn-primary btn-big">{locale.pick("核验", "Check")}</button>
                    <button type="button" class="btn btn-secondary btn-big scan-only" data-scan>{locale.pick("扫码", "Scan")}</button>
                </div>
            </ActionForm>
            <ScanOverlay
                hint=locale.pick("把顾客手机上的二维码放进框里", "Hold the resident's QR code in the frame")
                denied=locale.pick("无法打开摄像头，请手动输入取货码", "The camera is unavailable — type the code")
                close=locale.pick("关闭", "Close")/>
        </section>
        <section class="desk-ready">
            <h2 class="section-title">{locale.pick("待取订单", "Waiting for pickup")} " " <span class="num">{ready_count}</span></h2>
            <form method="get" action="/admin/desk" class="inline-form tail-form">
                <input type="hidden" name="store" value=store/>
                <label class="field">
                    <span class="field-label">{locale.pick("手机尾号", "Phone, last 4")}</span>
                    <input name="tail" inputmode="numeric" maxlength="4" pattern="[0-9]{4}" value=tail/>
                </label>
                <button type="submit" class="btn btn-secondary">{locale.pick("查找", "Find")}</button>
            </form>
            <ul class="ready-list">
                {view.ready.into_iter().map(|o| ready_row(o, store)).collect_view()}
            </ul>
        </section>
    }
}

fn ready_row(o: StaffOrder, store: i64) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li>
            <a class="ready-row" href=format!("/admin/desk?store={store}&order={}", o.id)>
                <span class="slot">{o.shelf_slot.unwrap_or_default()}</span>
                <span>{o.customer}</span>
                <span class="muted">{locale.pick("尾号", "..")} <span class="num">{o.phone_tail}</span></span>
                <span class="num muted">{o.number}</span>
            </a>
        </li>
    }
}

#[component]
fn Found(
    order: StaffOrder,
    store: i64,
    verified: bool,
    may_override: bool,
    hand: ServerAction<HandOver>,
    note: ServerAction<AddCustomerNote>,
    hand_error: Signal<Option<crate::shared::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let id = order.id;
    let customer = order.customer_id;
    let slot = order.shelf_slot.clone().unwrap_or_default();
    let collect = (order.payment != Payment::Wallet && order.due_fen > 0).then_some(order.due_fen);
    view! {
        <section class="desk-found" aria-label=locale.pick("待交付订单", "Order to hand over")>
            <div class="desk-found-head">
                <p class="slot-big">{locale.pick("取货位 ", "Shelf ")}<span class="num">{slot}</span></p>
                <p class="desk-collect" class:desk-collect-paid=collect.is_none()>
                    {match collect {
                        Some(fen) => view! { <span>{locale.pick("到店收款", "Collect")}</span> " " <strong class="num">{Fen(fen).to_string()}</strong> }.into_any(),
                        None => view! { <span>{locale.pick("已付清，不用收钱", "Paid — nothing to collect")}</span> }.into_any(),
                    }}
                </p>
            </div>
            <StaffOrderCard order=order>
                <ActionForm action=hand attr:class="form" attr:novalidate=true>
                    <FormError error=hand_error/>
                    <input type="hidden" name="store" value=store/>
                    <input type="hidden" name="id" value=id/>
                    // Opened from the list, not by its code: the resident proves it is theirs.
                    {(!verified).then(|| view! {
                        <label class="field">
                            <span class="field-label">{locale.pick("核对取货码或手机尾号", "Pickup code or phone's last 4")}</span>
                            <input class="code-input num" name="proof" inputmode="numeric" autocomplete="off" maxlength="10"
                                placeholder=locale.pick("6位取货码 / 4位尾号", "6-digit code / last 4") aria-describedby="proof-error"/>
                        </label>
                        <FieldError error=hand_error field="proof"/>
                        <TriesLeft error=hand_error/>
                    })}
                    <button type="submit" class="btn btn-primary btn-block btn-big" disabled=move || hand.pending().get()>{locale.pick("确认取货", "Hand over")}</button>
                </ActionForm>
                {(!verified && may_override).then(|| view! {
                    <details class="more">
                        <summary>{locale.pick("顾客没带码？店长确认交付", "No code? Hand over as manager")}</summary>
                        <ActionForm action=hand attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="store" value=store/>
                            <input type="hidden" name="id" value=id/>
                            <label class="field">
                                <span class="field-label">{locale.pick("为什么不核对就交付（会记录在案）", "Why without a check (recorded)")}</span>
                                <input name="override_reason" maxlength="60" value=kept("override_reason") placeholder=locale.pick("例如：老顾客王阿姨，手机没电", "e.g. regular customer, phone battery dead")/>
                            </label>
                            <button type="submit" class="btn btn-secondary btn-block">{locale.pick("店长确认交付", "Hand over as manager")}</button>
                        </ActionForm>
                    </details>
                })}
                <details class="more">
                    <summary>{locale.pick("记顾客偏好", "Note a preference")}</summary>
                    <StaffNoteForm action=note store=store customer=customer/>
                </details>
            </StaffOrderCard>
        </section>
    }
}

/// "还可以试N次": how many wrong codes this clerk has left before the desk stops them.
#[component]
fn TriesLeft(error: Signal<Option<crate::shared::AppError>>) -> impl IntoView {
    let locale = use_locale();
    let kept_left = kept("tries_left");
    move || {
        let left = error.get().and_then(|e| e.details).and_then(|d| d.get("tries_left").and_then(serde_json::Value::as_i64));
        let left = left.or_else(|| error.get().and(kept_left.parse::<i64>().ok()));
        left.map(|n| view! {
            <p class="hint warn" role="status">
                {if n > 0 {
                    format!("{}{n}{}", locale.pick("输错太多会被锁15分钟，还可以再试", "Too many wrong codes locks the desk for 15 minutes: "), locale.pick("次", " tries left"))
                } else {
                    locale.pick("输错太多，15分钟后再试，或请店长处理", "Too many wrong codes — wait 15 minutes or ask the manager").to_string()
                }}
            </p>
        })
    }
}

/// The desk's number pad: big keys under the code field, so a phone's keyboard does not cover
/// the order. Driven by public/code-scan.js (plain JavaScript, working before the WASM) and
/// hidden until that script shows it; without JavaScript the field takes the phone's own
/// numeric keyboard.
#[component]
fn Keypad() -> impl IntoView {
    let locale = use_locale();
    let keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
    view! {
        <div class="keypad" data-keypad hidden role="group" aria-label=locale.pick("数字键盘", "Number pad")>
            {keys.into_iter().map(|k| view! { <button type="button" class="keypad-key num" data-key=k>{k}</button> }).collect_view()}
            <button type="button" class="keypad-key keypad-fn" data-key="clear">{locale.pick("清空", "Clear")}</button>
            <button type="button" class="keypad-key num" data-key="0">"0"</button>
            <button type="button" class="keypad-key keypad-fn" data-key="back" aria-label=locale.pick("删一位", "Delete")>"⌫"</button>
        </div>
    }
}
