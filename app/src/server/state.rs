//! The one state object, handed to server functions as context and to axum handlers as state.
use super::db::Db;
use leptos::config::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// Whether `X-Forwarded-For` from a reverse proxy may be believed for the client address.
    pub trust_proxy: bool,
    /// Whether cookies carry `Secure` (served over HTTPS).
    pub secure_cookies: bool,
    /// The site's public origin ("https://shop.example.cn") for share links, posters, invites
    /// and previews: configured, never taken from a request's Host header.
    pub public_url: String,
    /// STUN/TURN servers for the live video's `RTCPeerConnection` (a JSON array; `[]` when
    /// the relay is reachable directly).
    pub ice_servers: String,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, from inside a server function.
pub fn app_state() -> Result<AppState, crate::shared::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::shared::AppError::internal("AppState missing from context"))
}
