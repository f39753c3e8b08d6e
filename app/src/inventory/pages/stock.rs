//! 库存 (staff): what each product has on the shelf, what orders hold, what can still be sold,
//! which are low; a product's own page books 进货 / 报损 / 退货 / 盘点 and shows its ledger.
//! Plain forms and links: works without JavaScript.
use crate::inventory::api::{load_stock, load_stock_item, BookStock, CountStock, SetStockAlert};
use crate::inventory::model::{StockItemView, StockLine, StockMovement, StockReason, StockView};
use crate::shared::AppError;
use crate::shared::time::local_clock;
use crate::ui::form::{form_error, kept, successes};
use crate::stores::model::StoreChoice;
use crate::ui::{chip, store_chips, use_locale, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StockPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        (q.get("store").and_then(|s| s.parse::<i64>().ok()), q.get("low"), q.get("q"))
    });
    let data = Resource::new(move || params.get(), |(store, low, q)| load_stock(store, low, q));
    view! {
        <OfficePage title=locale.pick("库存", "Stock") data=data let:v>
            <StockList view=v only_low=params.get_untracked().1.as_deref() == Some("1") q=params.get_untracked().2.unwrap_or_default()/>
        </OfficePage>
    }
}

#[component]
fn StockList(view: StockView, only_low: bool, q: String) -> impl IntoView {
    let locale = use_locale();
    let store = view.store_id;
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("库存", "Stock")} " · " {view.store_name.clone()}</h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href=format!("/admin/till?store={store}")>{locale.pick("收银台", "Till")}</a>
            </nav>
        </header>
        {store_chips(view.stores.iter().map(StoreChoice::pair).collect(), store, |id| format!("/admin/stock?store={id}"))}
        <nav class="chips" aria-label=locale.pick("筛选", "Filter")>
            {chip(format!("/admin/stock?store={store}"), !only_low, locale.pick("全部", "All").to_string())}
            {chip(format!("/admin/stock?store={store}&low=1"), only_low, format!("{} {}", locale.pick("偏少", "Low"), view.low))}
        </nav>
        <form method="get" action="/admin/stock" class="search-form" role="search">
            <input type="hidden" name="store" value=store/>
            <input type="search" name="q" value=q placeholder=locale.pick("搜商品或分类", "Search products or categories") aria-label=locale.pick("搜索", "Search")/>
            <button type="submit" class="btn btn-secondary">{locale.pick("搜索", "Search")}</button>
        </form>
        <p class="hint">{locale.pick("可售 = 在库 − 线上订单已占用；门店收银和线上用的是同一份库存", "Sellable = on hand − held for online orders; the till and the storefront sell the same stock")}</p>
        {if view.lines.is_empty() {
            view! { <p class="empty-state">{locale.pick("没有符合条件的商品", "No products match")}</p> }.into_any()
        } else {
            view! {
                <ul class="stock-list">
                    {view.lines.into_iter().map(|l| view! { <StockRow line=l store=store/> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2 class="section-title">{locale.pick("最近的库存流水", "Latest stock movements")}</h2>
        <Ledger movements=view.movements store=store show_product=true/>
    }
}

#[component]
fn StockRow(line: StockLine, store: i64) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li class="stock-row" class:stock-low=line.low>
            <a href=format!("/admin/stock/{}?store={store}", line.product_id) class="stock-row-link">
                <span class="stock-name">{line.name.clone()} " " <small class="muted">{line.unit.clone()}</small></span>
                <span class="stock-cat muted">{line.category.clone()}</span>
                <span class="stock-figures">
                    <span class="stock-available num" aria-label=locale.pick("可售", "Sellable")>{line.available}</span>
                    <small class="muted">
                        {format!("{} {} · {} {}", locale.pick("在库", "on hand"), line.on_hand, locale.pick("已订", "held"), line.reserved)}
                    </small>
                </span>
                {line.low.then(|| view! {
                    <span class="badge badge-low">{if line.available <= 0 { locale.pick("没货了", "Out") } else { locale.pick("偏少", "Low") }}</span>
                })}
            </a>
        </li>
    }
}

/// The ledger as a list: when, what, why, how many, what it left, who.
#[component]
fn Ledger(movements: Vec<StockMovement>, store: i64, show_product: bool) -> impl IntoView {
    let locale = use_locale();
    if movements.is_empty() {
        return view! { <p class="empty-state">{locale.pick("还没有流水", "No movements yet")}</p> }.into_any();
    }
    view! {
        <ol class="ledger">
            {movements.into_iter().map(|m| {
                let sign = if m.delta > 0 { "+" } else { "" };
                let source = match (m.order_id, m.sale_id) {
                    (Some(o), _) => Some(view! { <span>{locale.pick("订单", "Order")} " #" {o}</span> }.into_any()),
                    (_, Some(s)) => Some(view! { <a href=format!("/admin/till?store={store}&sale={s}")>{locale.pick("小票", "Receipt")} " " {s}</a> }.into_any()),
                    _ => None,
                };
                view! {
                    <li class="ledger-row">
                        <span class="ledger-when muted num">{local_clock(&m.at)}</span>
                        {show_product.then(|| view! { <a class="ledger-product" href=format!("/admin/stock/{}?store={store}", m.product_id)>{m.product.clone()}</a> })}
                        <span class="ledger-reason">{m.reason.label(locale)}</span>
                        <span class="ledger-delta num" class:ledger-in={m.delta > 0}>{format!("{sign}{}", m.delta)}</span>
                        <span class="ledger-after muted num">{format!("→ {}", m.on_hand_after)}</span>
                        <span class="ledger-who muted">{m.by.clone().unwrap_or_default()} {(!m.note.is_empty()).then(|| format!(" · {}", m.note))} " " {source}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// Which product at which store a form books for.
fn product_fields(store_id: i64, product_id: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="store_id" value=store_id/>
        <input type="hidden" name="product_id" value=product_id/>
    }
}

#[component]
pub fn StockItemPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let booked = ServerAction::<BookStock>::new();
    let counted = ServerAction::<CountStock>::new();
    let alerted = ServerAction::<SetStockAlert>::new();
    let (booked_ok, counted_ok, alerted_ok) =
        (successes(move || booked.value().get()), successes(move || counted.value().get()), successes(move || alerted.value().get()));
    let key = Memo::new(move |_| {
        (query.read().get("store").and_then(|s| s.parse::<i64>().ok()), params.read().get("id").and_then(|s| s.parse::<i64>().ok()))
    });
    let data = Resource::new(
        move || (key.get(), booked_ok.get(), counted_ok.get(), alerted_ok.get()),
        |((store, product), _, _, _)| async move {
            load_stock_item(store, product.ok_or_else(AppError::not_found)?).await
        },
    );
    view! {
        <OfficePage title=locale.pick("库存", "Stock") data=data let:v>
            <StockItem view=v booked=booked counted=counted alerted=alerted/>
        </OfficePage>
    }
}

#[component]
fn StockItem(view: StockItemView, booked: ServerAction<BookStock>, counted: ServerAction<CountStock>, alerted: ServerAction<SetStockAlert>) -> impl IntoView {
    let locale = use_locale();
    let StockItemView { store_id, store_name, line, movements, may_set_threshold, key } = view;
    let book_error = form_error(move || booked.value().get());
    let count_error = form_error(move || counted.value().get());
    let alert_error = form_error(move || alerted.value().get());
    // After a no-JS bounce, only the form that failed gets its typed values back.
    let bounced = !kept("err").is_empty();
    let kept_if = move |k: &'static str, present: &'static str| if bounced && !kept(present).is_empty() { kept(k) } else { String::new() };
    let reason_kept = kept_if("reason", "reason");
    let reasons = [StockReason::Receive, StockReason::Loss, StockReason::Return];
    // Without JavaScript a saved form comes back to `…&saved=1`, with the new figures on the page.
    let saved_plain = kept("saved") == "1";
    let (on_hand, available) = (line.on_hand, line.available);
    let done = move || {
        let booked_now = booked.value().get().and_then(|r| r.ok()).or_else(|| counted.value().get().and_then(|r| r.ok())).map(|l| (l.on_hand, l.available));
        booked_now.or(saved_plain.then_some((on_hand, available))).map(|(on_hand, available)| {
            view! {
                <p class="notice notice-ok" role="status">
                    {format!("{} {} · {} {}", locale.pick("已保存，现在在库", "Saved — now on hand"), on_hand, locale.pick("可售", "sellable"), available)}
                </p>
            }
        })
    };
    let pid = line.product_id;
    view! {
        <header class="office-head">
            <h1 class="page-title">{line.name.clone()} " " <small class="muted">{line.unit.clone()}</small></h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href=format!("/admin/stock?store={store_id}")>{locale.pick("返回库存", "Back to stock")} " · " {store_name}</a>
            </nav>
        </header>
        <dl class="stock-figures-big">
            <div><dt>{locale.pick("可售", "Sellable")}</dt><dd class="num" data-testid="available">{line.available}</dd></div>
            <div><dt>{locale.pick("在库", "On hand")}</dt><dd class="num" data-testid="on-hand">{line.on_hand}</dd></div>
            <div><dt>{locale.pick("线上已订", "Held for orders")}</dt><dd class="num">{line.reserved}</dd></div>
            <div><dt>{locale.pick("提醒线", "Alert at")}</dt><dd class="num">{line.low_at}</dd></div>
        </dl>
        {line.low.then(|| view! { <p class="notice notice-warn">{locale.pick("库存偏少，记得补货", "Running low — reorder")}</p> })}
        {done}
        <section class="office-section">
            <h2 class="section-title">{locale.pick("进货 / 报损 / 退货", "Receive / write off / return")}</h2>
            <ActionForm action=booked attr:class="form" attr:novalidate=true>
                {product_fields(store_id, pid)}
                <input type="hidden" name="key" value=key/>
                <fieldset class="choice-row">
                    <legend class="field-label">{locale.pick("类型", "Kind")}</legend>
                    {reasons.into_iter().map(|r| {
                        let checked = if reason_kept.is_empty() { r == StockReason::Receive } else { reason_kept == r.as_str() };
                        view! { <label class="choice"><input type="radio" name="reason" value=r.as_str() checked=checked/> {r.label(locale)}</label> }
                    }).collect_view()}
                    <FieldError error=book_error field="reason"/>
                </fieldset>
                <label class="field">
                    <span class="field-label">{locale.pick("数量", "Quantity")} " (" {line.unit.clone()} ")"</span>
                    <input type="number" name="qty" inputmode="numeric" min="1" max="100000" required value=kept_if("qty", "qty") aria-describedby="qty-error"/>
                    <FieldError error=book_error field="qty"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("进货价（元/", "Purchase cost (¥ per ")} {line.unit.clone()} {locale.pick("，进货时填，可不填）", ", deliveries only — optional)")}</span>
                    <input type="text" name="unit_cost" inputmode="decimal" maxlength="10" value=kept_if("unit_cost", "qty") aria-describedby="unit_cost-error"/>
                    <FieldError error=book_error field="unit_cost"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("备注（供应商、批次、原因，可不填）", "Note (supplier, batch, reason — optional)")}</span>
                    <input type="text" name="note" maxlength="60" value=kept_if("note", "qty") aria-describedby="note-error"/>
                    <FieldError error=book_error field="note"/>
                </label>
                <FormError error=book_error/>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("记账", "Book it")}</button>
            </ActionForm>
        </section>
        <section class="office-section">
            <h2 class="section-title">{locale.pick("盘点", "Count")}</h2>
            <p class="hint">{locale.pick("数一数货架上实际有多少（含已拣好待取的），系统按差额记账", "Count what is really there (including picked orders waiting); the difference is booked")}</p>
            <ActionForm action=counted attr:class="form inline-fields" attr:novalidate=true>
                {product_fields(store_id, pid)}
                <input type="hidden" name="seen" value=line.on_hand/>
                <input type="hidden" name="note" value=""/>
                <label class="field">
                    <span class="field-label">{locale.pick("实际数量", "Counted")}</span>
                    <input type="number" name="counted" inputmode="numeric" min="0" required value=kept_if("counted", "counted") aria-describedby="counted-error"/>
                    <FieldError error=count_error field="counted"/>
                </label>
                <button type="submit" class="btn btn-secondary">{locale.pick("按盘点数更新", "Update to the count")}</button>
            </ActionForm>
        </section>
        {may_set_threshold.then(|| view! {
            <section class="office-section">
                <h2 class="section-title">{locale.pick("库存提醒", "Low-stock alert")}</h2>
                <ActionForm action=alerted attr:class="form inline-fields" attr:novalidate=true>
                    {product_fields(store_id, pid)}
                    <label class="field">
                        <span class="field-label">{locale.pick("可售不多于这个数就提醒（空着用默认5）", "Alert when sellable is at or below (empty: 5)")}</span>
                        <input type="number" name="low_at" inputmode="numeric" min="0" max="9999" value=kept_if("low_at", "low_at") placeholder=line.low_at.to_string() aria-describedby="low_at-error"/>
                        <FieldError error=alert_error field="low_at"/>
                    </label>
                    <button type="submit" class="btn btn-secondary">{locale.pick("保存", "Save")}</button>
                </ActionForm>
            </section>
        })}
        <h2 class="section-title">{locale.pick("这个商品的流水", "This product's movements")}</h2>
        <Ledger movements=movements store=store_id show_product=false/>
    }
}
