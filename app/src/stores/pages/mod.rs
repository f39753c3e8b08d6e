pub mod picker;
pub use picker::{PickStoreFirst, StorePickerPage};
