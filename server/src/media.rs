//! `/media/{id}`: product photos, from the database so every app instance can serve them.
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use linli_app::server::AppState;

/// Media never changes once stored (a new photo gets a new id), so it is cached for a year.
pub async fn serve(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let etag = format!("\"m{id}\"");
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    match linli_app::catalog::media(&state.db.pool, id).await {
        Ok(Some((content_type, bytes))) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
            h.insert(header::ETAG, HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"m\"")));
            // Media is shown as images only; never let one run as a document.
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `/g/{id}/poster.svg`: a group buy's share poster. Drawn afresh each time (its progress moves),
/// so it is cached only briefly.
pub async fn poster(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    match linli_app::group_buy::service::poster(&state.db, id, &state.public_url).await {
        Ok(Some(svg)) => {
            let mut res = svg.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `POST /admin/products/{id}/photos`: the product editor's upload form (multipart, works
/// without JavaScript). Answers with a redirect back to the editor: `?photo=added`, or the
/// refusal's code under the photo field.
pub async fn upload_from_page(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Path(id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let db = state.db.clone();
    photo_from_page(&state, &session, multipart, &format!("/admin/products/{id}"), "photo=added#photos", |me, bytes| async move {
        linli_app::catalog::service::add_photo(&db, &me, id, bytes).await.map(|_| ())
    })
    .await
}

/// `POST /admin/live/{id}/cover`: the live console's cover form, the same way.
pub async fn cover_from_page(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Path(id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let db = state.db.clone();
    photo_from_page(&state, &session, multipart, &format!("/admin/live/{id}"), "photo=added#cover", |me, bytes| async move {
        linli_app::live::service::set_cover(&db, &me, id, bytes).await.map(|_| ())
    })
    .await
}

/// A page's photo upload: signed out → login and back to `page`; done → `page?{done}`;
/// refused → `page` with the code under the photo field.
async fn photo_from_page<F, Fut>(
    state: &AppState,
    session: &tower_sessions::Session,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    page: &str,
    done: &str,
    keep: F,
) -> Response
where
    F: FnOnce(linli_app::accounts::Me, Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<(), linli_app::shared::AppError>>,
{
    use axum::response::Redirect;
    let me = match linli_app::server::session::user_of(&state.db, session).await {
        Ok(Some(me)) => me,
        Ok(None) => return Redirect::to(&format!("/login?next={page}")).into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let result = match crate::api::products::read_photo(multipart).await {
        Ok(bytes) => keep(me, bytes).await,
        Err(e) => Err(e),
    };
    let anchor = done.split_once('#').map_or("", |(_, a)| a);
    match result {
        Ok(()) => Redirect::to(&format!("{page}?{done}")).into_response(),
        Err(e) => Redirect::to(&format!("{page}?err={}&field=photo#{anchor}", e.code.as_str())).into_response(),
    }
}

/// `POST /community/{store_id}/posts`: the group's post form (multipart: text, photos, 晒单),
/// with or without JavaScript. Done → the feed with `?posted=1`; refused → back to the form
/// with the refusal under its field and the text kept; signed out → login and back.
pub async fn community_post_from_page(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Path(store_id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use axum::response::Redirect;
    use linli_app::shared::url::encode;
    let Ok(store_id) = store_id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let page = format!("/community?store={store_id}");
    let me = match linli_app::server::session::user_of(&state.db, &session).await {
        Ok(Some(me)) => me,
        Ok(None) => return Redirect::to(&format!("/login?next={}", encode(&page))).into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let (new, photos, refused) = crate::api::community::read_post_parts(multipart).await;
    let result = match refused {
        None => linli_app::community::service::create_post(&state.db, &me, store_id, &new, photos).await.map(|_| ()),
        Some(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to(&format!("{page}&posted=1#compose")).into_response(),
        Err(e) => {
            // What was typed comes back (cut to the post's limit: the address stays short);
            // `form=post` keeps the message at this form, not under every other on the page.
            let kept: String = new.body.chars().take(linli_app::community::rules::MAX_POST_CHARS).collect();
            let field = e.field.clone().unwrap_or_default();
            let field_part = if field.is_empty() { String::new() } else { format!("&field={}", encode(&field)) };
            Redirect::to(&format!("{page}&form=post&err={}{field_part}&body={}#compose", e.code.as_str(), encode(&kept))).into_response()
        }
    }
}

/// `/community/photos/{token}/{card|large}`: a group post's photo, while the post is shown
/// (the token is unguessable; a hidden post's photos are gone). Kept by the phone, not by
/// shared caches.
pub async fn community_photo(State(state): State<AppState>, Path((token, size)): Path<(String, String)>) -> Response {
    let large = match size.as_str() {
        "large" => true,
        "card" => false,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match linli_app::community::service::photo(&state.db, &token, large).await {
        Ok(Some((content_type, bytes))) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400"));
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
