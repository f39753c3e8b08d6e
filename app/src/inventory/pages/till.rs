//! 收银台 (staff): a walk-in customer's purchase, sold from the same stock rows the
//! storefront sells from. The basket lives in the URL (`b=12:2,15:1`), so every tap is a
//! plain link and the page works without JavaScript; 收款 posts it once (idempotency key)
//! and shows the receipt (小票), ready to print.
use crate::inventory::api::{load_receipt, load_till, RefundAtTill, SellAtTill};
use crate::inventory::model::{ReceiptView, TillPayment, TillView};
use crate::inventory::rules::{basket_with, parse_basket};
use crate::shared::money::Fen;
use crate::shared::time::local_clock;
use crate::ui::form::{form_error, kept, successes};
use crate::stores::model::StoreChoice;
use crate::ui::{store_chips, use_locale, FieldError, FormError, Price, ScanOverlay, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The till's URL for a store, a basket (with its token: the sale's key comes from it) and a
/// search.
fn till_href(store: i64, basket: &str, token: &str, q: &str) -> String {
    let mut href = format!("/admin/till?store={store}");
    if !basket.is_empty() {
        href.push_str(&format!("&b={basket}&t={token}"));
    }
    if !q.is_empty() {
        href.push_str(&format!("&q={}", crate::shared::url::encode(q)));
    }
    href
}

#[component]
pub fn TillPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let sold = ServerAction::<SellAtTill>::new();
    let refunded = ServerAction::<RefundAtTill>::new();
    let params = Memo::new(move |_| {
        let q = query.read();
        (q.get("store").and_then(|s| s.parse::<i64>().ok()), q.get("b"), q.get("q"), q.get("sale").and_then(|s| s.parse::<i64>().ok()), q.get("t"))
    });
    let sold_ok = successes(move || sold.value().get());
    let refunded_ok = successes(move || refunded.value().get());
    // The till and the receipt of the sale just made (or being refunded) load together: a
    // sale or a refund changes both the shelf counts and the receipt.
    let data = Resource::new(
        move || (params.get(), sold_ok.get(), refunded_ok.get()),
        |((store, b, q, sale, t), _, _)| async move {
            let till = load_till(store, b, q, t).await?;
            let receipt = match sale {
                Some(id) => load_receipt(id).await.ok(),
                None => None,
            };
            Ok((till, receipt))
        },
    );
    view! {
        <OfficePage title=locale.pick("收银台", "Till") data=data let:v>
            {
                let (till, receipt) = v;
                let (_, b, q, _, _) = params.get_untracked();
                view! { <Till view=till basket=b.unwrap_or_default() q=q.unwrap_or_default() receipt=receipt sold=sold refunded=refunded/> }
            }
        </OfficePage>
    }
}

#[component]
fn Till(view: TillView, basket: String, q: String, receipt: Option<ReceiptView>, sold: ServerAction<SellAtTill>, refunded: ServerAction<RefundAtTill>) -> impl IntoView {
    let locale = use_locale();
    let store = view.store_id;
    let token = view.token.clone();
    let lines = parse_basket(&basket);
    let error = form_error(move || sold.value().get());
    let payment_kept = kept("payment");
    let basket_str = view.basket.iter().map(|l| format!("{}:{}", l.product_id, l.qty)).collect::<Vec<_>>().join(",");
    let short = view.basket.iter().any(|l| l.qty > l.available);
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("收银台", "Till")} " · " {view.store_name.clone()}</h1>
            <nav class="office-actions no-print">
                <a class="btn btn-secondary" href=format!("/admin/stock?store={store}")>{locale.pick("库存", "Stock")}</a>
            </nav>
        </header>
        {store_chips(view.stores.iter().map(StoreChoice::pair).collect(), store, |id| format!("/admin/till?store={id}"))}
        {receipt.map(|r| view! { <ReceiptCard view=r store=store refunded=refunded/> })}
        <section class="till-basket no-print" aria-label=locale.pick("这一单", "This sale")>
            <h2 class="section-title">{locale.pick("这一单", "This sale")}</h2>
            {if view.basket.is_empty() {
                view! { <p class="empty-state">{locale.pick("点下面的商品加进来", "Tap products below to add them")}</p> }.into_any()
            } else {
                view! {
                    <ul class="till-lines">
                        {view.basket.iter().map(|l| {
                            let minus = till_href(store, &basket_with(&lines, l.product_id, -1), &token, &q);
                            let plus = till_href(store, &basket_with(&lines, l.product_id, 1), &token, &q);
                            let over = l.qty > l.available;
                            view! {
                                <li class="till-line" class:till-short=over>
                                    <span class="till-line-name">{l.name.clone()} " " <small class="muted">{l.unit.clone()}</small>
                                        {over.then(|| view! { <small class="field-error">{format!("{}{}", locale.pick("只剩", "only "), l.available)}</small> })}
                                    </span>
                                    <span class="stepper">
                                        <a class="step" href=minus aria-label=locale.pick("减一份", "One less")>"−"</a>
                                        <span class="num step-qty">{l.qty}</span>
                                        <a class="step" href=plus aria-label=locale.pick("加一份", "One more")>"+"</a>
                                    </span>
                                    <span class="num">{Fen(l.price_fen * l.qty).to_string()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="till-total">{locale.pick("合计", "Total")} " " <Price fen=view.total_fen/></p>
                    <ActionForm action=sold attr:class="form till-pay" attr:novalidate=true>
                        <input type="hidden" name="store_id" value=store/>
                        <input type="hidden" name="key" value=view.key.clone()/>
                        <input type="hidden" name="basket" value=basket_str.clone()/>
                        <fieldset class="choice-row">
                            <legend class="field-label">{locale.pick("收款方式", "Payment")}</legend>
                            {TillPayment::ALL.into_iter().map(|p| {
                                let checked = if payment_kept.is_empty() { p == TillPayment::Cash } else { payment_kept == p.as_str() };
                                let id = format!("till-pay-{}", p.as_str());
                                view! { <label class="choice"><input type="radio" id=id name="payment" value=p.as_str() checked=checked/> {p.label(locale)}</label> }
                            }).collect_view()}
                        </fieldset>
                        <label class="field">
                            <span class="field-label">{locale.pick("会员付款码（用储值余额付时扫顾客「我的 → 付款码」）", "Member's pay code (for wallet payment: scan Me → Pay code on their phone)")}</span>
                            <span class="code-entry">
                                <input type="text" name="pay_code" inputmode="numeric" maxlength="30" autocomplete="off" value=kept("pay_code")
                                    data-code-input data-code-digits="18" data-code-choose="till-pay-wallet" aria-describedby="pay_code-error"/>
                                <button type="button" class="btn btn-secondary scan-only" data-scan>{locale.pick("扫码", "Scan")}</button>
                            </span>
                            <FieldError error=error field="pay_code"/>
                        </label>
                        <CashReceived total_fen=view.total_fen error=error/>
                        <FormError error=error/>
                        <FieldError error=error field="payment"/>
                        <button type="submit" class="btn btn-primary btn-block" disabled=short>
                            {locale.pick("收款", "Take payment")} " " {Fen(view.total_fen).to_string()}
                        </button>
                    </ActionForm>
                    <a class="btn btn-secondary btn-block" href=till_href(store, "", "", "")>{locale.pick("清空这一单", "Clear this sale")}</a>
                    <ScanOverlay
                        hint=locale.pick("把顾客手机上的付款码二维码放进框里", "Hold the member's pay code QR in the frame")
                        denied=locale.pick("无法打开摄像头，请手动输入付款码下面的数字", "The camera is unavailable — type the digits under the pay code")
                        close=locale.pick("关闭", "Close")/>
                }.into_any()
            }}
        </section>
        <form method="get" action="/admin/till" class="search-form no-print" role="search">
            <input type="hidden" name="store" value=store/>
            {(!basket.is_empty()).then(|| view! { <input type="hidden" name="b" value=basket.clone()/> <input type="hidden" name="t" value=token.clone()/> })}
            <input type="search" name="q" value=q.clone() placeholder=locale.pick("搜商品", "Search products") aria-label=locale.pick("搜索", "Search")/>
            <button type="submit" class="btn btn-secondary">{locale.pick("搜索", "Search")}</button>
        </form>
        <ul class="till-grid no-print">
            {view.products.iter().map(|p| {
                let out = p.available <= 0;
                let href = till_href(store, &basket_with(&lines, p.product_id, 1), &token, &q);
                view! {
                    <li>
                        {if out {
                            view! {
                                <span class="till-product till-out" aria-disabled="true">
                                    <span class="till-product-name">{p.name.clone()}</span>
                                    <small class="muted">{locale.pick("已售罄", "Sold out")}</small>
                                </span>
                            }.into_any()
                        } else {
                            view! {
                                <a class="till-product" href=href>
                                    <span class="till-product-name">{p.name.clone()}</span>
                                    <small class="muted">{p.unit.clone()}</small>
                                    <span class="till-product-foot"><Price fen=p.price_fen was_fen=p.regular_price_fen/> <small class="muted">{format!("{}{}", locale.pick("可售", "left "), p.available)}</small></span>
                                </a>
                            }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!view.recent.is_empty()).then(|| view! {
            <h2 class="section-title no-print">{locale.pick("最近的小票", "Latest receipts")}</h2>
            <ul class="till-recent no-print">
                {view.recent.iter().map(|s| view! {
                    <li>
                        <a href=format!("/admin/till?store={store}&sale={}", s.id)>
                            <span class="num muted">{local_clock(&s.at)}</span>
                            " " {s.payment.label(locale)} " · " {format!("{}{}", s.items, locale.pick("件", " items"))}
                            " " <span class="num">{Fen(s.total_fen).to_string()}</span>
                            {s.refunded_fen.map(|r| view! { " " <span class="badge">{format!("{} {}", locale.pick("已退款", "Refunded"), Fen(r))}</span> })}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// 小票: what was sold, for how much, how it was paid, and what was refunded. Prints on its own.
#[component]
fn ReceiptCard(view: ReceiptView, store: i64, refunded: ServerAction<RefundAtTill>) -> impl IntoView {
    let locale = use_locale();
    let receipt = view.receipt;
    let query = use_query_map();
    // `refund=…` in the address: the refund being chosen (the basket's format), `all` at first.
    // Read as it changes: each − / + is a link to the same page with another choice.
    let choosing = Memo::new(move |_| query.read().get("refund"));
    let may_refund = view.may_refund;
    let shown = receipt.clone();
    let refund_block = move || match (&shown.refund, choosing.get()) {
        (Some(r), _) => {
            let back = match shown.payment {
                TillPayment::Wallet => locale.pick("已退回会员储值余额", "returned to the member's wallet"),
                TillPayment::Cash => locale.pick("现金已从钱箱退给顾客", "paid back in cash from the till"),
                TillPayment::Qr => locale.pick("已原路退回扫码付款", "paid back to the QR payment"),
            };
            view! {
                <div class="receipt-refund" data-testid="receipt-refund">
                    <p class="receipt-total"><span>{locale.pick("已退款", "Refunded")}</span><span class="num">"−" {Fen(r.amount_fen).to_string()}</span></p>
                    <ul class="receipt-lines">
                        {r.lines.iter().map(|l| view! { <li><span>{l.name.clone()} " × " {l.qty}</span><span class="num">"−" {Fen(l.price_fen * l.qty).to_string()}</span></li> }).collect_view()}
                    </ul>
                    <p class="muted">
                        {back}
                        {r.wallet_after_fen.map(|w| format!(" · {}{}", locale.pick("余额", "balance "), Fen(w)))}
                        " · " {locale.pick("店长", "Manager")} " " {r.by.clone()} " · " {local_clock(&r.at)}
                        {(!r.note.is_empty()).then(|| format!(" · {}", r.note))}
                    </p>
                </div>
            }
            .into_any()
        }
        (None, Some(chosen)) if may_refund => view! { <RefundForm receipt=shown.clone() store=store chosen=chosen refunded=refunded/> }.into_any(),
        (None, _) if may_refund => view! {
            <p class="office-actions no-print">
                <a class="btn btn-secondary" href=format!("/admin/till?store={store}&sale={}&refund=all", shown.id)>{locale.pick("退款", "Refund")}</a>
            </p>
        }
        .into_any(),
        (None, _) => ().into_any(),
    };
    view! {
        <section class="receipt" aria-label=locale.pick("小票", "Receipt") data-testid="receipt">
            <h2 class="receipt-head">{receipt.store_name.clone()}</h2>
            <p class="muted num">{locale.pick("小票号", "No.")} " " {receipt.number.clone()} " · " {local_clock(&receipt.at)}</p>
            <ul class="receipt-lines">
                {receipt.lines.iter().map(|l| view! {
                    <li>
                        <span>{l.name.clone()} " × " {l.qty}
                            {l.regular_price_fen.map(|was| view! { <small class="muted">{format!(" {} {}", locale.pick("晚市特惠 原价", "markdown, was"), Fen(was))}</small> })}
                        </span>
                        <span class="num">{Fen(l.price_fen * l.qty).to_string()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="receipt-total"><span>{locale.pick("合计", "Total")}</span><span class="num">{Fen(receipt.total_fen).to_string()}</span></p>
            <p class="muted">
                {receipt.payment.label(locale)}
                {receipt.customer.clone().map(|c| format!(" · {c}"))}
                {receipt.wallet_after_fen.map(|w| format!(" · {}{}", locale.pick("余额", "balance "), Fen(w)))}
                " · " {locale.pick("收银员", "Cashier")} " " {receipt.cashier.clone()}
            </p>
            {receipt.cash_received_fen.zip(receipt.change_fen).map(|(received, change)| view! {
                <p class="receipt-cash"><span>{locale.pick("实收", "Received")}</span><span class="num">{Fen(received).to_string()}</span></p>
                <p class="receipt-cash receipt-change"><span>{locale.pick("找零", "Change")}</span><span class="num">{Fen(change).to_string()}</span></p>
            })}
            {refund_block}
            <p class="office-actions no-print">
                <button type="button" class="btn btn-secondary" data-print="">{locale.pick("打印小票", "Print receipt")}</button>
                <a class="btn btn-primary" href=format!("/admin/till?store={store}")>{locale.pick("下一单", "Next sale")}</a>
            </p>
        </section>
    }
}

/// 退款 being chosen: every line of the sale with how many go back (plain links, like the
/// basket, so it works before the WASM arrives), the amount, a reason, and one confirmed tap.
#[component]
fn RefundForm(receipt: crate::inventory::model::Receipt, store: i64, chosen: String, refunded: ServerAction<RefundAtTill>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || refunded.value().get());
    let sold: Vec<(i64, i64)> = receipt.lines.iter().map(|l| (l.product_id, l.qty)).collect();
    // The choice, never more of a line than was sold.
    let lines: Vec<(i64, i64)> = if chosen == "all" {
        sold.clone()
    } else {
        parse_basket(&chosen).into_iter().filter_map(|(p, q)| sold.iter().find(|(s, _)| *s == p).map(|(_, n)| (p, q.min(*n)))).collect()
    };
    let qty_of = |p: i64| lines.iter().find(|(x, _)| *x == p).map_or(0, |(_, q)| *q);
    let amount: i64 = receipt.lines.iter().map(|l| l.price_fen * qty_of(l.product_id)).sum();
    let href = |selection: String| {
        let selection = if selection.is_empty() { "none".to_string() } else { selection };
        format!("/admin/till?store={store}&sale={}&refund={selection}", receipt.id)
    };
    let chosen_str = lines.iter().map(|(p, q)| format!("{p}:{q}")).collect::<Vec<_>>().join(",");
    let to = match receipt.payment {
        TillPayment::Wallet => locale.pick("退回会员的储值余额", "goes back to the member's wallet"),
        TillPayment::Cash => locale.pick("确认后请从钱箱把现金退给顾客", "then pay it back in cash from the till"),
        TillPayment::Qr => locale.pick("确认后请在收款码后台原路退回", "then refund it in the QR payment app"),
    };
    let question = format!("{} {}？{}", locale.pick("确认退款", "Refund"), Fen(amount), to);
    view! {
        <div class="receipt-refund no-print" data-testid="refund-form">
            <h3 class="section-title">{locale.pick("退款：选要退的商品和数量", "Refund: choose what comes back")}</h3>
            <ul class="till-lines">
                {receipt.lines.iter().map(|l| {
                    let q = qty_of(l.product_id);
                    let minus = href(basket_with(&lines, l.product_id, -1));
                    let plus = href(basket_with(&lines, l.product_id, 1));
                    view! {
                        <li class="till-line">
                            <span class="till-line-name">{l.name.clone()} " " <small class="muted">{format!("{}{}", locale.pick("卖出 ", "sold "), l.qty)}</small></span>
                            <span class="stepper">
                                {if q > 0 { view! { <a class="step" href=minus aria-label=locale.pick("少退一份", "One less")>"−"</a> }.into_any() } else { view! { <span class="step" aria-disabled="true">"−"</span> }.into_any() }}
                                <span class="num step-qty">{q}</span>
                                {if q < l.qty { view! { <a class="step" href=plus aria-label=locale.pick("多退一份", "One more")>"+"</a> }.into_any() } else { view! { <span class="step" aria-disabled="true">"+"</span> }.into_any() }}
                            </span>
                            <span class="num">{Fen(l.price_fen * q).to_string()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm action=refunded attr:class="form" attr:novalidate=true>
                <input type="hidden" name="store_id" value=store/>
                <input type="hidden" name="sale_id" value=receipt.id/>
                <input type="hidden" name="lines" value=chosen_str/>
                <label class="field">
                    <span class="field-label">{locale.pick("退款原因（可不填）", "Reason (optional)")}</span>
                    <input type="text" name="note" maxlength="60" value=kept("note") placeholder=locale.pick("如：草莓压坏了", "e.g. strawberries crushed") aria-describedby="note-error"/>
                    <FieldError error=error field="note"/>
                </label>
                <FieldError error=error field="items"/>
                <FormError error=error/>
                <p class="muted">{to}</p>
                <button type="submit" class="btn btn-primary btn-block" disabled=amount == 0 data-confirm=question>
                    {locale.pick("确认退款", "Refund")} " " {Fen(amount).to_string()}
                </button>
            </ActionForm>
            <a class="btn btn-secondary btn-block" href=format!("/admin/till?store={store}&sale={}", receipt.id)>{locale.pick("不退了", "Cancel")}</a>
        </div>
    }
}

/// 实收 for a cash sale: what the resident handed over. With JavaScript the change (找零) shows
/// as it is typed, and the likely notes (¥50, ¥100) fill it in one tap (public/office.js); the
/// receipt prints both either way.
#[component]
fn CashReceived(total_fen: i64, error: Signal<Option<crate::shared::AppError>>) -> impl IntoView {
    let locale = use_locale();
    let typed = RwSignal::new(kept("cash_received"));
    let change = move || {
        let t = typed.get();
        match crate::inventory::rules::parse_cash_received(&t) {
            Ok(Some(r)) if r >= total_fen => Some(format!("{} {}", locale.pick("找零", "Change"), Fen(r - total_fen))),
            Ok(Some(r)) => Some(format!("{} {}", locale.pick("还差", "Short by"), Fen(total_fen - r))),
            _ => None,
        }
    };
    // The notes a resident is likely to hand over for this total.
    let notes: Vec<i64> = [2_000, 5_000, 10_000].into_iter().filter(|n| *n >= total_fen).take(2).collect();
    view! {
        // A div, not a label: the ¥20/¥50 buttons must not become part of the field's name.
        <div class="field cash-field">
            <label class="field-label" for="cash-received">{locale.pick("实收（现金，可不填）", "Cash received (optional)")}</label>
            <span class="cash-entry">
                <input type="text" id="cash-received" name="cash_received" inputmode="decimal" maxlength="10" autocomplete="off" placeholder=locale.pick("如 50", "e.g. 50")
                    prop:value=move || typed.get() value=typed.get_untracked() on:input=move |ev| typed.set(event_target_value(&ev)) aria-describedby="cash_received-error"/>
                {notes.into_iter().map(|n| view! {
                    <button type="button" class="btn btn-secondary btn-small js-only" data-fill="cash-received" data-value=(n / 100).to_string()>{Fen(n).to_string()}</button>
                }).collect_view()}
            </span>
            <span class="cash-change num" aria-live="polite">{change}</span>
            <FieldError error=error field="cash_received"/>
        </div>
    }
}
