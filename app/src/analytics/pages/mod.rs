pub mod insights;
pub mod order_list;
pub mod overview;
pub use insights::InsightsPage;
pub use order_list::OrderListPage;
pub use overview::OverviewPage;
