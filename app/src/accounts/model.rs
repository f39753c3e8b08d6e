//! Account types shared with the browser. Password hashes never appear here.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    /// The chain's owner: every store.
    Owner,
    Manager,
    Staff,
    Rider,
    Resident,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Owner, Role::Manager, Role::Staff, Role::Rider, Role::Resident];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Staff => "staff",
            Role::Rider => "rider",
            Role::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role works for a store (and so needs one) rather than shopping at it.
    pub fn is_store_role(self) -> bool {
        matches!(self, Role::Manager | Role::Staff | Role::Rider)
    }

    pub fn label(self) -> crate::shared::Msg {
        use crate::shared::Msg;
        match self {
            Role::Owner => Msg::RoleOwner,
            Role::Manager => Msg::RoleManager,
            Role::Staff => Msg::RoleStaff,
            Role::Rider => Msg::RoleRider,
            Role::Resident => Msg::RoleResident,
        }
    }
}

/// A role, at one store or (owner, resident) chain-wide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleGrant {
    pub role: Role,
    pub store_id: Option<i64>,
}

/// The signed-in person, as the pages and `GET /api/v1/me` see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub phone: String,
    pub name: String,
    pub roles: Vec<RoleGrant>,
    pub home_store_id: Option<i64>,
    /// Member wallet (储值) balance in fen.
    pub wallet_fen: i64,
}

impl Me {
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    /// Staff, managers, riders and the owner get the back office.
    pub fn works_here(&self) -> bool {
        self.roles.iter().any(|g| g.role != Role::Resident)
    }
}

/// A note that travels with a resident: 过敏: 坚果, 香蕉要软一点.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerNote {
    pub id: i64,
    /// Written by the resident ("resident") or by staff ("staff").
    pub kind: String,
    pub text: String,
    /// RFC 3339.
    pub created_at: String,
}

impl CustomerNote {
    /// Allergies stand out in red at the desk and on the pick list.
    pub fn is_allergy(&self) -> bool {
        self.text.contains("过敏") || self.text.to_lowercase().contains("allerg")
    }
}
