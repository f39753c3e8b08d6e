//! 拣货单 and shelf labels for a day: what to take from the shelves (units per product over
//! the orders still to pick) and a label per pickup order (masked name, order number, slot).
//! Made for paper: the print stylesheet drops everything else.
use crate::orders::staff_api::load_pick_list;
use crate::ui::{use_locale, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PickListPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        (q.get("store").and_then(|s| s.parse::<i64>().ok()), q.get("date"))
    });
    let data = Resource::new(move || params.get(), |(store, date)| load_pick_list(store, date));
    view! {
        <OfficePage title=locale.pick("拣货单", "Pick list") data=data let:v>
            {
                let store = v.store_id;
                let day = |d: i64| crate::shared::time::parse_iso_date(&v.date).map(|x| crate::shared::time::iso_date(x + d)).unwrap_or_default();
                let (prev, next) = (day(-1), day(1));
                let total: i64 = v.lines.iter().map(|l| l.qty).sum();
                view! {
                    <header class="office-head">
                        <h1 class="page-title">{locale.pick("拣货单", "Pick list")} " · " {v.store_name.clone()} " · " <span class="num">{v.date.clone()}</span></h1>
                        <nav class="office-actions no-print">
                            <a class="btn btn-secondary" href=format!("/admin/picklist?store={store}&date={prev}")>{locale.pick("前一天", "Previous day")}</a>
                            <a class="btn btn-secondary" href=format!("/admin/picklist?store={store}&date={next}")>{locale.pick("后一天", "Next day")}</a>
                            <button type="button" class="btn btn-primary" data-print="">{locale.pick("打印", "Print")}</button>
                        </nav>
                    </header>
                    <p class="hint no-print">{locale.pick("含当天自提订单和当天下的配送订单中还没拣的货", "The day's pickup orders and delivery orders placed that day, not yet picked")}</p>
                    {if v.lines.is_empty() {
                        view! { <p class="empty-state">{locale.pick("这一天没有要拣的货", "Nothing to pick for this day")}</p> }.into_any()
                    } else {
                        view! {
                            <table class="pick-table">
                                <thead><tr>
                                    <th>{locale.pick("商品", "Product")}</th>
                                    <th class="num">{locale.pick("数量", "Qty")}</th>
                                    <th class="num">{locale.pick("订单数", "Orders")}</th>
                                </tr></thead>
                                <tbody>
                                    {v.lines.iter().map(|l| view! {
                                        <tr><td>{l.name.clone()} <span class="muted">{l.unit.clone()}</span></td><td class="num">{l.qty}</td><td class="num">{l.orders}</td></tr>
                                    }).collect_view()}
                                </tbody>
                                <tfoot><tr><td>{locale.pick("合计", "Total")}</td><td class="num">{total}</td><td></td></tr></tfoot>
                            </table>
                        }.into_any()
                    }}
                    <h2 class="section-title">{locale.pick("货架标签", "Shelf labels")}</h2>
                    <ul class="labels">
                        {v.orders.iter().map(|o| view! {
                            <li class="label">
                                <span class="label-slot">{o.shelf_slot.clone().unwrap_or_else(|| "—".to_string())}</span>
                                <span class="label-name">{o.customer.clone()} " " <span class="num">{o.phone_tail.clone()}</span></span>
                                <span class="num label-no">{o.number.clone()}</span>
                                <span class="label-when">{o.window.clone()} " · " {format!("{}{}", o.item_count, locale.pick("件", " items"))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        </OfficePage>
    }
}
