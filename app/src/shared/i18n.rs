//! Chinese by default, English on request.
//!
//! Every message is one variant of [`Msg`] with both languages side by side, so a message
//! cannot exist in one language only: the compiler refuses a missing translation. (A
//! hand-written table instead of leptos_i18n: ~100 short messages do not need a locale
//! file pipeline or a proc-macro on every build of a 2-core machine.)
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Zh,
    En,
}

/// The cookie that remembers the reader's language.
pub const LOCALE_COOKIE: &str = "linli_lang";

impl Locale {
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.pick("zh-CN", "en")
    }

    /// The short code used in the cookie and the switch link.
    pub fn code(self) -> &'static str {
        self.pick("zh", "en")
    }

    pub fn from_code(s: &str) -> Option<Locale> {
        match s.trim() {
            "zh" | "zh-CN" | "zh-cn" => Some(Locale::Zh),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Locale {
        self.pick_locale(Locale::En, Locale::Zh)
    }

    fn pick_locale(self, zh: Locale, en: Locale) -> Locale {
        match self {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }

    /// Reads the language from a Cookie header, falling back to Accept-Language, then Chinese.
    pub fn from_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        let from_cookie = cookie.and_then(|c| {
            c.split(';').find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                (k == LOCALE_COOKIE).then(|| Locale::from_code(v)).flatten()
            })
        });
        from_cookie
            .or_else(|| {
                // Only an explicit English-first browser gets English; everyone else, Chinese.
                let first = accept_language?.split(',').next()?.trim().to_ascii_lowercase();
                first.starts_with("en").then_some(Locale::En)
            })
            .unwrap_or_default()
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }
}

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// Every fixed piece of UI text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($name),* }
        impl Msg {
            pub fn text(self, locale: Locale) -> &'static str {
                match self { $(Msg::$name => locale.pick($zh, $en)),* }
            }
        }
    };
}

messages! {
    AppName => "邻里", "Linli";
    TabHome => "首页", "Home";
    TabGroupBuy => "团购", "Group buys";
    TabLive => "直播", "Live";
    TabOrders => "订单", "Orders";
    TabMe => "我的", "Me";
    SwitchLanguage => "English", "中文";
    Login => "登录", "Log in";
    Logout => "退出登录", "Log out";
    Register => "注册", "Sign up";
    RegisterTitle => "注册邻里账号", "Create your Linli account";
    LoginTitle => "登录邻里", "Log in to Linli";
    Phone => "手机号", "Mobile number";
    PhonePlaceholder => "11位手机号", "11-digit mobile number";
    Password => "密码", "Password";
    PasswordHint => "至少8位", "At least 8 characters";
    Name => "称呼", "Name";
    NamePlaceholder => "比如：王阿姨、小李", "e.g. Auntie Wang";
    NoAccountYet => "还没有账号？", "No account yet?";
    HaveAccount => "已经有账号？", "Already have an account?";
    GoRegister => "注册一个", "Sign up";
    GoLogin => "去登录", "Log in";
    Submitting => "提交中…", "Sending…";
    SearchPlaceholder => "搜索商品，如：西红柿", "Search, e.g. tomato";
    Search => "搜索", "Search";
    AllCategories => "全部", "All";
    AllProducts => "全部商品", "All products";
    ArrivedToday => "今日到货", "Arrived today";
    SoldOut => "已售罄", "Sold out";
    NoProducts => "这里还没有商品", "No products here yet";
    NoSearchResults => "没有找到相关商品，换个词试试", "Nothing found — try another word";
    ChooseStore => "选择门店", "Choose a store";
    ChangeStore => "切换", "Change";
    NearestFirst => "离你最近的排在前面", "Nearest first";
    UseMyLocation => "用我的位置找最近的门店", "Find the nearest store from my location";
    Delivers => "可配送", "Delivers";
    PickupOnly => "仅自提", "Pickup only";
    OpeningHours => "营业时间", "Opening hours";
    DeliveryRadius => "配送范围", "Delivery radius";
    NoStores => "还没有开通门店", "No stores yet";
    Origin => "产地", "Origin";
    Producer => "生产者", "Producer";
    HarvestDate => "采摘/生产日期", "Harvested / produced";
    ShelfLife => "保质期", "Shelf life";
    Days => "天", "days";
    Traceability => "溯源信息", "Traceability";
    InStock => "有货", "In stock";
    ProductNotFound => "这件商品找不到了，可能已经下架", "This product is gone — it may have been taken off the shelf";
    Description => "商品介绍", "About this product";
    NotRecorded => "未登记", "Not recorded";
    Availability => "本店库存", "In stock here";
    Back => "返回", "Back";
    MyAccount => "我的账号", "My account";
    WalletBalance => "储值余额", "Wallet balance";
    MyRoles => "我的身份", "My roles";
    RoleOwner => "店主", "Owner";
    RoleManager => "店长", "Manager";
    RoleStaff => "店员", "Staff";
    RoleRider => "骑手", "Rider";
    RoleResident => "居民", "Resident";
    HomeStore => "常去门店", "Home store";
    BackOffice => "门店后台", "Back office";
    StaffOrders => "订单", "Orders";
    StaffPickup => "自提台", "Pickup desk";
    StaffProducts => "商品", "Products";
    StaffStock => "库存", "Stock";
    StaffGroupBuys => "团购", "Group buys";
    StaffCustomers => "顾客", "Customers";
    StaffPeople => "员工", "Staff";
    StaffData => "数据", "Figures";
    ProductsOnSale => "在售商品", "Products on sale";
    LowStock => "库存不足", "Low stock";
    OutOfStock => "缺货", "Out of stock";
    StoreCount => "门店", "Stores";
    YourStores => "你负责的门店", "Your stores";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "这个页面找不到了，回首页看看吧", "This page doesn't exist. Try the home page.";
    GoHome => "回首页", "Go home";
    ForbiddenTitle => "没有权限", "Not allowed";
    ForbiddenBody => "这一页是门店员工用的，你的账号打不开。来买菜的话，回首页逛逛吧", "This page is for the store's staff and your account can't open it. Shopping? The home page is this way.";
    NoOrdersYet => "还没有订单", "No orders yet";
    GoShopping => "去逛逛", "Start shopping";
    LoginToSeeOrders => "登录后查看订单", "Log in to see your orders";
    Product => "商品", "Product";
    Category => "分类", "Category";
    Price => "价格", "Price";
    Available => "可售", "Available";
    OnHand => "在库", "On hand";
    Reserved => "已预留", "Reserved";
    Store => "门店", "Store";
    Address => "地址", "Address";
    Cart => "购物车", "Cart";
    AddToCart => "加入购物车", "Add to cart";
    Fewer => "减少一份", "One fewer";
    More => "再加一份", "One more";
    GoCheckout => "去结算", "Check out";
    CartIsEmpty => "购物车还是空的", "Your cart is empty";
    Remove => "删除", "Remove";
    Gone => "已下架", "No longer sold";
    Goods => "商品金额", "Goods";
    PickupDiscountLine => "到店自提优惠", "Pickup discount";
    DeliveryFeeLine => "配送费", "Delivery fee";
    TotalDue => "应付", "To pay";
    TotalPaid => "实付", "Paid";
    OrderTotal => "订单金额", "Order total";
    Refunded => "已退款", "Refunded";
    RefundedToWallet => "退回储值余额", "back to your wallet";
    NothingToPay => "没有付过款，也不用再付", "Nothing was paid and nothing is due";
    Checkout => "确认订单", "Checkout";
    PickupMode => "到店自提", "Pick up";
    DeliveryMode => "送货上门", "Delivery";
    PickupTime => "自提时间", "Pickup time";
    Today => "今天", "Today";
    Tomorrow => "明天", "Tomorrow";
    DayAfter => "后天", "Day after";
    DeliveryTime => "送达时间", "Delivery time";
    Asap => "尽快送达（30分钟–2小时）", "As soon as possible (30 min–2 h)";
    Community => "小区", "Estate";
    ChooseCommunity => "请选择小区", "Choose your estate";
    OutsideArea => "超出配送范围", "outside the delivery area";
    AddressDetail => "楼栋门牌", "Building and flat";
    AddressDetailPlaceholder => "如：3幢2单元201", "e.g. Bldg 3, Unit 2, Flat 201";
    PaymentMethod => "付款方式", "Payment";
    PayWallet => "储值余额支付", "Pay from my wallet";
    PayAtPickup => "到店付款", "Pay at pickup";
    PayOnDelivery => "货到付款", "Pay on delivery";
    NoteToStore => "给门店留言", "Note to the store";
    NotePlaceholder => "如：切块、不要香菜（选填）", "e.g. cut into pieces, no coriander (optional)";
    PlaceOrder => "提交订单", "Place order";
    LoginToCheckout => "登录后就能下单，购物车会保留", "Log in to order — your cart is kept";
    NoPickupWindows => "这几天门店没有可选的自提时段", "No pickup times are open in the next days";
    NoDeliveryNow => "现在不在配送时间，可以选择到店自提", "No delivery times are open now — pick up instead";
    FeeByEstate => "按小区距离计算", "By distance to your estate";
    MinOrderForDelivery => "配送起送", "Minimum for delivery";
    OrderNumber => "订单号", "Order no.";
    PickupCode => "取货码", "Pickup code";
    DeliveryCode => "收货码", "Delivery code";
    ShowCodeAtDesk => "到店出示取货码或二维码，店员核对后交货", "Show this code or QR code at the desk to collect";
    GiveCodeToRider => "骑手送到时，把收货码告诉骑手", "Tell the rider this code at the door";
    WhatNext => "接下来", "What happens next";
    CancelOrder => "取消订单", "Cancel order";
    CancelHint => "门店开始拣货前可以取消，货款原路退回余额", "You can cancel until the store starts picking; wallet payments are refunded at once";
    OrderItems => "商品清单", "Items";
    Progress => "订单进度", "Progress";
    CallStore => "联系门店", "Call the store";
    MyOrders => "我的订单", "My orders";
    PaidFromWallet => "已用储值余额支付", "Paid from wallet";
    DeliverTo => "送货地址", "Deliver to";
    PickupAt => "自提门店", "Pick up at";
    PlacedAt => "下单时间", "Placed";
    Note => "留言", "Note";
    StatusAwaitingGroup => "待成团", "Awaiting group";
    StatusPlaced => "待接单", "Awaiting store";
    StatusAccepted => "已接单", "Accepted";
    StatusPicking => "拣货中", "Picking";
    StatusReady => "待自提", "Ready for pickup";
    StatusAwaitingRider => "待配送", "Awaiting rider";
    StatusOutForDelivery => "配送中", "Out for delivery";
    StatusCompleted => "已完成", "Completed";
    StatusCancelled => "已取消", "Cancelled";
    StatusNoShow => "未取货", "Not collected";
    OrderNotFound => "没有找到这笔订单", "No such order";
    ViewCart => "查看购物车", "View cart";
    BundleContents => "套餐内容", "What's in it";
    FindByPlace => "按小区或街道找门店", "Find a store by estate or street";
    PlacePlaceholder => "搜小区或街道，如：嘉绿苑", "Estate or street, e.g. 嘉绿苑";
    Bundles => "场景套餐", "Meal kits";
}

/// "按「嘉绿苑」（文三路）的距离排序".
pub fn sorted_from(locale: Locale, name: &str, district: &str) -> String {
    match locale {
        Locale::Zh => format!("按「{name}」（{district}）的距离排序"),
        Locale::En => format!("Sorted by distance from {name} ({district})"),
    }
}

/// "没有找到“xx”，换个小区或街道名试试".
pub fn place_not_found_text(locale: Locale, q: &str) -> String {
    match locale {
        Locale::Zh => format!("没有找到“{q}”，换个小区或街道名试试"),
        Locale::En => format!("Nothing found for “{q}” — try another estate or street"),
    }
}

/// "还差¥3.22起送，再添点或改为到店自提".
pub fn short_of_min_order(locale: Locale, missing: &str) -> String {
    match locale {
        Locale::Zh => format!("还差{missing}起送，再添点商品或改为到店自提"),
        Locale::En => format!("{missing} short of the delivery minimum — add a little more or pick up"),
    }
}

/// "共3件" — units in an order or cart.
pub fn items_count(locale: Locale, n: i64) -> String {
    match locale {
        Locale::Zh => format!("共{n}件"),
        Locale::En => format!("{n} item{}", if n == 1 { "" } else { "s" }),
    }
}

/// The line's price moved since it was added: "涨价了，加入时¥12.80".
pub fn price_changed(locale: Locale, up: bool, was: &str) -> String {
    match (locale, up) {
        (Locale::Zh, true) => format!("涨价了，加入时{was}"),
        (Locale::Zh, false) => format!("降价了，加入时{was}"),
        (Locale::En, true) => format!("Price up — was {was} when added"),
        (Locale::En, false) => format!("Price down — was {was} when added"),
    }
}

/// "嘉绿苑 · 800米 · 配送费¥3.00" for the estate list at checkout.
pub fn delivery_point_label(locale: Locale, name: &str, distance: &str, fee: Option<&str>) -> String {
    match (locale, fee) {
        (Locale::Zh, Some(f)) => format!("{name} · {distance} · 配送费{f}"),
        (Locale::Zh, None) => format!("{name} · {distance} · 超出配送范围"),
        (Locale::En, Some(f)) => format!("{name} · {distance} · delivery {f}"),
        (Locale::En, None) => format!("{name} · {distance} · outside the delivery area"),
    }
}

/// "仅剩3份" — shown when stock is low enough that a resident should know.
pub fn only_left(locale: Locale, n: i64) -> String {
    match locale {
        Locale::Zh => format!("仅剩{n}份"),
        Locale::En => format!("Only {n} left"),
    }
}

/// "“西红柿”的搜索结果".
pub fn search_results_for(locale: Locale, q: &str) -> String {
    match locale {
        Locale::Zh => format!("“{q}”的搜索结果"),
        Locale::En => format!("Results for “{q}”"),
    }
}

/// "5天" / "5 days".
pub fn days(locale: Locale, n: i64) -> String {
    match locale {
        Locale::Zh => format!("{n}天"),
        Locale::En => format!("{n} days"),
    }
}

/// "距你 1.2 km".
pub fn distance_from_you(locale: Locale, d: &str) -> String {
    match locale {
        Locale::Zh => format!("距你 {d}"),
        Locale::En => format!("{d} away"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_then_accept_language_then_chinese() {
        assert_eq!(Locale::from_headers(Some("a=b; linli_lang=en"), None), Locale::En);
        assert_eq!(Locale::from_headers(Some("linli_lang=zh"), Some("en-US,en")), Locale::Zh);
        assert_eq!(Locale::from_headers(None, Some("en-GB,en;q=0.9")), Locale::En);
        assert_eq!(Locale::from_headers(None, Some("zh-CN,zh;q=0.9,en;q=0.8")), Locale::Zh);
        assert_eq!(Locale::from_headers(Some("linli_lang=fr"), None), Locale::Zh);
        assert_eq!(Locale::from_headers(None, None), Locale::Zh);
    }

    #[test]
    fn every_message_has_both_languages() {
        assert_eq!(Msg::TabHome.text(Locale::Zh), "首页");
        assert_eq!(Msg::TabHome.text(Locale::En), "Home");
        assert_eq!(only_left(Locale::Zh, 3), "仅剩3份");
    }
}

