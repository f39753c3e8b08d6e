//! Server functions of the wallet's pages.
use super::model::PayCodePage;
use crate::shared::AppError;
use leptos::prelude::*;

/// A fresh payment code for the signed-in member, with its QR code. The page that shows it is
/// never cached: a code is a one-time consent to pay.
#[server(prefix = "/api", endpoint = "my_pay_code")]
pub async fn my_pay_code() -> Result<PayCodePage, AppError> {
    let state = crate::server::state::app_state()?;
    let me = crate::server::require_user().await?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    }
    let code = super::service::issue_pay_code(&state.db, &me).await?;
    let qr_svg = crate::server::qr::svg(&code.code, 220)?;
    Ok(PayCodePage { code, qr_svg })
}
