//! 今日概况: the back office's first screen.
use crate::analytics::api::office_overview;
use crate::shared::Msg;
use crate::ui::{use_locale, OfficePage};
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| office_overview());
    view! {
        <h1 class="page-title">{locale.t(Msg::YourStores)}</h1>
        <OfficePage title=locale.t(Msg::BackOffice) data=data let:stores>
            <ul class="overview-grid">
                {stores.into_iter().map(|s| view! {
                    <li class="card overview-card">
                        <h2>{s.name}</h2>
                        <p class="muted">{s.address}</p>
                        <dl class="figures">
                            <div><dt>{locale.t(Msg::ProductsOnSale)}</dt><dd class="num">{s.products}</dd></div>
                            <div class:warn=s.low_stock.gt(&0)><dt>{locale.t(Msg::LowStock)}</dt><dd class="num">{s.low_stock}</dd></div>
                            <div class:alert=s.out_of_stock.gt(&0)><dt>{locale.t(Msg::OutOfStock)}</dt><dd class="num">{s.out_of_stock}</dd></div>
                        </dl>
                    </li>
                }).collect_view()}
            </ul>
            <Routing/>
        </OfficePage>
    }
}

/// The owner's switch for LBS 分单 (others do not see it).
#[component]
fn Routing() -> impl IntoView {
    use crate::stores::api::{load_routing, SetRouting};
    let locale = use_locale();
    let set = ServerAction::<SetRouting>::new();
    let routing = Resource::new(move || set.version().get(), |_| load_routing());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                routing.await.ok().map(|on| view! {
                    <section class="card routing-card">
                        <h2 class="section-title">{locale.pick("就近分单（LBS）", "Route deliveries to the nearest store")}</h2>
                        <p>{if on {
                            locale.pick("已开启：配送订单会交给离顾客最近、且所有商品都有货的门店。", "On: a delivery goes to the store nearest the resident that has every item.")
                        } else {
                            locale.pick("已关闭：订单由顾客选的门店配送。", "Off: the store the resident chose delivers.")
                        }}</p>
                        <ActionForm action=set attr:class="inline-form">
                            <input type="hidden" name="on" value=if on { "0" } else { "1" }/>
                            <button type="submit" class="btn btn-secondary">{if on { locale.pick("关闭", "Turn off") } else { locale.pick("开启", "Turn on") }}</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Transition>
    }
}
