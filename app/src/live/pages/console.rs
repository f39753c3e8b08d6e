//! 主播台 /admin/live/{id}: made for a phone on a tripod. Go live / end, pin a product (every
//! room shows it within a second), add units or close a line, the comments with 置顶 / 隐藏 /
//! 禁言 on each, slow mode, viewers now and at peak, orders and GMV ticking, the share link
//! and its QR, the cover. Every button is a plain form, so it works before the WASM arrives.
use crate::live::api::{load_live_console, LiveHost};
use crate::live::model::{LiveConsole, LiveItem, LiveStatus};
use crate::live::widgets::{start_text, CommentLine, LiveBadge, LiveFeed, StartsIn};
use crate::shared::{Fen, Locale};
use crate::ui::form::form_error;
use crate::ui::{use_locale, AskFirst, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_meta::Script;

#[component]
pub fn LiveConsolePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let act = ServerAction::<LiveHost>::new();
    let done = crate::ui::form::successes(move || act.value().get());
    let (epoch, set_epoch) = signal(0u32);
    let data = Resource::new(move || (id(), done.get(), epoch.get()), |(id, _, _)| load_live_console(id));
    view! {
        <OfficePage title=locale.pick("主播台", "Host console") data=data let:c>
            <Console c=c act=act reload=move || set_epoch.update(|n| *n += 1)/>
        </OfficePage>
    }
}

/// A hidden-field form posting one console action.
#[component]
fn Act(act: ServerAction<LiveHost>, id: i64, action: &'static str, #[prop(optional)] product_id: Option<i64>, #[prop(optional)] comment_id: Option<i64>, children: Children) -> impl IntoView {
    view! {
        <ActionForm action=act attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="action" value=action/>
            {product_id.map(|p| view! { <input type="hidden" name="product_id" value=p/> })}
            {comment_id.map(|c| view! { <input type="hidden" name="comment_id" value=c/> })}
            {children()}
        </ActionForm>
    }
}

#[component]
fn Console(c: LiveConsole, act: ServerAction<LiveHost>, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let locale = use_locale();
    let s = c.session.clone();
    let id = s.id;
    let feed = LiveFeed::new(&s, c.comments.clone());
    feed.follow(id, reload);
    let status = Signal::derive(move || feed.status.get());
    let error = form_error(move || act.value().get());
    let query = use_query_map();
    let photo_added = query.read_untracked().get("photo").is_some();
    let photo_error = query.read_untracked().get("field").filter(|f| f == "photo").and(query.read_untracked().get("err")).and_then(|c| crate::shared::ErrorCode::from_code(&c));
    let items = s.items.clone();
    view! {
        <header class="office-head live-console-head" id="top">
            <div>
                <h1 class="page-title">{s.title.clone()}</h1>
                <p class="muted">{s.store_name.clone()} " · " <LiveBadge status=status/></p>
            </div>
            <a class="btn btn-secondary btn-small" href=format!("/live/{id}")>{locale.pick("看直播间", "Open the room")}</a>
        </header>
        <FormError error=error/>

        <section class="card live-figures">
            <dl class="figures">
                <div><dt>{locale.pick("在看", "Watching")}</dt><dd class="num">{move || feed.viewers.get().0}</dd></div>
                <div><dt>{locale.pick("最高", "Peak")}</dt><dd class="num">{move || feed.viewers.get().1}</dd></div>
                <div><dt>{locale.pick("订单", "Orders")}</dt><dd class="num">{move || feed.takings.get().0}</dd></div>
                <div><dt>{locale.pick("成交额", "GMV")}</dt><dd class="num">{move || Fen(feed.takings.get().1).to_string()}</dd></div>
            </dl>
            {move || match status.get() {
                LiveStatus::Scheduled => view! {
                    <p class="live-when">{start_text(locale, s.starts_at_ms, c.now_ms)}{locale.pick(" 开播 · ", " · ")}<StartsIn starts_ms=s.starts_at_ms now_ms=c.now_ms/></p>
                    <Act act=act id=id action="start"><button type="submit" class="btn btn-cta btn-block btn-big">{locale.pick("开始直播", "Go live")}</button></Act>
                    <AskFirst label=locale.pick("取消这场直播", "Call off this session").to_string() class="btn-small"
                        question=locale.pick("取消后这场直播不再开播，留给直播的货马上回到货架。", "The session will not go ahead; the units set aside go back on the shelf now.").to_string()>
                        <Act act=act id=id action="end"><button type="submit" class="btn btn-danger btn-block">{locale.pick("确定取消", "Call it off")}</button></Act>
                    </AskFirst>
                }.into_any(),
                LiveStatus::Live => view! {
                    <AskFirst label=locale.pick("结束直播", "End the session").to_string() class="btn-block"
                        question=locale.pick("结束后直播价马上失效，没卖完的货回到货架。", "Live prices stop at once and what is left goes back on the shelf.").to_string()>
                        <Act act=act id=id action="end"><button type="submit" class="btn btn-danger btn-block">{locale.pick("确定结束", "End now")}</button></Act>
                    </AskFirst>
                }.into_any(),
                LiveStatus::Ended => view! { <p class="notice">{locale.pick("直播已结束，没卖完的货已回到货架。", "The session has ended; what was left is back on the shelf.")}</p> }.into_any(),
            }}
        </section>

        <Camera id=id ice=c.ice_servers.clone() status=status/>

        <section class="card" id="lineup">
            <h2 class="section-title">{locale.pick("商品", "Line-up")}</h2>
            <FieldError error=error field="units"/>
            <ul class="live-lineup">
                {items.into_iter().map(|i| view! { <ConsoleLine item=i feed=feed act=act id=id/> }).collect_view()}
            </ul>
        </section>

        <section class="card" id="comments">
            <h2 class="section-title">{locale.pick("评论", "Comments")}</h2>
            {move || feed.pinned_comment.get().map(|pc| view! {
                <div class="live-pinned-comment"><span class="live-pin-mark">{locale.pick("置顶", "Pinned")}</span>
                    <span class="live-author">{pc.author.clone()}</span><span class="live-text">{pc.text.clone()}</span>
                    <Act act=act id=id action="unpin_comment"><button type="submit" class="btn btn-small">{locale.pick("取消置顶", "Unpin")}</button></Act>
                </div>
            })}
            <ul class="live-comment-list live-comment-list-host">
                <For each=move || feed.comments.get() key=|c| c.id let:cm>
                    {
                        let cid = cm.id;
                        let host = cm.host;
                        view! {
                            <CommentLine comment=cm>
                                <span class="live-moderate">
                                    <Act act=act id=id action="pin_comment" comment_id=cid><button type="submit" class="btn btn-small">{locale.pick("置顶", "Pin")}</button></Act>
                                    <Act act=act id=id action="hide" comment_id=cid><button type="submit" class="btn btn-small">{locale.pick("隐藏", "Hide")}</button></Act>
                                    {(!host).then(|| view! { <Act act=act id=id action="mute" comment_id=cid><button type="submit" class="btn btn-small">{locale.pick("禁言", "Mute")}</button></Act> })}
                                </span>
                            </CommentLine>
                        }
                    }
                </For>
            </ul>
            {move || feed.comments.with(Vec::is_empty).then(|| view! { <p class="muted">{locale.pick("还没有评论。", "No comments yet.")}</p> })}
            <ActionForm action=act attr:class="inline-fields live-slow">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="slow"/>
                <label class="field">
                    <span class="field-label">{locale.pick("慢速模式", "Slow mode")}</span>
                    <select name="seconds">
                        {[0i64, 10, 30, 60, 120].into_iter().map(|n| {
                            let label = match (locale, n) {
                                (Locale::Zh, 0) => "关闭".to_string(),
                                (Locale::En, 0) => "Off".to_string(),
                                (Locale::Zh, n) => format!("每人每{n}秒一条"),
                                (Locale::En, n) => format!("one per {n} s each"),
                            };
                            view! { <option value=n selected=move || feed.slow_mode.get() == n>{label}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError error=error field="seconds"/>
                </label>
                <button type="submit" class="btn btn-secondary">{locale.pick("设置", "Set")}</button>
            </ActionForm>
            <p class="hint"><a href="/admin/live#settings">{locale.pick("屏蔽词在直播管理页设置", "Banned words are set on the live page")}</a></p>
        </section>

        <section class="card live-share">
            <h2 class="section-title">{locale.pick("分享到小区群", "Share with the group")}</h2>
            <div class="qr" inner_html=c.qr_svg.clone()></div>
            <p class="num live-share-url">{c.share_url.clone()}</p>
        </section>

        <section class="card" id="cover">
            <h2 class="section-title">{locale.pick("封面", "Cover")}</h2>
            {s.cover_url.clone().map(|src| view! { <img class="live-cover-preview" src=src alt=locale.pick("当前封面", "Current cover") width="240" height="180"/> })}
            {photo_added.then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("封面已更新", "Cover updated")}</p> })}
            {photo_error.map(|code| view! { <p class="field-error" role="alert" id="photo-error">{code.message(locale)}</p> })}
            <form method="post" action=format!("/admin/live/{id}/cover") enctype="multipart/form-data" class="inline-fields">
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-label=locale.pick("选择封面图片", "Choose a cover picture")/>
                <button type="submit" class="btn btn-secondary">{locale.pick("上传封面", "Upload")}</button>
            </form>
        </section>
    }
}

#[component]
fn ConsoleLine(item: LiveItem, feed: LiveFeed, act: ServerAction<LiveHost>, id: i64) -> impl IntoView {
    let locale = use_locale();
    let pid = item.product_id;
    let open = move || feed.status.get() != LiveStatus::Ended;
    let pinned = move || feed.pinned.get() == Some(pid);
    let left = move || feed.left(pid);
    view! {
        <li class="live-line" class:live-line-pinned=pinned>
            {item.image_url.clone().map(|src| view! { <img class="live-line-pic" src=src alt="" loading="lazy" width="64" height="64"/> })}
            <div class="live-line-body">
                <p class="live-item-name">{item.name.clone()}" "<small class="muted">{item.unit.clone()}</small></p>
                <p class="muted num">{Fen(item.live_price_fen).to_string()}{locale.pick(" 直播价 · 平时 ", " live · usually ")}{Fen(item.usual_price_fen).to_string()}</p>
                <p class="num"><strong>{move || match locale {
                    Locale::Zh => format!("剩{}件", left()),
                    Locale::En => format!("{} left", left()),
                }}</strong>{match locale {
                    Locale::Zh => format!(" · 每人限{}件", item.per_user_limit),
                    Locale::En => format!(" · limit {}", item.per_user_limit),
                }}</p>
            </div>
            <Show when=open>
                <div class="live-line-actions">
                    {move || if pinned() {
                        view! { <Act act=act id=id action="unpin"><button type="submit" class="btn btn-small">{locale.pick("取消讲解", "Unpin")}</button></Act> }.into_any()
                    } else {
                        view! { <Act act=act id=id action="pin" product_id=pid><button type="submit" class="btn btn-primary btn-small">{locale.pick("讲解这款", "Pin")}</button></Act> }.into_any()
                    }}
                    <ActionForm action=act attr:class="inline-form live-add">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="action" value="add_units"/>
                        <input type="hidden" name="product_id" value=pid/>
                        <input type="number" name="units" min="1" max="10000" inputmode="numeric" placeholder="10" required aria-label=locale.pick("加货件数", "Units to add")/>
                        <button type="submit" class="btn btn-small">{locale.pick("加货", "Add")}</button>
                    </ActionForm>
                    {move || (left() > 0).then(|| view! {
                        <Act act=act id=id action="close_item" product_id=pid><button type="submit" class="btn btn-small">{locale.pick("下架", "Close")}</button></Act>
                    })}
                </div>
            </Show>
        </li>
    }
}

/// 直播画面: the phone's camera published to linli's relay (WHIP) by live-publish.js — plain
/// JavaScript, as the camera and WebRTC are the browser's. Publishing may begin before going
/// live (a check of the picture); residents see it once the session is live.
#[component]
fn Camera(id: i64, ice: String, status: Signal<LiveStatus>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Show when=move || status.get() != LiveStatus::Ended>
            <section class="card live-camera" id="camera">
                <h2 class="section-title">{locale.pick("直播画面", "Camera")}</h2>
                <Script src="/rtc-offer.js" defer="true"/>
                <Script src="/live-publish.js" defer="true"/>
                <div class="live-cam" data-whip=format!("/api/v1/live-sessions/{id}/whip") data-ice=ice.clone() data-key-url=format!("/api/v1/live-sessions/{id}/stream-key")>
                    <video class="live-cam-preview" muted=true playsinline="" autoplay=true></video>
                    <p class="live-cam-state" data-cam-state="" role="status">
                        {locale.pick("用这台手机的摄像头直播：点「开始推流」，允许使用摄像头和麦克风。开播前推流只有你看得到，可以先试试画面。",
                            "Broadcast with this phone's camera: tap Start streaming and allow the camera and microphone. Before you go live only you see it, so you can check the picture.")}
                    </p>
                    <div class="live-cam-buttons">
                        <button type="button" class="btn btn-cta btn-big" data-cam="publish">{locale.pick("开始推流", "Start streaming")}</button>
                        <button type="button" class="btn btn-secondary" data-cam="flip" disabled=true>{locale.pick("切换前后摄像头", "Flip camera")}</button>
                        <button type="button" class="btn btn-secondary" data-cam="mute" disabled=true>{locale.pick("关麦克风", "Mute mic")}</button>
                    </div>
                    <p class="live-cam-health num" data-cam-health="" aria-live="polite"></p>
                    <details class="live-obs">
                        <summary>{locale.pick("用电脑上的 OBS 推流", "Stream from OBS on a computer")}</summary>
                        <p class="hint">{locale.pick("OBS 30 以上：设置 → 直播 → 服务选 WHIP，填下面的地址和密钥。密钥只显示一次，重新生成后旧密钥失效。",
                            "OBS 30 or later: Settings → Stream → Service WHIP, with the address and key below. The key shows once; a new one replaces it.")}</p>
                        <button type="button" class="btn btn-secondary btn-small" data-cam="key">{locale.pick("生成推流密钥", "Make a stream key")}</button>
                        <p class="live-key" data-cam-key="" hidden=true></p>
                    </details>
                </div>
                <noscript><p class="notice">{locale.pick("推流要用浏览器的 JavaScript，请换个浏览器或打开它。", "Streaming needs JavaScript in this browser.")}</p></noscript>
            </section>
        </Show>
    }
}
