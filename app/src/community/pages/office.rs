//! The back office's 邻里群: what the store says (公告, 投票, 今日鲜货 in one tap), the members'
//! reports to settle, the latest posts to pin or hide, the members (mute, remove), the QR code
//! for the counter, and for managers which clerks may moderate. Every button is a form that
//! works without JavaScript; hiding asks for the reason the author will see.
use crate::community::api::{load_community_office, CommunityAct, CommunityAnnounce, CommunityModerators, CommunityPoll};
use crate::community::model::{CommunityOffice, Member, Post, PostKind, Report};
use crate::community::rules::{self, ago_text};
use crate::community::widgets::HideForm;
use crate::shared::Locale;
use crate::ui::form::{form_error, kept, successes};
use crate::ui::{store_chips, use_locale, AskFirst, FieldError, FormError, OfficePage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CommunityOfficePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let act = ServerAction::<CommunityAct>::new();
    let announce = ServerAction::<CommunityAnnounce>::new();
    let poll = ServerAction::<CommunityPoll>::new();
    let moderators = ServerAction::<CommunityModerators>::new();
    let (a, b, c, d) = (successes(move || act.value().get()), successes(move || announce.value().get()), successes(move || poll.value().get()), successes(move || moderators.value().get()));
    let data = Resource::new(
        move || (query.read().get("store").and_then(|s| s.parse::<i64>().ok()), a.get(), b.get(), c.get(), d.get()),
        |(store, ..)| load_community_office(store),
    );
    view! {
        <OfficePage title=locale.pick("邻里群", "Community") heading=true data=data let:office>
            <OfficeView office=office act=act announce=announce poll=poll moderators=moderators/>
        </OfficePage>
    }
}

#[component]
fn OfficeView(office: CommunityOffice, act: ServerAction<CommunityAct>, announce: ServerAction<CommunityAnnounce>, poll: ServerAction<CommunityPoll>, moderators: ServerAction<CommunityModerators>) -> impl IntoView {
    let locale = use_locale();
    let store_id = office.store_id;
    let now = office.now_ms;
    let error = form_error(move || act.value().get());
    let posts: Vec<Post> = office.feed.pinned.iter().chain(office.feed.posts.iter()).cloned().collect();
    let summary = match locale {
        Locale::Zh => format!("{} · {}位邻居 · 待处理举报{}条", office.store_name, office.members.len(), office.reports.len()),
        Locale::En => format!("{} · {} members · {} reports to settle", office.store_name, office.members.len(), office.reports.len()),
    };
    let stage = view! {
        {store_chips(office.stores.clone(), store_id, |id| format!("/admin/community?store={id}"))}
        <p class="muted">{summary}" · "<a href=format!("/community?store={store_id}")>{locale.pick("打开邻里群", "Open the group")}</a></p>
        <FormError error=error/>
        <section class="card" id="arrivals">
            <h2 class="section-title">{locale.pick("今日鲜货", "Today's arrivals")}</h2>
            <p class="hint">{locale.pick("把今天登记进货的商品（带照片和价格）发到群里，一键完成。", "Post today's booked-in deliveries, with photos and prices, in one tap.")}</p>
            <ActionForm action=act>
                <input type="hidden" name="store_id" value=store_id/>
                <input type="hidden" name="action" value="arrivals"/>
                <button type="submit" class="btn btn-primary btn-block">{locale.pick("发今日鲜货", "Post today's arrivals")}</button>
            </ActionForm>
        </section>
        <AnnounceForm store_id=store_id announce=announce/>
        <PollForm store_id=store_id poll=poll default_close=office.default_close.clone()/>
    }
    .into_any();
    view! {
        {stage}
        <section class="card" id="reports">
            <h2 class="section-title">{locale.pick("举报", "Reports")}</h2>
            <p class="hint">{locale.pick("含屏蔽词的帖子和评论发不出去；屏蔽词和直播间共用，在 ", "Posts and comments with a banned word are refused; the list is the live rooms', edited under ")}
                <a href=format!("/admin/live?store={store_id}#settings")>{locale.pick("直播 › 直播间设置", "Live › settings")}</a>{locale.pick(" 里改。", ".")}</p>
            {if office.reports.is_empty() {
                view! { <p class="muted">{locale.pick("没有待处理的举报。", "No reports to settle.")}</p> }.into_any()
            } else {
                let reports = office.reports.clone();
                view! { <ul class="office-list"><For each=move || reports.clone() key=|r| r.id let:r><ReportRow report=r store_id=store_id act=act/></For></ul> }.into_any()
            }}
        </section>
        <section class="card" id="posts">
            <h2 class="section-title">{locale.pick("最新消息", "Latest posts")}</h2>
            {posts.is_empty().then(|| view! { <p class="muted">{locale.pick("群里还没有消息。", "Nothing posted yet.")}</p> })}
            // Keyed rows: after a hide, no other post's row inherits the open form and its reason.
            <ul class="office-list"><For each=move || posts.clone() key=Post::version let:p><PostRow post=p store_id=store_id now_ms=now act=act/></For></ul>
        </section>
        <section class="card" id="members">
            <h2 class="section-title">{locale.pick("成员", "Members")}</h2>
            {office.members.is_empty().then(|| view! { <p class="muted">{locale.pick("还没有邻居加入。把下面的二维码打印出来贴在收银台，顾客扫码就能加入。", "Nobody has joined yet. Print the QR code below for the counter.")}</p> })}
            <ul class="office-list">
                <For each={let members = office.members.clone(); move || members.clone()} key=|m| (m.user_id, m.muted_until.clone()) let:m>
                    <MemberRow member=m store_id=store_id now_ms=now act=act/>
                </For>
            </ul>
        </section>
        <section class="card group-qr" id="qr">
            <h2 class="section-title">{locale.pick("群二维码", "The group's QR code")}</h2>
            <div class="qr" inner_html=office.qr_svg.clone()></div>
            <p class="muted">{office.join_url.clone()}</p>
            <a class="btn btn-secondary" href=format!("/admin/community/poster?store={store_id}")>{locale.pick("打印收银台海报", "Print the counter poster")}</a>
        </section>
        {office.clerks.clone().map(|clerks| view! { <ModeratorsForm store_id=store_id clerks=clerks moderators=moderators/> })}
    }
}

#[component]
fn AnnounceForm(store_id: i64, announce: ServerAction<CommunityAnnounce>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || announce.value().get());
    let done = move || matches!(announce.value().get(), Some(Ok(())));
    view! {
        <section class="card" id="announce">
            <h2 class="section-title">{locale.pick("发公告", "Post a notice")}</h2>
            {move || done().then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("公告已发到群里。", "Notice posted.")}</p> })}
            <ActionForm action=announce attr:class="form">
                <input type="hidden" name="store_id" value=store_id/>
                <label class="field">
                    <span class="field-label">{locale.pick("公告内容", "The notice")}</span>
                    <textarea name="body" rows="3" required maxlength=rules::MAX_POST_CHARS aria-describedby="body-error"
                        placeholder=locale.pick("比如：今晚7点直播，车厘子特价；明天店里停水，自提改到下午", "e.g. Live at 7 tonight; cherries on offer")>{kept("body")}</textarea>
                    <FieldError error=error field="body"/>
                </label>
                <label class="choice"><input type="checkbox" name="pinned" value="1" checked=true/>{locale.pick("置顶在群消息最上面", "Pin it at the top")}</label>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary" disabled=move || announce.pending().get()>{locale.pick("发布公告", "Post notice")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PollForm(store_id: i64, poll: ServerAction<CommunityPoll>, default_close: String) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || poll.value().get());
    let done = move || matches!(poll.value().get(), Some(Ok(())));
    let close = {
        let k = kept("closes_at");
        if k.is_empty() { default_close } else { k }
    };
    view! {
        <section class="card" id="poll">
            <h2 class="section-title">{locale.pick("发起投票", "Start a poll")}</h2>
            {move || done().then(|| view! { <p class="notice notice-ok" role="status">{locale.pick("投票已发到群里。", "Poll posted.")}</p> })}
            <ActionForm action=poll attr:class="form">
                <input type="hidden" name="store_id" value=store_id/>
                <label class="field">
                    <span class="field-label">{locale.pick("问题", "Question")}</span>
                    <input type="text" name="question" required maxlength=rules::MAX_QUESTION_CHARS value=kept("question")
                        placeholder=locale.pick("比如：下次直播想看什么？", "e.g. What should the next live show?") aria-describedby="question-error"/>
                    <FieldError error=error field="question"/>
                </label>
                <label class="field">
                    <span class="field-label">{locale.pick("选项（一行一个，2到10个）", "Choices (one per line, 2 to 10)")}</span>
                    <textarea name="options" rows="4" required aria-describedby="options-error" placeholder="车厘子\n草莓\n海鲜">{kept("options")}</textarea>
                    <FieldError error=error field="options"/>
                </label>
                <label class="choice"><input type="checkbox" name="multiple" value="1"/>{locale.pick("可以多选", "Allow several choices")}</label>
                <label class="field">
                    <span class="field-label">{locale.pick("截止时间", "Closes at")}</span>
                    <input type="datetime-local" name="closes_at" required value=close aria-describedby="closes_at-error"/>
                    <FieldError error=error field="closes_at"/>
                </label>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary" disabled=move || poll.pending().get()>{locale.pick("发起投票", "Start poll")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReportRow(report: Report, store_id: i64, act: ServerAction<CommunityAct>) -> impl IntoView {
    let locale = use_locale();
    let also = (report.also_reported > 0).then(|| match locale {
        Locale::Zh => format!("（另有{}人举报）", report.also_reported),
        Locale::En => format!(" ({} more reports)", report.also_reported),
    });
    view! {
        <li class="office-row" id=format!("report-{}", report.id)>
            <p><strong>{report.author.clone()}</strong>" "{if report.comment_id.is_some() { locale.pick("的评论：", "commented: ") } else { locale.pick("发的：", "posted: ") }}</p>
            <p class="post-body">{report.text.clone()}</p>
            <p class="muted">{report.reporter.clone()}{locale.pick(" 举报：", " reported: ")}{report.reason.clone()}{also}</p>
            <div class="office-actions">
                <HideForm act=act store_id=store_id action="hide_report" id=report.id/>
                <ActionForm action=act>
                    <input type="hidden" name="store_id" value=store_id/>
                    <input type="hidden" name="action" value="keep_report"/>
                    <input type="hidden" name="id" value=report.id/>
                    <button type="submit" class="btn btn-small">{locale.pick("没问题，保留", "Keep it")}</button>
                </ActionForm>
                <a class="btn btn-small" href=format!("/community/p/{}", report.post_id)>{locale.pick("看原帖", "See the post")}</a>
            </div>
        </li>
    }
}

#[component]
fn PostRow(post: Post, store_id: i64, now_ms: i64, act: ServerAction<CommunityAct>) -> impl IntoView {
    let locale = use_locale();
    let kind = match post.kind {
        PostKind::Announcement => locale.pick("公告", "Notice"),
        PostKind::Arrivals => locale.pick("今日鲜货", "Arrivals"),
        PostKind::Poll => locale.pick("投票", "Poll"),
        PostKind::Post => "",
    };
    let pin_action = if post.pinned { "unpin" } else { "pin" };
    view! {
        <li class="office-row" id=format!("post-{}", post.id)>
            <p><strong>{post.author.clone()}</strong>" "{(!kind.is_empty()).then(|| view! { <span class="tag">{kind}</span> })}
                {post.pinned.then(|| view! { " "<span class="tag tag-pin">{locale.pick("置顶", "Pinned")}</span> })}
                " "<span class="muted">{ago_text(locale, post.created_at_ms, now_ms)}</span></p>
            <p class="post-body">{post.body.clone()}</p>
            <p class="muted">{match locale {
                Locale::Zh => format!("{}张照片 · 赞{} · 评论{}", post.photos.len(), post.likes, post.comments),
                Locale::En => format!("{} photos · {} likes · {} comments", post.photos.len(), post.likes, post.comments),
            }}</p>
            <div class="office-actions">
                {post.by_store.then(|| view! {
                    <ActionForm action=act>
                        <input type="hidden" name="store_id" value=store_id/>
                        <input type="hidden" name="action" value=pin_action/>
                        <input type="hidden" name="id" value=post.id/>
                        <button type="submit" class="btn btn-small">{if post.pinned { locale.pick("取消置顶", "Unpin") } else { locale.pick("置顶", "Pin") }}</button>
                    </ActionForm>
                })}
                <HideForm act=act store_id=store_id action="hide_post" id=post.id/>
                <a class="btn btn-small" href=format!("/community/p/{}", post.id)>{locale.pick("评论", "Comments")}</a>
            </div>
        </li>
    }
}

#[component]
fn MemberRow(member: Member, store_id: i64, now_ms: i64, act: ServerAction<CommunityAct>) -> impl IntoView {
    let locale = use_locale();
    let joined = crate::shared::time::local_clock(&member.joined_at);
    let active = crate::shared::time::parse_instant(&member.last_active_at).map(|t| ago_text(locale, t, now_ms)).unwrap_or_default();
    let uid = member.user_id;
    view! {
        <li class="office-row" id=format!("member-{uid}")>
            <p><strong>{member.label.clone()}</strong></p>
            <p class="muted">{match locale {
                Locale::Zh => format!("{joined} 加入 · 发帖{} · 评论{} · 最近活跃 {active}", member.posts.unwrap_or_default(), member.comments.unwrap_or_default()),
                Locale::En => format!("joined {joined} · {} posts · {} comments · active {active}", member.posts.unwrap_or_default(), member.comments.unwrap_or_default()),
            }}</p>
            {member.muted_until.clone().map(|until| view! {
                <p class="notice notice-warn">{locale.pick("禁言到 ", "Muted until ")}{crate::shared::time::local_clock(&until)}
                    {member.muted_reason.clone().map(|r| format!("{}{r}", locale.pick("：", ": ")))}</p>
            })}
            <div class="office-actions">
                {if member.muted_until.is_some() {
                    view! {
                        <ActionForm action=act>
                            <input type="hidden" name="store_id" value=store_id/>
                            <input type="hidden" name="action" value="unmute"/>
                            <input type="hidden" name="id" value=uid/>
                            <button type="submit" class="btn btn-small">{locale.pick("解除禁言", "Unmute")}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <details class="report">
                            <summary class="btn btn-small">{locale.pick("禁言", "Mute")}</summary>
                            <ActionForm action=act attr:class="inline-fields">
                                <input type="hidden" name="store_id" value=store_id/>
                                <input type="hidden" name="action" value="mute"/>
                                <input type="hidden" name="id" value=uid/>
                                <select name="minutes" aria-label=locale.pick("禁言多久", "For how long")>
                                    <option value="60">{locale.pick("1小时", "1 hour")}</option>
                                    <option value="1440">{locale.pick("1天", "1 day")}</option>
                                    <option value="10080">{locale.pick("7天", "7 days")}</option>
                                    <option value="43200">{locale.pick("30天", "30 days")}</option>
                                </select>
                                <input type="text" name="reason" required maxlength=rules::MAX_REASON_CHARS aria-label=locale.pick("原因（本人会看到）", "Reason (they see it)")
                                    placeholder=locale.pick("原因，本人会看到", "Reason, shown to them")/>
                                <button type="submit" class="btn btn-danger btn-small">{locale.pick("确定禁言", "Mute")}</button>
                            </ActionForm>
                        </details>
                    }.into_any()
                }}
                <AskFirst label=locale.pick("移出群", "Remove").to_string()
                    question=locale.pick("移出后对方看不到群消息，也不能自己再加入。确定吗？", "They will no longer see the group and cannot rejoin by themselves. Sure?").to_string()
                    class="btn-small">
                    <ActionForm action=act>
                        <input type="hidden" name="store_id" value=store_id/>
                        <input type="hidden" name="action" value="remove"/>
                        <input type="hidden" name="id" value=uid/>
                        <button type="submit" class="btn btn-danger btn-small">{locale.pick("确定移出", "Remove")}</button>
                    </ActionForm>
                </AskFirst>
            </div>
        </li>
    }
}

#[component]
fn ModeratorsForm(store_id: i64, clerks: Vec<(i64, String, bool)>, moderators: ServerAction<CommunityModerators>) -> impl IntoView {
    let locale = use_locale();
    let error = form_error(move || moderators.value().get());
    view! {
        <section class="card" id="moderators">
            <h2 class="section-title">{locale.pick("谁可以管理邻里群", "Who may moderate")}</h2>
            <p class="hint">{locale.pick("店长和老板一直可以；勾选的店员也可以发公告、隐藏消息、禁言。", "Managers and the owner always may; ticked clerks may post notices, hide posts and mute too.")}</p>
            {if clerks.is_empty() {
                view! { <p class="muted">{locale.pick("这家店还没有店员。", "This store has no clerks yet.")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=moderators attr:class="form">
                        <input type="hidden" name="store_id" value=store_id/>
                        {clerks.into_iter().enumerate().map(|(i, (id, name, on))| view! {
                            <label class="choice"><input type="checkbox" name=format!("user_ids[{i}]") value=id checked=on/>{name}</label>
                        }).collect_view()}
                        <FieldError error=error field="user_ids"/>
                        <button type="submit" class="btn btn-secondary">{locale.pick("保存", "Save")}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// The counter's poster: the store's name, the group's QR code and one line on what is in it,
/// printed on A4 (the office frame does not print).
#[component]
pub fn CommunityPosterPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("store").and_then(|s| s.parse::<i64>().ok()), load_community_office);
    view! {
        <OfficePage title=locale.pick("邻里群海报", "Group poster") data=data let:office>
            <p class="no-print"><button type="button" class="btn btn-primary" data-print="">{locale.pick("打印", "Print")}</button>" "
                <a class="btn btn-secondary" href=format!("/admin/community?store={}", office.store_id)>{locale.pick("返回", "Back")}</a></p>
            <article class="group-poster">
                <p class="group-poster-store">{office.store_name.clone()}</p>
                <h1 class="group-poster-title">{locale.pick("扫码加入邻里群", "Scan to join our neighbours' group")}</h1>
                <div class="qr group-poster-qr" inner_html=office.qr_svg.clone()></div>
                <p class="group-poster-line">{locale.pick("每天到货早知道 · 直播预告 · 满团更便宜 · 邻居晒单", "Today's arrivals · live sessions · group buys · neighbours' tips")}</p>
                <p class="group-poster-note">{locale.pick("群里只显示你的称呼和小区，不显示手机号", "Only your name and estate are shown, never your phone number")}</p>
            </article>
        </OfficePage>
    }
}
