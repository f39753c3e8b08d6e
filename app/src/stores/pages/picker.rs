//! 选择门店: the chain's stores, nearest first once the browser shares its position.
use crate::shared::geo::format_distance;
use crate::shared::i18n::{distance_from_you, place_not_found_text, sorted_from};
use crate::stores::model::StoreList;
use crate::shared::Msg;
use crate::stores::api::{list_stores, ChooseStore};
use crate::ui::{use_locale, ErrorNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StorePickerPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    // The position arrives as ?lat=&lng= (set by the location button), so the sorted list is
    // rendered on the server and works the same with or without JavaScript.
    let point = move || {
        let q = query.read();
        (q.get("lat").and_then(|v| v.parse::<f64>().ok()), q.get("lng").and_then(|v| v.parse::<f64>().ok()), q.get("place").filter(|p| !p.is_empty()))
    };
    let stores = Resource::new(point, |(lat, lng, place)| list_stores(lat, lng, place));
    let typed = move || query.read().get("place").unwrap_or_default();
    let choose = ServerAction::<ChooseStore>::new();

    view! {
        <Title text=locale.t(Msg::ChooseStore)/>
        <h1 class="page-title">{locale.t(Msg::ChooseStore)}</h1>
        <LocateButton/>
        <form method="get" action="/stores" class="search-form" role="search">
            <input type="search" name="place" value=typed maxlength="20" placeholder=locale.t(Msg::PlacePlaceholder) aria-label=locale.t(Msg::FindByPlace)/>
            <button type="submit" class="btn btn-search">{locale.t(Msg::Search)}</button>
        </form>
        <Suspense fallback=|| view! { <ShelfSkeleton/> }>
            {move || {
                let typed = typed();
                Suspend::new(async move {
                match stores.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(list) if list.stores.is_empty() => view! { <p class="empty">{locale.t(Msg::NoStores)}</p> }.into_any(),
                    Ok(StoreList { stores: list, place, other_places, place_not_found }) => view! {
                        {place_not_found.then(|| view! { <p class="notice">{place_not_found_text(locale, &typed)}</p> })}
                        {place.map(|p| view! { <p class="hint place-hint">{sorted_from(locale, &p.name, &p.district)}</p> })}
                        {(!other_places.is_empty()).then(|| view! {
                            <nav class="category-chips" aria-label=locale.t(Msg::FindByPlace)>
                                {other_places.into_iter().map(|p| view! {
                                    <a class="chip" href=format!("/stores?place={}", crate::shared::url::encode(&p.name))>{p.name.clone()}</a>
                                }).collect_view()}
                            </nav>
                        })}
                        <ul class="store-list">
                            {list.into_iter().map(|s| view! {
                                <li class="card store-card">
                                    <ActionForm action=choose>
                                        <input type="hidden" name="store_id" value=s.id/>
                                        <button type="submit" class="store-choice">
                                            <span class="store-choice-name">{s.name.clone()}</span>
                                            <span class="store-choice-address">{s.address.clone()}</span>
                                            <span class="store-choice-meta">
                                                {s.distance_m.map(|d| distance_from_you(locale, &format_distance(d)))}
                                                {s.delivers.map(|d| view! {
                                                    <span class="badge" class:badge-ok=d>{locale.t(if d { Msg::Delivers } else { Msg::PickupOnly })}</span>
                                                })}
                                                <span>{locale.t(Msg::OpeningHours)} " " {s.opens_at.clone()} "–" {s.closes_at.clone()}</span>
                                            </span>
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// Asks the browser for its position (only on a tap: consent first) and reloads the list
/// sorted by distance. Without JavaScript the button is not shown; the list still works.
#[component]
fn LocateButton() -> impl IntoView {
    let locale = use_locale();
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::geo::locate_and_reload();
    };
    view! {
        <Show when=move || hydrated.get()>
            <button type="button" class="btn btn-secondary btn-block" on:click=locate>{locale.t(Msg::UseMyLocation)}</button>
        </Show>
    }
}

/// What a store-bound page (团购, 直播) shows before the resident has picked a store: why, and
/// the way to the picker.
#[component]
pub fn PickStoreFirst(why: &'static str) -> impl IntoView {
    let locale = crate::ui::use_locale();
    view! {
        <section class="card">
            <p>{why}</p>
            <a class="btn btn-primary btn-block" href="/stores">{locale.pick("选择门店", "Choose a store")}</a>
        </section>
    }
}
