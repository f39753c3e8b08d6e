//! The HTML shell and the route table: the one file that names every page.
use crate::accounts::pages::{AuthActions, LoginPage, MePage, MeResource, RegisterPage, ResetPage};
use crate::analytics::pages::{InsightsPage, OrderListPage, OverviewPage};
use crate::catalog::pages::{CategoriesPage, ProductEditorPage, ProductsAdminPage};
use crate::storefront::pages::{HomePage, ProductPage};
use crate::cart::{CartActions, CartPage};
use crate::delivery::pages::RiderPage;
use crate::customers::pages::{CustomerPage, CustomersPage};
use crate::inventory::pages::{StockItemPage, StockPage, TillPage};
use crate::community::pages::{CommunityOfficePage, CommunityPage, CommunityPosterPage, CommunityPostPage};
use crate::live::pages::{LiveConsolePage, LiveListPage, LiveOfficePage, LiveRoomPage, NewLivePage};
use crate::markdowns::pages::MarkdownsPage;
use crate::group_buy::pages::{CampaignPage, CampaignsPage, GroupBuyJoinPage, GroupBuysPage, NewCampaignPage, PosterPage};
use crate::orders::pages::{CheckoutPage, NotificationsPage, OrderDetailPage, OrdersPage, PickListPage, QueuePage};
use crate::pickup::pages::DeskPage;
use crate::shared::{Locale, Msg};
use crate::stores::pages::StorePickerPage;
use crate::team::pages::{JoinPage, TeamPage};
use crate::accounts::{Me, Role};
use crate::group_buy::VIEW_ROLES;
use crate::inventory::STOCK_ROLES;
use crate::orders::DESK_ROLES;
use crate::ui::{BackOfficeShell, NotFoundNotice, ResidentShell};
use crate::wallet::COUNTER_ROLES;
use crate::wallet::pages::PayCodePage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Router, Routes, A};
use leptos_router::{path, Lazy, LazyRoute, NestedRoute, SsrMode};

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
        // The empty text is the bottom of leptos_meta's title stack: while a page's code is still
        // arriving after a click, the old page's title is gone and the tab would read "" (axe and
        // screen readers both notice); with it the tab says 邻里 until the new page names itself.
        <Title text="" formatter=move |t: String| if t.is_empty() { locale.t(Msg::AppName).to_string() } else { format!("{t} · {}", locale.t(Msg::AppName)) }/>
        <Meta name="description" content=locale.pick("邻里：家门口的生鲜店，线上线下同价同库存，到店自提更便宜。", "Linli: your neighbourhood fresh-food store — same price and stock online and in store.")/>
        <Router>
            <Routes fallback=NotFound>
                <OfficeRoutes/>
                <StaffRoutes/>
                <ResidentRoutes/>
            </Routes>
        </Router>
    }
}

/// A back-office menu entry: where it goes, its words, and who besides the owner (who may
/// open every page) has the role its page asks for, so nobody is shown a page that would
/// only answer 没有权限.
#[derive(Clone, Copy, Debug)]
pub struct MenuEntry {
    pub href: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub roles: &'static [Role],
}

impl MenuEntry {
    /// The address to link to (the overview's table line ends in a slash).
    pub fn path(&self) -> &'static str {
        self.href.strip_suffix('/').unwrap_or(self.href)
    }

    pub fn open_to(&self, me: &Me) -> bool {
        me.has(Role::Owner) || me.roles.iter().any(|g| self.roles.contains(&g.role))
    }
}

/// What `ssr=` a table line asks for: its group's mode unless it says `async`. Residents' pages
/// stream in order (the shell and skeleton at once, the data in place, whole without
/// JavaScript); the back office renders whole before it answers, so a page that is not yours
/// or not there answers 403 or 404 rather than a 200 whose status was already sent.
macro_rules! ssr_mode {
    ($group:ident) => {
        SsrMode::$group
    };
    ($group:ident async) => {
        SsrMode::Async
    };
}

/// Sibling routes as nested pairs, in order: the router matches tuples of at most 16.
macro_rules! route_list {
    ($last:expr $(,)?) => {
        ($last,)
    };
    ($first:expr, $($rest:expr),+ $(,)?) => {
        ($first, route_list!($($rest),+))
    };
}

/// The route table. Each group is a frame (a parent route and its shell) and one WASM chunk
/// (`cargo leptos build --split`): the browser fetches a group's chunk the first time someone
/// opens one of its pages, and the server names it in a preload link when it renders one. So a
/// resident's first visit carries the home page only, their other pages arrive together in one
/// file, and the back office (and riders' and invitees' pages) never reach a resident at all.
/// `main` pages are in the first download; `__preload_<chunk>` is the loader `#[lazy]` makes. Each group's pages also make its routes, and the
/// back office's `menu(...)` lines make the menu — the router and the menu read this one table.
macro_rules! route_table {
    ($(
        $routes:ident at $base:tt in $Shell:ident, $ssr_group:ident, chunk $chunk:ident($Chunk:ident, $preload:ident) {
            $( main $mpath:tt => $MPage:ident; )*
            $( page $path:tt => $Route:ident($Page:ident) $([$ssr:tt])? $(menu($zh:literal, $en:literal, $roles:expr))?; )*
        }
    )*) => {
        $(
            #[derive(Clone, Copy)]
            enum $Chunk { $($Route),* }

            /// Every page of this group: the code that lands in the group's chunk.
            #[leptos::lazy]
            fn $chunk(page: $Chunk) -> AnyView {
                match page { $($Chunk::$Route => view! { <$Page/> }.into_any()),* }
            }

            $(
                struct $Route;
                impl LazyRoute for $Route {
                    fn data() -> Self {
                        $Route
                    }
                    async fn view(_this: Self) -> AnyView {
                        $chunk($Chunk::$Route).await
                    }
                    // Fetch the chunk before the page is built: hydration needs the page's code
                    // at hand to walk the HTML the server streamed.
                    async fn preload() {
                        #[cfg(feature = "hydrate")]
                        $preload().await;
                    }
                }
            )*

            #[component(transparent)]
            fn $routes() -> impl leptos_router::MatchNestedRoutes + Clone {
                NestedRoute::new(path!($base), $Shell)
                    .ssr_mode(SsrMode::$ssr_group)
                    .child(route_list!(
                        $( NestedRoute::new(path!($mpath), $MPage).ssr_mode(SsrMode::$ssr_group), )*
                        $( NestedRoute::new(path!($path), Lazy::<$Route>::new()).ssr_mode(ssr_mode!($ssr_group $($ssr)?)), )*
                    ))
                    // Type-erased where components are (cargo-leptos builds): what the
                    // transparent component then returns.
                    .into_maybe_erased()
            }
        )*

        /// The back office's menu, in the table's order. A test (platform.rs) opens every
        /// entry as the owner, so the menu cannot point at a missing page.
        pub const OFFICE_MENU: &[MenuEntry] = &[
            $($($( MenuEntry { href: concat!($base, "/", $path), zh: $zh, en: $en, roles: $roles }, )?)*)*
        ];
    };
}

/// Who may open a back-office page besides the owner: the service's own role lists.
const ANY_STAFF: &[Role] = &[Role::Manager, Role::Staff, Role::Rider];
const MANAGERS: &[Role] = &[Role::Manager];
const OWNER_ONLY: &[Role] = &[];
/// Managers host and moderate; clerks a manager allowed do too (the pages show them their
/// stores' sessions and groups).
const LIVE_HOSTS: &[Role] = &[Role::Manager, Role::Staff];

route_table! {
    OfficeRoutes at "/admin" in Office, Async, chunk office_page(OfficeChunk, __preload_office_page) {
        page "" => OverviewRoute(OverviewPage) menu("今日概况", "Today", ANY_STAFF);
        page "insights" => InsightsRoute(InsightsPage) menu("经营分析", "Insights", MANAGERS);
        page "order-list" => OrderListRoute(OrderListPage) menu("明日采购", "Order list", MANAGERS);
        page "orders" => QueueRoute(QueuePage) menu("订单", "Orders", DESK_ROLES);
        page "desk" => DeskRoute(DeskPage) menu("自提台", "Pickup desk", DESK_ROLES);
        page "picklist" => PickListRoute(PickListPage) menu("拣货单", "Pick list", DESK_ROLES);
        page "products" => ProductsAdminRoute(ProductsAdminPage) menu("商品", "Products", MANAGERS);
        page "products/:id" => ProductEditorRoute(ProductEditorPage);
        page "categories" => CategoriesRoute(CategoriesPage);
        page "stock" => StockRoute(StockPage) menu("库存", "Stock", STOCK_ROLES);
        page "stock/:id" => StockItemRoute(StockItemPage);
        page "till" => TillRoute(TillPage) menu("收银", "Till", COUNTER_ROLES);
        page "markdowns" => MarkdownsRoute(MarkdownsPage) menu("晚市特惠", "Markdowns", STOCK_ROLES);
        page "customers" => CustomersRoute(CustomersPage) menu("会员", "Customers", COUNTER_ROLES);
        page "customers/:id" => CustomerRoute(CustomerPage);
        page "group-buys" => CampaignsRoute(CampaignsPage) menu("团购", "Group buys", VIEW_ROLES);
        page "group-buys/new" => NewCampaignRoute(NewCampaignPage);
        page "group-buys/:id" => CampaignRoute(CampaignPage);
        page "live" => LiveOfficeRoute(LiveOfficePage) menu("直播", "Live", LIVE_HOSTS);
        page "live/new" => NewLiveRoute(NewLivePage);
        page "live/:id" => LiveConsoleRoute(LiveConsolePage);
        page "community" => CommunityOfficeRoute(CommunityOfficePage) menu("邻里群", "Community", LIVE_HOSTS);
        page "community/poster" => CommunityPosterRoute(CommunityPosterPage);
        page "team" => TeamRoute(TeamPage) menu("员工", "Team", OWNER_ONLY);
    }
    // Staff pages in the residents' frame (a rider's phone, an invitee's first visit).
    StaffRoutes at "" in Resident, InOrder, chunk staff_page(StaffChunk, __preload_staff_page) {
        page "rider" => RiderRoute(RiderPage);
        page "join/:token" => JoinRoute(JoinPage);
    }
    ResidentRoutes at "" in Resident, InOrder, chunk resident_page(ResidentChunk, __preload_resident_page) {
        main "" => HomePage;
        page "stores" => StorePickerRoute(StorePickerPage);
        // Async: the title and share-preview meta depend on the product.
        page "p/:id" => ProductRoute(ProductPage) [async];
        page "group-buys" => GroupBuysRoute(GroupBuysPage);
        page "live" => LiveListRoute(LiveListPage);
        // Async: a shared room's preview (title, store, picture) is in the first bytes.
        page "live/:id" => LiveRoomRoute(LiveRoomPage) [async];
        // Async: a shared link's preview (title, price, picture) is in the first bytes.
        page "g/:id" => GroupBuyJoinRoute(GroupBuyJoinPage) [async];
        page "g/:id/poster" => PosterRoute(PosterPage);
        page "community" => CommunityRoute(CommunityPage);
        page "community/p/:id" => CommunityPostRoute(CommunityPostPage);
        page "cart" => CartRoute(CartPage);
        page "checkout" => CheckoutRoute(CheckoutPage);
        page "orders" => OrdersRoute(OrdersPage);
        page "orders/:id" => OrderDetailRoute(OrderDetailPage);
        page "me" => MeRoute(MePage);
        page "me/pay" => PayCodeRoute(PayCodePage);
        page "notifications" => NotificationsRoute(NotificationsPage);
        page "login" => LoginRoute(LoginPage);
        page "register" => RegisterRoute(RegisterPage);
        page "reset" => ResetRoute(ResetPage);
    }
}

/// The residents' frame, with the bell in its corner.
#[component]
fn Resident() -> impl IntoView {
    crate::orders::widgets::BellTick::provide();
    view! { <ResidentShell corner=crate::orders::widgets::Bell/> }
}

/// The back office's frame, with the menu entries this person may open.
#[component]
fn Office() -> impl IntoView {
    view! { <BackOfficeShell menu=OfficeMenu/> }
}

#[component]
fn OfficeMenu() -> impl IntoView {
    let locale = crate::ui::use_locale();
    let me = expect_context::<MeResource>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let me = me.await.ok().flatten();
                OFFICE_MENU
                    .iter()
                    .filter(|e| me.as_ref().is_some_and(|me| e.open_to(me)))
                    .map(|e| view! { <A href=e.path() attr:class="office-link" exact=true>{locale.pick(e.zh, e.en)}</A> })
                    .collect_view()
            })}
        </Transition>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <NotFoundNotice body=Msg::NotFoundBody/> }
}
