//! The group's pages: residents' /community and a post's own page; the back office's 邻里群
//! and the counter's QR poster.
mod feed;
mod office;
mod post;

pub use feed::CommunityPage;
pub use office::{CommunityOfficePage, CommunityPosterPage};
pub use post::CommunityPostPage;
