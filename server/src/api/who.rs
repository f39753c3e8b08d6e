//! Who is asking: one extractor for every handler, so the check is the same everywhere.
use super::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use linli_app::accounts::Me;
use linli_app::server::{session, AppState};
use linli_app::shared::AppError;
use tower_sessions::Session;

/// The signed-in person; anyone else gets 401 unauthenticated before the handler runs.
/// What they may do at which store is the service's question, not the handler's.
pub struct SignedIn(pub Me);

/// The signed-in person if there is one (pages and links a guest may open too).
pub struct Asker(pub Option<Me>);

impl FromRequestParts<AppState> for Asker {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The session layer wraps every route; without it this is a server bug, not the caller's.
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, why)| ApiError(AppError::internal(why)))?;
        Ok(Asker(session::user_of(&state.db, &session).await?))
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Asker(me) = Asker::from_request_parts(parts, state).await?;
        me.map(SignedIn).ok_or(ApiError(AppError::unauthenticated()))
    }
}

/// The client's address as the throttles count it (the proxy's X-Forwarded-For when trusted):
/// sign-up, login and password reset are limited per client.
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ClientIp(linli_app::server::request::client_ip_of(parts, state.trust_proxy)))
    }
}
