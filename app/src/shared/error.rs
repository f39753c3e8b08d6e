//! One error type for every boundary: server functions, the JSON API and the pages.
//!
//! An error is a stable machine code (what the API promises), the form field it belongs to,
//! and nothing else: the words are chosen by the reader's language when it is shown, so the
//! same error reads 手机号应为11位数字 on a Chinese page and in English on an English one.
use super::i18n::Locale;
use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($($name:ident => $code:literal, $status:literal, $zh:literal, $en:literal;)*) => {
        /// Stable error codes. The API's `error.code` is the snake_case name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode { $($name),* }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$name),*];

            /// The HTTP status the JSON API answers with.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$name => $status),* }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$name => $code),* }
            }

            /// What the person reading it should be told.
            pub fn message(self, locale: Locale) -> &'static str {
                match self { $(ErrorCode::$name => locale.pick($zh, $en)),* }
            }
        }
    };
}

// One row per code: name, API code, HTTP status, Chinese, English.
error_codes! {
    InvalidPhone => "invalid_phone", 422, "手机号应为11位数字", "Enter an 11-digit mainland mobile number";
    PhoneTaken => "phone_taken", 409, "这个手机号已经注册过了，请直接登录", "This number is already registered — please log in";
    PasswordTooShort => "password_too_short", 422, "密码至少8位", "The password needs at least 8 characters";
    PasswordTooLong => "password_too_long", 422, "密码最多128位", "The password may have at most 128 characters";
    NameRequired => "name_required", 422, "请填写称呼", "Please tell us what to call you";
    NameTooLong => "name_too_long", 422, "称呼最多20个字", "The name may have at most 20 characters";
    InvalidCredentials => "invalid_credentials", 401, "手机号或密码不对", "Wrong phone number or password";
    AccountDisabled => "account_disabled", 403, "这个账号已停用，请联系门店", "This account is disabled — please contact the store";
    TooManyAttempts => "too_many_attempts", 429, "尝试次数太多，请15分钟后再试", "Too many attempts — please try again in 15 minutes";
    Unauthenticated => "unauthenticated", 401, "请先登录", "Please log in first";
    Forbidden => "forbidden", 403, "没有权限做这件事", "You are not allowed to do this";
    NotFound => "not_found", 404, "没有找到", "Not found";
    CsrfRejected => "csrf_rejected", 403, "请求来源不明，已拒绝", "Cross-site request refused";
    BadRequest => "bad_request", 400, "请求格式不对", "The request is malformed";
    InvalidCoordinates => "invalid_coordinates", 422, "位置坐标不对", "Invalid coordinates";
    IdempotencyKeyReused => "idempotency_key_reused", 422, "这个请求编号已用于另一笔操作", "This Idempotency-Key was used for a different request";
    Conflict => "conflict", 409, "操作正在处理中，请稍后再试", "The same request is still being processed — try again";
    InvalidQuantity => "invalid_quantity", 422, "数量应为1到99份", "A quantity must be between 1 and 99";
    CartEmpty => "cart_empty", 422, "购物车是空的，可能已过期，请重新挑选", "Your cart is empty (it may have expired) — please add items again";
    TooManyLines => "too_many_lines", 422, "一单最多30种商品", "An order may have at most 30 different products";
    ProductUnavailable => "product_unavailable", 422, "有商品已下架或不在这家门店卖，请从购物车删掉再下单", "A product is no longer sold at this store — remove it and try again";
    InsufficientStock => "insufficient_stock", 409, "库存不够了，请减少数量", "Not enough stock — please lower the quantity";
    OutsideDeliveryArea => "outside_delivery_area", 422, "这个地址不在门店配送范围内，可以改为到店自提", "This address is outside the store's delivery area — you can pick up at the store instead";
    BelowMinOrder => "below_min_order", 422, "还没到配送起送金额，再添点商品或改为到店自提", "Below the minimum for delivery — add more or pick up at the store";
    InvalidPickupTime => "invalid_pickup_time", 422, "请选择门店自提时间内的日期和时段", "Choose a pickup day and time within the store's pickup hours";
    InvalidSlot => "invalid_slot", 422, "请选择还来得及的配送时间", "Choose a delivery time that is still possible";
    AddressDetailRequired => "address_detail_required", 422, "请填写楼栋和门牌号，比如 3幢 201，骑手才找得到", "Enter the building and flat, e.g. Building 3, 201, so the rider can find you";
    AddressRequired => "address_required", 422, "请填写收货地址（小区、楼栋、门牌号）", "Enter the delivery address (estate, building, flat)";
    NoteTooLong => "note_too_long", 422, "备注最多100个字", "The note may have at most 100 characters";
    InsufficientBalance => "insufficient_balance", 402, "储值余额不够，请选择到店付或先到门店充值", "Your wallet balance is too low — choose pay at pickup or top up at the store";
    CartChanged => "cart_changed", 409, "购物车有变动（价格、数量或库存），请核对后再提交", "Your cart changed (prices, quantities or stock) — please check it and submit again";
    AlreadyPlaced => "already_placed", 409, "这笔订单已经提交过了，可在「我的订单」里查看", "This order was already placed — see My orders";
    InvalidTransition => "invalid_transition", 409, "订单状态已经变了，不能这样操作，请刷新后再看", "The order cannot move to that status (it may have changed) — refresh and try again";
    OrderNotReady => "order_not_ready", 409, "这单还没备好，请稍候", "This order is not ready yet";
    ReasonRequired => "reason_required", 422, "请写明原因（最多60字），顾客会看到", "Give a reason (at most 60 characters) — the resident will see it";
    InvalidPickupCode => "invalid_pickup_code", 422, "取货码是6位数字", "A pickup code has 6 digits";
    PickupCodeNotFound => "pickup_code_not_found", 404, "没有找到这个取货码的待取订单，请核对后再输", "No order waiting for pickup here has this code — check it and try again";
    InvalidPhoneTail => "invalid_phone_tail", 422, "请输入手机号后4位", "Enter the last 4 digits of the phone number";
    AlreadyCollected => "already_collected", 409, "这单已经取走了（已取货），不用再交付", "This order has already been collected";
    PickupProofRequired => "pickup_proof_required", 422, "请先核对顾客的取货码或手机尾号，再确认取货", "Check the resident's pickup code or phone tail before handing over";
    PickupProofMismatch => "pickup_proof_mismatch", 422, "取货码或手机尾号和这单对不上，请再核对", "That code or phone tail does not match this order — check again";
    WrongDeliveryCode => "wrong_delivery_code", 422, "取货码不对，请向顾客核对", "That is not this order's code — check it with the resident";
    InvalidNote => "invalid_note", 422, "备注请写1到40个字", "A note needs 1 to 40 characters";
    TooManyNotes => "too_many_notes", 422, "备注最多8条，请先删掉旧的", "At most 8 notes — remove an old one first";
    NotCancellable => "not_cancellable", 409, "门店已经开始备货，不能取消了，请联系门店", "The store has started on this order — please call the store to cancel";
    IdempotencyKeyRequired => "idempotency_key_required", 400, "缺少 Idempotency-Key 请求头", "The Idempotency-Key header is required";
    InvalidAmount => "invalid_amount", 422, "充值金额应在0.01元到1万元之间", "A top-up must be between ¥0.01 and ¥10,000";
    GroupFull => "group_full", 409, "这个团已经被抢光了，下次早点来", "This group buy is sold out";
    LimitExceeded => "limit_exceeded", 409, "超过限购数量了", "That is more than the limit allows";
    Closed => "closed", 409, "这个团已经截止或取消了，不能再参团或退出", "This group buy has closed or was cancelled";
    GroupNotEditable => "group_not_editable", 409, "已经有人参团，不能再改了；可以延期一次或取消整个团", "Households have joined — you can only extend the deadline once or cancel";
    AlreadyExtended => "already_extended", 409, "截止时间只能延长一次", "The deadline can be extended only once";
    InvalidDeadline => "invalid_deadline", 422, "截止时间要在现在之后、提货日之前（最多60天）", "The deadline must be in the future, before the pickup day (at most 60 days)";
    InvalidPickupDate => "invalid_pickup_date", 422, "提货日要在截止那天或之后7天内", "The pickup day must be on or within 7 days after the deadline";
    InvalidGroupPrice => "invalid_group_price", 422, "团购价要大于0，且不高于平时价", "The group price must be above zero and not above the usual price";
    InvalidThreshold => "invalid_threshold", 422, "成团户数1到10000户，每户限购1到99份，总量上限不少于成团户数", "Threshold 1–10,000 households, 1–99 per household, and a cap no lower than the threshold";
    TitleRequired => "title_required", 422, "请写团购标题（最多30字），故事最多300字", "Give a title (at most 30 characters); the story may have 300";
    StoresRequired => "stores_required", 422, "请至少选一家门店", "Choose at least one store";
    NotInGroup => "not_in_group", 422, "这家门店不参加这个团，请选团里的门店", "That store is not part of this group buy";
    InvalidStockChange => "invalid_stock_change", 422, "数量应为1到100000的整数：进货增加库存，报损和退货减少库存", "Enter a whole number from 1 to 100,000: receiving adds stock, write-offs and returns take it away";
    InvalidLowAt => "invalid_low_at", 422, "提醒数量应为0到9999的整数", "The alert level must be a whole number from 0 to 9,999";
    StockChanged => "stock_changed", 409, "库存刚有变动（有人下单或卖出），请按最新数量重新盘点", "The stock just changed (an order or a sale) — count again against the new figure";
    BasketEmpty => "basket_empty", 422, "还没有选商品", "Add something to the sale first";
    CustomerNotFound => "customer_not_found", 422, "没有找到这个手机号的会员", "No member has this phone number";
    PayCodeRequired => "pay_code_required", 422, "用储值余额付，请扫会员手机上的付款码（我的 → 付款码）", "To pay from the wallet, scan the member's payment code (Me → Pay code)";
    CashShort => "cash_short", 422, "实收比应收少，请再点一下钱，或不填实收", "Less cash than the total — count it again, or leave it blank";
    InvalidCash => "invalid_cash", 422, "实收按元填写，比如 50 或 20.5", "Enter the cash in yuan, e.g. 50 or 20.5";
    SaleAlreadyTaken => "sale_already_taken", 409, "这一单已经收过款了，小票在「最近的小票」里；下一位顾客请点「清空这一单」重新开始", "This sale was already paid — see Latest receipts; start the next customer with Clear this sale";
    PayCodeInvalid => "pay_code_invalid", 422, "付款码不对、已用过或已过期，请顾客刷新付款码再扫", "This payment code is wrong, used or expired — ask the member to refresh it and scan again";
    InvalidCount => "invalid_count", 422, "盘点数量应为0到100000的整数", "A count is a whole number from 0 to 100,000";
    InvalidSaleQuantity => "invalid_sale_quantity", 422, "每样商品一次最多卖999件", "At most 999 of one product in a sale";
    CountBelowHeld => "count_below_held", 409, "线上订单还占着更多的货，先处理这些订单再盘点", "Online orders hold more than this count — deal with those orders first";
    AlreadyReversed => "already_reversed", 409, "这笔充值已经冲正过了", "This top-up has already been reversed";
    NotReversible => "not_reversible", 409, "只有门店充值可以冲正", "Only a counter top-up can be reversed";
    ReversalNotCovered => "reversal_not_covered", 409, "余额已经用掉一部分，不够冲正这笔充值", "Part of this top-up has been spent — the balance cannot cover the reversal";
    InvalidSearch => "invalid_search", 422, "请输入姓名，或手机号的后4位以上", "Enter a name, or at least the last 4 digits of a phone number";
    PhotoTooLarge => "photo_too_large", 413, "照片不能超过10MB，换一张或压缩一下再传", "A photo may be at most 10 MB";
    PhotoTooBig => "photo_too_big", 422, "照片尺寸太大了（最长边不超过10000像素，总共不超过4000万像素）", "The photo is too large (at most 10,000 px a side, 40 megapixels in all)";
    PhotoTooSmall => "photo_too_small", 422, "照片太小了，短边至少200像素，不然顾客看不清", "The photo is too small — at least 200 px on the short side";
    NotAnImage => "not_an_image", 422, "这不是照片文件，请上传JPG、PNG或WebP格式的照片", "That is not a photo — upload a JPG, PNG or WebP picture";
    BrokenImage => "broken_image", 422, "照片文件损坏了，打不开，换一张试试", "The photo file is damaged and cannot be opened — try another";
    TooManyPhotos => "too_many_photos", 422, "每个商品最多9张照片，先删掉一张", "At most 9 photos a product — remove one first";
    InvalidProductName => "invalid_product_name", 422, "商品名写1到30个字", "A product name has 1 to 30 characters";
    InvalidUnit => "invalid_unit", 422, "规格写1到12个字，比如 500g/份、1只、12枚/盒", "The spec has 1 to 12 characters, e.g. 500g, 1 each, box of 12";
    InvalidPrice => "invalid_price", 422, "价格按元填写，比如 12.8，要大于0、不超过10万元", "Enter the price in yuan, e.g. 12.8 (above 0, at most ¥100,000)";
    CategoryRequired => "category_required", 422, "请选一个还在用的分类", "Choose a category that is in use";
    OriginTooLong => "origin_too_long", 422, "产地最多20个字", "The origin may have at most 20 characters";
    ProducerTooLong => "producer_too_long", 422, "生产者最多30个字", "The producer may have at most 30 characters";
    DescriptionTooLong => "description_too_long", 422, "介绍最多300个字", "The description may have at most 300 characters";
    InvalidHarvestDate => "invalid_harvest_date", 422, "采摘/生产日期按 2026-11-28 这样填，不能晚于今天", "The harvest date looks like 2026-11-28 and cannot be after today";
    InvalidShelfLife => "invalid_shelf_life", 422, "保质期填1到3650之间的天数", "Shelf life is a number of days from 1 to 3,650";
    InvalidTags => "invalid_tags", 422, "标签最多5个，每个最多8个字，用逗号隔开", "At most 5 tags of up to 8 characters, separated by commas";
    InvalidCategoryName => "invalid_category_name", 422, "分类名最多8个字（英文名最多24个字母）", "A category name has up to 8 characters (English up to 24)";
    InvalidSort => "invalid_sort", 422, "排序填0到999的数字，越小越靠前", "The position is a number from 0 to 999 — smaller comes first";
    CategoryInUse => "category_in_use", 409, "这个分类下还有在卖的商品，先把它们下架或换到别的分类", "Products on sale are still in this category — retire or move them first";
    PriceIsOwners => "price_is_owners", 403, "统一售价和分类由老板定，店长可以改介绍、标签和照片", "Prices and categories are set by the owner; managers may edit descriptions, tags and photos";
    StorePricingOff => "store_pricing_off", 409, "这个商品全店统一价，老板没有开放门店自己定价", "This product has one price in every store — the owner has not allowed store prices";
    InvalidRole => "invalid_role", 422, "只能邀请为店长、店员或骑手", "Invite someone as a manager, staff or rider";
    ResetCodeInvalid => "reset_code_invalid", 422, "重置码不对或已过期（15分钟内有效，只能用一次），请到门店收银台重新获取", "That reset code is wrong or has expired (it works once, for 15 minutes) — ask at the store's counter for a new one";
    InviteNotValid => "invite_not_valid", 404, "这个邀请链接已失效（过期、用过或被撤销），请让老板重新邀请", "This invitation has expired, been used or been withdrawn — ask the owner for a new one";
    AlreadyOnTeam => "already_on_team", 409, "这个人已经在这家店做这个岗位了", "This person already has this role at this store";
    LoginAsInvitee => "login_as_invitee", 403, "这个邀请是给另一个手机号的，请用受邀的手机号登录后再接受", "This invitation is for another number — log in with the invited number to accept it";
    OwnerUntouchable => "owner_untouchable", 409, "老板的账号不能在这里停用或改岗位", "The owner's account cannot be deactivated or changed here";
    InvalidMarkdownName => "invalid_markdown_name", 422, "规则名称写1到12个字，比如 晚市特惠", "A rule name has 1 to 12 characters, e.g. Evening markdown";
    MarkdownCategoriesRequired => "markdown_categories_required", 422, "请至少选一个打折的分类", "Choose at least one category to mark down";
    InvalidMarkdownTiers => "invalid_markdown_tiers", 422, "特惠分1到3档：开始时间按 19:00 这样填，一档比一档晚；折扣填1到9.9折，一档比一档低", "One to three tiers: start times like 19:00, each later than the one before; discounts from 1 to 9.9 (折), each deeper than the one before";
    InvalidMarkdownUntil => "invalid_markdown_until", 422, "结束时间按 22:00 这样填，最晚 24:00，要晚于第一档的开始时间", "The end time looks like 22:00 (24:00 at the latest) and must be after the first tier starts";
    MarkdownOverlap => "markdown_overlap", 409, "这个分类在这个时段已经有特惠规则了，先停用或删掉那一条", "This category already has a markdown in that time — pause or delete that rule first";
    InvalidBundle => "invalid_bundle", 422, "套餐由1到8样单品组成，每样1到99份；不能放进套餐自己或别的套餐", "A bundle holds 1 to 8 single products, 1 to 99 of each — not itself or another bundle";
    BundleHasStock => "bundle_has_stock", 409, "这个商品自己还有库存或被订单占着，先把库存盘点清零再做成套餐", "This product still has stock of its own or held by orders — count it down to zero before making it a bundle";
    BundleIsPart => "bundle_is_part", 409, "这个商品是别的套餐里的一样，不能再做成套餐", "This product is part of another bundle and cannot become one";
    ClearOutUnconfirmed => "clear_out_unconfirmed", 422, "先勾选确认：这些货今天卖不掉、要报损", "Tick the box first: these goods will not sell today and are to be written off";
    InvalidClearOut => "invalid_clear_out", 422, "日清报损要选商品，每样数量为1到100000的整数", "Choose products to write off, each a whole number from 1 to 100,000";
    AlreadyRefunded => "already_refunded", 409, "这张小票已经退过款了，每张小票只能退一次", "This receipt has already been refunded (once per receipt)";
    InvalidRefund => "invalid_refund", 422, "请选这张小票上的商品，退的数量在1件和卖出的件数之间", "Choose lines of this receipt, from 1 up to the number sold";
    RefundIsManagers => "refund_is_managers", 403, "退款要店长来操作，请找店长", "Refunds are done by the store's manager";
    AlreadyReceived => "already_received", 409, "这家店已经为这个团购做过到货入库了", "This store has already booked in this group buy's goods";
    GroupNotSucceeded => "group_not_succeeded", 409, "团购成团以后才能到货入库", "Goods are booked in only once the group buy has succeeded";
    GroupNotReceived => "group_not_received", 409, "这个团购的货还没在本店入库：先到团购页点「到货入库」，再备货交付", "This group buy's goods are not booked in at this store yet — use Goods arrived on the group buy's page first";
    LiveTitleRequired => "live_title_required", 422, "请写直播标题（1到30个字）", "Give the live session a title (1 to 30 characters)";
    InvalidLiveStart => "invalid_live_start", 422, "开播时间要在现在之后，最多提前60天安排", "The start must be in the future, at most 60 days ahead";
    InvalidStreamUrl => "invalid_stream_url", 422, "播放地址要以 https:// 开头（HLS 的 .m3u8 地址），可以不填", "The playback address must start with https:// (an HLS .m3u8 address), or be left empty";
    LiveLineupRequired => "live_lineup_required", 422, "直播要上1到30款商品，同一款只能上一次", "A live session sells 1 to 30 products, each once";
    InvalidLivePrice => "invalid_live_price", 422, "直播价要大于0，且不高于平时价", "The live price must be above zero and not above the usual price";
    InvalidLiveStock => "invalid_live_stock", 422, "直播预留1到10000件，每人限购1到99件", "Set aside 1 to 10,000 units, with a limit of 1 to 99 per resident";
    LiveStockShort => "live_stock_short", 409, "货架上没有这么多可以留给直播的货，请少留一些或先进货", "The shelf does not have that many units to set aside — set aside fewer or receive goods first";
    NotInLineup => "not_in_lineup", 422, "这款商品不在这场直播的商品里", "That product is not in this live session's line-up";
    SoldOut => "sold_out", 409, "这款已经抢光了", "This one is sold out";
    NotLive => "not_live", 409, "直播还没开始或已经结束了，直播价只在直播中有效", "The session is not live — live prices hold only while it is";
    InvalidComment => "invalid_comment", 422, "评论写1到60个字", "Write a comment of 1 to 60 characters";
    CommentTooFast => "comment_too_fast", 429, "发得太快了，稍等几秒再说", "Too fast — wait a few seconds before the next comment";
    CommentBlocked => "comment_blocked", 422, "这条评论含有本店直播间不允许的词，换个说法吧", "This comment contains a word this store's live room does not allow — please rephrase";
    Muted => "muted", 403, "你在这场直播里被禁言了", "You have been muted in this live session";
    NotMember => "not_member", 403, "先加入本店的邻里群，才能看群里的消息和发言", "Join this store's group first to read and write in it";
    RemovedFromGroup => "removed_from_group", 403, "你已被门店移出邻里群，如有疑问请到店里问问", "The store removed you from its group — ask at the store if you think this is a mistake";
    GroupMuted => "group_muted", 403, "你被门店暂时禁言了，到时间后就能再发言", "The store has muted you for now — you can write again when it ends";
    InvalidDisplayName => "invalid_display_name", 422, "群里的称呼写1到10个字，比如 王阿姨", "A group name has 1 to 10 characters, e.g. Auntie Wang";
    InvalidEstate => "invalid_estate", 422, "小区或楼栋写1到15个字，比如 嘉绿苑3幢", "The estate or building has 1 to 15 characters";
    InvalidPost => "invalid_post", 422, "内容写1到500个字", "Write 1 to 500 characters";
    InvalidGroupComment => "invalid_group_comment", 422, "评论写1到200个字", "A comment has 1 to 200 characters";
    PostTooFast => "post_too_fast", 429, "发得太快了，歇一会儿再发", "Too fast — wait a moment before posting again";
    PostBlocked => "post_blocked", 422, "内容里有本店不允许的词，换个说法吧", "This contains a word the store does not allow — please rephrase";
    TooManyPostPhotos => "too_many_post_photos", 422, "一次最多6张照片", "At most 6 photos a post";
    NotBought => "not_bought", 422, "晒单只能晒在本店买到手的商品", "You can only show off a product you bought and received at this store";
    InvalidPoll => "invalid_poll", 422, "投票的问题写1到60个字", "A poll's question has 1 to 60 characters";
    InvalidPollOptions => "invalid_poll_options", 422, "投票要有2到10个不重复的选项，每个最多20个字", "A poll needs 2 to 10 different choices of at most 20 characters";
    InvalidPollClose => "invalid_poll_close", 422, "截止时间要在1小时以后、30天以内", "The poll must close between an hour and 30 days from now";
    PollClosed => "poll_closed", 409, "投票已经截止了", "This poll has closed";
    AlreadyVoted => "already_voted", 409, "你已经投过票了", "You have already voted";
    InvalidVote => "invalid_vote", 422, "请选择选项（单选只能选一个）", "Choose an option (only one in a single-choice poll)";
    InvalidMute => "invalid_mute", 422, "禁言时长1分钟到30天", "A mute lasts from 1 minute to 30 days";
    AlreadyReported => "already_reported", 409, "你已经举报过了，门店会尽快处理", "You have already reported this — the store will look at it soon";
    NoArrivalsToday => "no_arrivals_today", 409, "今天还没有进货记录，先在库存里登记进货", "Nothing has been booked in today — record today's deliveries in Stock first";
    InvalidDate => "invalid_date", 422, "日期按 2026-12-07 这样填", "A date looks like 2026-12-07";
    InvalidPeriod => "invalid_period", 422, "统计周期选 日、周 或 月", "The period is a day, a week or a month";
    InvalidPlanQuantity => "invalid_plan_quantity", 422, "采购数量填 0 到 100000 的整数", "A quantity to buy is a whole number from 0 to 100000";
    InvalidUnitCost => "invalid_unit_cost", 422, "进货价按每件多少元填，比如 3.5，不能超过 100000 元", "The purchase cost is yuan per unit, e.g. 3.5, at most 100000";
    CommentsClosed => "comments_closed", 409, "直播已经结束，不能再评论了", "The live session has ended — comments are closed";
    InvalidSlowMode => "invalid_slow_mode", 422, "慢速模式要在0到300秒之间（0是关闭）", "Slow mode is 0 to 300 seconds (0 turns it off)";
    InvalidBannedWords => "invalid_banned_words", 422, "屏蔽词最多200个，每个1到20个字", "Up to 200 banned words, each 1 to 20 characters";
    NotStaffHere => "not_staff_here", 422, "只能选本店的店员", "Choose staff of this store only";
    RemindTooLate => "remind_too_late", 409, "这场直播已经开始或结束了，不用提醒了", "This session has already started or ended";
    SdpRequired => "sdp_required", 415, "视频连接要用 application/sdp 格式", "A video connection needs an application/sdp body";
    BadOffer => "bad_offer", 422, "视频连接请求不对（要有 VP8 视频或 Opus 声音），请刷新后重试", "The video offer cannot be answered (it needs VP8 video or Opus audio) — reload and try again";
    RelayFull => "relay_full", 503, "现在看直播的人太多了，请稍后再试，下单不受影响", "Too many people are watching right now — try again shortly; buying still works";
    VideoUnavailable => "video_unavailable", 503, "直播画面暂时不可用，下单不受影响", "The live video is unavailable right now; buying still works";
    StaleEdit => "stale_edit", 409, "这个商品刚被别人改过（比如售价），你的修改还没保存。请核对一下，确定用你填的内容就再点一次保存", "Someone changed this product meanwhile (the price, say) — your changes are not saved yet. Check them and save again to keep yours";
    TooManyStreams => "too_many_streams", 429, "打开的实时页面太多了，关掉几个再试", "Too many live pages open at once — close some and try again";
    Overloaded => "overloaded", 503, "现在人有点多，请过几秒再试", "We are busy right now — please try again in a few seconds";
    Timeout => "timeout", 503, "处理得太慢了，请稍后再试（下单、付款不会重复）", "That took too long — please try again (orders and payments are never taken twice)";
    Internal => "internal", 500, "服务器开小差了，请稍后再试", "Something went wrong on our side — please try again";
    Network => "network", 503, "网络不太好，请稍后再试", "Network problem — please try again";
}

impl ErrorCode {
    /// The inverse of [`ErrorCode::as_str`], for codes carried in a URL after a no-JS form post.
    pub fn from_code(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// An error with the form field it belongs to, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", code.as_str())]
pub struct AppError {
    pub code: ErrorCode,
    /// The form field to show the message under ("phone", "password"...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Facts the reader needs to act, e.g. which items are short: the API's `error.details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(code: ErrorCode) -> Self {
        AppError { code, field: None, details: None }
    }

    pub fn field(code: ErrorCode, field: &str) -> Self {
        AppError { code, field: Some(field.to_string()), details: None }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated)
    }

    /// An unexpected failure: the cause is logged here, the reader sees only opaque text.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::Internal)
    }

    pub fn message(&self, locale: Locale) -> &'static str {
        self.code.message(locale)
    }

    /// Every field this error refuses, first one first: its own `field`, then the others a
    /// form had wrong at the same time (`details.fields`, see [`FieldChecks`]).
    pub fn field_errors(&self) -> Vec<(String, ErrorCode)> {
        let mut all: Vec<(String, ErrorCode)> = self.field.iter().map(|f| (f.clone(), self.code)).collect();
        let more = self.details.as_ref().and_then(|d| d.get("fields")).and_then(serde_json::Value::as_array);
        for m in more.into_iter().flatten() {
            let field = m.get("field").and_then(serde_json::Value::as_str);
            let code = m.get("code").and_then(serde_json::Value::as_str).and_then(ErrorCode::from_code);
            if let (Some(f), Some(c)) = (field, code) {
                if !all.iter().any(|(x, _)| x == f) {
                    all.push((f.to_string(), c));
                }
            }
        }
        all
    }

    /// The code refusing `field`, if any.
    pub fn code_for(&self, field: &str) -> Option<ErrorCode> {
        self.field_errors().into_iter().find(|(f, _)| f == field).map(|(_, c)| c)
    }
}

/// Checks a whole form before refusing it, so the person sees every problem at once instead
/// of fixing one, sending, and meeting the next. The refusal is the first problem (its code
/// and field, as the API has always answered) with all of them in `details.fields`.
#[derive(Default)]
pub struct FieldChecks(Vec<AppError>);

impl FieldChecks {
    /// The value if `r` is fine; else notes the refusal and gives `None`.
    pub fn check<T>(&mut self, r: Result<T, AppError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    /// Notes a refusal found by hand.
    pub fn refuse(&mut self, e: AppError) {
        self.0.push(e);
    }

    pub fn finish(self) -> Result<(), AppError> {
        let mut all = self.0;
        if all.len() <= 1 {
            return all.pop().map_or(Ok(()), Err);
        }
        let fields: Vec<serde_json::Value> =
            all.iter().filter_map(|e| e.field.as_ref().map(|f| serde_json::json!({ "field": f, "code": e.code.as_str() }))).collect();
        Err(all.swap_remove(0).with_details(serde_json::json!({ "fields": fields })))
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::new(code)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) => AppError::new(ErrorCode::Network),
            E::Args(_) | E::Deserialization(_) | E::MissingArg(_) => AppError::new(ErrorCode::BadRequest),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::new(ErrorCode::Internal)
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_urls() {
        for code in [ErrorCode::InvalidPhone, ErrorCode::TooManyAttempts, ErrorCode::Network] {
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_code("nope"), None);
    }

    #[test]
    fn serde_name_matches_the_api_code() {
        for &code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("serialises");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
