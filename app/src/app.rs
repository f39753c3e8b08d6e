//! The HTML shell and the route table: the one file that names every page.
use crate::accounts::pages::{AuthActions, LoginPage, MePage, MeResource, RegisterPage};
use crate::analytics::pages::OverviewPage;
use crate::catalog::pages::{CategoriesPage, HomePage, ProductEditorPage, ProductPage, ProductsAdminPage};
use crate::cart::{CartActions, CartPage};
use crate::delivery::pages::RiderPage;
use crate::customers::pages::{CustomerPage, CustomersPage};
use crate::inventory::pages::{StockItemPage, StockPage, TillPage};
use crate::markdowns::pages::MarkdownsPage;
use crate::group_buy::pages::{CampaignPage, CampaignsPage, GroupBuyJoinPage, GroupBuysPage, NewCampaignPage, PosterPage};
use crate::orders::pages::{CheckoutPage, LivePage, NotificationsPage, OrderDetailPage, OrdersPage, PickListPage, QueuePage};
use crate::pickup::pages::DeskPage;
use crate::shared::{Locale, Msg};
use crate::stores::pages::StorePickerPage;
use crate::team::pages::{JoinPage, TeamPage};
use crate::ui::{BackOfficeShell, NotFoundNotice, ResidentShell};
use crate::wallet::pages::PayCodePage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The reader's language: on the server from the request, in the browser from `<html lang>`
/// (which the server wrote), so both render the same words.
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().map(|p| crate::server::request::page_locale_of(&p.headers)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Locale::from_code(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Locale::default()
        }
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = initial_locale();
    #[cfg(feature = "ssr")]
    crate::server::csp::send_for_page();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#187b43"/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = initial_locale();
    provide_context(locale);
    let auth = AuthActions::new();
    provide_context(auth);
    let me: MeResource = Resource::new(move || auth.epoch(), |_| crate::accounts::api::get_me());
    provide_context(me);
    provide_context(CartActions::new());

    view! {
        <Stylesheet id="linli" href="/pkg/linli.css"/>
        <Title formatter=move |t: String| if t.is_empty() { locale.t(Msg::AppName).to_string() } else { format!("{t} · {}", locale.t(Msg::AppName)) }/>
        <Meta name="description" content=locale.pick("邻里：家门口的生鲜店，线上线下同价同库存，到店自提更便宜。", "Linli: your neighbourhood fresh-food store — same price and stock online and in store.")/>
        // In-order streaming everywhere: the shell and skeleton go out at once, and each
        // page's data follows in place, so the HTML is whole without JavaScript (out-of-order
        // streaming would need a script to move it there).
        <Router>
            <Routes fallback=NotFound>
                <ParentRoute path=path!("/admin") view=BackOfficeShell>
                    <Route path=path!("") view={Lazy::<OverviewRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("orders") view={Lazy::<QueueRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("desk") view={Lazy::<DeskRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("picklist") view={Lazy::<PickListRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("products") view={Lazy::<ProductsAdminRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("products/:id") view={Lazy::<ProductEditorRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("categories") view={Lazy::<CategoriesRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("stock") view={Lazy::<StockRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("stock/:id") view={Lazy::<StockItemRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("till") view={Lazy::<TillRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("markdowns") view={Lazy::<MarkdownsRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("team") view={Lazy::<TeamRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("customers") view={Lazy::<CustomersRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("customers/:id") view={Lazy::<CustomerRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("group-buys") view={Lazy::<CampaignsRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("group-buys/new") view={Lazy::<NewCampaignRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("group-buys/:id") view={Lazy::<CampaignRoute>::new()} ssr=SsrMode::InOrder/>
                </ParentRoute>
                <ParentRoute path=path!("") view=|| view! { <ResidentShell corner=crate::orders::widgets::Bell/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::InOrder/>
                    <Route path=path!("stores") view={Lazy::<StorePickerRoute>::new()} ssr=SsrMode::InOrder/>
                    // Async: the title and share-preview meta depend on the product.
                    <Route path=path!("p/:id") view={Lazy::<ProductRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("group-buys") view={Lazy::<GroupBuysRoute>::new()} ssr=SsrMode::InOrder/>
                    // Async: a shared link's preview (title, price, picture) is in the first bytes.
                    <Route path=path!("g/:id") view={Lazy::<GroupBuyJoinRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("g/:id/poster") view={Lazy::<PosterRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("live") view={Lazy::<LiveRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("cart") view={Lazy::<CartRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("checkout") view={Lazy::<CheckoutRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("orders") view={Lazy::<OrdersRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("orders/:id") view={Lazy::<OrderDetailRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("me") view={Lazy::<MeRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("me/pay") view={Lazy::<PayCodeRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("rider") view={Lazy::<RiderRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("join/:token") view={Lazy::<JoinRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::InOrder/>
                    <Route path=path!("register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::InOrder/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Every page but the home page is its own WASM chunk (`cargo leptos build --split`): the
/// browser fetches it the first time someone opens that page (the server names it in a
/// preload link when it renders the page), so a resident never downloads the back office and
/// the home page's first load carries only the home page. Without JavaScript nothing changes.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    OverviewRoute => OverviewPage,
    QueueRoute => QueuePage,
    DeskRoute => DeskPage,
    PickListRoute => PickListPage,
    ProductsAdminRoute => ProductsAdminPage,
    ProductEditorRoute => ProductEditorPage,
    CategoriesRoute => CategoriesPage,
    StockRoute => StockPage,
    StockItemRoute => StockItemPage,
    TillRoute => TillPage,
    MarkdownsRoute => MarkdownsPage,
    TeamRoute => TeamPage,
    CustomersRoute => CustomersPage,
    CustomerRoute => CustomerPage,
    CampaignsRoute => CampaignsPage,
    NewCampaignRoute => NewCampaignPage,
    CampaignRoute => CampaignPage,
    StorePickerRoute => StorePickerPage,
    ProductRoute => ProductPage,
    GroupBuysRoute => GroupBuysPage,
    GroupBuyJoinRoute => GroupBuyJoinPage,
    PosterRoute => PosterPage,
    LiveRoute => LivePage,
    CartRoute => CartPage,
    CheckoutRoute => CheckoutPage,
    OrdersRoute => OrdersPage,
    OrderDetailRoute => OrderDetailPage,
    MeRoute => MePage,
    PayCodeRoute => PayCodePage,
    NotificationsRoute => NotificationsPage,
    RiderRoute => RiderPage,
    JoinRoute => JoinPage,
    LoginRoute => LoginPage,
    RegisterRoute => RegisterPage,
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <NotFoundNotice body=Msg::NotFoundBody/> }
}
