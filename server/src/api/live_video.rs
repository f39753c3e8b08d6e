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

/// The relay (if this instance could open its UDP port), and how to reach the others.
///
/// Several instances: all viewers of a session watch through the one relay that holds its
/// host (`live_sessions.video_relay`, that instance's `LINLI_INSTANCE_URL`). An offer that
/// reaches another instance is passed on to it — the answer names that relay's UDP address, so
/// media flows straight between the browser and the host's instance; only the offer and answer
/// take the extra hop. If the named instance does not answer (it went down), this one takes
/// the session over: the host's reconnect publishes here and viewers follow.
#[derive(Clone)]
pub struct VideoRelay {
    pub relay: Option<Relay>,
    /// This instance's address for the others ("http://10.0.0.5:3000").
    pub instance: String,
    http: reqwest::Client,
}

/// Marks an offer passed on by another instance: it is answered here, never passed on again.
const FORWARDED: &str = "x-linli-forwarded";

impl VideoRelay {
    pub fn new(relay: Option<Relay>, instance: String) -> VideoRelay {
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(5)).redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        VideoRelay { relay, instance, http }
    }

    fn get(&self) -> Result<&Relay, ApiError> {
        self.relay.as_ref().ok_or(ApiError(AppError::new(ErrorCode::VideoUnavailable)))
    }

    /// The instance to pass this request on to: the session's relay when it is another one
    /// and the request did not come from an instance already.
    async fn elsewhere(&self, state: &AppState, headers: &HeaderMap, id: i64) -> Result<Option<String>, ApiError> {
        if headers.contains_key(FORWARDED) {
            return Ok(None);
        }
        Ok(video::relay_of(&state.db, id).await?.filter(|at| *at != self.instance))
    }

    /// Passes a request on to `instance` as it came (its SDP, its cookie or stream key);
    /// `None` when that instance does not answer.
    async fn pass_on(&self, instance: &str, method: reqwest::Method, path: &str, headers: &HeaderMap, body: String) -> Option<Response> {
        let mut req = self.http.request(method, format!("{instance}{path}")).header(FORWARDED, "1").body(body);
        for name in [header::CONTENT_TYPE, header::AUTHORIZATION, header::COOKIE, header::ACCEPT_LANGUAGE] {
            if let Some(v) = headers.get(&name).and_then(|v| v.to_str().ok()) {
                req = req.header(name.as_str(), v);
            }
        }
        let res = req.header("x-requested-with", "linli").send().await.ok()?;
        let status = StatusCode::from_u16(res.status().as_u16()).ok()?;
        let mut out = Response::builder().status(status);
        for name in ["content-type", "location", "link", "retry-after"] {
            for v in res.headers().get_all(name) {
                out = out.header(name, v.as_bytes());
            }
        }
        let bytes = res.bytes().await.ok()?;
        out.body(axum::body::Body::from(bytes)).ok()
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
    let offer = sdp_body(&headers, body)?;
    if let Some(at) = relay.elsewhere(&state, &headers, id).await? {
        if let Some(res) = relay.pass_on(&at, reqwest::Method::POST, &format!("/api/v1/live-sessions/{id}/whip"), &headers, offer.clone()).await {
            return Ok(res);
        }
        tracing::warn!(session = id, instance = %at, "the session's relay does not answer: taking it over");
    }
    let local = relay.get()?;
    let opened = local.open(id, Role::Publisher, offer).await.map_err(relay_error)?;
    video::relayed_by(&state.db, id, &relay.instance).await?;
    Ok(created(local, format!("/api/v1/live-sessions/{id}/whip/{}", opened.resource), opened.answer))
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
    let offer = sdp_body(&headers, body)?;
    if let Some(at) = relay.elsewhere(&state, &headers, id).await? {
        if let Some(res) = relay.pass_on(&at, reqwest::Method::POST, &format!("/api/v1/live-sessions/{id}/whep"), &headers, offer.clone()).await {
            return Ok(res);
        }
    }
    let local = relay.get()?;
    let opened = local.open(id, Role::Viewer, offer).await.map_err(relay_error)?;
    Ok(created(local, format!("/api/v1/live-sessions/{id}/whep/{}", opened.resource), opened.answer))
}

/// Ends the host's WHIP connection. The resource id in the path is the capability (only the
/// client that got the 201 knows it).
#[utoipa::path(delete, path = "/api/v1/live-sessions/{id}/whip/{resource}", params(("id" = i64, Path), ("resource" = String, Path)), tag = "live",
    responses((status = 200), (status = 404)))]
pub async fn unpublish(State(state): State<AppState>, Extension(relay): Extension<VideoRelay>, headers: HeaderMap, ApiPath((id, resource)): ApiPath<(i64, String)>) -> ApiResult<Response> {
    hang_up(&state, &relay, &headers, id, "whip", resource).await
}

/// Ends a viewer's WHEP connection (the resource id is the capability, as for WHIP).
#[utoipa::path(delete, path = "/api/v1/live-sessions/{id}/whep/{resource}", params(("id" = i64, Path), ("resource" = String, Path)), tag = "live",
    responses((status = 200), (status = 404)))]
pub async fn unwatch(State(state): State<AppState>, Extension(relay): Extension<VideoRelay>, headers: HeaderMap, ApiPath((id, resource)): ApiPath<(i64, String)>) -> ApiResult<Response> {
    hang_up(&state, &relay, &headers, id, "whep", resource).await
}

/// Closes the resource here, or on the session's relay when it was opened there.
async fn hang_up(state: &AppState, relay: &VideoRelay, headers: &HeaderMap, id: i64, kind: &str, resource: String) -> ApiResult<Response> {
    if let Some(local) = &relay.relay {
        if local.close(id, resource.clone()).await.map_err(relay_error)? {
            return Ok(StatusCode::OK.into_response());
        }
    }
    if let Some(at) = relay.elsewhere(state, headers, id).await? {
        if let Some(res) = relay.pass_on(&at, reqwest::Method::DELETE, &format!("/api/v1/live-sessions/{id}/{kind}/{resource}"), headers, String::new()).await {
            return Ok(res);
        }
    }
    Err(ApiError(AppError::not_found()))
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
    let dir = relay.relay.as_ref().and_then(|r| r.recordings.clone()).ok_or_else(not_found)?;
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
