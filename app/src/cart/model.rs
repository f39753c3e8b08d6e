//! Cart types shared with the browser.
use serde::{Deserialize, Serialize};

/// What changed since the line was added, so the resident is never surprised at checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineNotice {
    /// The price went up from `was` fen.
    PriceUp { was: i64 },
    /// The price went down from `was` fen.
    PriceDown { was: i64 },
    /// Fewer are available than the line asks for.
    OnlyLeft(i64),
    SoldOut,
    /// The product is no longer sold.
    Gone,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i64,
    pub name: String,
    pub unit: String,
    pub image_url: Option<String>,
    /// Today's price.
    pub price_fen: i64,
    pub qty: i64,
    pub available: i64,
    pub line_fen: i64,
    pub notices: Vec<LineNotice>,
}

impl CartLine {
    /// Whether this line can be ordered as it stands.
    pub fn orderable(&self) -> bool {
        !self.notices.iter().any(|n| matches!(n, LineNotice::Gone | LineNotice::SoldOut | LineNotice::OnlyLeft(_)))
    }
}

/// The resident's cart at one store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub store_id: i64,
    pub store_name: String,
    pub lines: Vec<CartLine>,
    /// Units in the cart.
    pub count: i64,
    /// Today's prices of the orderable lines.
    pub goods_fen: i64,
}

impl Cart {
    /// A fingerprint of what the checkout page shows (store, lines, quantities, prices): the
    /// form carries it, and an order is placed only if the cart still reads the same.
    pub fn signature(&self) -> String {
        // FNV-1a: stable across builds and processes, which std's hasher does not promise.
        let text = self.lines.iter().fold(self.store_id.to_string(), |acc, l| {
            format!("{acc};{}x{}@{}/{}", l.product_id, l.qty, l.price_fen, l.available.min(l.qty))
        });
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        format!("{hash:016x}")
    }

    pub fn qty_of(&self, product_id: i64) -> i64 {
        self.lines.iter().find(|l| l.product_id == product_id).map_or(0, |l| l.qty)
    }

    /// Whether every line can be ordered as it stands.
    pub fn ready(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(CartLine::orderable)
    }
}

/// The little that the sticky bar and the cards need.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartSummary {
    pub count: i64,
    pub goods_fen: i64,
    /// (product id, quantity) of every line, for the cards' steppers.
    pub quantities: Vec<(i64, i64)>,
}

impl CartSummary {
    pub fn qty_of(&self, product_id: i64) -> i64 {
        self.quantities.iter().find(|(p, _)| *p == product_id).map_or(0, |(_, q)| *q)
    }
}

impl From<&Cart> for CartSummary {
    fn from(c: &Cart) -> Self {
        CartSummary { count: c.count, goods_fen: c.goods_fen, quantities: c.lines.iter().map(|l| (l.product_id, l.qty)).collect() }
    }
}
