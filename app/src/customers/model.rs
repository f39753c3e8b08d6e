use crate::accounts::model::CustomerNote;
use crate::orders::model::OrderStatus;
use crate::stores::model::StoreChoice;
use crate::wallet::model::EntryKind;
use serde::{Deserialize, Serialize};

/// A resident found by a search (`GET /api/v1/staff/customers`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerHit {
    pub id: i64,
    pub name: String,
    /// "138****0003": staff confirm the rest with the person in front of them.
    pub phone: String,
    pub wallet_fen: i64,
    /// Orders this resident has placed at the store being looked at.
    pub orders_here: i64,
}

/// The customers page: the search and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomersView {
    pub stores: Vec<StoreChoice>,
    pub store_id: i64,
    pub store_name: String,
    pub hits: Vec<CustomerHit>,
    /// False before anything was searched for.
    pub searched: bool,
    /// A search the rules refuse (too few digits): said under the field.
    pub search_error: Option<crate::shared::AppError>,
}

/// One wallet ledger entry as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WalletLine {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// Positive paid in, negative taken out.
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub kind: EntryKind,
    pub store_name: Option<String>,
    /// The staff member who booked it (top-ups, reversals, till payments).
    pub by: Option<String>,
    pub order_id: Option<i64>,
    /// On a reversal: the top-up it corrects.
    pub reverses_id: Option<i64>,
    /// On a top-up: the reversal that corrected it.
    pub reversed_by: Option<i64>,
    /// Whether the asker may reverse it now.
    pub reversible: bool,
}

/// One of the resident's orders at the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerOrder {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub delivery: bool,
    pub total_fen: i64,
    /// RFC 3339.
    pub placed_at: String,
}

/// A resident's page for staff (`GET /api/v1/staff/customers/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerView {
    pub store_id: i64,
    pub store_name: String,
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub wallet_fen: i64,
    /// All their orders at this store (the list below shows the latest).
    pub orders_here: i64,
    /// Newest first.
    pub entries: Vec<WalletLine>,
    /// At this store, newest first.
    pub orders: Vec<CustomerOrder>,
    pub notes: Vec<CustomerNote>,
    /// A fresh idempotency key for the top-up form.
    pub top_up_key: String,
    /// The password reset code just issued for this resident, shown once.
    #[serde(default)]
    pub reset: Option<ResetShown>,
}

/// 忘记密码: the one-time code to hand the resident, and until when it works (store time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResetShown {
    pub code: String,
    pub until: String,
}
