//! 直播间 /live/{id}: the video (or the cover before it starts), the pinned product with its
//! live price against the usual one and units left counting down, comments, viewers, and 抢购
//! in two taps — pick up at the store by default, or delivered where the store can. Before
//! the start a countdown and 提醒我; after the end the line-up at its usual prices. Without
//! JavaScript everything but the live updates works: the line-up, the buy form (`?buy=`), the
//! comment box. The share preview's meta tags are rendered on the server.
use crate::live::api::{load_live_room, LiveBuy, PostLiveComment as PostComment, LiveRemind};
use crate::live::model::{LiveItem, LiveRoom, LiveStatus};
use crate::live::widgets::{start_text, viewers_text, CommentLine, LiveBadge, LiveFeed, StartsIn};
use crate::orders::model::Payment;
use crate::orders::rules::short_date;
use crate::shared::{Fen, Locale, Msg};
use crate::ui::form::{form_error, kept};
use crate::ui::{use_locale, ErrorNotice, FieldError, FormError, NotFoundNotice, Price, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::{Meta, Script, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn LiveRoomPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let remind = ServerAction::<LiveRemind>::new();
    // Reloaded when the session goes live or ends (prices and the buy form change with it).
    let (epoch, set_epoch) = signal(0u32);
    let data = Resource::new(
        move || (id(), remind.version().get(), epoch.get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => load_live_room(id).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <Title text=locale.pick("直播", "Live")/><NotFoundNotice body=Msg::NotFoundBody/> }.into_any(),
                    Ok(Some(room)) => view! { <RoomView room=room remind=remind reload=move || set_epoch.update(|n| *n += 1)/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RoomView(room: LiveRoom, remind: ServerAction<LiveRemind>, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let locale = use_locale();
    let s = room.session.clone();
    let feed = LiveFeed::new(&s, room.comments.clone());
    feed.follow(s.id, reload);
    #[cfg(feature = "ssr")]
    if let Some(url) = s.stream_url.as_deref().filter(|_| s.status != LiveStatus::Ended) {
        crate::server::csp::allow_media_from(url);
    }
    let description = match locale {
        Locale::Zh => format!("{} · {}开播，直播价只在直播中有效，到店自提。", s.store_name, start_text(locale, s.starts_at_ms, room.now_ms)),
        Locale::En => format!("{} · starts {}; live prices hold only while live; pick up at the store.", s.store_name, start_text(locale, s.starts_at_ms, room.now_ms)),
    };
    let origin = room.share_url.split("/live/").next().unwrap_or_default().to_string();
    let picture = s.cover_url.clone().or_else(|| s.items.iter().find_map(|i| i.image_url.clone()));
    let status = Signal::derive(move || feed.status.get());
    let query = use_query_map();
    let buying = move || query.read().get("buy").and_then(|v| v.parse::<i64>().ok());
    let items = s.items.clone();
    let items_for_pin = items.clone();
    let items_for_buy = items.clone();
    let room_for_buy = room.clone();
    let next = crate::shared::url::encode(&format!("/live/{}", s.id));
    // Built apart and type-erased: the room is one deep view otherwise.
    let stage = view! {
            <section class="live-stage" id="top">
                {match (s.stream_url.clone(), s.status) {
                    (Some(url), LiveStatus::Live) => view! {
                        <Script src="/live-video.js" defer="true"/>
                        <video class="live-video" data-hls=url playsinline="" controls=true muted=true autoplay=true poster=picture.clone().unwrap_or_default()></video>
                        <p class="live-video-state" data-video-state="" role="status"></p>
                    }.into_any(),
                    // The host's own camera through linli's relay (WHEP). The wrapper says where
                    // the video stands (on air, away, not yet) and the stream keeps it current;
                    // live-video.js connects, reconnects and stays quiet while the host is away.
                    (None, LiveStatus::Live) => view! {
                        <Script src="/rtc-offer.js" defer="true"/>
                        <Script src="/live-video.js" defer="true"/>
                        <div class="live-rtc" data-video=move || feed.video.get().as_str()>
                            <video class="live-video" data-whep=format!("/api/v1/live-sessions/{}/whep", s.id) data-ice=room.ice_servers.clone()
                                playsinline="" muted=true autoplay=true poster=picture.clone().unwrap_or_default()></video>
                            <p class="live-rtc-note live-rtc-none">{locale.pick("主播正在店里介绍，下面直接抢", "The host is on — buy below")}</p>
                            <p class="live-rtc-note live-rtc-away" role="status">{locale.pick("主播暂时离开，马上回来", "The host stepped away — back in a moment")}</p>
                            <button type="button" class="live-unmute" data-unmute="" hidden=true>{locale.pick("点这里开声音", "Tap for sound")}</button>
                            <p class="live-video-state" data-video-state="" role="status"></p>
                        </div>
                    }.into_any(),
                    // 回放: what the relay recorded, part after part (live-video.js moves on
                    // at the end of each; without it the first plays).
                    (_, LiveStatus::Ended) if !s.replays.is_empty() => {
                        let urls: Vec<String> = s.replays.iter().map(|r| r.url.clone()).collect();
                        view! {
                            <Script src="/live-video.js" defer="true"/>
                            <video class="live-video" src=urls[0].clone() data-replays=urls.join(" ") controls=true playsinline="" preload="metadata"
                                poster=picture.clone().unwrap_or_default() aria-label=locale.pick("直播回放", "Replay")></video>
                            <p class="live-replay-tag">{locale.pick("回放", "Replay")}</p>
                        }.into_any()
                    }
                    _ => view! {
                        <div class="live-poster">
                            {picture.clone().map(|src| view! { <img src=src alt="" width="360" height="270" fetchpriority="high"/> })}
                            <p class="live-poster-note">{match s.status {
                                LiveStatus::Scheduled => locale.pick("直播还没开始", "Not started yet"),
                                LiveStatus::Live => locale.pick("主播正在店里介绍，下面直接抢", "The host is on — buy below"),
                                LiveStatus::Ended => locale.pick("这场直播已经结束了", "This session has ended"),
                            }}</p>
                        </div>
                    }.into_any(),
                }}
                <div class="live-top">
                    <LiveBadge status=status/>
                    // Counted from open rooms (JavaScript on); nothing is said before the first count.
                    <Show when=move || { status.get() == LiveStatus::Live && feed.viewers.get().0 > 0 }>
                        <span class="live-viewers num">{move || viewers_text(locale, feed.viewers.get().0)}</span>
                    </Show>
                </div>
            </section>

            <header class="card live-head">
                <h1 class="live-title">{s.title.clone()}</h1>
                <p class="muted">{s.store_name.clone()}</p>
                {match s.status {
                    LiveStatus::Scheduled => view! {
                        <p class="live-when" id="remind">
                            <strong>{start_text(locale, s.starts_at_ms, room.now_ms)}{locale.pick(" 开播", " start")}</strong>" · "<StartsIn starts_ms=s.starts_at_ms now_ms=room.now_ms/>
                        </p>
                        {match &room.me {
                            Some(me) => {
                                let on = !me.reminded;
                                view! {
                                    <ActionForm action=remind attr:class="live-remind">
                                        <input type="hidden" name="id" value=s.id/>
                                        <input type="hidden" name="on" value=if on { "1" } else { "0" }/>
                                        {if on {
                                            view! { <button type="submit" class="btn btn-primary btn-block">{locale.pick("提醒我", "Remind me")}</button> }.into_any()
                                        } else {
                                            view! {
                                                <p class="notice notice-ok" role="status">{locale.pick("已设提醒：开播时会在消息里通知你。", "Reminder set: we'll tell you in your notifications when it starts.")}</p>
                                                <button type="submit" class="btn btn-secondary btn-small">{locale.pick("取消提醒", "Cancel reminder")}</button>
                                            }.into_any()
                                        }}
                                    </ActionForm>
                                }.into_any()
                            }
                            None => view! { <a class="btn btn-primary btn-block" href=format!("/login?next={next}")>{locale.pick("登录后设置开播提醒", "Log in to get a reminder")}</a> }.into_any(),
                        }}
                    }.into_any(),
                    LiveStatus::Ended => view! {
                        <p class="notice" role="status">{locale.pick("直播已结束，直播价也结束了。下面的商品按平时价在店里、网上都能买。", "The session has ended and so have its live prices. The products below sell at their usual prices, in store and online.")}</p>
                    }.into_any(),
                    LiveStatus::Live => view! {
                        <p class="hint">{locale.pick("直播价只在直播中有效，到店自提更便宜。", "Live prices hold only while live; pickup at the store costs less.")}</p>
                    }.into_any(),
                }}
                {room.host.then(|| view! { <a class="btn btn-secondary btn-small" href=format!("/admin/live/{}", s.id)>{locale.pick("打开主播台", "Open the host console")}</a> })}
            </header>

    }
    .into_any();
    view! {
        <Title text=s.title.clone()/>
        <Meta property="og:title" content=s.title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta name="description" content=description/>
        <Meta property="og:url" content=room.share_url.clone()/>
        {picture.clone().map(|p| view! { <Meta property="og:image" content=format!("{origin}{p}")/> })}
        <article class="live-room">
            {stage}
            // The pinned product, big, while live.
            {move || {
                let pinned = feed.pinned.get().filter(|_| status.get() == LiveStatus::Live)?;
                let item = items_for_pin.iter().find(|i| i.product_id == pinned)?.clone();
                Some(view! { <PinnedCard item=item feed=feed/> })
            }}

            // The buy form for ?buy={product}, while live.
            {move || {
                let pid = buying()?;
                if status.get() != LiveStatus::Live {
                    return None;
                }
                let item = items_for_buy.iter().find(|i| i.product_id == pid)?.clone();
                Some(view! { <BuyForm room=room_for_buy.clone() item=item feed=feed/> })
            }}

            {view! { <Comments room=room.clone() feed=feed/> }.into_any()}

            {view! {
                <section class="card" id="lineup">
                    <h2 class="section-title">{locale.pick("本场商品", "In this session")}</h2>
                    <ul class="live-lineup">
                        {items.into_iter().map(|i| view! { <LineupRow item=i feed=feed/> }).collect_view()}
                    </ul>
                </section>
            }.into_any()}
        </article>
    }
    .into_any()
}

/// 剩12件 / 已抢光.
fn left_text(locale: Locale, left: i64) -> String {
    match (locale, left) {
        (Locale::Zh, 0) => "已抢光".into(),
        (Locale::En, 0) => "sold out".into(),
        (Locale::Zh, n) => format!("剩{n}件"),
        (Locale::En, n) => format!("{n} left"),
    }
}

#[component]
fn PinnedCard(item: LiveItem, feed: LiveFeed) -> impl IntoView {
    let locale = use_locale();
    let pid = item.product_id;
    let left = move || feed.left(pid);
    view! {
        <section class="card live-pinned" aria-live="polite">
            <p class="live-pinned-tag">{locale.pick("主播正在讲", "On now")}</p>
            <div class="live-pinned-body">
                {item.image_url.clone().map(|src| view! { <img class="live-pinned-pic" src=src alt="" width="96" height="96"/> })}
                <div>
                    <p class="live-item-name">{item.name.clone()}" "<small class="muted">{item.unit.clone()}</small></p>
                    <p class="live-price-line"><span class="live-price-tag">{locale.pick("直播价", "Live price")}</span><Price fen=item.live_price_fen was_fen=Some(item.usual_price_fen)/></p>
                    <p class="live-left num" class:live-left-out=move || left() == 0>{move || left_text(locale, left())}</p>
                </div>
            </div>
            {move || if left() > 0 {
                view! { <a class="btn btn-cta btn-block live-buy" href=format!("?buy={pid}#buy")>{locale.pick("马上抢", "Buy now")}</a> }.into_any()
            } else {
                view! { <p class="notice">{locale.pick("这款抢光了，看看下面别的", "Sold out — see the others below")}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn LineupRow(item: LiveItem, feed: LiveFeed) -> impl IntoView {
    let locale = use_locale();
    let pid = item.product_id;
    let live = move || feed.status.get() == LiveStatus::Live;
    let left = move || feed.left(pid);
    view! {
        <li class="live-line" id=format!("p-{pid}")>
            {item.image_url.clone().map(|src| view! { <img class="live-line-pic" src=src alt="" loading="lazy" width="64" height="64"/> })}
            <div class="live-line-body">
                <p class="live-item-name">{item.name.clone()}" "<small class="muted">{item.unit.clone()}</small></p>
                {move || if live() {
                    view! {
                        <p class="live-price-line"><Price fen=item.live_price_fen was_fen=Some(item.usual_price_fen)/>
                            <span class="live-left num" class:live-left-out=move || left() == 0>{move || left_text(locale, left())}</span></p>
                        <p class="muted">{match locale {
                            Locale::Zh => format!("每人限{}件", item.per_user_limit),
                            Locale::En => format!("limit {} each", item.per_user_limit),
                        }}</p>
                    }.into_any()
                } else {
                    view! {
                        <p class="live-price-line"><Price fen=item.usual_price_fen/>
                            <span class="muted">{locale.pick(" 平时价", " usual price")}</span></p>
                        <p class="muted">{match locale {
                            Locale::Zh => format!("直播价 {}，只在直播中有效", Fen(item.live_price_fen)),
                            Locale::En => format!("live price {} while live only", Fen(item.live_price_fen)),
                        }}</p>
                    }.into_any()
                }}
            </div>
            {move || if live() {
                if left() > 0 {
                    view! { <a class="btn btn-cta btn-small" href=format!("?buy={pid}#buy")>{locale.pick("抢购", "Buy")}</a> }.into_any()
                } else {
                    view! { <span class="muted">{locale.pick("已抢光", "Sold out")}</span> }.into_any()
                }
            } else {
                view! { <a class="btn btn-secondary btn-small" href=format!("/p/{pid}")>{locale.pick("去看看", "View")}</a> }.into_any()
            }}
        </li>
    }
}

/// 抢购: how many (within the limit), how to get it, how to pay — then one tap.
#[component]
fn BuyForm(room: LiveRoom, item: LiveItem, feed: LiveFeed) -> impl IntoView {
    let locale = use_locale();
    let buy = ServerAction::<LiveBuy>::new();
    let error = form_error(move || buy.value().get());
    let pid = item.product_id;
    let Some(me) = room.me.clone() else {
        let next = crate::shared::url::encode(&format!("/live/{}?buy={pid}#buy", room.session.id));
        return view! {
            <section class="card live-buy-card" id="buy">
                <p>{locale.pick("登录后就能抢，抢到后凭取货码到店取。", "Log in to buy; pick up at the store with your code.")}</p>
                <a class="btn btn-primary btn-block" href=format!("/login?next={next}")>{locale.pick("登录后抢购", "Log in to buy")}</a>
            </section>
        }.into_any();
    };
    let bought = me.bought.iter().find(|(p, _)| *p == pid).map_or(0, |(_, n)| *n);
    let room_left = (item.per_user_limit - bought).max(0);
    if room_left == 0 {
        return view! {
            <section class="card live-buy-card" id="buy">
                <p class="notice" role="status">{match locale {
                    Locale::Zh => format!("这款每人限{}件，你已经抢到{}件了。", item.per_user_limit, bought),
                    Locale::En => format!("The limit is {} each and you already have {}.", item.per_user_limit, bought),
                }}</p>
                <a class="btn btn-secondary btn-block" href="/orders">{locale.pick("看我的订单", "My orders")}</a>
            </section>
        }.into_any();
    }
    let qty = {
        let k = kept("qty");
        if k.is_empty() { "1".to_string() } else { k }
    };
    let way_kept = kept("way");
    let first_day = room.pickup_days.first().map(|d| format!("pickup|{}", d.date)).unwrap_or_default();
    let way = if way_kept.is_empty() { first_day } else { way_kept };
    let pay_kept = kept("payment");
    let wallet_ok = me.wallet_fen >= item.live_price_fen;
    let pay_wallet = if pay_kept.is_empty() { wallet_ok } else { pay_kept == Payment::Wallet.as_str() };
    let left = move || feed.left(pid);
    view! {
        <section class="card live-buy-card" id="buy">
            <h2 class="section-title">{locale.pick("抢购 · ", "Buy · ")}{item.name.clone()}</h2>
            <p class="live-price-line"><span class="live-price-tag">{locale.pick("直播价", "Live price")}</span><Price fen=item.live_price_fen was_fen=Some(item.usual_price_fen)/>
                <span class="live-left num">{move || left_text(locale, left())}</span></p>
            <ActionForm action=buy attr:class="form live-buy-form">
                <FormError error=error/>
                <input type="hidden" name="id" value=room.session.id/>
                <input type="hidden" name="key" value=me.key.clone()/>
                <input type="hidden" name="product_id" value=pid/>
                <label class="field">
                    <span class="field-label">{match locale {
                        Locale::Zh => format!("数量（每人限{}件，还能抢{}件）", item.per_user_limit, room_left),
                        Locale::En => format!("Quantity (limit {}, {} more for you)", item.per_user_limit, room_left),
                    }}</span>
                    <input type="number" name="qty" min="1" max=room_left value=qty inputmode="numeric" required aria-describedby="qty-error"/>
                    <FieldError error=error field="qty"/>
                </label>
                <fieldset class="field live-ways">
                    <legend class="field-label">{locale.pick("怎么拿", "How to get it")}</legend>
                    {room.pickup_days.iter().map(|d| {
                        let v = format!("pickup|{}", d.date);
                        let label = match (locale, d.days_ahead) {
                            (Locale::Zh, 0) => format!("今天到店自提（{}）", d.hours),
                            (Locale::Zh, 1) => format!("明天到店自提（{}）", d.hours),
                            (Locale::Zh, _) => format!("{} 到店自提（{}）", short_date(locale, &d.date), d.hours),
                            (Locale::En, 0) => format!("Pick up today ({})", d.hours),
                            (Locale::En, 1) => format!("Pick up tomorrow ({})", d.hours),
                            (Locale::En, _) => format!("Pick up {} ({})", short_date(locale, &d.date), d.hours),
                        };
                        view! { <label class="choice"><input type="radio" name="way" value=v.clone() checked=way == v/>{label}</label> }
                    }).collect_view()}
                    {room.delivery_address.clone().map(|a| view! {
                        <label class="choice"><input type="radio" name="way" value="delivery" checked=way == "delivery"/>
                            {locale.pick("送货上门（尽快送达）：", "Deliver as soon as possible to: ")}{a}</label>
                    })}
                    {room.pickup_days.is_empty().then(|| view! { <p class="hint">{locale.pick("门店这几天不接自提预约，请直接到店问问。", "The store takes no pickups these days — ask at the store.")}</p> })}
                    <FieldError error=error field="way"/>
                </fieldset>
                <fieldset class="field">
                    <legend class="field-label">{locale.pick("付款", "Payment")}</legend>
                    <label class="choice"><input type="radio" name="payment" value="wallet" checked=pay_wallet/>
                        {locale.pick("储值余额支付（余额 ", "Wallet (balance ")}{Fen(me.wallet_fen).to_string()}{locale.pick("）", ")")}</label>
                    <label class="choice"><input type="radio" name="payment" value="on_pickup" checked=!pay_wallet/>
                        {locale.pick("取货 / 送到时再付", "Pay at pickup or on delivery")}</label>
                    <FieldError error=error field="payment"/>
                </fieldset>
                <button type="submit" class="btn btn-cta btn-block btn-big" disabled=move || buy.pending().get()>
                    {move || if buy.pending().get() { locale.pick("正在抢…", "Buying…") } else { locale.pick("确认抢购", "Confirm") }}
                </button>
                <p class="hint">{locale.pick("自提享门店自提优惠；抢到后在「订单」里看取货码。", "Pickup gets the store's pickup discount; your pickup code is under Orders.")}</p>
            </ActionForm>
        </section>
    }.into_any()
}

#[component]
fn Comments(room: LiveRoom, feed: LiveFeed) -> impl IntoView {
    let locale = use_locale();
    let post = ServerAction::<PostComment>::new();
    let error = form_error(move || post.value().get());
    // Clear the box after each comment that went through (the stream shows it to everyone).
    let text = RwSignal::new(kept("text"));
    Effect::new(move |_| {
        if matches!(post.value().get(), Some(Ok(_))) {
            text.set(String::new());
        }
    });
    let ended = room.session.status == LiveStatus::Ended;
    let next = crate::shared::url::encode(&format!("/live/{}#comments", room.session.id));
    let muted = room.me.as_ref().is_some_and(|m| m.muted);
    view! {
        <section class="card live-comments" id="comments">
            <h2 class="section-title">{locale.pick("评论", "Comments")}</h2>
            {move || feed.pinned_comment.get().map(|c| view! {
                <p class="live-pinned-comment"><span class="live-pin-mark">{locale.pick("置顶", "Pinned")}</span>
                    <span class="live-author">{c.author.clone()}</span><span class="live-text">{c.text.clone()}</span></p>
            })}
            <ul class="live-comment-list" aria-live="polite">
                <For each=move || feed.comments.get() key=|c| c.id let:c>
                    <CommentLine comment=c/>
                </For>
            </ul>
            {move || feed.comments.with(Vec::is_empty).then(|| view! { <p class="muted">{locale.pick("还没有人说话，来说第一句吧。", "No comments yet — say the first word.")}</p> })}
            {match (room.me.is_some(), ended, muted) {
                (_, true, _) => view! { <p class="muted">{locale.pick("直播已结束，评论已关闭。", "The session has ended; comments are closed.")}</p> }.into_any(),
                (false, _, _) => view! { <a class="btn btn-secondary btn-block" href=format!("/login?next={next}")>{locale.pick("登录后参与评论", "Log in to comment")}</a> }.into_any(),
                (true, _, true) => view! { <p class="notice notice-error">{locale.pick("你在这场直播里被禁言了。", "You have been muted in this session.")}</p> }.into_any(),
                (true, false, false) => view! {
                    <ActionForm action=post attr:class="live-say">
                        <input type="hidden" name="id" value=room.session.id/>
                        <input id="say" aria-label=locale.pick("说点什么", "Say something") type="text" name="text" maxlength="60" required autocomplete="off" enterkeyhint="send"
                            placeholder=locale.pick("说点什么…", "Say something…") prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev)) aria-describedby="text-error"/>
                        <button type="submit" class="btn btn-primary" disabled=move || post.pending().get()>{locale.pick("发送", "Send")}</button>
                    </ActionForm>
                    <FieldError error=error field="text"/>
                    <FormError error=error/>
                    {move || (feed.slow_mode.get() > 0).then(|| view! { <p class="hint">{match locale {
                        Locale::Zh => format!("慢速模式：每{}秒可以发一条", feed.slow_mode.get()),
                        Locale::En => format!("Slow mode: one comment every {} s", feed.slow_mode.get()),
                    }}</p> })}
                }.into_any(),
            }}
        </section>
    }
}
