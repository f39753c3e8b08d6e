//! Live pages: the residents' 直播 tab and room, the back office's sessions, schedule form and
//! host console.
mod console;
mod list;
mod office;
mod room;

pub use console::LiveConsolePage;
pub use list::LiveListPage;
pub use office::{LiveOfficePage, NewLivePage};
pub use room::LiveRoomPage;
