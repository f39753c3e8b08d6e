//! The rider's hand-over at the door.
use crate::accounts::Me;
use crate::orders::OrderRow;
use crate::server::Db;
use crate::shared::{AppError, ErrorCode};

/// The rider hands the goods over at the door against the resident's code. Wrong codes count
/// towards the same per-person throttle as the desk's (pickup owns it).
pub async fn deliver(db: &Db, me: &Me, id: i64, code: &str) -> Result<OrderRow, AppError> {
    let row = crate::orders::flow::carried_order(db, me, id).await?;
    crate::pickup::service::check_throttle(db, me.id).await?;
    let code = crate::pickup::rules::parse_code(code)?;
    if code != row.pickup_code {
        crate::pickup::service::record_wrong(db, me.id, row.store_id, &code).await?;
        return Err(AppError::field(ErrorCode::WrongDeliveryCode, "code"));
    }
    crate::orders::flow::delivered(db, me, id).await
}
