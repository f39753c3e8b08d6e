//! The pickup desk's page.
pub mod desk;

pub use desk::DeskPage;
