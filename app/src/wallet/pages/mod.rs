//! The wallet's resident pages.
pub mod pay_code;

pub use pay_code::PayCodePage;
