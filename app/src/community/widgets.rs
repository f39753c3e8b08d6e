//! Pieces the group's pages share: a post as a card (text, photo grid, 已购 product, 今日鲜货,
//! the poll), its like button. Everything a resident wrote is rendered as text.
use super::api::{CommunityAct, CommunityLike, CommunityVote};
use super::model::{Poll, Post, PostKind, PostProduct};
use super::rules::ago_text;
use crate::shared::Locale;
use crate::ui::form::form_error;
use crate::ui::{use_locale, FieldError, Price};
use leptos::prelude::*;

/// A post in the feed or on its own page. `thread`: on its own page (no link to itself).
#[component]
pub fn PostCard(
    post: Post,
    store_id: i64,
    now_ms: i64,
    /// Moved on when a like or a vote went through: the page reloads what it shows.
    changed: RwSignal<u32>,
    #[prop(optional)] thread: bool,
) -> impl IntoView {
    let locale = use_locale();
    let like = ServerAction::<CommunityLike>::new();
    bump_on_success(like, changed);
    let id = post.id;
    let kind = match post.kind {
        PostKind::Announcement => Some(locale.pick("公告", "Notice")),
        PostKind::Arrivals => Some(locale.pick("今日鲜货", "Today's arrivals")),
        PostKind::Poll => Some(locale.pick("投票", "Poll")),
        PostKind::Post => None,
    };
    let photos = post.photos.clone();
    let n = photos.len();
    view! {
        <article class="card post" id=format!("post-{id}") data-post=id data-kind=post.kind.as_str()>
            <header class="post-head">
                <span class="post-author">{post.author.clone()}</span>
                {post.by_store.then(|| view! { <span class="tag tag-store">{locale.pick("门店", "Store")}</span> })}
                {post.pinned.then(|| view! { <span class="tag tag-pin">{locale.pick("置顶", "Pinned")}</span> })}
                {kind.map(|k| view! { <span class="tag">{k}</span> })}
                <time class="post-time muted" datetime=post.created_at.clone()>{ago_text(locale, post.created_at_ms, now_ms)}</time>
            </header>
            {post.hidden_reason.clone().map(|r| view! {
                <p class="notice notice-error" role="status">
                    {if post.mine { locale.pick("门店已隐藏这条，只有你看得到。原因：", "The store hid this; only you can see it. Reason: ") }
                        else { locale.pick("已隐藏，邻居们看不到了。原因：", "Hidden from the neighbours. Reason: ") }}{r}
                </p>
            })}
            <p class="post-body">{post.body.clone()}</p>
            {(n > 0).then(|| view! {
                <div class="post-photos" data-count=n>
                    {photos.into_iter().map(|p| view! {
                        <a href=p.large_url class="post-photo"><img src=p.card_url alt=locale.pick("邻居拍的照片", "A neighbour's photo") loading="lazy" decoding="async" width="240" height="240"/></a>
                    }).collect_view()}
                </div>
            })}
            {post.product.clone().map(|p| view! { <BoughtProduct product=p/> })}
            {(!post.products.is_empty()).then(|| view! {
                <ul class="arrivals">
                    {post.products.clone().into_iter().map(|p| view! { <ArrivalItem product=p/> }).collect_view()}
                </ul>
            })}
            {post.poll.clone().map(|poll| view! { <PollBox poll=poll store_id=store_id post_id=id changed=changed/> })}
            {post.hidden_reason.is_none().then(|| view! {
                <footer class="post-foot">
                    <ActionForm action=like attr:class="post-like">
                        <input type="hidden" name="store_id" value=store_id/>
                        <input type="hidden" name="post_id" value=id/>
                        <input type="hidden" name="on" value=if post.liked { "0" } else { "1" }/>
                        // The words say the state (赞 / 已赞) and the count; aria-pressed says it again.
                        <button type="submit" class="btn btn-ghost btn-small" class:liked=post.liked aria-pressed=if post.liked { "true" } else { "false" }>
                            <span aria-hidden="true">{if post.liked { "♥ " } else { "♡ " }}</span>
                            {if post.liked { locale.pick("已赞", "Liked") } else { locale.pick("赞", "Like") }}" "<span class="num">{post.likes}</span>
                        </button>
                    </ActionForm>
                    {(!thread).then(|| view! {
                        <a class="btn btn-ghost btn-small" href=format!("/community/p/{id}")>
                            {match locale {
                                Locale::Zh => if post.comments == 0 { "评论".to_string() } else { format!("评论 {}", post.comments) },
                                Locale::En => if post.comments == 0 { "Comment".to_string() } else { format!("Comments {}", post.comments) },
                            }}
                        </a>
                    })}
                </footer>
            })}
        </article>
    }
    .into_any()
}

/// Moves `changed` on each success of `action`.
pub fn bump_on_success<A>(action: ServerAction<A>, changed: RwSignal<u32>)
where
    A: leptos::server_fn::ServerFn<Output = (), Error = crate::shared::AppError> + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            changed.update(|n| *n += 1);
        }
    });
}

/// 晒单: the product the author bought here, marked 已购, at today's price.
#[component]
fn BoughtProduct(product: PostProduct) -> impl IntoView {
    let locale = use_locale();
    view! {
        <a class="post-product" href=format!("/p/{}", product.id)>
            {product.image_url.clone().map(|src| view! { <img src=src alt="" loading="lazy" width="48" height="48"/> })}
            <span class="post-product-name">{product.name.clone()}" "<small class="muted">{product.unit.clone()}</small></span>
            <span class="tag tag-bought">{locale.pick("已购", "Bought here")}</span>
            {product.price_fen.map(|f| view! { <Price fen=f/> })}
        </a>
    }
}

#[component]
fn ArrivalItem(product: PostProduct) -> impl IntoView {
    view! {
        <li>
            <a class="arrival" href=format!("/p/{}", product.id)>
                {product.image_url.clone().map(|src| view! { <img src=src alt="" loading="lazy" width="96" height="96"/> })}
                <span class="arrival-name">{product.name.clone()}</span>
                <span class="muted arrival-unit">{product.unit.clone()}</span>
                {product.price_fen.map(|f| view! { <Price fen=f/> })}
            </a>
        </li>
    }
}

/// A poll: the choices to vote on, or — once voted, closed, or for the store — the results.
#[component]
fn PollBox(poll: Poll, store_id: i64, post_id: i64, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let vote = ServerAction::<CommunityVote>::new();
    bump_on_success(vote, changed);
    // A refusal brought back in the address (no JavaScript) names its poll.
    let here = leptos_router::hooks::use_query_map().read_untracked().get("poll").and_then(|v| v.parse::<i64>().ok()) == Some(post_id);
    let error = form_error(move || vote.value().get());
    let error = Signal::derive(move || error.get().filter(|_| here || vote.value().with(Option::is_some)));
    let closes = match locale {
        Locale::Zh => format!("{}截止", crate::shared::time::local_clock(&poll.closes_at)),
        Locale::En => format!("closes {}", crate::shared::time::local_clock(&poll.closes_at)),
    };
    let head = match (locale, poll.multiple) {
        (Locale::Zh, true) => "可多选",
        (Locale::Zh, false) => "单选",
        (Locale::En, true) => "choose any",
        (Locale::En, false) => "choose one",
    };
    if poll.options.iter().all(|o| o.votes.is_some()) {
        let total: i64 = poll.options.iter().filter_map(|o| o.votes).sum::<i64>().max(1);
        let voters = poll.voters.unwrap_or_default();
        return view! {
            <div class="poll poll-results">
                <ul>
                    {poll.options.iter().map(|o| {
                        let v = o.votes.unwrap_or_default();
                        let pct = v * 100 / total;
                        let mine = poll.voted.contains(&o.id);
                        view! {
                            <li class="poll-result" class:poll-mine=mine>
                                <span class="poll-label">{o.label.clone()}{mine.then(|| locale.pick(" ✓ 我选的", " ✓ mine"))}</span>
                                <span class="poll-count num">{match locale { Locale::Zh => format!("{v}票 {pct}%"), Locale::En => format!("{v} · {pct}%") }}</span>
                                <span class="bar"><span class="bar-fill" style=format!("width:{pct}%")></span></span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="muted">{match locale { Locale::Zh => format!("{voters}位邻居投了票 · ", ), Locale::En => format!("{voters} voted · ") }}
                    {if poll.closed { locale.pick("已截止", "closed").to_string() } else { closes.clone() }}</p>
            </div>
        }
        .into_any();
    }
    let kind = if poll.multiple { "checkbox" } else { "radio" };
    view! {
        <ActionForm action=vote attr:class="poll">
            <input type="hidden" name="store_id" value=store_id/>
            <input type="hidden" name="post_id" value=post_id/>
            <fieldset class="field">
                <legend class="muted">{head}" · "{closes}</legend>
                {poll.options.iter().enumerate().map(|(i, o)| {
                    let name = if poll.multiple { format!("option_ids[{i}]") } else { "option_ids[0]".to_string() };
                    view! { <label class="choice"><input type=kind name=name value=o.id/>{o.label.clone()}</label> }
                }).collect_view()}
            </fieldset>
            <FieldError error=error field="option_ids"/>
            <button type="submit" class="btn btn-primary btn-small" disabled=move || vote.pending().get()>{locale.pick("投票", "Vote")}</button>
            <span class="hint">{locale.pick("投票后可以看结果", "Results show after you vote")}</span>
        </ActionForm>
    }
    .into_any()
}

/// The store's 隐藏 (`action`: hide_post, hide_comment, hide_report): folded until asked for,
/// then the reason — which the author will see — and the button.
#[component]
pub fn HideForm(act: ServerAction<CommunityAct>, store_id: i64, action: &'static str, id: i64) -> impl IntoView {
    let locale = use_locale();
    view! {
        <details class="report">
            <summary class="btn btn-small">{locale.pick("隐藏", "Hide")}</summary>
            <ActionForm action=act attr:class="inline-fields">
                <input type="hidden" name="store_id" value=store_id/>
                <input type="hidden" name="action" value=action/>
                <input type="hidden" name="id" value=id/>
                <input type="text" name="reason" required maxlength=super::rules::MAX_REASON_CHARS aria-label=locale.pick("原因（作者会看到）", "Reason (the author sees it)")
                    placeholder=locale.pick("原因，作者会看到", "Reason, shown to the author")/>
                <button type="submit" class="btn btn-danger btn-small">{locale.pick("确定隐藏", "Hide")}</button>
            </ActionForm>
        </details>
    }
}
