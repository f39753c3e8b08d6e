//! `/api/v1/stores/{store_id}/community/...`: the store's own group (一店一群). Members read and
//! write in their store's group only; the store's managers (and staff they allow, and the
//! owner) post for the store and moderate it. Nothing written here is ever HTML.
use super::error::{ApiJson, ApiPath, ApiQuery, ApiResult};
use super::who::SignedIn;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use linli_app::community::model::{
    Comment, Feed, JoinRequest, Member, Membership, Moderators, MuteRequest, NotifyPrefs, NewAnnouncement, NewComment, NewPoll, NewPost, PinRequest, Post, ReasonRequest, Report,
    ResolveRequest, Thread, VoteRequest,
};
use linli_app::community::service;
use linli_app::server::AppState;
use linli_app::shared::{AppError, ErrorCode};

/// The body limit for a post: six photos at the photos' limit, plus the text around them.
pub const POST_LIMIT: usize = linli_app::community::rules::MAX_PHOTOS * linli_app::catalog::photos::MAX_BYTES + 64 * 1024;

/// The reader's place in the store's group (member, removed, moderator) and its size.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/members/me", params(("store_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Membership), (status = 401), (status = 404)))]
pub async fn me(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Membership>> {
    Ok(Json(service::membership(&state.db, &me, store_id).await?))
}

/// Joins the group (the counter's QR code and shared links lead here) with the name and 小区
/// the group shows: 王阿姨(嘉绿苑). Again: renames.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/members", params(("store_id" = i64, Path)), request_body = JoinRequest, tag = "community",
    responses((status = 200, body = Membership), (status = 401), (status = 403, description = "removed_from_group"), (status = 404),
        (status = 422, description = "invalid_display_name, invalid_estate (both at once in details.fields)")))]
pub async fn join(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<JoinRequest>) -> ApiResult<Json<Membership>> {
    Ok(Json(service::join(&state.db, &me, store_id, &body).await?))
}

/// Leaves the group (posts stay under the name). Again: 200.
#[utoipa::path(delete, path = "/api/v1/stores/{store_id}/community/members/me", params(("store_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Membership), (status = 401), (status = 404)))]
pub async fn leave(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Membership>> {
    Ok(Json(service::leave(&state.db, &me, store_id).await?))
}

/// The members (the store): join date, 小区, posts, comments, last active, mutes.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/members", params(("store_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Vec<Member>), (status = 401), (status = 403), (status = 404, description = "also another store's staff")))]
pub async fn members(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Vec<Member>>> {
    Ok(Json(service::members(&state.db, &me, store_id).await?))
}

/// `?before=` a post id: the page after.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct FeedQuery {
    #[serde(default)]
    pub before: Option<i64>,
}

/// The feed: pinned posts first (first page), then the newest 20; `next_before` pages on.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/posts", params(("store_id" = i64, Path), FeedQuery), tag = "community",
    responses((status = 200, body = Feed), (status = 401), (status = 403, description = "not_member, removed_from_group"), (status = 404)))]
pub async fn feed(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiQuery(q): ApiQuery<FeedQuery>) -> ApiResult<Json<Feed>> {
    Ok(Json(service::feed(&state.db, &me, store_id, q.before).await?))
}

/// A post with its comments.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/posts/{post_id}", params(("store_id" = i64, Path), ("post_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Thread), (status = 401), (status = 403), (status = 404)))]
pub async fn thread(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>) -> ApiResult<Json<Thread>> {
    Ok(Json(service::thread(&state.db, &me, store_id, post_id).await?))
}

/// A post: JSON `{body, product_id}` for text, or multipart with parts `body`, `product_id`
/// (晒单) and up to six `photo` (JPEG, PNG or WebP; re-encoded, EXIF and GPS gone). Members
/// post once a minute at most; the store's staff post as the store.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/posts", params(("store_id" = i64, Path)), tag = "community",
    request_body(content = NewPost, description = "or multipart/form-data: `body`, `product_id`, up to six `photo`"),
    responses((status = 201, body = Post), (status = 401), (status = 403, description = "not_member, group_muted (details.until, details.reason), removed_from_group"),
        (status = 404), (status = 413, description = "photo_too_large"),
        (status = 422, description = "invalid_post, post_blocked, too_many_post_photos, not_bought, not_an_image, broken_image, photo_too_big, photo_too_small (details.photo: which)"),
        (status = 429, description = "post_too_fast")))]
pub async fn create_post(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, req: Request) -> ApiResult<(StatusCode, Json<Post>)> {
    let (new, photos) = read_post(req).await?;
    Ok((StatusCode::CREATED, Json(service::create_post(&state.db, &me, store_id, &new, photos).await?)))
}

/// A post as sent: JSON, or a multipart form (the page's form sends the same parts).
pub async fn read_post(req: Request) -> Result<(NewPost, Vec<Vec<u8>>), AppError> {
    let multipart = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let ApiJson(new) = ApiJson::<NewPost>::from_request(req, &()).await.map_err(|e| e.0)?;
        return Ok((new, Vec::new()));
    }
    let form = axum::extract::Multipart::from_request(req, &()).await;
    match read_post_parts(form).await {
        (new, photos, None) => Ok((new, photos)),
        (_, _, Some(e)) => Err(e),
    }
}

/// The parts of a post's multipart form: `body`, `product_id`, and the `photo` files (a file
/// input left empty sends an empty part, which is no photo). On a refusal (a photo too large,
/// a seventh photo) also what was read before it — the text comes first in the page's form, so
/// the page can give it back.
pub async fn read_post_parts(form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>) -> (NewPost, Vec<Vec<u8>>, Option<AppError>) {
    let too_large = || AppError::field(ErrorCode::PhotoTooLarge, "photo");
    let mut new = NewPost::default();
    let mut photos = Vec::new();
    let mut form = match form {
        Ok(f) => f,
        Err(_) => return (new, photos, Some(AppError::field(ErrorCode::BadRequest, "body"))),
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (new, photos, None),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return (new, photos, Some(too_large())),
            Err(_) => return (new, photos, Some(AppError::field(ErrorCode::BadRequest, "body"))),
        };
        let name = field.name().unwrap_or_default().to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return (new, photos, Some(too_large())),
            Err(_) => return (new, photos, Some(AppError::field(ErrorCode::BadRequest, "body"))),
        };
        match name.as_str() {
            "body" => new.body = String::from_utf8_lossy(&bytes).into_owned(),
            "product_id" => {
                let text = String::from_utf8_lossy(&bytes);
                match text.trim() {
                    "" => new.product_id = None,
                    t => match t.parse() {
                        Ok(id) => new.product_id = Some(id),
                        Err(_) => return (new, photos, Some(AppError::field(ErrorCode::BadRequest, "product_id"))),
                    },
                }
            }
            "photo" if !bytes.is_empty() => {
                if photos.len() == linli_app::community::rules::MAX_PHOTOS {
                    return (new, photos, Some(AppError::field(ErrorCode::TooManyPostPhotos, "photo")));
                }
                photos.push(bytes.to_vec());
            }
            _ => {}
        }
    }
}

/// An announcement from the store, pinned at the top if asked.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/announcements", params(("store_id" = i64, Path)), request_body = NewAnnouncement, tag = "community",
    responses((status = 201, body = Post), (status = 401), (status = 403), (status = 404), (status = 422, description = "invalid_post")))]
pub async fn announce(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<NewAnnouncement>) -> ApiResult<(StatusCode, Json<Post>)> {
    Ok((StatusCode::CREATED, Json(service::announce(&state.db, &me, store_id, &body).await?)))
}

/// A poll from the store (single or multiple choice; results shown after voting or closing).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/polls", params(("store_id" = i64, Path)), request_body = NewPoll, tag = "community",
    responses((status = 201, body = Post), (status = 401), (status = 403), (status = 404), (status = 422, description = "invalid_poll, invalid_poll_options, invalid_poll_close")))]
pub async fn create_poll(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<NewPoll>) -> ApiResult<(StatusCode, Json<Post>)> {
    Ok((StatusCode::CREATED, Json(service::create_poll(&state.db, &me, store_id, &body).await?)))
}

/// 今日鲜货: a post of today's deliveries (stock booked in today) with photos and prices.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/arrivals", params(("store_id" = i64, Path)), tag = "community",
    responses((status = 201, body = Post), (status = 401), (status = 403), (status = 404), (status = 409, description = "no_arrivals_today")))]
pub async fn arrivals(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<(StatusCode, Json<Post>)> {
    Ok((StatusCode::CREATED, Json(service::post_arrivals(&state.db, &me, store_id).await?)))
}

/// A comment under a post (members: one per 5 s at most; not while muted).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/comments", params(("store_id" = i64, Path), ("post_id" = i64, Path)),
    request_body = NewComment, tag = "community",
    responses((status = 201, body = Comment), (status = 401), (status = 403, description = "not_member, group_muted, removed_from_group"), (status = 404),
        (status = 422, description = "invalid_group_comment, post_blocked"), (status = 429, description = "post_too_fast")))]
pub async fn comment(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<NewComment>) -> ApiResult<(StatusCode, Json<Comment>)> {
    Ok((StatusCode::CREATED, Json(service::comment(&state.db, &me, store_id, post_id, &body.body).await?)))
}

/// 点赞. Again: 200, counted once.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/like", params(("store_id" = i64, Path), ("post_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Post), (status = 401), (status = 403), (status = 404)))]
pub async fn like(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>) -> ApiResult<Json<Post>> {
    Ok(Json(service::like(&state.db, &me, store_id, post_id, true).await?))
}

/// Takes the like back.
#[utoipa::path(delete, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/like", params(("store_id" = i64, Path), ("post_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Post), (status = 401), (status = 403), (status = 404)))]
pub async fn unlike(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>) -> ApiResult<Json<Post>> {
    Ok(Json(service::like(&state.db, &me, store_id, post_id, false).await?))
}

/// A member's ballot: once per poll while open; answers the poll with its results.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/votes", params(("store_id" = i64, Path), ("post_id" = i64, Path)),
    request_body = VoteRequest, tag = "community",
    responses((status = 201, body = Post), (status = 401), (status = 403, description = "not_member (the store does not vote)"), (status = 404),
        (status = 409, description = "already_voted, poll_closed"), (status = 422, description = "invalid_vote")))]
pub async fn vote(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<VoteRequest>) -> ApiResult<(StatusCode, Json<Post>)> {
    Ok((StatusCode::CREATED, Json(service::vote(&state.db, &me, store_id, post_id, &body.option_ids).await?)))
}

/// Pins (or unpins) one of the store's posts at the top of the feed.
#[utoipa::path(put, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/pin", params(("store_id" = i64, Path), ("post_id" = i64, Path)),
    request_body = PinRequest, tag = "community",
    responses((status = 200, body = Post), (status = 401), (status = 403), (status = 404, description = "also a resident's post: only the store's are pinned")))]
pub async fn pin(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<PinRequest>) -> ApiResult<Json<Post>> {
    Ok(Json(service::pin(&state.db, &me, store_id, post_id, body.pinned).await?))
}

/// Hides a post from everyone at once but its author, who sees the reason. Again: 200.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/hide", params(("store_id" = i64, Path), ("post_id" = i64, Path)),
    request_body = ReasonRequest, tag = "community",
    responses((status = 200), (status = 401), (status = 403), (status = 404, description = "also another store's staff"), (status = 422, description = "reason_required")))]
pub async fn hide_post(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<ReasonRequest>) -> ApiResult<StatusCode> {
    service::hide_post(&state.db, &me, store_id, post_id, &body.reason).await?;
    Ok(StatusCode::OK)
}

/// Hides a comment the same way.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/comments/{comment_id}/hide", params(("store_id" = i64, Path), ("comment_id" = i64, Path)),
    request_body = ReasonRequest, tag = "community",
    responses((status = 200), (status = 401), (status = 403), (status = 404), (status = 422, description = "reason_required")))]
pub async fn hide_comment(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, comment_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<ReasonRequest>) -> ApiResult<StatusCode> {
    service::hide_comment(&state.db, &me, store_id, comment_id, &body.reason).await?;
    Ok(StatusCode::OK)
}

/// Mutes a member for `minutes` (0 lifts it): they read but cannot post or comment.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/members/{user_id}/mute", params(("store_id" = i64, Path), ("user_id" = i64, Path)),
    request_body = MuteRequest, tag = "community",
    responses((status = 200, body = Member), (status = 401), (status = 403), (status = 404, description = "not a member"), (status = 422, description = "invalid_mute, reason_required")))]
pub async fn mute(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, user_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<MuteRequest>) -> ApiResult<Json<Member>> {
    Ok(Json(service::mute(&state.db, &me, store_id, user_id, body.minutes, &body.reason).await?))
}

/// Removes a member; they cannot join again by themselves.
#[utoipa::path(delete, path = "/api/v1/stores/{store_id}/community/members/{user_id}", params(("store_id" = i64, Path), ("user_id" = i64, Path)), tag = "community",
    responses((status = 200), (status = 401), (status = 403), (status = 404)))]
pub async fn remove(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, user_id)): ApiPath<(i64, i64)>) -> ApiResult<StatusCode> {
    service::remove(&state.db, &me, store_id, user_id).await?;
    Ok(StatusCode::OK)
}

/// A member reports a post for the store's queue.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/posts/{post_id}/reports", params(("store_id" = i64, Path), ("post_id" = i64, Path)),
    request_body = ReasonRequest, tag = "community",
    responses((status = 201), (status = 401), (status = 403), (status = 404), (status = 409, description = "already_reported"), (status = 422, description = "reason_required")))]
pub async fn report_post(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, post_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<ReasonRequest>) -> ApiResult<StatusCode> {
    service::report(&state.db, &me, store_id, Some(post_id), None, &body.reason).await?;
    Ok(StatusCode::CREATED)
}

/// A member reports a comment.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/comments/{comment_id}/reports", params(("store_id" = i64, Path), ("comment_id" = i64, Path)),
    request_body = ReasonRequest, tag = "community",
    responses((status = 201), (status = 401), (status = 403), (status = 404), (status = 409, description = "already_reported"), (status = 422, description = "reason_required")))]
pub async fn report_comment(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, comment_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<ReasonRequest>) -> ApiResult<StatusCode> {
    service::report(&state.db, &me, store_id, None, Some(comment_id), &body.reason).await?;
    Ok(StatusCode::CREATED)
}

/// The store's queue of open reports, oldest first.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/reports", params(("store_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Vec<Report>), (status = 401), (status = 403), (status = 404)))]
pub async fn reports(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Vec<Report>>> {
    Ok(Json(service::reports(&state.db, &me, store_id).await?))
}

/// Settles a report: `hidden` (with the reason the author sees) or `kept`; every open report
/// of the same post or comment closes with it.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/community/reports/{report_id}/resolve", params(("store_id" = i64, Path), ("report_id" = i64, Path)),
    request_body = ResolveRequest, tag = "community",
    responses((status = 200), (status = 400, description = "bad_request: outcome is hidden or kept"), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "reason_required")))]
pub async fn resolve(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath((store_id, report_id)): ApiPath<(i64, i64)>, ApiJson(body): ApiJson<ResolveRequest>) -> ApiResult<StatusCode> {
    service::resolve(&state.db, &me, store_id, report_id, &body.outcome, body.reason.as_deref()).await?;
    Ok(StatusCode::OK)
}

/// The store's clerks its managers let moderate the group (managers and the owner always do).
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/moderators", params(("store_id" = i64, Path)), tag = "community",
    responses((status = 200, body = Moderators), (status = 401), (status = 403, description = "a clerk: managers choose"), (status = 404)))]
pub async fn moderators(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>) -> ApiResult<Json<Moderators>> {
    let clerks = service::moderators(&state.db, &me, store_id).await?;
    Ok(Json(Moderators { user_ids: clerks.into_iter().filter(|(_, _, on)| *on).map(|(id, _, _)| id).collect() }))
}

/// Lets exactly these clerks of the store moderate its group.
#[utoipa::path(put, path = "/api/v1/stores/{store_id}/community/moderators", params(("store_id" = i64, Path)), request_body = Moderators, tag = "community",
    responses((status = 200, body = Moderators), (status = 401), (status = 403), (status = 404), (status = 422, description = "not_staff_here")))]
pub async fn set_moderators(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<Moderators>) -> ApiResult<Json<Moderators>> {
    Ok(Json(Moderators { user_ids: service::set_moderators(&state.db, &me, store_id, &body.user_ids).await? }))
}

/// The member's switches for the bell: the store's announcements, its live sessions going
/// live, its new group buys.
#[utoipa::path(put, path = "/api/v1/stores/{store_id}/community/members/me/notifications", params(("store_id" = i64, Path)), request_body = NotifyPrefs, tag = "community",
    responses((status = 200, body = Membership), (status = 401), (status = 403, description = "not_member"), (status = 404)))]
pub async fn set_notify(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(store_id): ApiPath<i64>, ApiJson(body): ApiJson<NotifyPrefs>) -> ApiResult<Json<Membership>> {
    Ok(Json(service::set_notify(&state.db, &me, store_id, body).await?))
}

/// `?product_id=`: the product whose 晒单 to list.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ReviewsQuery {
    pub product_id: i64,
}

/// Neighbours' 晒单 of a product in the store's group (each 已购, checked when posted), the
/// latest five — what its product page shows, to anyone.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/community/reviews", params(("store_id" = i64, Path), ReviewsQuery), tag = "community",
    responses((status = 200, body = Vec<Post>), (status = 400), (status = 404)))]
pub async fn reviews(State(state): State<AppState>, ApiPath(store_id): ApiPath<i64>, ApiQuery(q): ApiQuery<ReviewsQuery>) -> ApiResult<Json<Vec<Post>>> {
    linli_app::stores::get_active(&state.db.pool, store_id).await?.ok_or(super::error::ApiError(AppError::not_found()))?;
    Ok(Json(service::reviews(&state.db, store_id, q.product_id).await?))
}
