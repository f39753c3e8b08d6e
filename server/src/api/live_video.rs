//! The live room's video: WHIP (the host publishes) and WHEP (viewers watch) under
//! `/api/v1/live-sessions/{id}`, answered by the relay in this binary (`crate::relay`).
//! Both are one POST of an SDP offer → 201 with the SDP answer and a `Location` to DELETE when
//! done. Trickle ICE (PATCH) is not offered: the relay is ICE-lite on known addresses and
//! learns each browser's address from its connectivity checks.
use super::error::{ApiError, ApiPath, ApiResult};
use super::who::{Asker, SignedIn};
use crate::relay::{Relay, RelayError, Role};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use linli_app::live::video::{self, Publisher};
use linli_app::server::AppState;
use linli_app::shared::{AppError, ErrorCode};
use serde::Serialize;

/// An SDP offer is a few kilobytes; anything much bigger is not one.
pub const SDP_LIMIT: usize = 64 * 1024;

/// The relay, if this instance could open its UDP port.
#[derive(Clone)]
pub struct VideoRelay(pub Option<Relay>);

impl VideoRelay {
    fn get(&self) -> Result<&Relay, ApiError> {
        self.0.as_ref().ok_or(ApiError(AppError::new(ErrorCode::VideoUnavailable)))
    }
}

fn sdp_body(headers: &HeaderMap, body: String) -> Result<String, ApiError> {
    let is_sdp = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/sdp"));
    if !is_sdp {
        return Err(ApiError(AppError::new(ErrorCode::SdpRequired)));
    }
    Ok(body)
}

fn relay_error(e: RelayError) -> ApiError {
    ApiError(AppError::new(match e {
        RelayError::BadOffer => ErrorCode::BadOffer,
        RelayError::Full => ErrorCode::RelayFull,
        RelayError::Closed => ErrorCode::VideoUnavailable,
    }))
}

/// 201 with the answer, the resource's address and the ICE servers (RFC 9725).
fn created(relay: &Relay, location: String, answer: String) -> Response {
    let mut res = (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/sdp")], answer).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::LOCATION, v);
    }
    for server in &relay.ice_servers {
        if let Ok(v) = HeaderValue::from_str(&server.link()) {
            h.append(header::LINK, v);
        }
    }
    res
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim).filter(|k| !k.is_empty())
}

/// WHIP: the host publishes the session's video (camera and microphone), from the console or
/// an encoder with the session's stream key (`Authorization: Bearer`). A second publish
/// replaces the first (the host's phone reconnecting).
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/whip", params(("id" = i64, Path)), tag = "live",
    request_body(content = String, content_type = "application/sdp", description = "the SDP offer (sendonly VP8 and/or Opus)"),
    responses((status = 201, description = "the SDP answer (application/sdp); Location: the resource to DELETE; Link: ICE servers"),
        (status = 401), (status = 403, description = "not this session's host, or a wrong stream key"), (status = 404),
        (status = 409, description = "not_live: the session has ended"), (status = 415, description = "sdp_required"),
        (status = 422, description = "bad_offer"), (status = 503, description = "video_unavailable")))]
pub async fn whip(
    State(state): State<AppState>,
    Extension(relay): Extension<VideoRelay>,
    Asker(me): Asker,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    body: String,
) -> ApiResult<Response> {
    let who = match (bearer(&headers), &me) {
        (Some(key), _) => Publisher::StreamKey(key),
        (None, Some(me)) => Publisher::Host(me),
        (None, None) => return Err(ApiError(AppError::unauthenticated())),
    };
    video::may_publish(&state.db, who, id).await?;
    let relay = relay.get()?;
    let offer = sdp_body(&headers, body)?;
    let opened = relay.open(id, Role::Publisher, offer).await.map_err(relay_error)?;
    Ok(created(relay, format!("/api/v1/live-sessions/{id}/whip/{}", opened.resource), opened.answer))
}

/// WHEP: a viewer watches the session's video while it is live. Guests may watch, as they
/// may open the room.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/whep", params(("id" = i64, Path)), tag = "live",
    request_body(content = String, content_type = "application/sdp", description = "the SDP offer (recvonly video and audio)"),
    responses((status = 201, description = "the SDP answer (application/sdp); Location: the resource to DELETE; Link: ICE servers"),
        (status = 404), (status = 409, description = "not_live"), (status = 415, description = "sdp_required"),
        (status = 422, description = "bad_offer"), (status = 503, description = "relay_full (this instance holds its most viewers), video_unavailable")))]
pub async fn whep(State(state): State<AppState>, Extension(relay): Extension<VideoRelay>, headers: HeaderMap, ApiPath(id): ApiPath<i64>, body: String) -> ApiResult<Response> {
    video::may_watch(&state.db, id).await?;
    let relay = relay.get()?;
    let offer = sdp_body(&headers, body)?;
    let opened = relay.open(id, Role::Viewer, offer).await.map_err(relay_error)?;
    Ok(created(relay, format!("/api/v1/live-sessions/{id}/whep/{}", opened.resource), opened.answer))
}

/// Ends the host's WHIP connection. The resource id in the path is the capability (only the
/// client that got the 201 knows it).
#[utoipa::path(delete, path = "/api/v1/live-sessions/{id}/whip/{resource}", params(("id" = i64, Path), ("resource" = String, Path)), tag = "live",
    responses((status = 200), (status = 404)))]
pub async fn unpublish(Extension(relay): Extension<VideoRelay>, ApiPath((id, resource)): ApiPath<(i64, String)>) -> ApiResult<StatusCode> {
    hang_up(&relay, id, resource).await
}

/// Ends a viewer's WHEP connection (the resource id is the capability, as for WHIP).
#[utoipa::path(delete, path = "/api/v1/live-sessions/{id}/whep/{resource}", params(("id" = i64, Path), ("resource" = String, Path)), tag = "live",
    responses((status = 200), (status = 404)))]
pub async fn unwatch(Extension(relay): Extension<VideoRelay>, ApiPath((id, resource)): ApiPath<(i64, String)>) -> ApiResult<StatusCode> {
    hang_up(&relay, id, resource).await
}

async fn hang_up(relay: &VideoRelay, id: i64, resource: String) -> ApiResult<StatusCode> {
    match relay.get()?.close(id, resource).await.map_err(relay_error)? {
        true => Ok(StatusCode::OK),
        false => Err(ApiError(AppError::not_found())),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StreamKey {
    /// Shown once: the encoder's Bearer token.
    pub stream_key: String,
    /// The WHIP address to give the encoder.
    pub whip_url: String,
}

/// A new stream key for an encoder such as OBS (WHIP with `Authorization: Bearer`); the
/// previous key stops working.
#[utoipa::path(post, path = "/api/v1/live-sessions/{id}/stream-key", params(("id" = i64, Path)), tag = "live",
    responses((status = 201, body = StreamKey), (status = 401), (status = 403), (status = 404)))]
pub async fn stream_key(State(state): State<AppState>, SignedIn(me): SignedIn, ApiPath(id): ApiPath<i64>) -> ApiResult<(StatusCode, Json<StreamKey>)> {
    let key = video::new_stream_key(&state.db, &me, id).await?;
    Ok((StatusCode::CREATED, Json(StreamKey { stream_key: key, whip_url: format!("{}/api/v1/live-sessions/{id}/whip", state.public_url) })))
}

/// 回放: one recording of an ended session, with byte ranges (seeking). Served by the instance
/// whose `LINLI_RECORDINGS_DIR` holds it — with several instances, a shared directory.
pub async fn replay(
    State(state): State<AppState>,
    Extension(relay): Extension<VideoRelay>,
    ApiPath((id, name)): ApiPath<(i64, String)>,
    req: axum::extract::Request,
) -> ApiResult<Response> {
    use tower::ServiceExt;
    let not_found = || ApiError(AppError::not_found());
    let recording_id = name.strip_suffix(".webm").and_then(|n| n.parse::<i64>().ok()).ok_or_else(not_found)?;
    let file = video::replay_file(&state.db, id, recording_id).await?;
    let dir = relay.0.as_ref().and_then(|r| r.recordings.clone()).ok_or_else(not_found)?;
    // The name is the recorder's own; still, nothing but a plain file name is opened.
    if file.contains(['/', '\\']) || file.starts_with('.') {
        return Err(not_found());
    }
    let mut res = tower_http::services::ServeFile::new(dir.join(file)).oneshot(req).await.map_err(|_| not_found())?.into_response();
    if res.status().is_success() {
        // A finished recording never changes.
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    }
    Ok(res)
}
