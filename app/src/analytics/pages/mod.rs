pub mod overview;
pub use overview::OverviewPage;
