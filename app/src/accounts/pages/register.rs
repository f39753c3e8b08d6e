//! 注册.
use super::AuthActions;
use crate::shared::Msg;
use crate::ui::form::{form_error, kept};
use crate::ui::form::TextField;
use crate::ui::{use_locale, FormError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = use_locale();
    let action = expect_context::<AuthActions>().register;
    let error = form_error(move || action.value().get());
    let next = kept("next");
    view! {
        <Title text=locale.t(Msg::Register)/>
        <section class="auth-card card">
            <h1 class="page-title">{locale.t(Msg::RegisterTitle)}</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <input type="hidden" name="next" value=next/>
                <TextField name="phone" label=locale.t(Msg::Phone) error=error kind="tel" inputmode="numeric"
                    autocomplete="tel" maxlength=20 placeholder=locale.t(Msg::PhonePlaceholder) keep=true/>
                <TextField name="name" label=locale.t(Msg::Name) error=error autocomplete="nickname" maxlength=20
                    placeholder=locale.t(Msg::NamePlaceholder) keep=true/>
                <TextField name="password" label=locale.t(Msg::Password) error=error kind="password"
                    autocomplete="new-password" placeholder=locale.t(Msg::PasswordHint)/>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                    {move || locale.t(if action.pending().get() { Msg::Submitting } else { Msg::Register })}
                </button>
            </ActionForm>
            <p class="auth-alt">{locale.t(Msg::HaveAccount)} " " <A href="/login">{locale.t(Msg::GoLogin)}</A></p>
        </section>
    }
}
