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
use leptos_router::{path, SsrMode};

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
                <meta name="theme-color" content="#1f9d55"/>
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
                    <Route path=path!("") view=OverviewPage ssr=SsrMode::InOrder/>
                    <Route path=path!("orders") view=QueuePage ssr=SsrMode::InOrder/>
                    <Route path=path!("desk") view=DeskPage ssr=SsrMode::InOrder/>
                    <Route path=path!("picklist") view=PickListPage ssr=SsrMode::InOrder/>
                    <Route path=path!("products") view=ProductsAdminPage ssr=SsrMode::InOrder/>
                    <Route path=path!("products/:id") view=ProductEditorPage ssr=SsrMode::InOrder/>
                    <Route path=path!("categories") view=CategoriesPage ssr=SsrMode::InOrder/>
                    <Route path=path!("stock") view=StockPage ssr=SsrMode::InOrder/>
                    <Route path=path!("stock/:id") view=StockItemPage ssr=SsrMode::InOrder/>
                    <Route path=path!("till") view=TillPage ssr=SsrMode::InOrder/>
                    <Route path=path!("markdowns") view=MarkdownsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("team") view=TeamPage ssr=SsrMode::InOrder/>
                    <Route path=path!("customers") view=CustomersPage ssr=SsrMode::InOrder/>
                    <Route path=path!("customers/:id") view=CustomerPage ssr=SsrMode::InOrder/>
                    <Route path=path!("group-buys") view=CampaignsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("group-buys/new") view=NewCampaignPage ssr=SsrMode::InOrder/>
                    <Route path=path!("group-buys/:id") view=CampaignPage ssr=SsrMode::InOrder/>
                </ParentRoute>
                <ParentRoute path=path!("") view=ResidentShell>
                    <Route path=path!("") view=HomePage ssr=SsrMode::InOrder/>
                    <Route path=path!("stores") view=StorePickerPage ssr=SsrMode::InOrder/>
                    // Async: the title and share-preview meta depend on the product.
                    <Route path=path!("p/:id") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("group-buys") view=GroupBuysPage ssr=SsrMode::InOrder/>
                    // Async: a shared link's preview (title, price, picture) is in the first bytes.
                    <Route path=path!("g/:id") view=GroupBuyJoinPage ssr=SsrMode::Async/>
                    <Route path=path!("g/:id/poster") view=PosterPage ssr=SsrMode::InOrder/>
                    <Route path=path!("live") view=LivePage ssr=SsrMode::InOrder/>
                    <Route path=path!("cart") view=CartPage ssr=SsrMode::InOrder/>
                    <Route path=path!("checkout") view=CheckoutPage ssr=SsrMode::InOrder/>
                    <Route path=path!("orders") view=OrdersPage ssr=SsrMode::InOrder/>
                    <Route path=path!("orders/:id") view=OrderDetailPage ssr=SsrMode::InOrder/>
                    <Route path=path!("me") view=MePage ssr=SsrMode::InOrder/>
                    <Route path=path!("me/pay") view=PayCodePage ssr=SsrMode::InOrder/>
                    <Route path=path!("notifications") view=NotificationsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("rider") view=RiderPage ssr=SsrMode::InOrder/>
                    <Route path=path!("join/:token") view=JoinPage ssr=SsrMode::InOrder/>
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::InOrder/>
                    <Route path=path!("register") view=RegisterPage ssr=SsrMode::InOrder/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <NotFoundNotice body=Msg::NotFoundBody/> }
}
