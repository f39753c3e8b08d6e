pub mod login;
pub mod me;
pub mod register;
pub mod reset;

pub use login::LoginPage;
pub use me::MePage;
pub use register::RegisterPage;
pub use reset::ResetPage;

use super::api::{Login, Logout, Register, ResetPassword};
use leptos::prelude::*;

/// The account actions, created once by `<App/>` so that the signed-in person is reloaded
/// whenever one of them completes.
#[derive(Clone, Copy)]
pub struct AuthActions {
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
    pub reset: ServerAction<ResetPassword>,
}

impl AuthActions {
    pub fn new() -> Self {
        AuthActions { login: ServerAction::new(), register: ServerAction::new(), logout: ServerAction::new(), reset: ServerAction::new() }
    }

    /// Changes whenever someone may have logged in or out.
    pub fn epoch(&self) -> usize {
        self.login.version().get() + self.register.version().get() + self.logout.version().get() + self.reset.version().get()
    }
}

impl Default for AuthActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The signed-in person, loaded once per page and again after login or logout.
pub type MeResource = Resource<Result<Option<super::Me>, crate::shared::AppError>>;
