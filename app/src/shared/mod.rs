//! The browser-safe kernel every domain builds on: errors, money, phone numbers, time, i18n.
pub mod csv;
pub mod digits;
pub mod error;
pub mod geo;
pub mod i18n;
pub mod money;
pub mod phone;
pub mod time;
pub mod url;

pub use error::{AppError, ErrorCode, FieldChecks};
pub use i18n::{Locale, Msg};
pub use money::Fen;
pub use phone::Phone;
