//! tower-sessions storage in our own database, through the same `Any` pool as everything
//! else, so SQLite and PostgreSQL share one implementation and app instances stay stateless.
use crate::shared::time::now_ms;
use async_trait::async_trait;
use sqlx::AnyPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    pool: AnyPool,
}

impl DbSessionStore {
    pub fn new(pool: AnyPool) -> Self {
        DbSessionStore { pool }
    }

    /// Removes sessions past their expiry; run periodically by the server.
    pub async fn delete_expired(&self) -> Result<u64> {
        let r = sqlx::query("delete from sessions where expiry_ms <= $1")
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(r.rows_affected())
    }
}

fn backend(e: sqlx::Error) -> Error {
    Error::Backend(e.to_string())
}

fn expiry_ms(record: &Record) -> i64 {
    i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn encode(record: &Record) -> Result<Vec<u8>> {
    serde_json::to_vec(record).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A fresh random id colliding is astronomically unlikely, but never overwrite one.
        loop {
            let r = sqlx::query("insert into sessions (id, data, expiry_ms) values ($1, $2, $3) on conflict (id) do nothing")
                .bind(record.id.to_string())
                .bind(encode(record)?)
                .bind(expiry_ms(record))
                .execute(&self.pool)
                .await
                .map_err(backend)?;
            if r.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// An update, never an upsert: a request still in flight when its session logged out (or
    /// was deleted) must not bring the session back when it finishes. New sessions go through
    /// `create`.
    async fn save(&self, record: &Record) -> Result<()> {
        sqlx::query("update sessions set data = $2, expiry_ms = $3 where id = $1")
            .bind(record.id.to_string())
            .bind(encode(record)?)
            .bind(expiry_ms(record))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row: Option<(Vec<u8>,)> = sqlx::query_as("select data from sessions where id = $1 and expiry_ms > $2")
            .bind(id.to_string())
            .bind(now_ms())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(|(data,)| serde_json::from_slice(&data).map_err(|e| Error::Decode(e.to_string()))).transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("delete from sessions where id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
