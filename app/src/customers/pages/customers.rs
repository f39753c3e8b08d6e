//! 会员: the counter finds a resident by name or the last digits of the phone, sees their
//! wallet, orders here and notes, tops up with a printable receipt, and reverses a mistaken
//! top-up. Plain forms and links: works without JavaScript.
use crate::customers::api::{load_customer, load_customers, IssuePasswordReset, ReverseTopUp, TopUpWallet};
use crate::customers::model::{CustomerHit, CustomerView, CustomersView, WalletLine};
use crate::shared::AppError;
use crate::shared::money::Fen;
use crate::shared::time::local_clock;
use crate::stores::model::StoreChoice;
use crate::ui::form::{form_error, kept, successes};
use crate::ui::{store_chips, use_locale, AskFirst, FieldError, FormError, Price, OfficePage};
use crate::wallet::model::EntryKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CustomersPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        (q.get("store").and_then(|s| s.parse::<i64>().ok()), q.get("q"))
    });
    let data = Resource::new(move || params.get(), |(store, q)| load_customers(store, q));
    view! {
        <OfficePage title=locale.pick("会员", "Customers") data=data let:v>
            <CustomerList view=v q=params.get_untracked().1.unwrap_or_default()/>
        </OfficePage>
    }
}

#[component]
fn CustomerSearch(store: Option<i64>, q: String, error: Option<crate::shared::AppError>) -> impl IntoView {
    let locale = use_locale();
    let error = Signal::stored(error);
    view! {
        <form method="get" action="/admin/customers" class="search-form" role="search">
            {store.map(|s| view! { <input type="hidden" name="store" value=s/> })}
            <input type="search" name="q" value=q autofocus placeholder=locale.pick("姓名，或手机号后4位", "Name, or the phone's last 4 digits")
                aria-label=locale.pick("搜会员", "Search customers") aria-describedby="q-error"/>
            <button type="submit" class="btn btn-secondary">{locale.pick("搜索", "Search")}</button>
        </form>
        <FieldError error=error field="q"/>
    }
}

#[component]
fn CustomerList(view: CustomersView, q: String) -> impl IntoView {
    let locale = use_locale();
    let store = view.store_id;
    view! {
        <header class="office-head">
            <h1 class="page-title">{locale.pick("会员", "Customers")} " · " {view.store_name.clone()}</h1>
        </header>
        {store_chips(view.stores.iter().map(StoreChoice::pair).collect(), store, |id| format!("/admin/customers?store={id}"))}
        <CustomerSearch store=Some(store) q=q error=view.search_error.clone()/>
        {if view.search_error.is_some() {
            ().into_any()
        } else if !view.searched {
            view! { <p class="hint">{locale.pick("会员来充值、查余额时，输入手机号后4位或姓名找到TA", "When a member tops up or asks about the balance, find them by the phone's last 4 digits or name")}</p> }.into_any()
        } else if view.hits.is_empty() {
            view! { <p class="empty-state">{locale.pick("没有找到，换个关键词试试", "Nobody found — try something else")}</p> }.into_any()
        } else {
            view! {
                <ul class="customer-list">
                    {view.hits.into_iter().map(|h| view! { <CustomerRow hit=h store=store/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn CustomerRow(hit: CustomerHit, store: i64) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li>
            <a class="customer-row" href=format!("/admin/customers/{}?store={store}", hit.id)>
                <span class="customer-name">{hit.name.clone()} " " <small class="muted num">{hit.phone.clone()}</small></span>
                <span class="muted">{format!("{} {}", locale.pick("本店订单", "orders here"), hit.orders_here)}</span>
                <span class="customer-balance">{locale.pick("余额", "Balance")} " " <Price fen=hit.wallet_fen/></span>
            </a>
        </li>
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let topped = ServerAction::<TopUpWallet>::new();
    let reversed = ServerAction::<ReverseTopUp>::new();
    let reset = ServerAction::<IssuePasswordReset>::new();
    let (topped_ok, reversed_ok) = (successes(move || topped.value().get()), successes(move || reversed.value().get()));
    let reset_ok = successes(move || reset.value().get());
    let key = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("store").and_then(|s| s.parse::<i64>().ok()),
            params.read().get("id").and_then(|s| s.parse::<i64>().ok()),
            q.get("entry").and_then(|s| s.parse::<i64>().ok()),
        )
    });
    let data = Resource::new(
        move || (key.get(), topped_ok.get(), reversed_ok.get(), reset_ok.get()),
        |((store, id, _), _, _, _)| async move {
            load_customer(store, id.ok_or_else(AppError::not_found)?).await
        },
    );
    view! {
        <OfficePage title=locale.pick("会员", "Customer") data=data let:v>
            {
                // With JavaScript on, the new entry comes from the action itself; the newest
                // entry (ids only grow) is the one just booked.
                let shown = [topped.value().get_untracked().and_then(|r| r.ok()), reversed.value().get_untracked().and_then(|r| r.ok()), key.get_untracked().2].into_iter().flatten().max();
                view! { <Customer view=v shown=shown topped=topped reversed=reversed reset=reset/> }
            }
        </OfficePage>
    }
}

#[component]
fn Customer(
    view: CustomerView,
    shown: Option<i64>,
    topped: ServerAction<TopUpWallet>,
    reversed: ServerAction<ReverseTopUp>,
    reset: ServerAction<IssuePasswordReset>,
) -> impl IntoView {
    let locale = use_locale();
    // Without JavaScript both forms read the bounced error: a refused reversal says so in the
    // ledger, not under the top-up.
    let reversal_bounced = !kept("reversal").is_empty();
    let top_up_any = form_error(move || topped.value().get());
    let top_up_error = Signal::derive(move || top_up_any.get().filter(|_| !reversal_bounced || topped.value().get().is_some()));
    let reverse_error = form_error(move || reversed.value().get());
    let reset_error = form_error(move || reset.value().get());
    let CustomerView { store_id, store_name, id, name, phone, wallet_fen, orders_here, entries, orders, notes, top_up_key, reset: reset_shown } = view;
    let receipt = shown.and_then(|e| entries.iter().find(|l| l.id == e).cloned());
    let (store_for_receipt, name_for_receipt) = (store_name.clone(), name.clone());
    view! {
        <header class="office-head no-print">
            <h1 class="page-title">{name.clone()} " " <small class="muted num">{phone.clone()}</small></h1>
            <nav class="office-actions">
                <a class="btn btn-secondary" href=format!("/admin/customers?store={store_id}")>{locale.pick("返回会员", "Back to customers")} " · " {store_name.clone()}</a>
            </nav>
        </header>
        {receipt.map(|l| view! { <TopUpReceipt line=l store=store_for_receipt customer=name_for_receipt/> })}
        <dl class="stock-figures-big no-print">
            <div><dt>{locale.pick("储值余额", "Wallet balance")}</dt><dd class="num" data-testid="balance">{Fen(wallet_fen).to_string()}</dd></div>
            <div><dt>{locale.pick("本店订单", "Orders here")}</dt><dd class="num">{orders_here}</dd></div>
        </dl>
        <section class="office-section no-print">
            <h2 class="section-title">{locale.pick("充值", "Top up")}</h2>
            <ActionForm action=topped attr:class="form inline-fields" attr:novalidate=true>
                <input type="hidden" name="store_id" value=store_id/>
                <input type="hidden" name="user_id" value=id/>
                <input type="hidden" name="key" value=top_up_key/>
                <label class="field">
                    <span class="field-label">{locale.pick("收到的金额（元）", "Amount received (yuan)")}</span>
                    <input type="text" name="amount" inputmode="decimal" required autocomplete="off" value=kept("amount") placeholder="100" aria-describedby="amount-error"/>
                    <FieldError error=top_up_error field="amount"/>
                </label>
                <button type="submit" class="btn btn-primary">{locale.pick("确认充值", "Top up")}</button>
            </ActionForm>
            <FormError error=top_up_error/>
        </section>
        {(!notes.is_empty()).then(|| view! {
            <section class="office-section no-print">
                <h2 class="section-title">{locale.pick("备注和偏好", "Notes and preferences")}</h2>
                <ul class="note-list">
                    {notes.into_iter().map(|n| view! { <li>{n.text} {(n.kind == "staff").then(|| view! { <small class="muted">{locale.pick("（店员记）", " (staff note)")}</small> })}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <section class="office-section no-print">
            <h2 class="section-title">{locale.pick("储值流水", "Wallet ledger")}</h2>
            <FormError error=reverse_error/>
            {if entries.is_empty() {
                view! { <p class="empty-state">{locale.pick("还没有储值记录", "No wallet movements yet")}</p> }.into_any()
            } else {
                view! {
                    <ol class="ledger">
                        {entries.into_iter().map(|l| view! { <LedgerRow line=l store=store_id user=id reversed=reversed/> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section class="office-section no-print password-reset">
            <h2 class="section-title">{locale.pick("忘记密码", "Forgotten password")}</h2>
            <FormError error=reset_error/>
            {match reset_shown {
                Some(r) => view! {
                    <p class="reset-code num" aria-label=r.code.clone()>{format!("{} {}", &r.code[..4.min(r.code.len())], &r.code[4.min(r.code.len())..])}</p>
                    <p>{format!("{}{}{}", locale.pick("把这个重置码告诉顾客（只显示这一次）。", "Give the resident this code (shown only now). It works once, until "), r.until, locale.pick(" 前有效，只能用一次。请TA在登录页点「忘记密码」，输入手机号、重置码和新密码。", " — on the login page they tap Forgot password and enter their number, this code and a new password."))}</p>
                }.into_any(),
                None => view! {
                    <p class="hint">{locale.pick("顾客忘了密码、登录被锁时，在这里给TA一个重置码。", "When a resident has forgotten their password or is locked out, give them a reset code here.")}</p>
                    <AskFirst label=locale.pick("生成重置码", "Make a reset code").to_string() question=format!("{}{name}{}{phone}{}", locale.pick("先核对是本人：请TA报出注册的称呼和手机号（", "First check it is them: ask for the name and number ("), locale.pick("，", ", "), locale.pick("），对得上再生成。重置后TA在其他手机上的登录都会退出。", "). Only then make the code. Resetting signs them out on every other phone."))>
                        <ActionForm action=reset>
                            <input type="hidden" name="store_id" value=store_id/>
                            <input type="hidden" name="user_id" value=id/>
                            <button type="submit" class="btn btn-primary">{locale.pick("核对过了，生成重置码", "Checked — make the code")}</button>
                        </ActionForm>
                    </AskFirst>
                }.into_any(),
            }}
        </section>
        <section class="office-section no-print">
            <h2 class="section-title">{locale.pick("在本店的订单", "Orders at this store")}</h2>
            {if orders.is_empty() {
                view! { <p class="empty-state">{locale.pick("还没在本店下过单", "No orders here yet")}</p> }.into_any()
            } else {
                view! {
                    <ul class="ledger">
                        {orders.into_iter().map(|o| view! {
                            <li class="ledger-row">
                                <span class="ledger-when muted num">{local_clock(&o.placed_at)}</span>
                                <span class="ledger-product num">{o.number.clone()}</span>
                                <span class="ledger-reason">{locale.t(o.status.label(o.delivery))}</span>
                                <span class="ledger-delta num">{Fen(o.total_fen).to_string()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn LedgerRow(line: WalletLine, store: i64, user: i64, reversed: ServerAction<ReverseTopUp>) -> impl IntoView {
    let locale = use_locale();
    let sign = if line.amount_fen > 0 { "+" } else { "−" };
    let detail = match (line.reverses_id, line.reversed_by, line.order_id) {
        (Some(r), _, _) => Some(format!("{} #{r}", locale.pick("冲正充值", "reverses top-up"))),
        (_, Some(_), _) => Some(locale.pick("已冲正", "reversed").to_string()),
        (_, _, Some(o)) => Some(format!("{} {o}", locale.pick("订单", "order"))),
        _ => None,
    };
    view! {
        <li class="ledger-row" class:ledger-struck=line.reversed_by.is_some()>
            <span class="ledger-when muted num">{local_clock(&line.at)}</span>
            <span class="ledger-reason">{line.kind.label(locale)} <small class="muted num">" #" {line.id}</small></span>
            <span class="ledger-delta num" class:ledger-in={line.amount_fen > 0}>{format!("{sign}{}", Fen(line.amount_fen.abs()))}</span>
            <span class="ledger-after muted num">{format!("→ {}", Fen(line.balance_after_fen))}</span>
            <span class="ledger-who muted">
                {line.store_name.clone().unwrap_or_default()} " " {line.by.clone().unwrap_or_default()} " " {detail}
            </span>
            {line.reversible.then(|| view! {
                <ActionForm action=reversed attr:class="ledger-action">
                    <input type="hidden" name="store_id" value=store/>
                    <input type="hidden" name="user_id" value=user/>
                    <input type="hidden" name="entry_id" value=line.id/>
                    <button type="submit" class="btn btn-secondary btn-small" data-confirm=locale.pick("确认冲正这笔充值？会从余额里扣回。", "Reverse this top-up? It is taken back out of the balance.")>
                        {locale.pick("冲正", "Reverse")}
                    </button>
                </ActionForm>
            })}
        </li>
    }
}


/// The counter's receipt for a top-up or a reversal. Prints on its own.
#[component]
fn TopUpReceipt(line: WalletLine, store: String, customer: String) -> impl IntoView {
    let locale = use_locale();
    let title = if line.kind == EntryKind::Reversal { locale.pick("冲正凭证", "Reversal receipt") } else { locale.pick("充值小票", "Top-up receipt") };
    view! {
        <section class="receipt" aria-label=title data-testid="receipt">
            <h2 class="receipt-head">{store}</h2>
            <p class="muted num">{title} " #" {line.id} " · " {local_clock(&line.at)}</p>
            <p class="receipt-total"><span>{customer}</span><span class="num">{format!("{}{}", if line.amount_fen > 0 { "+" } else { "−" }, Fen(line.amount_fen.abs()))}</span></p>
            <p class="muted">
                {locale.pick("余额", "Balance")} " " {Fen(line.balance_after_fen).to_string()}
                " · " {locale.pick("经办", "By")} " " {line.by.clone().unwrap_or_default()}
            </p>
            <p class="office-actions no-print">
                <button type="button" class="btn btn-secondary" data-print="">{locale.pick("打印小票", "Print receipt")}</button>
            </p>
        </section>
    }
}
