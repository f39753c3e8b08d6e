//! Server-only plumbing shared by every domain: state, database, sessions, form handling.
pub mod csp;
pub mod db;
pub mod events;
pub mod form;
pub mod group_commit;
pub mod idempotency;
pub mod lease;
pub mod qr;
pub mod request;
pub mod retry;
pub mod session;
pub mod sessions_store;
pub mod state;

pub use db::{Backend, Db};
pub use session::{current_user, require_user, CurrentUser};
pub use state::AppState;

/// 128 random bits from the OS as 32 hex characters: guest cart tokens, fresh idempotency
/// keys rendered into forms.
pub fn random_token() -> Result<String, crate::shared::AppError> {
    let mut buf = [0u8; 16];
    getrandom::getrandom(&mut buf).map_err(crate::shared::AppError::internal)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The SHA-256 of a secret as kept in the database (hex): invitation tokens, payment codes.
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
