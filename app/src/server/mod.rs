//! Server-only plumbing shared by every domain: state, database, sessions, form handling.
pub mod db;
pub mod events;
pub mod form;
pub mod idempotency;
pub mod qr;
pub mod request;
pub mod session;
pub mod sessions_store;
pub mod state;

pub use db::{Backend, Db};
pub use session::{current_user, require_user, CurrentUser};
pub use state::AppState;
