//! 明日采购 (`/admin/order-list`): tomorrow's order list (以销定采) for a store — the forecast
//! over the days each delivery must last, what group buys and live line-ups already commit,
//! what the shelf will still hold — with the quantity to buy in a box the manager can change,
//! grouped by supplier (生产者) so it prints as the calls to make, and a CSV.
use crate::analytics::api::{load_order_list, ResetOrderList, SaveOrderList};
use crate::analytics::model::{OrderLine, OrderList};
use crate::ui::form::{form_error, successes};
use crate::ui::{store_chips, use_locale, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrderListPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let save = ServerAction::<SaveOrderList>::new();
    let reset = ServerAction::<ResetOrderList>::new();
    let (saved, reset_done) = (successes(move || save.value().get()), successes(move || reset.value().get()));
    let args = Memo::new(move |_| {
        let q = query.read();
        (q.get("store").and_then(|s| s.parse::<i64>().ok()), q.get("day").filter(|d| !d.trim().is_empty()))
    });
    let data = Resource::new(move || (args.get(), saved.get(), reset_done.get()), |((store, day), ..)| load_order_list(store, day));
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("明日采购单", "Tomorrow's order list")}</h1>
        </header>
        <OfficePage title=locale.pick("明日采购单", "Order list") data=data let:list>
            <Plan list=list save=save reset=reset/>
        </OfficePage>
    }
}

#[component]
fn Plan(list: OrderList, save: ServerAction<SaveOrderList>, reset: ServerAction<ResetOrderList>) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let error = form_error(move || save.value().get());
    let OrderList { stores, store_id, store_name, for_day, today, mape, lines, edited } = list;
    let day = for_day.clone();
    let chips = store_chips(stores.iter().map(|s| (s.id, s.name.clone())).collect(), store_id, move |id| format!("/admin/order-list?store={id}&day={day}"));
    let max_day = crate::shared::time::parse_iso_date(&today).map(|d| crate::shared::time::iso_date(d + 7)).unwrap_or_default();
    let csv = format!("/api/v1/order-list.csv?store_id={store_id}&day={for_day}");
    let total_lines = lines.len();
    let (save_day, reset_day) = (for_day.clone(), for_day.clone());
    let groups: Vec<(String, Vec<OrderLine>)> = crate::analytics::rules::by_supplier(&lines).into_iter().map(|(p, ls)| (p, ls.into_iter().cloned().collect())).collect();
    // What a refused list (no JavaScript) had in its boxes.
    let typed = move |id: i64| query.read_untracked().get(&format!("qty_{id}"));
    view! {
        {chips}
        <form method="get" action="/admin/order-list" class="insight-period no-print">
            <input type="hidden" name="store" value=store_id.to_string()/>
            <label class="field-inline">
                <span>{locale.pick("到货日", "Delivery day")}</span>
                <input type="date" name="day" value=for_day.clone() min=today.clone() max=max_day/>
            </label>
            <button type="submit" class="btn btn-secondary">{locale.pick("查看", "Show")}</button>
        </form>
        <p class="insight-scope"><strong>{store_name}</strong> " · " {locale.pick("到货日 ", "delivery ")} <span class="num">{for_day.clone()}</span></p>
        <p class="hint">
            {locale.pick(
                "建议量 = 到货后保质期内（最多7天）的预测销量 + 已成团、还没到货的团购数量 − 到货时货架上还能卖的（已排直播留出的货不在货架里，不会重复买）。预测按近8周每天的销量（团购另算，套餐按所含商品）：星期规律加趋势。",
                "Suggested = forecast sales over the days the delivery must last (its shelf life, at most 7) + succeeded group buys not yet arrived − what the shelf will still hold (units set aside for scheduled live sessions are off the shelf already, so never bought twice). The forecast reads the last 8 weeks day by day (group buys apart, bundles as their parts): the weekday pattern and the trend.",
            )}
            " "
            <strong>{locale.pick("近4周预测误差（MAPE）：", "Forecast error over the last 4 weeks (MAPE): ")}{mape.map_or_else(|| "—".to_string(), |m| format!("{m:.1}%"))}</strong>
        </p>
        {edited.map(|t| view! { <p class="muted" id="saved">{locale.pick("已按你改的数量保存 · ", "Saved with your changes · ")}{t}</p> })}
        {if total_lines == 0 {
            view! { <p class="empty-state">{locale.pick("近8周没有销量，也没有团购或直播占用：暂时没有要采购的", "No sales in the last 8 weeks and nothing committed: nothing to order yet")}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=save attr:class="order-list-form" attr:novalidate=true>
                    <input type="hidden" name="store_id" value=store_id.to_string()/>
                    <input type="hidden" name="day" value=save_day/>
                    {groups.into_iter().map(|(producer, lines)| {
                        let producer_label = if producer.trim().is_empty() { locale.pick("未填生产者", "No supplier given").to_string() } else { producer };
                        view! {
                        <section class="office-section supplier">
                            <h2 class="section-title">{producer_label.clone()}</h2>
                            <div class="table-scroll" tabindex="0" role="region" aria-label=producer_label.clone()>
                                <table class="office-table insight-grid order-list">
                                    <thead><tr>
                                        // The box to fill comes right after the product, in view on a phone.
                                        <th scope="col">{locale.pick("商品", "Product")}</th>
                                        <th scope="col" class="num">{locale.pick("采购", "Buy")}</th>
                                        <th scope="col" class="num">{locale.pick("建议", "Suggested")}</th>
                                        <th scope="col" class="num">{locale.pick("预测", "Forecast")}</th>
                                        <th scope="col" class="num">{locale.pick("已承诺", "Committed")}</th>
                                        <th scope="col" class="num">{locale.pick("到货时货架", "On shelf")}</th>
                                        <th scope="col" class="num">{locale.pick("误差", "Error")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {lines.into_iter().map(|l| {
                                            let label = format!("{} {}", l.name, locale.pick("采购数量", "to buy"));
                                            let value = typed(l.product_id).unwrap_or_else(|| l.qty.to_string());
                                            let field = format!("qty_{}", l.product_id);
                                            let days = format!("{}{}", l.cover_days, locale.pick("天", " d"));
                                            view! {
                                                <tr class:edited=l.edited>
                                                    <th scope="row">{l.name.clone()} <span class="muted unit">{l.unit.clone()}</span></th>
                                                    <td class="num">
                                                        <input type="number" class="qty-input" name=format!("qty[{}]", l.product_id) min="0" max="100000" inputmode="numeric"
                                                            value=value.clone() prop:value=value aria-label=label aria-describedby=format!("{field}-error")/>
                                                        <FieldError error=error field=field/>
                                                    </td>
                                                    <td class="num">{l.suggested}</td>
                                                    <td class="num">{format!("{:.1}", l.forecast)} <span class="muted">{"/"}{days}</span></td>
                                                    <td class="num">
                                                        {l.committed}
                                                        {(l.live_set_aside > 0).then(|| view! { <span class="muted unit">{locale.pick("直播已留", "live ")}{l.live_set_aside}</span> })}
                                                    </td>
                                                    <td class="num">{l.on_shelf}</td>
                                                    <td class="num">{l.mape.map_or_else(|| "—".to_string(), |m| format!("{m:.0}%"))}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }}).collect_view()}
                    <FormError error=error/>
                    <div class="form-actions no-print">
                        <button type="submit" class="btn btn-primary">{locale.pick("保存采购单", "Save the list")}</button>
                        <a class="btn btn-secondary" href=csv download="">{locale.pick("导出 CSV（按生产者）", "CSV by supplier")}</a>
                    </div>
                </ActionForm>
                <ActionForm action=reset attr:class="inline-form no-print">
                    <input type="hidden" name="store_id" value=store_id.to_string()/>
                    <input type="hidden" name="day" value=reset_day/>
                    <button type="submit" class="btn btn-quiet">{locale.pick("全部恢复建议量", "Back to the suggestions")}</button>
                </ActionForm>
                <p class="hint no-print">{locale.pick("打印：用浏览器的“打印”，按生产者分好，一家一张。", "To print, use the browser's Print: one supplier after another.")}</p>
            }.into_any()
        }}
    }
}
