//! Team types shared with the browser and the JSON API.
use crate::accounts::model::{Role, RoleGrant};
use serde::{Deserialize, Serialize};

/// Someone who works at a store (or owns the chain).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub user_id: i64,
    pub name: String,
    pub phone: String,
    pub active: bool,
    pub owner: bool,
    /// Their store roles (manager, staff, rider at a store).
    pub roles: Vec<RoleGrant>,
}

/// An invitation not yet used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Invite {
    pub id: i64,
    pub phone: String,
    pub name: String,
    pub role: Role,
    pub store_id: i64,
    pub store_name: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// A new invitation and the link to send (shown once: only the token's hash is kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewInvite {
    #[serde(flatten)]
    pub invite: Invite,
    pub url: String,
}

/// `POST /api/v1/owner/invites`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub phone: String,
    pub name: String,
    /// manager | staff | rider
    pub role: Role,
    pub store_id: i64,
}

/// The owner's team page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamView {
    pub people: Vec<TeamMember>,
    pub invites: Vec<Invite>,
    pub stores: Vec<crate::stores::StoreChoice>,
    pub me: i64,
}

/// What an invitation link opens to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvitePage {
    pub store_name: String,
    pub role: Role,
    pub name: String,
    /// 138****0001: enough to tell whose invitation it is.
    pub phone_masked: String,
    pub invited_by: String,
    /// The number already has an account: accept by signing in as it.
    pub has_account: bool,
    /// The reader is signed in as the invited number.
    pub signed_in_as_invitee: bool,
    /// The reader is signed in as someone else.
    pub signed_in_as_other: bool,
}

/// `POST /api/v1/invites/{token}/accept`: a password (and the name to use) when the number
/// has no account yet; nothing when the reader is signed in as the invited number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /api/v1/owner/team/{user_id}/remove-role`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    pub role: Role,
    pub store_id: i64,
}
