//! The API's error shape: `{"error": {"code", "message", "details"}}` with a 4xx status,
//! the message in the reader's language. A 500 says nothing about its cause (that is logged).
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use linli_app::server::request::api_locale_of;
use linli_app::shared::{AppError, ErrorCode, Locale};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<ErrorCode> for ApiError {
    fn from(c: ErrorCode) -> Self {
        ApiError(AppError::new(c))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

pub fn body(e: &AppError, locale: Locale) -> serde_json::Value {
    let mut err = json!({ "code": e.code.as_str(), "message": e.message(locale) });
    let mut details = match &e.details {
        Some(serde_json::Value::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    if let Some(f) = &e.field {
        details.insert("field".into(), json!(f));
    }
    if !details.is_empty() {
        err["details"] = serde_json::Value::Object(details);
    }
    json!({ "error": err })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Written in Chinese here; `localize` rewrites it for an English reader.
        let mut res = (status, Json(body(&self.0, Locale::Zh))).into_response();
        if self.0.code == ErrorCode::TooManyAttempts {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("900"));
        }
        res.extensions_mut().insert(self.0);
        res
    }
}

/// Re-renders an error body in the language the request asked for.
pub async fn localize(req: Request, next: Next) -> Response {
    let locale = api_locale_of(req.headers());
    let res = next.run(req).await;
    if locale == Locale::Zh {
        return res;
    }
    match res.extensions().get::<AppError>().cloned() {
        Some(e) => {
            let (mut parts, _) = res.into_parts();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, axum::body::Body::from(body(&e, locale).to_string()))
        }
        None => res,
    }
}

pub async fn not_found() -> ApiError {
    ApiError(AppError::not_found())
}

/// `Json<T>` whose rejections (malformed JSON, unknown or missing fields, wrong content
/// type) answer in the API's error shape instead of plain text.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state).await.map(|Json(v)| ApiJson(v)).map_err(|e: JsonRejection| {
            tracing::debug!(error = %e, "json body rejected");
            ApiError(AppError::new(ErrorCode::BadRequest))
        })
    }
}

/// `Query<T>` with API-shaped rejections.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| {
                tracing::debug!(error = %e, "query rejected");
                ApiError(AppError::new(ErrorCode::BadRequest))
            })
    }
}

/// `Path<T>` with API-shaped rejections: an id that is not a number is simply not found.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|_: PathRejection| ApiError(AppError::not_found()))
    }
}
