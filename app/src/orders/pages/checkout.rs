//! 确认订单: pickup or delivery, when, how to pay, a note — every discount and fee on its own
//! line, priced on the server. A plain form underneath: it works without JavaScript.
use crate::orders::api::{load_checkout, SubmitOrder};
use crate::orders::model::CheckoutView;
use crate::orders::rules::short_date;
use crate::shared::geo::format_distance;
use crate::shared::i18n::{delivery_point_label, items_count, short_of_min_order};
use crate::shared::{ErrorCode, Fen, Locale, Msg};
use crate::ui::form::{form_error, kept, FieldError};
use crate::ui::{use_locale, ErrorNotice, FormError, Price, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let delivery = move || query.read().get("mode").as_deref() == Some("delivery");
    let data = Resource::new(|| (), |_| load_checkout());
    let action = ServerAction::<SubmitOrder>::new();
    let error = form_error(move || action.value().get());

    view! {
        <Title text=locale.t(Msg::Checkout)/>
        <h1 class="page-title">{locale.t(Msg::Checkout)}</h1>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || {
                let delivery = delivery();
                Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => view! {
                        <section class="card auth-card">
                            <p>{locale.t(Msg::LoginToCheckout)}</p>
                            <a href="/login?next=/checkout" class="btn btn-primary btn-block">{locale.t(Msg::Login)}</a>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(v) if v.cart.lines.is_empty() => view! {
                        <section class="empty-state">
                            <p>{locale.t(Msg::CartIsEmpty)}</p>
                            <a href="/" class="btn btn-primary">{locale.t(Msg::GoShopping)}</a>
                        </section>
                    }.into_any(),
                    Ok(v) => view! { <CheckoutForm data=v delivery=delivery action=action error=error/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

fn day_word(locale: Locale, days_ahead: i64) -> &'static str {
    locale.t(match days_ahead {
        0 => Msg::Today,
        1 => Msg::Tomorrow,
        _ => Msg::DayAfter,
    })
}

#[component]
fn CheckoutForm(
    data: CheckoutView,
    delivery: bool,
    action: ServerAction<SubmitOrder>,
    error: Signal<Option<crate::shared::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let v = data;
    let store = v.store.clone();
    let goods = v.cart.goods_fen;
    let pickup_total = v.pickup_quote.total_fen;
    // The estate decides the delivery fee; with JavaScript the total follows the choice.
    let kept_community = kept("community");
    let (community, set_community) = signal(kept_community.clone());
    let points = v.delivery_points.clone();
    let fee = Signal::derive(move || {
        let c = community.get();
        points.iter().find(|p| p.community_id.to_string() == c).and_then(|p| p.fee_fen)
    });
    let total = Signal::derive(move || if delivery { fee.get().map(|f| goods + f) } else { Some(pickup_total) });
    let kept_payment = kept("payment");
    let wallet_default = if kept_payment.is_empty() { v.wallet_fen >= v.pickup_quote.total_fen && v.pickup_quote.total_fen > 0 } else { kept_payment == "wallet" };
    let can_submit = if delivery { !v.delivery_slots.is_empty() } else { !v.pickup_choices.is_empty() };
    let pickup_days: Vec<(i64, String)> = {
        let mut d: Vec<(i64, String)> = v.pickup_choices.iter().map(|c| (c.days_ahead, c.date.clone())).collect();
        d.dedup();
        d
    };

    view! {
        <nav class="seg" aria-label=locale.t(Msg::Checkout)>
            <a href="/checkout" class="seg-item" class:seg-on=!delivery aria-current=(!delivery).then_some("page")>{locale.t(Msg::PickupMode)}</a>
            <a href="/checkout?mode=delivery" class="seg-item" class:seg-on=delivery aria-current=delivery.then_some("page")>{locale.t(Msg::DeliveryMode)}</a>
        </nav>
        <ActionForm action=action attr:class="form checkout-form" attr:novalidate=true>
            <FormError error=error/>
            <input type="hidden" name="key" value=v.key.clone()/>
            <input type="hidden" name="cart_sig" value=v.cart_sig.clone()/>
            <input type="hidden" name="mode" value=if delivery { "delivery" } else { "pickup" }/>
            {if delivery {
                view! {
                    <section class="card">
                        <h2 class="section-title">{locale.t(Msg::DeliverTo)}</h2>
                        <label class="field">
                            <span class="field-label">{locale.t(Msg::Community)}</span>
                            <select name="community" required on:change=move |ev| set_community.set(event_target_value(&ev))>
                                <option value="">{locale.t(Msg::ChooseCommunity)}</option>
                                {v.delivery_points.iter().map(|p| {
                                    let label = delivery_point_label(locale, &p.name, &format_distance(p.distance_m), p.fee_fen.map(|f| Fen(f).to_string()).as_deref());
                                    let id = p.community_id.to_string();
                                    let selected = kept_community == id;
                                    view! { <option value=id disabled=p.fee_fen.is_none() selected=selected>{label}</option> }
                                }).collect_view()}
                            </select>
                            <FieldError error=error field="address"/>
                        </label>
                        <label class="field">
                            <span class="field-label">{locale.t(Msg::AddressDetail)}</span>
                            <input type="text" name="address_detail" maxlength="60" value=kept("address_detail")
                                placeholder=locale.t(Msg::AddressDetailPlaceholder) autocomplete="address-line2" aria-describedby="address_detail-error"/>
                            <FieldError error=error field="address_detail"/>
                        </label>
                        <label class="field">
                            <span class="field-label">{locale.t(Msg::DeliveryTime)}</span>
                            {if v.delivery_slots.is_empty() {
                                view! { <p class="notice">{locale.t(Msg::NoDeliveryNow)}</p> }.into_any()
                            } else {
                                view! {
                                    <select name="delivery_slot">
                                        {v.delivery_slots.iter().map(|s| {
                                            let label = if s == "asap" { locale.t(Msg::Asap).to_string() } else { format!("{} {s}", locale.t(Msg::Today)) };
                                            view! { <option value=s.clone()>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                }.into_any()
                            }}
                            <FieldError error=error field="slot"/>
                        </label>
                    </section>
                }.into_any()
            } else {
                view! {
                    <section class="card">
                        <h2 class="section-title">{locale.t(Msg::PickupAt)}</h2>
                        <p class="store-pick"><strong>{store.name.clone()}</strong><br/>{store.address.clone()}</p>
                        <label class="field">
                            <span class="field-label">{locale.t(Msg::PickupTime)}</span>
                            {if v.pickup_choices.is_empty() {
                                view! { <p class="notice">{locale.t(Msg::NoPickupWindows)}</p> }.into_any()
                            } else {
                                view! {
                                    <select name="pickup_slot">
                                        {pickup_days.into_iter().map(|(ahead, date)| {
                                            let label = format!("{} {}", day_word(locale, ahead), short_date(locale, &date));
                                            let choices: Vec<_> = v.pickup_choices.iter().filter(|c| c.date == date).cloned().collect();
                                            view! {
                                                <optgroup label=label>
                                                    {choices.into_iter().map(|c| view! { <option value=c.value>{format!("{} {}", day_word(locale, c.days_ahead), c.window)}</option> }).collect_view()}
                                                </optgroup>
                                            }
                                        }).collect_view()}
                                    </select>
                                }.into_any()
                            }}
                            <FieldError error=error field="pickup_date"/>
                        </label>
                    </section>
                }.into_any()
            }}
            <section class="card">
                <h2 class="section-title">{locale.t(Msg::PaymentMethod)}</h2>
                <label class="choice">
                    <input type="radio" name="payment" value="wallet" checked=wallet_default/>
                    <span>{locale.t(Msg::PayWallet)} <small class="muted">{format!(" {}{}", locale.t(Msg::WalletBalance), Fen(v.wallet_fen))}</small></span>
                </label>
                <label class="choice">
                    <input type="radio" name="payment" value="on_pickup" checked=!wallet_default/>
                    <span>{locale.t(if delivery { Msg::PayOnDelivery } else { Msg::PayAtPickup })}</span>
                </label>
                <FieldError error=error field="payment"/>
            </section>
            <section class="card">
                <label class="field">
                    <span class="field-label">{locale.t(Msg::NoteToStore)}</span>
                    <textarea name="note" maxlength="100" rows="2" placeholder=locale.t(Msg::NotePlaceholder)>{kept("note")}</textarea>
                    <FieldError error=error field="note"/>
                </label>
            </section>
            <section class="card summary">
                <h2 class="section-title">{v.cart.store_name.clone()} " · " {items_count(locale, v.cart.count)}</h2>
                <ul class="summary-items">
                    {v.cart.lines.iter().map(|l| view! {
                        <li><span>{l.name.clone()} " × " {l.qty}</span><span>{Fen(l.line_fen).to_string()}</span></li>
                    }).collect_view()}
                </ul>
                <dl class="summary-lines">
                    <div><dt>{locale.t(Msg::Goods)}</dt><dd>{Fen(goods).to_string()}</dd></div>
                    {(!delivery && v.pickup_quote.discount_fen > 0).then(|| view! {
                        <div class="saving"><dt>{locale.t(Msg::PickupDiscountLine)} " " <small>{store.pickup_discount.describe(locale)}</small></dt><dd>{format!("−{}", Fen(v.pickup_quote.discount_fen))}</dd></div>
                    })}
                    // What is missing for the pickup discount: a term of its own (再买¥20.04 | 即可享…).
                    {(!delivery && v.pickup_quote.discount_short_fen > 0).then(|| view! {
                        <div class="notice notice-warn" data-testid="discount-short">
                            <dt>{format!("{}{}", locale.pick("再买", "Add "), Fen(v.pickup_quote.discount_short_fen))}</dt>
                            <dd>{locale.pick("即可享", "more to get ")} {store.pickup_discount.describe(locale)}</dd>
                        </div>
                    })}
                    {delivery.then(|| view! {
                        <div><dt>{locale.t(Msg::DeliveryFeeLine)}</dt>
                            <dd>{move || fee.get().map(|f| Fen(f).to_string()).unwrap_or_else(|| locale.t(Msg::FeeByEstate).to_string())}</dd></div>
                    })}
                    {(delivery && store.min_order_fen > 0).then(|| view! {
                        <div class="muted"><dt>{locale.t(Msg::MinOrderForDelivery)}</dt><dd>{Fen(store.min_order_fen).to_string()}</dd></div>
                    })}
                    <div class="summary-total"><dt>{locale.t(Msg::TotalDue)}</dt>
                        <dd>{move || match total.get() {
                            Some(t) => view! { <Price fen=t/> }.into_any(),
                            None => view! { <span>{format!("{} + {}", Fen(goods), locale.t(Msg::DeliveryFeeLine))}</span> }.into_any(),
                        }}</dd></div>
                </dl>
                // What is missing for the delivery minimum, under the sums (a list of terms holds
                // only terms).
                {(delivery && goods < store.min_order_fen).then(|| view! {
                    <p class="notice notice-warn">{short_of_min_order(locale, &Fen(store.min_order_fen - goods).to_string())}</p>
                })}
            </section>
            <div class="checkout-bar">
                <div class="checkout-sum">{move || total.get().map(|t| view! { <Price fen=t/> })}</div>
                <button type="submit" class="btn btn-cta" disabled=move || !can_submit || action.pending().get()>
                    {move || locale.t(if action.pending().get() { Msg::Submitting } else { Msg::PlaceOrder })}
                </button>
            </div>
        </ActionForm>
    }
}
