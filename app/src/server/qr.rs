//! QR codes as SVG, drawn on the server: a pickup code for the desk's camera, a group buy's
//! share link for a phone's.
use crate::shared::AppError;

/// `text` as an SVG QR code at least `size` px square, dark on white with its quiet zone.
pub fn svg(text: &str, size: u32) -> Result<String, AppError> {
    use qrcode::render::svg;
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).map_err(AppError::internal)?;
    Ok(qr.render::<svg::Color>().min_dimensions(size, size).quiet_zone(true).dark_color(svg::Color("#111")).light_color(svg::Color("#fff")).build())
}
