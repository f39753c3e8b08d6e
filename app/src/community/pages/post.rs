//! /community/p/{id}: one post of the group with its comments, the comment box and 举报.
use crate::community::api::{load_community_post, CommunityAct, CommunityComment, CommunityReport};
use crate::community::model::ThreadView;
use crate::community::rules::{self, ago_text};
use crate::community::widgets::{bump_on_success, HideForm, PostCard};
use crate::shared::{ErrorCode, Locale, Msg};
use crate::ui::form::{form_error, kept};
use crate::ui::{use_locale, ErrorNotice, FieldError, FormError, NotFoundNotice, ShelfSkeleton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CommunityPostPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let changed = RwSignal::new(0u32);
    let data = Resource::new(move || (id(), changed.get()), |(id, _)| async move {
        match id {
            Some(id) => load_community_post(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Title text=locale.pick("邻里群", "Neighbours")/>
        <Transition fallback=|| view! { <ShelfSkeleton/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) if e.code == ErrorCode::Unauthenticated => {
                        let next = crate::shared::url::encode(&format!("/community/p/{}", id().unwrap_or_default()));
                        view! { <a class="btn btn-primary btn-block" href=format!("/login?next={next}")>{locale.pick("登录后查看", "Log in to see it")}</a> }.into_any()
                    }
                    Err(e) if matches!(e.code, ErrorCode::NotMember | ErrorCode::RemovedFromGroup) => {
                        // The post's own store's group, not the reader's current store.
                        let store = e.details.as_ref().and_then(|d| d.get("store_id")).and_then(serde_json::Value::as_i64);
                        let href = store.map_or_else(|| "/community".to_string(), |s| format!("/community?store={s}"));
                        let join = e.code == ErrorCode::NotMember;
                        view! {
                            <ErrorNotice error=e/>
                            {join.then(|| view! { <a class="btn btn-primary btn-block" href=href>{locale.pick("加入这家店的邻里群", "Join this store's group")}</a> })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(None) => view! { <NotFoundNotice body=Msg::NotFoundBody/> }.into_any(),
                    Ok(Some(v)) => view! { <Thread view=v changed=changed/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Thread(view: ThreadView, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let comment = ServerAction::<CommunityComment>::new();
    bump_on_success(comment, changed);
    // The store's 隐藏, right where a clerk reads the thread.
    let act = ServerAction::<CommunityAct>::new();
    bump_on_success(act, changed);
    let act_error = form_error(move || act.value().get());
    let moderator = view.membership.moderator;
    let error = form_error(move || comment.value().get());
    let (store_id, post_id, now) = (view.store_id, view.thread.post.id, view.now_ms);
    let member = view.membership.member.clone();
    let muted = member.as_ref().is_some_and(|m| m.muted_until.is_some());
    let may_write = (member.is_some() || view.membership.moderator) && !muted;
    let hidden = view.thread.post.hidden_reason.is_some();
    // The store hides things itself (back office); 举报 is the members' way to ask it to.
    let may_report = member.is_some() && !view.membership.moderator;
    let comments = view.thread.comments.clone();
    let count = comments.iter().filter(|c| c.hidden_reason.is_none()).count();
    view! {
        <p class="crumbs"><a href=format!("/community?store={store_id}#post-{post_id}")>{"‹ "}{view.store_name.clone()}{locale.pick("邻里群", " group")}</a></p>
        <PostCard post=view.thread.post.clone() store_id=store_id now_ms=now changed=changed thread=true/>
        {(moderator && !hidden && !view.thread.post.by_store).then(|| view! {
            <section class="card" id="moderate">
                <FormError error=act_error/>
                <HideForm act=act store_id=store_id action="hide_post" id=post_id/>
            </section>
        })}
        <section class="card comments" id="comments">
            <h2 class="section-title">{match locale { Locale::Zh => format!("评论 {count}"), Locale::En => format!("Comments ({count})") }}</h2>
            <ul class="comment-list">
                {comments.into_iter().map(|c| view! {
                    <li class="comment" id=format!("comment-{}", c.id)>
                        <p class="comment-head">
                            <span class="post-author">{c.author.clone()}</span>
                            {c.by_store.then(|| view! { <span class="tag tag-store">{locale.pick("门店", "Store")}</span> })}
                            <time class="muted" datetime=c.created_at.clone()>{crate::shared::time::parse_instant(&c.created_at).map(|t| ago_text(locale, t, now)).unwrap_or_default()}</time>
                        </p>
                        {c.hidden_reason.clone().map(|r| view! { <p class="notice notice-error">{locale.pick("门店已隐藏这条评论，只有你看得到。原因：", "The store hid this comment; only you see it. Reason: ")}{r}</p> })}
                        <p class="comment-body">{c.body.clone()}</p>
                        {(may_report && !c.mine && c.hidden_reason.is_none() && !c.by_store).then(|| view! { <ReportBox store_id=store_id post_id=post_id comment_id=Some(c.id)/> })}
                        {(moderator && c.hidden_reason.is_none() && !c.by_store).then(|| view! { <HideForm act=act store_id=store_id action="hide_comment" id=c.id/> })}
                    </li>
                }).collect_view()}
            </ul>
            {(count == 0).then(|| view! { <p class="muted">{locale.pick("还没有人评论。", "No comments yet.")}</p> })}
            {match (may_write, hidden, muted) {
                (_, true, _) => ().into_any(),
                (_, _, true) => view! { <p class="notice notice-error">{ErrorCode::GroupMuted.message(locale)}</p> }.into_any(),
                (false, _, _) => ().into_any(),
                (true, false, false) => view! {
                    <ActionForm action=comment attr:class="comment-say">
                        <FormError error=error/>
                        <input type="hidden" name="store_id" value=store_id/>
                        <input type="hidden" name="post_id" value=post_id/>
                        <input type="text" name="body" required maxlength=rules::MAX_COMMENT_CHARS value=kept("body") autocomplete="off" enterkeyhint="send"
                            aria-label=locale.pick("写评论", "Write a comment") placeholder=locale.pick("写评论…", "Write a comment…") aria-describedby="body-error"/>
                        <button type="submit" class="btn btn-primary" disabled=move || comment.pending().get()>{locale.pick("发送", "Send")}</button>
                        <FieldError error=error field="body"/>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
        {(may_report && !view.thread.post.mine && !hidden && !view.thread.post.by_store).then(|| view! {
            <section class="card" id="report"><ReportBox store_id=store_id post_id=post_id comment_id=None/></section>
        })}
    }
}

/// 举报: folded away until asked for; the reason goes to the store's queue.
#[component]
fn ReportBox(store_id: i64, post_id: i64, comment_id: Option<i64>) -> impl IntoView {
    let locale = use_locale();
    let report = ServerAction::<CommunityReport>::new();
    let error = form_error(move || report.value().get());
    let done = move || matches!(report.value().get(), Some(Ok(())));
    let label = if comment_id.is_some() { locale.pick("举报评论", "Report comment") } else { locale.pick("举报这条", "Report this post") };
    view! {
        <details class="report">
            <summary class="btn btn-ghost btn-small">{label}</summary>
            <Show when=done fallback=move || view! {
                <ActionForm action=report attr:class="form">
                    <input type="hidden" name="store_id" value=store_id/>
                    <input type="hidden" name="post_id" value=post_id/>
                    {comment_id.map(|c| view! { <input type="hidden" name="comment_id" value=c/> })}
                    <label class="field">
                        <span class="field-label">{locale.pick("为什么举报（门店会看到）", "Why (the store will see this)")}</span>
                        <input type="text" name="reason" required maxlength=rules::MAX_REASON_CHARS placeholder=locale.pick("比如 广告、骂人、骗钱", "e.g. spam, abuse, a scam") aria-describedby="reason-error"/>
                        <FieldError error=error field="reason"/>
                    </label>
                    <FormError error=error/>
                    <button type="submit" class="btn btn-secondary btn-small">{locale.pick("提交举报", "Send report")}</button>
                </ActionForm>
            }>
                <p class="notice notice-ok" role="status">{locale.pick("已收到，门店会尽快处理。", "Thanks — the store will look at it soon.")}</p>
            </Show>
        </details>
    }
}
