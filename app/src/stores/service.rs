//! The chain's stores as residents find them; the JSON API and the pages both ask here.
use super::model::{NearbyStore, Store};
use super::{rules, store};
use crate::server::Db;
use crate::shared::AppError;

/// Every open store, nearest first from `(lat, lng)` when given (422 for a point off the map).
pub async fn nearby(db: &Db, lat: Option<f64>, lng: Option<f64>) -> Result<Vec<NearbyStore>, AppError> {
    nearby_to(db, rules::point(lat, lng)?).await
}

/// Every open store, nearest first from `point` when there is one.
pub async fn nearby_to(db: &Db, point: Option<(f64, f64)>) -> Result<Vec<NearbyStore>, AppError> {
    Ok(rules::nearby(&store::list_active(&db.pool).await?, point))
}

/// An open store by id; a closed or unknown one is not found.
pub async fn open_store(db: &Db, id: i64) -> Result<Store, AppError> {
    store::get_active(&db.pool, id).await?.ok_or_else(AppError::not_found)
}

/// The store asked for, or the chain's first when none is named.
pub async fn open_store_or_first(db: &Db, id: Option<i64>) -> Result<Store, AppError> {
    match id {
        Some(id) => open_store(db, id).await,
        None => store::list_active(&db.pool).await?.into_iter().next().ok_or_else(AppError::not_found),
    }
}
