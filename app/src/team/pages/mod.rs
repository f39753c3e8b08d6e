pub mod join;
pub mod team;
pub use join::JoinPage;
pub use team::TeamPage;
