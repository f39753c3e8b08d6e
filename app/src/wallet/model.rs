use serde::{Deserialize, Serialize};

/// What a ledger movement was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum EntryKind {
    /// Money paid in at the counter.
    TopUp,
    /// Undoing a mistaken top-up (never by editing the original).
    Reversal,
    /// An order paid from the wallet.
    Payment,
    /// An order's payment returned.
    Refund,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::TopUp => "top_up",
            EntryKind::Reversal => "reversal",
            EntryKind::Payment => "payment",
            EntryKind::Refund => "refund",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        [EntryKind::TopUp, EntryKind::Reversal, EntryKind::Payment, EntryKind::Refund].into_iter().find(|k| k.as_str() == s)
    }

    /// How the ledger names it to staff and residents.
    pub fn label(self, locale: crate::shared::Locale) -> &'static str {
        match self {
            EntryKind::TopUp => locale.pick("充值", "Top-up"),
            EntryKind::Reversal => locale.pick("冲正", "Reversal"),
            EntryKind::Payment => locale.pick("消费", "Payment"),
            EntryKind::Refund => locale.pick("退款", "Refund"),
        }
    }
}

/// The answer to a top-up: `POST /api/v1/staff/users/{user_id}/wallet/top-up`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Balance {
    pub user_id: i64,
    /// The new balance in fen.
    pub wallet_fen: i64,
    /// The ledger entry the top-up wrote.
    pub entry_id: i64,
}

/// A member payment code (付款码): `POST /api/v1/me/pay-codes`. Shown on 我的 as digits, a
/// barcode and a QR code; the till scans or types it to take one wallet payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PayCode {
    /// 18 digits, starting 68.
    pub code: String,
    /// RFC 3339; about a minute after it was made.
    pub expires_at: String,
    /// Seconds it stays valid from now (for the page's countdown).
    pub valid_s: i64,
    /// The wallet it pays from, in fen, as it stands now.
    pub wallet_fen: i64,
}

/// The 付款码 page: the code and its QR code (SVG, drawn on the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayCodePage {
    pub code: PayCode,
    pub qr_svg: String,
}
