//! argon2id password hashing, off the async runtime (it is slow on purpose).
use crate::shared::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::Argon2;

/// Hashes at once, at most: each takes ~19 MB and a core for a moment, so a flood of sign-ups
/// or logins waits its turn here instead of exhausting memory or the blocking thread pool.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

pub async fn hash(password: String) -> Result<String, AppError> {
    let _turn = HASHING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Verifies against `hash`; with no account, against a fixed hash, so that an unknown
/// phone number takes as long to refuse as a wrong password (no enumeration by timing).
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    let _turn = HASHING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let stored = match hash {
            Some(h) => h,
            None => dummy_hash()?.to_string(),
        };
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && known)
    })
    .await
    .map_err(AppError::internal)?
}

/// argon2id of a random string nobody knows, made once with the same parameters as real
/// hashes so that verifying against it costs the same.
fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let salt = SaltString::generate(&mut OsRng);
    let h = Argon2::default().hash_password(salt.as_str().as_bytes(), &salt).map_err(AppError::internal)?.to_string();
    Ok(DUMMY.get_or_init(|| h))
}
