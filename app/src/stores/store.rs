//! Stores SQL.
use super::model::{Community, DeliveryFeeRule, PickupDiscount, Store};
use crate::shared::time::now_ms;
use crate::shared::AppError;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(FromRow)]
struct StoreRow {
    id: i64,
    name: String,
    address: String,
    phone: String,
    lat: f64,
    lng: f64,
    opens_at: String,
    closes_at: String,
    pickup_from: String,
    pickup_until: String,
    delivery_radius_m: i64,
    min_order_fen: i64,
    delivery_fee_rule: String,
    pickup_discount_rule: String,
}

impl StoreRow {
    fn into_model(self) -> Store {
        Store {
            id: self.id,
            name: self.name,
            address: self.address,
            phone: self.phone,
            lat: self.lat,
            lng: self.lng,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            pickup_from: self.pickup_from,
            pickup_until: self.pickup_until,
            delivery_radius_m: u32::try_from(self.delivery_radius_m).unwrap_or(0),
            min_order_fen: self.min_order_fen,
            // Written only by this code from typed values; a corrupt rule reads as "none"
            // (no delivery bands, no discount) rather than taking the store page down.
            delivery_fee_rule: serde_json::from_str(&self.delivery_fee_rule).unwrap_or_default(),
            pickup_discount: serde_json::from_str(&self.pickup_discount_rule).unwrap_or_default(),
        }
    }
}

const COLUMNS: &str = "id, name, address, phone, lat, lng, opens_at, closes_at, pickup_from, pickup_until, \
     delivery_radius_m, min_order_fen, delivery_fee_rule, pickup_discount_rule";

pub async fn list_active(pool: &AnyPool) -> Result<Vec<Store>, AppError> {
    let rows: Vec<StoreRow> = sqlx::query_as(&format!("select {COLUMNS} from stores where active = $1 order by id"))
        .bind(true)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(StoreRow::into_model).collect())
}

pub async fn get_active(pool: &AnyPool, id: i64) -> Result<Option<Store>, AppError> {
    let row: Option<StoreRow> =
        sqlx::query_as(&format!("select {COLUMNS} from stores where id = $1 and active = $2"))
            .bind(id)
            .bind(true)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(StoreRow::into_model))
}

pub async fn insert_chain(conn: &mut AnyConnection, name: &str) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as("insert into chains (name, created_at_ms) values ($1, $2) returning id")
        .bind(name)
        .bind(now_ms())
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

pub async fn chain_id(pool: &AnyPool) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select id from chains order by id limit 1").fetch_optional(pool).await?;
    Ok(row.map(|r| r.0))
}

/// The chain's name (绿源生活), for share posters.
pub async fn chain_name(pool: &AnyPool) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("select name from chains order by id limit 1").fetch_optional(pool).await?;
    Ok(row.map(|r| r.0))
}

/// A store as it is created: everything but its id.
pub struct NewStore<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub lat: f64,
    pub lng: f64,
    pub opens_at: &'a str,
    pub closes_at: &'a str,
    pub pickup_from: &'a str,
    pub pickup_until: &'a str,
    pub delivery_radius_m: u32,
    pub min_order_fen: i64,
    pub delivery_fee_rule: &'a DeliveryFeeRule,
    pub pickup_discount: PickupDiscount,
}

pub async fn insert_store(conn: &mut AnyConnection, chain_id: i64, s: &NewStore<'_>) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into stores (chain_id, name, address, phone, lat, lng, opens_at, closes_at, pickup_from, pickup_until,
            delivery_radius_m, delivery_fee_rule, pickup_discount_rule, min_order_fen, created_at_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id",
    )
    .bind(chain_id)
    .bind(s.name)
    .bind(s.address)
    .bind(s.phone)
    .bind(s.lat)
    .bind(s.lng)
    .bind(s.opens_at)
    .bind(s.closes_at)
    .bind(s.pickup_from)
    .bind(s.pickup_until)
    .bind(i64::from(s.delivery_radius_m))
    .bind(serde_json::to_string(s.delivery_fee_rule).map_err(AppError::internal)?)
    .bind(serde_json::to_string(&s.pickup_discount).map_err(AppError::internal)?)
    .bind(s.min_order_fen)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(FromRow)]
struct CommunityRow {
    id: i64,
    name: String,
    district: String,
    lat: f64,
    lng: f64,
}

impl From<CommunityRow> for Community {
    fn from(r: CommunityRow) -> Self {
        Community { id: r.id, name: r.name, district: r.district, lat: r.lat, lng: r.lng }
    }
}

/// Every estate and street the chain knows, by name.
pub async fn communities(pool: &AnyPool) -> Result<Vec<Community>, AppError> {
    let rows: Vec<CommunityRow> = sqlx::query_as("select id, name, district, lat, lng from communities order by name, id").fetch_all(pool).await?;
    Ok(rows.into_iter().map(Community::from).collect())
}

pub async fn community(pool: &AnyPool, id: i64) -> Result<Option<Community>, AppError> {
    let row: Option<CommunityRow> =
        sqlx::query_as("select id, name, district, lat, lng from communities where id = $1").bind(id).fetch_optional(pool).await?;
    Ok(row.map(Community::from))
}

pub async fn insert_community(conn: &mut AnyConnection, chain_id: i64, name: &str, district: &str, lat: f64, lng: f64) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as("insert into communities (chain_id, name, district, lat, lng) values ($1, $2, $3, $4, $5) returning id")
        .bind(chain_id)
        .bind(name)
        .bind(district)
        .bind(lat)
        .bind(lng)
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

/// Whether the store's chain routes delivery orders to the nearest store (LBS 分单).
pub async fn lbs_routing(pool: &AnyPool, store_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select case when c.lbs_routing = $2 then 1 else 0 end from stores s join chains c on c.id = s.chain_id where s.id = $1",
    )
    .bind(store_id)
    .bind(true)
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some_and(|r| r.0 == 1))
}

/// The chain's LBS 分单 setting.
pub async fn chain_routing(pool: &AnyPool, chain_id: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("select case when lbs_routing = $2 then 1 else 0 end from chains where id = $1")
        .bind(chain_id)
        .bind(true)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some_and(|r| r.0 == 1))
}

pub async fn set_chain_routing(pool: &AnyPool, chain_id: i64, on: bool) -> Result<(), AppError> {
    sqlx::query("update chains set lbs_routing = $2 where id = $1").bind(chain_id).bind(on).execute(pool).await?;
    Ok(())
}

/// The chain's other open stores (candidates for LBS 分单).
pub async fn chain_siblings(pool: &AnyPool, store_id: i64) -> Result<Vec<Store>, AppError> {
    let rows: Vec<StoreRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from stores where active = $2 and id <> $1 and chain_id = (select chain_id from stores where id = $1) order by id"
    ))
    .bind(store_id)
    .bind(true)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(StoreRow::into_model).collect())
}
