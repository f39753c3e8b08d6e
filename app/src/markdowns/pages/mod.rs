pub mod markdowns;
pub use markdowns::MarkdownsPage;
