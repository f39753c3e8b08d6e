use serde::{Deserialize, Serialize};

/// One store's stock at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreOverview {
    pub store_id: i64,
    pub name: String,
    pub address: String,
    pub products: i64,
    pub low_stock: i64,
    pub out_of_stock: i64,
}
