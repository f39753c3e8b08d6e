//! 邻里群 /community: the store's own group. A guest is asked to log in; a resident who has not
//! joined sees what the group is and joins with a name and 小区 (the counter's QR code and
//! shared links open this page with `?store=`); a member sees the feed — pinned notices, the
//! store's live sessions and group buys, then posts, 20 at a time — and writes with photos.
//! Every form works without JavaScript; the post form is a plain multipart form.
use crate::community::api::{load_community, CommunityNotify, JoinCommunity, LeaveCommunity};
use crate::community::model::{CommunityView, Membership, Post};
use crate::community::rules;
use crate::community::widgets::{bump_on_success, PostCard};
use crate::shared::Locale;
use crate::stores::pages::PickStoreFirst;
use crate::ui::form::{form_error, kept};
use crate::ui::{use_locale, AskFirst, ErrorNotice, FieldError, FormError, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CommunityPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let store = move || query.read().get("store").and_then(|v| v.parse::<i64>().ok());
    let before = move || query.read().get("before").and_then(|v| v.parse::<i64>().ok());
    let join = ServerAction::<JoinCommunity>::new();
    let leave = ServerAction::<LeaveCommunity>::new();
    let notify = ServerAction::<CommunityNotify>::new();
    let changed = RwSignal::new(0u32);
    bump_on_success(join, changed);
    bump_on_success(leave, changed);
    bump_on_success(notify, changed);
    let data = Resource::new(move || (store(), before(), changed.get()), |(store, before, _)| load_community(store, before));
    view! {
        <Title text=locale.pick("邻里群", "Neighbours")/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <PickStoreFirst why=locale.pick("先选一家离你近的门店，再加入这家店的邻里群。", "Choose a store near you to join its neighbours' group.")/> }.into_any(),
                    Ok(Some(v)) => view! { <Group view=v join=join leave=leave notify=notify changed=changed/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Group(view: CommunityView, join: ServerAction<JoinCommunity>, leave: ServerAction<LeaveCommunity>, notify: ServerAction<CommunityNotify>, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let title = match locale {
        Locale::Zh => format!("{}邻里群", view.store_name),
        Locale::En => format!("{} neighbours", view.store_name),
    };
    let head = view! {
        <header class="page-head" id="group">
            <h1 class="page-title">{title}</h1>
            {view.membership.as_ref().map(|m| view! {
                <p class="muted">{match locale { Locale::Zh => format!("{}位邻居", m.members), Locale::En => format!("{} neighbours", m.members) }}
                    {m.member.as_ref().map(|me| format!(" · {}{}", locale.pick("我是 ", "I am "), me.label))}
                    {m.moderator.then(|| locale.pick(" · 你以门店身份发言和管理", " · you post and moderate for the store"))}</p>
            })}
        </header>
    };
    let Some(membership) = view.membership.clone() else {
        let next = crate::shared::url::encode(&format!("/community?store={}", view.store_id));
        return view! {
            {head}
            <section class="card">
                <p>{locale.pick("店里的公告、今日鲜货、直播和团购都在邻里群里，邻居们也在这里聊天、晒单、一起投票。", "The store's notices, today's arrivals, live sessions and group buys are all in its group — and neighbours chat, show what they bought and vote together.")}</p>
                <a class="btn btn-primary btn-block" href=format!("/login?next={next}")>{locale.pick("登录后加入邻里群", "Log in to join")}</a>
            </section>
        }
        .into_any();
    };
    if membership.removed && membership.member.is_none() && !membership.moderator {
        return view! {
            {head}
            <p class="notice notice-error" role="alert">{crate::shared::ErrorCode::RemovedFromGroup.message(locale)}</p>
        }
        .into_any();
    }
    if membership.member.is_none() && !membership.moderator {
        return view! { {head}<JoinForm store_id=view.store_id join=join membership=membership/> }.into_any();
    }
    let store_id = view.store_id;
    let now = view.now_ms;
    let feed = view.feed.clone().unwrap_or(crate::community::model::Feed { pinned: Vec::new(), posts: Vec::new(), next_before: None });
    let paged = use_query_map().read_untracked().get("before").is_some();
    let empty = feed.posts.is_empty() && feed.pinned.is_empty();
    view! {
        {head}
        <MemberBar membership=membership.clone() join=join leave=leave notify=notify/>
        <Composer view=view.clone() membership=membership/>
        {(!view.live.is_empty() || !view.group_buys.is_empty()).then(|| view! {
            <section class="group-cards" aria-label=locale.pick("店里正在进行", "On at the store")>
                {view.live.iter().cloned().map(|card| view! { <crate::live::widgets::LiveCardView card=card now_ms=now/> }).collect_view()}
                {view.group_buys.iter().cloned().map(|g| {
                    let href = format!("/g/{}", g.id);
                    view! { <crate::group_buy::widgets::GroupCard group=g now_ms=now href=href/> }
                }).collect_view()}
            </section>
        })}
        <section class="feed" id="feed" aria-label=locale.pick("群消息", "Posts")>
            // Keyed by each post's version: a row never keeps another post's ticked choice.
            <For each=move || feed.pinned.clone().into_iter().chain(feed.posts.clone()) key=Post::version let:p>
                <PostCard post=p store_id=store_id now_ms=now changed=changed/>
            </For>
            {empty.then(|| view! { <p class="empty-state">{locale.pick("群里还没有消息。说句话，和邻居们打个招呼吧。", "Nothing here yet — say hello to the neighbours.")}</p> })}
        </section>
        <nav class="pager">
            {paged.then(|| view! { <a class="btn btn-secondary" href=format!("/community?store={store_id}")>{locale.pick("回到最新", "Back to the latest")}</a> })}
            {feed.next_before.map(|b| view! { <a class="btn btn-secondary" href=format!("/community?store={store_id}&before={b}#feed")>{locale.pick("更早的消息", "Older posts")}</a> })}
        </nav>
    }
    .into_any()
}

/// Joining: the name and 小区 the group sees (no phone number is ever shown).
#[component]
fn JoinForm(store_id: i64, join: ServerAction<JoinCommunity>, membership: Membership) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || join.value().get());
    let name = kept("display_name");
    let estate = kept("estate");
    view! {
        <section class="card">
            <p>{match locale {
                Locale::Zh => format!("加入{}的邻里群：店里的公告、今日鲜货、直播和团购都在这里，邻居们也在这里聊天、晒单、一起投票。", membership.store_name),
                Locale::En => format!("Join {}'s group: the store's notices, today's arrivals, live sessions and group buys — and your neighbours' chat.", membership.store_name),
            }}</p>
            <ActionForm action=join attr:class="form">
                <FormError error=error/>
                <input type="hidden" name="store_id" value=store_id/>
                <label class="field">
                    <span class="field-label">{locale.pick("群里怎么称呼你", "What neighbours call you")}</span>
                    <input type="text" name="display_name" required maxlength=rules::MAX_NAME_CHARS value=name placeholder=locale.pick("比如 王阿姨", "e.g. Auntie Wang") aria-describedby="display_name-error"/>
                    <FieldError error=error field="display_name"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("小区或楼栋", "Estate or building")}</span>
                    <input type="text" name="estate" required maxlength=rules::MAX_ESTATE_CHARS value=estate placeholder=locale.pick("比如 嘉绿苑3幢", "e.g. Jialü Garden 3") aria-describedby="estate-error"/>
                    <FieldError error=error field="estate"/>
                </label>
                <p class="hint">{locale.pick("群里显示为 称呼(小区)，比如 王阿姨(嘉绿苑)，不会显示手机号。", "Shown as name(estate), e.g. Auntie Wang(Jialü Garden); never your phone number.")}</p>
                <button type="submit" class="btn btn-primary btn-block btn-big" disabled=move || join.pending().get()>{locale.pick("加入邻里群", "Join the group")}</button>
            </ActionForm>
        </section>
    }
}

/// The member's name card (改名片), their mute if any, and 退出群.
#[component]
fn MemberBar(membership: Membership, join: ServerAction<JoinCommunity>, leave: ServerAction<LeaveCommunity>, notify: ServerAction<CommunityNotify>) -> impl IntoView {
    let locale = use_locale();
    let Some(me) = membership.member.clone() else { return ().into_any() };
    let error = form_error(move || join.value().get());
    let store_id = membership.store_id;
    view! {
        {me.muted_until.clone().map(|until| view! {
            <p class="notice notice-error" role="status">
                {match locale {
                    Locale::Zh => format!("门店暂时禁言了你，到{}为止，可以看消息，暂时不能发帖和评论。", crate::shared::time::local_clock(&until)),
                    Locale::En => format!("The store has muted you until {}: you can read, not post or comment.", crate::shared::time::local_clock(&until)),
                }}
                {me.muted_reason.clone().map(|r| format!("{}{r}", locale.pick("原因：", " Reason: ")))}
            </p>
        })}
        <details class="member-card">
            <summary class="btn btn-small">{locale.pick("我的群名片", "My name card")}</summary>
            <ActionForm action=join attr:class="form">
                <input type="hidden" name="store_id" value=store_id/>
                <label class="field">
                    <span class="field-label">{locale.pick("称呼", "Name")}</span>
                    <input type="text" name="display_name" required maxlength=rules::MAX_NAME_CHARS value=me.display_name.clone() aria-describedby="display_name-error"/>
                    <FieldError error=error field="display_name"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("小区或楼栋", "Estate or building")}</span>
                    <input type="text" name="estate" required maxlength=rules::MAX_ESTATE_CHARS value=me.estate.clone() aria-describedby="estate-error"/>
                    <FieldError error=error field="estate"/>
                </label>
                <button type="submit" class="btn btn-primary">{locale.pick("保存", "Save")}</button>
            </ActionForm>
            {membership.notify.map(|n| view! {
                <ActionForm action=notify attr:class="form">
                    <input type="hidden" name="store_id" value=store_id/>
                    <fieldset class="field">
                        <legend class="field-label">{locale.pick("消息提醒（在「消息通知」里）", "Tell me in Notifications about")}</legend>
                        <label class="choice"><input type="checkbox" name="announcements" value="1" checked=n.announcements/>{locale.pick("门店公告", "The store's notices")}</label>
                        <label class="choice"><input type="checkbox" name="live" value="1" checked=n.live/>{locale.pick("直播开播", "Live sessions starting")}</label>
                        <label class="choice"><input type="checkbox" name="group_buys" value="1" checked=n.group_buys/>{locale.pick("新团购", "New group buys")}</label>
                    </fieldset>
                    <button type="submit" class="btn btn-secondary">{locale.pick("保存提醒设置", "Save")}</button>
                </ActionForm>
            })}
            <AskFirst label=locale.pick("退出邻里群", "Leave the group").to_string()
                question=locale.pick("退出后就看不到群里的消息了，发过的内容会留在群里。随时可以再加入。", "You will stop seeing the group; what you posted stays. You can join again any time.").to_string()
                class="btn-small">
                <ActionForm action=leave>
                    <input type="hidden" name="store_id" value=store_id/>
                    <button type="submit" class="btn btn-danger btn-small">{locale.pick("确定退出", "Leave")}</button>
                </ActionForm>
            </AskFirst>
        </details>
    }
    .into_any()
}

/// Writing a post: text, up to six photos, and optionally 晒单 of something bought here. A
/// plain multipart form to `/community/{store}/posts`, with or without JavaScript; a refusal
/// comes back here with the text kept.
#[component]
fn Composer(view: CommunityView, membership: Membership) -> impl IntoView {
    let locale = use_locale();
    let muted = membership.member.as_ref().is_some_and(|m| m.muted_until.is_some());
    if muted {
        return ().into_any();
    }
    // Only this form's refusals: the post route marks its own with `form=post`.
    let ours = use_query_map().read_untracked().get("form").as_deref() == Some("post");
    let error = form_error(|| None::<Result<(), crate::shared::AppError>>);
    let error = Signal::derive(move || error.get().filter(|_| ours));
    let posted = use_query_map().read_untracked().get("posted").is_some();
    let body = kept("body");
    let as_store = membership.moderator;
    view! {
        <form method="post" action=format!("/community/{}/posts", view.store_id) enctype="multipart/form-data" class="card form composer" id="compose">
            {posted.then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("发好了，邻居们都能看到。", "Posted — your neighbours can see it.")}</p> })}
            <FormError error=error/>
            <label class="field">
                <span class="field-label">{if as_store { locale.pick("以门店身份发一条", "Post for the store") } else { locale.pick("和邻居们说点什么", "Say something to the neighbours") }}</span>
                <textarea name="body" required maxlength=rules::MAX_POST_CHARS rows="3" aria-describedby="body-error"
                    placeholder=locale.pick("晒晒今天买的菜，问问哪里修伞，约邻居一起拼团…", "Show today's shopping, ask where to fix an umbrella, find neighbours for a group buy…")>{body}</textarea>
                <FieldError error=error field="body"/>
            </label>
            <label class="field">
                <span class="field-label">{locale.pick("照片（最多6张，选填）", "Photos (up to 6, optional)")}</span>
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple=true aria-describedby="photo-error"/>
                <FieldError error=error field="photo"/>
            </label>
            {(!view.bought.is_empty()).then(|| view! {
                <label class="field">
                    <span class="field-label">{locale.pick("晒单：在本店买过的（选填，也会显示在商品页的「邻居晒单」里）", "Something you bought here (optional; also shown on its product page)")}</span>
                    <select name="product_id" aria-describedby="product_id-error">
                        <option value="">{locale.pick("不关联商品", "No product")}</option>
                        {view.bought.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                    </select>
                    <FieldError error=error field="product_id"/>
                </label>
            })}
            <button type="submit" class="btn btn-primary btn-block">{locale.pick("发布", "Post")}</button>
            <p class="hint">{locale.pick("照片会去掉拍摄地点等信息再发出。", "Photos are stripped of their location and other details before posting.")}</p>
        </form>
    }
    .into_any()
}
