//! Customers SQL: residents as the counter looks them up, and their orders at a store.
use super::rules::CustomerQuery;
use crate::server::db::escape_like;
use crate::shared::AppError;
use sqlx::{AnyPool, FromRow};

#[derive(FromRow)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub wallet_fen: i64,
    pub orders_here: i64,
}

const CUSTOMER_SELECT: &str = "select u.id, u.name, u.phone, u.wallet_fen,
        (select count(*) from orders o where o.user_id = u.id and o.store_id = $1) as orders_here
     from users u
     where u.active = $2 and exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'resident')";

/// Residents matching the search, those who shop at `store_id` first.
pub async fn search(pool: &AnyPool, store_id: i64, q: &CustomerQuery, limit: i64) -> Result<Vec<CustomerRow>, AppError> {
    // Four digits are the tail residents say at the counter; more may sit anywhere.
    let (column, pattern) = match q {
        CustomerQuery::Phone(d) if d.len() == 4 => ("u.phone", format!("%{d}")),
        CustomerQuery::Phone(d) => ("u.phone", format!("%{d}%")),
        CustomerQuery::Name(n) => ("u.name", format!("%{}%", escape_like(n))),
    };
    Ok(sqlx::query_as(&format!("select * from ({CUSTOMER_SELECT} and {column} like $3 escape '\\') hits order by orders_here desc, id limit $4"))
        .bind(store_id)
        .bind(true)
        .bind(pattern)
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

/// One resident (active, with the resident role); `None` otherwise.
pub async fn customer(pool: &AnyPool, store_id: i64, user_id: i64) -> Result<Option<CustomerRow>, AppError> {
    Ok(sqlx::query_as(&format!("{CUSTOMER_SELECT} and u.id = $3")).bind(store_id).bind(true).bind(user_id).fetch_optional(pool).await?)
}

#[derive(FromRow)]
pub struct OrderLine {
    pub id: i64,
    pub number: Option<String>,
    pub status: String,
    pub fulfillment: String,
    pub total_fen: i64,
    pub created_at_ms: i64,
}

/// The resident's latest orders at the store, newest first.
pub async fn orders_at(pool: &AnyPool, user_id: i64, store_id: i64, limit: i64) -> Result<Vec<OrderLine>, AppError> {
    Ok(sqlx::query_as(
        "select id, number, status, fulfillment, total_fen, created_at_ms from orders
         where user_id = $1 and store_id = $2 order by id desc limit $3",
    )
    .bind(user_id)
    .bind(store_id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
