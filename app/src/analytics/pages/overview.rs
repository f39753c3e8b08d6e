//! 今日概况: the back office's first screen.
use crate::analytics::api::office_overview;
use crate::shared::{ErrorCode, Msg};
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| office_overview());
    view! {
        <Title text=locale.t(Msg::BackOffice)/>
        <h1 class="page-title">{locale.t(Msg::YourStores)}</h1>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => view! { <Redirect path="/login?next=/admin"/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(stores) => view! {
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
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
