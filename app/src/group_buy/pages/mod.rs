//! Group-buy pages: the residents' list and join page (with its poster), and the back office's
//! campaigns.
mod admin;
mod join;
mod list;
mod poster;

pub use admin::{CampaignPage, CampaignsPage, NewCampaignPage};
pub use join::GroupBuyJoinPage;
pub use list::GroupBuysPage;
pub use poster::PosterPage;
