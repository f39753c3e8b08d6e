//! 团购页 /g/{id}: made to be shared in a group chat. Live progress (38/50户), a countdown,
//! masked recent joiners, the price against the usual one, pickup day and store; join with a
//! quantity, leave before the deadline, the outcome once decided. The share preview's meta
//! tags are rendered on the server.
use crate::group_buy::api::{load_group_buy_page, JoinGroupBuy, LeaveGroupBuy};
use crate::group_buy::model::{GroupBuyPage, GroupBuyStatus, Joiner};
use crate::group_buy::rules;
use crate::group_buy::widgets::{status_word, Countdown, GroupProgress};
use crate::orders::model::{OrderStatus, Payment};
use crate::orders::rules::short_date;
use crate::shared::time::local_clock;
use crate::shared::{Fen, Locale, Msg};
use crate::ui::form::{form_error, kept};
use crate::ui::{use_locale, AskFirst, ErrorNotice, FieldError, FormError, NotFoundNotice, Price, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn GroupBuyJoinPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let join = ServerAction::<JoinGroupBuy>::new();
    let leave = ServerAction::<LeaveGroupBuy>::new();
    let data = Resource::new(
        move || (id(), join.version().get(), leave.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => load_group_buy_page(id).await,
                None => Ok(None),
            }
        },
    );
    // Live: every join or leave anywhere moves the count on every open page; the outcome
    // reloads the page's data so the banner and the joins show it.
    let (live_households, set_live_households) = signal(None::<i64>);
    let (live_status, set_live_status) = signal(None::<GroupBuyStatus>);
    let (live_recent, set_live_recent) = signal(None::<Vec<Joiner>>);
    #[cfg(feature = "hydrate")]
    {
        let stream = StoredValue::new_local(None::<crate::ui::live::Live>);
        let bell = crate::orders::widgets::BellTick::find();
        Effect::new(move |_| {
            let Some(id) = id() else { return };
            let s = crate::ui::live::listen(&format!("/api/v1/group-buys/{id}/events"), &["progress"], move |name, data_json| {
                if name == "reload" {
                    data.refetch();
                    return;
                }
                let Ok(p) = serde_json::from_str::<crate::group_buy::model::Progress>(&data_json) else {
                    return;
                };
                set_live_households.set(Some(p.households));
                set_live_recent.set(Some(p.recent));
                if live_status.get_untracked().is_some_and(|s| s != p.status) {
                    data.refetch();
                    // The outcome is also a notification for everyone who joined.
                    if let Some(b) = bell {
                        b.bump();
                    }
                }
                set_live_status.set(Some(p.status));
            });
            stream.set_value(s);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_live_households, set_live_status, live_status, set_live_recent);
    view! {
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <Title text=locale.pick("团购", "Group buy")/><NotFoundNotice body=Msg::NotFoundBody/> }.into_any(),
                    Ok(Some(page)) => view! { <JoinView page=page join=join leave=leave live_households=live_households live_recent=live_recent/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JoinView(
    page: GroupBuyPage,
    join: ServerAction<JoinGroupBuy>,
    leave: ServerAction<LeaveGroupBuy>,
    live_households: ReadSignal<Option<i64>>,
    live_recent: ReadSignal<Option<Vec<Joiner>>>,
) -> impl IntoView {
    let locale = use_locale();
    let g = page.group.clone();
    let first = g.households;
    let households = Signal::derive(move || live_households.get().unwrap_or(first).max(0));
    let open = rules::is_joinable(g.status, g.deadline_ms, page.now_ms);
    let saving = g.normal_price_fen - g.price_fen;
    let description = match locale {
        Locale::Zh => {
            format!("{}户成团，团购价¥{}（平时¥{}），{}到店自提。", g.min_households, Fen(g.price_fen), Fen(g.normal_price_fen), g.pickup_date)
        }
        Locale::En => format!(
            "Goes ahead with {} households: ¥{} (usually ¥{}), pick up on {}.",
            g.min_households,
            Fen(g.price_fen),
            Fen(g.normal_price_fen),
            g.pickup_date
        ),
    };
    let origin = page.share_url.split("/g/").next().unwrap_or_default().to_string();
    let image = g.image_url.clone().map(|u| format!("{origin}{u}"));
    let error = form_error(move || join.value().get());
    let leave_error = form_error(move || leave.value().get());
    let query = use_query_map();
    let just_joined = query.read_untracked().get("joined").is_some();
    let outcome = match g.status {
        GroupBuyStatus::Succeeded => {
            Some(("ok", locale.pick("已成团！到提货日凭取货码到店自提。", "It's on! Pick up with your code on the pickup day.")))
        }
        GroupBuyStatus::Failed => Some((
            "no",
            locale.pick(
                "没凑够户数，这次没成团。已参团的订单都已取消，储值付款已原路退回。",
                "Not enough households joined. Every join is cancelled and wallet payments are refunded.",
            ),
        )),
        GroupBuyStatus::Cancelled => Some((
            "no",
            locale.pick(
                "门店取消了这个团，已参团的订单都已取消，储值付款已原路退回。",
                "The store cancelled this group buy. Every join is cancelled and wallet payments are refunded.",
            ),
        )),
        GroupBuyStatus::Open if !open => Some(("wait", locale.pick("已截止，正在统计结果…", "Closed — counting…"))),
        _ => None,
    };
    let next = format!("/g/{}", g.id);
    view! {
        <Title text=g.title.clone()/>
        <Meta property="og:title" content=g.title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta name="description" content=description/>
        <Meta property="og:url" content=page.share_url.clone()/>
        <Meta property="og:type" content="product"/>
        {image.map(|src| view! { <Meta property="og:image" content=src/> })}
        <article class="gb-page">
            <section class="card gb-hero">
                {g.image_url.clone().map(|src| view! { <img class="gb-cover" src=src alt=g.product_name.clone() width="320" height="240" fetchpriority="high"/> })}
                <h1 class="gb-title">{g.title.clone()}</h1>
                <p class="gb-price-line">
                    <span class="gb-tag">{locale.pick("团购价", "Group price")}</span>
                    <Price fen=g.price_fen was_fen=Some(g.normal_price_fen)/> <span class="muted">"/" {g.unit.clone()}</span>
                    {(saving > 0).then(|| view! { <span class="saving-chip">{locale.pick("省", "Save ")}{Fen(saving).to_string()}</span> })}
                </p>
                <GroupProgress households=households min_households=g.min_households closed=!open/>
                <p class="gb-when">
                    <span class="status" data-gb-status=g.status.as_str()>{status_word(locale, g.status)}</span>
                    {(g.status == GroupBuyStatus::Open).then(|| view! { " · " <Countdown deadline_ms=g.deadline_ms now_ms=page.now_ms/> })}
                </p>
                {outcome.map(|(kind, text)| view! { <p class=format!("notice gb-outcome gb-outcome-{kind}") role="status">{text}</p> })}
                {(!g.cancel_reason.is_empty()).then(|| view! { <p class="hint">{locale.pick("门店说明：", "From the store: ")}{g.cancel_reason.clone()}</p> })}
            </section>

            <section class="card">
                <dl class="facts">
                    <div><dt>{locale.pick("截止", "Closes")}</dt><dd class="num">{local_clock(&g.deadline)}</dd></div>
                    <div><dt>{locale.pick("提货", "Pickup")}</dt><dd>{short_date(locale, &g.pickup_date)} {locale.pick(" 到店自提", " at the store")}</dd></div>
                    <div><dt>{locale.pick("门店", "Stores")}</dt><dd>{g.stores.iter().map(|s| view! { <span class="gb-store">{s.name.clone()}<small class="muted">" " {s.address.clone()}</small></span> }).collect_view()}</dd></div>
                    <div><dt>{locale.pick("限购", "Limit")}</dt><dd>{match locale {
                        Locale::Zh => format!("每户最多{}份", g.per_household_limit),
                        Locale::En => format!("{} per household", g.per_household_limit),
                    }}{g.units_left().map(|left| match locale {
                        Locale::Zh => format!("，还剩{left}份"),
                        Locale::En => format!(", {left} left"),
                    })}</dd></div>
                    {(!g.origin.is_empty()).then(|| view! { <div><dt>{locale.pick("产地", "Origin")}</dt><dd>{g.origin.clone()}</dd></div> })}
                </dl>
                {(!g.story.is_empty()).then(|| view! { <p class="gb-story">{g.story.clone()}</p> })}
                <p class="hint">{locale.pick("满户数才成团；截止时没凑够，所有订单自动取消，储值付款原路退回。", "It goes ahead only with enough households; otherwise every order is cancelled and wallet payments are refunded.")}</p>
            </section>

            {just_joined.then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("参团成功！成团后会通知你。", "You're in! We'll let you know when it's decided.")}</p> })}

            {match (page.me.clone(), open) {
                (None, true) => view! {
                    <section class="card">
                        <a class="btn btn-primary btn-block" href=format!("/login?next={}", crate::shared::url::encode(&next))>{locale.pick("登录后参团", "Log in to join")}</a>
                    </section>
                }.into_any(),
                (Some(me), true) if me.units < g.per_household_limit => {
                    let room = g.per_household_limit - me.units;
                    let default_store = me.home_store_id.filter(|h| g.stores.iter().any(|s| s.id == *h)).or_else(|| g.stores.first().map(|s| s.id));
                    let qty_kept = kept("qty");
                    let qty_value = if qty_kept.is_empty() { "1".to_string() } else { qty_kept };
                    let pay_kept = kept("payment");
                    let wallet_ok = me.wallet_fen >= g.price_fen;
                    let pay_wallet = if pay_kept.is_empty() { wallet_ok } else { pay_kept == "wallet" };
                    let room_text = match locale {
                        Locale::Zh => format!("（还可买{room}份）"),
                        Locale::En => format!(" (up to {room})"),
                    };
                    view! {
                        <section class="card">
                            <h2 class="section-title">{locale.pick("我要参团", "Join")}</h2>
                            <ActionForm action=join attr:class="form gb-join">
                                <FormError error=error/>
                                <input type="hidden" name="id" value=g.id/>
                                <input type="hidden" name="key" value=me.key.clone()/>
                                <label class="field">
                                    <span class="field-label">{locale.pick("份数", "Quantity")} <small class="muted">{room_text}</small></span>
                                    <input type="number" name="qty" min="1" max=room value=qty_value inputmode="numeric" required class="qty-input"/>
                                    <FieldError error=error field="qty"/>
                                </label>
                                {(g.stores.len() > 1).then(|| view! {
                                    <label class="field">
                                        <span class="field-label">{locale.pick("在哪家店提货", "Pick up at")}</span>
                                        <select name="store_id">
                                            {g.stores.iter().map(|s| view! { <option value=s.id selected=default_store == Some(s.id)>{s.name.clone()}</option> }).collect_view()}
                                        </select>
                                        <FieldError error=error field="store_id"/>
                                    </label>
                                })}
                                <fieldset class="field choice-group">
                                    <legend class="field-label">{locale.t(Msg::PaymentMethod)}</legend>
                                    <label class="choice"><input type="radio" name="payment" value="wallet" checked=pay_wallet disabled=!wallet_ok/>
                                        {locale.pick("储值余额", "Wallet")} <span class="muted num">{format!(" {}", Fen(me.wallet_fen))}</span></label>
                                    <label class="choice"><input type="radio" name="payment" value="on_pickup" checked=!pay_wallet/>
                                        {locale.pick("提货时付款", "Pay at pickup")}</label>
                                    <FieldError error=error field="payment"/>
                                </fieldset>
                                <button type="submit" class="btn btn-primary btn-block btn-big" disabled=move || join.pending().get()>
                                    {locale.pick("参团", "Join")} " · " {Fen(g.price_fen).to_string()} {locale.pick("/份", " each")}
                                </button>
                            </ActionForm>
                        </section>
                    }.into_any()
                }
                (Some(_), true) => view! {
                    <section class="card"><p class="hint">{locale.pick("你已买到每户限购的数量了。", "You hold as many as a household may.")}</p></section>
                }.into_any(),
                (_, false) => ().into_any(),
            }}

            {page.me.clone().filter(|m| !m.joins.is_empty()).map(|me| view! {
                <section class="card">
                    <h2 class="section-title">{locale.pick("我的参团", "My joins")}</h2>
                    <FormError error=leave_error/>
                    <ul class="gb-joins">
                        {me.joins.into_iter().map(|j| {
                            let may_leave = open && j.status == OrderStatus::AwaitingGroup;
                            let money = join_money(locale, &j);
                            let question = leave_question(locale, &j);
                            view! {
                                <li class="gb-join">
                                    <a href=format!("/orders/{}", j.order_id)>
                                        <span class="num">{j.qty}</span> {locale.pick("份", " ×")} " · " {j.store_name.clone()} " · "
                                        <span class="status" data-status=j.status.as_str()>{locale.t(j.status.label(false))}</span>
                                    </a>
                                    {money}
                                    {may_leave.then(|| view! {
                                        <AskFirst label=locale.pick("退出拼团", "Leave").to_string() class="btn-small" question=question>
                                            <ActionForm action=leave>
                                                <input type="hidden" name="id" value=g.id/>
                                                <input type="hidden" name="order_id" value=j.order_id/>
                                                <button type="submit" class="btn btn-danger btn-small">{locale.pick("确定退出", "Yes, leave")}</button>
                                            </ActionForm>
                                        </AskFirst>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}

            {
                let first = page.recent.clone();
                let recent = move || live_recent.get().unwrap_or_else(|| first.clone());
                move || {
                    let list = recent();
                    (!list.is_empty()).then(|| view! {
                        <section class="card">
                            <h2 class="section-title">{locale.pick("最近参团", "Recently joined")}</h2>
                            <ul class="gb-recent">
                                {list.into_iter().map(|j| view! {
                                    <li><span class="gb-avatar" aria-hidden="true">{j.name.chars().next().map(String::from).unwrap_or_default()}</span>
                                        <span>{j.name.clone()}</span> <span class="muted">{match locale {
                                            Locale::Zh => format!("参团{}份 · {}", j.qty, local_clock(&j.at)),
                                            Locale::En => format!("joined with {} · {}", j.qty, local_clock(&j.at)),
                                        }}</span></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                }
            }

            {if open {
                view! {
            <section class="card gb-share">
                <h2 class="section-title">{locale.pick("拉邻居一起拼", "Invite your neighbours")}</h2>
                <div class="qr" role="img" aria-label=locale.pick("团购二维码", "QR code for this group buy") inner_html=page.qr_svg.clone()></div>
                <p class="hint">{locale.pick("把链接发到小区群，或保存海报发给邻居。", "Send the link to your estate's group chat, or save the poster.")}</p>
                <p class="share-url"><input type="text" readonly value=page.share_url.clone() aria-label=locale.pick("分享链接", "Share link") class="num"/></p>
                <a class="btn btn-secondary btn-block" href=format!("/g/{}/poster", g.id)>{locale.pick("生成分享海报", "Share poster")}</a>
            </section>
                }.into_any()
            } else {
                // Nothing left to invite anyone to: where to go instead.
                view! {
                    <section class="card gb-ended">
                        <h2 class="section-title">{locale.pick("这个团已经结束了", "This group buy has ended")}</h2>
                        <p class="hint">{locale.pick("正在拼的团和店里的新鲜货都在这里。", "Here are the group buys still open, and what's fresh in the store.")}</p>
                        <a class="btn btn-primary btn-block" href="/group-buys">{locale.pick("看看正在拼的团", "Group buys still open")}</a>
                        <a class="btn btn-secondary btn-block" href="/">{locale.pick("去店里逛逛", "Browse the store")}</a>
                    </section>
                }.into_any()
            }}

            {page.staff.then(|| view! {
                <p class="office-link-line"><a href=format!("/admin/group-buys/{}", g.id)>{locale.pick("门店后台查看 →", "Open in the back office →")}</a></p>
            })}
        </article>
    }
}

/// A join's money: paid, due at pickup, or — once the group is off or the join left — where
/// the money went; a refunded join never reads 储值已付.
fn join_money(locale: Locale, j: &crate::group_buy::model::MyJoin) -> impl IntoView + use<> {
    let ended = matches!(j.status, OrderStatus::Cancelled | OrderStatus::NoShow);
    let (class, text) = match (ended, j.payment) {
        (true, Payment::Wallet) => ("refunded", format!("{} {} · {}", locale.t(Msg::Refunded), Fen(j.total_fen), locale.t(Msg::RefundedToWallet))),
        (true, Payment::OnPickup) => ("muted", locale.t(Msg::NothingToPay).to_string()),
        (false, Payment::Wallet) => ("muted", format!("{} {}", Fen(j.total_fen), locale.pick("储值已付", "paid from wallet"))),
        (false, Payment::OnPickup) => ("muted", format!("{} {}", Fen(j.total_fen), locale.pick("提货时付", "pay at pickup"))),
    };
    view! { <span class=class>{text}</span> }
}

/// What leaving gives up, and where the money goes.
fn leave_question(locale: Locale, j: &crate::group_buy::model::MyJoin) -> String {
    let money = match j.payment {
        Payment::Wallet => format!("{}{}{}", locale.pick("，", "; "), Fen(j.total_fen), locale.pick("马上退回储值余额", " goes straight back to your wallet")),
        Payment::OnPickup => String::new(),
    };
    format!("{}{}{}{money}{}", locale.pick("退出后这", "Leave? Your "), j.qty, locale.pick("份就不给您留了，团里也少一户", " will no longer be kept and the group has one household fewer"), locale.pick("。", "."))
}
