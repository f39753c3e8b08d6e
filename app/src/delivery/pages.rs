//! 配送 (rider): ready orders to take, and the ones on the way with a code field to confirm
//! delivery at the door. Plain forms: works on any phone, with or without JavaScript.
use super::api::{load_rider_orders, Claim, Deliver};
use crate::orders::model::{OrderStatus, StaffOrder};
use crate::orders::widgets::StaffOrderCard;
use crate::shared::ErrorCode;
use crate::ui::form::{form_error, kept};
use crate::ui::{use_locale, ErrorNotice, FieldError, FormError, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RiderPage() -> impl IntoView {
    let locale = use_locale();
    let claim = ServerAction::<Claim>::new();
    let deliver = ServerAction::<Deliver>::new();
    let data = Resource::new(move || (claim.version().get(), deliver.version().get()), |_| load_rider_orders());
    let claim_error = form_error(move || claim.value().get());
    let deliver_error = form_error(move || deliver.value().get());
    view! {
        <Title text=locale.pick("配送", "Deliveries")/>
        <h1 class="page-title">{locale.pick("配送", "Deliveries")}</h1>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => view! { <Redirect path="/login?next=/rider"/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(orders) => {
                        let (mine, open): (Vec<StaffOrder>, Vec<StaffOrder>) = orders.into_iter().partition(|o| o.status == OrderStatus::OutForDelivery);
                        view! {
                            <FormError error=claim_error/>
                            <section>
                                <h2 class="section-title">{locale.pick("我在送", "On my way")} " " <span class="num">{mine.len()}</span></h2>
                                {mine.into_iter().map(|o| {
                                    let id = o.id;
                                    let focus = use_query_map().read_untracked().get("order").and_then(|v| v.parse::<i64>().ok()) == Some(id);
                                    view! {
                                        <StaffOrderCard order=o>
                                            <ActionForm action=deliver attr:class="form" attr:novalidate=true>
                                                {focus.then(|| view! { <FormError error=deliver_error/> })}
                                                <input type="hidden" name="id" value=id/>
                                                <label class="field">
                                                    <span class="field-label">{locale.pick("顾客的取货码", "The resident's code")}</span>
                                                    <input class="code-input num" name="code" inputmode="numeric" autocomplete="off" maxlength="10"
                                                        value=if focus { kept("code") } else { String::new() }/>
                                                </label>
                                                {focus.then(|| view! { <FieldError error=deliver_error field="code"/> })}
                                                <button type="submit" class="btn btn-primary btn-block btn-big">{locale.pick("确认送达", "Delivered")}</button>
                                            </ActionForm>
                                        </StaffOrderCard>
                                    }
                                }).collect_view()}
                            </section>
                            <section>
                                <h2 class="section-title">{locale.pick("待配送", "Ready to take")} " " <span class="num">{open.len()}</span></h2>
                                {if open.is_empty() {
                                    view! { <p class="empty-state">{locale.pick("暂时没有要送的订单", "Nothing to deliver right now")}</p> }.into_any()
                                } else {
                                    open.into_iter().map(|o| {
                                        let id = o.id;
                                        view! {
                                            <StaffOrderCard order=o>
                                                <ActionForm action=claim attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="btn btn-primary btn-step">{locale.pick("我来送", "I'll take it")}</button>
                                                </ActionForm>
                                            </StaffOrderCard>
                                        }
                                    }).collect_view().into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
