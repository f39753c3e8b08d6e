pub mod picker;
pub use picker::StorePickerPage;
