//! 登录.
use super::AuthActions;
use crate::shared::Msg;
use crate::ui::form::{form_error, kept};
use crate::ui::form::TextField;
use crate::ui::{use_locale, FormError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let action = expect_context::<AuthActions>().login;
    let error = form_error(move || action.value().get());
    let next = kept("next");
    let register_href = if next.is_empty() { "/register".to_string() } else { format!("/register?next={}", crate::shared::url::encode(&next)) };
    view! {
        <Title text=locale.t(Msg::Login)/>
        <section class="auth-card card">
            <h1 class="page-title">{locale.t(Msg::LoginTitle)}</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <input type="hidden" name="next" value=next/>
                <TextField name="phone" label=locale.t(Msg::Phone) error=error kind="tel" inputmode="numeric"
                    autocomplete="tel" maxlength=20 placeholder=locale.t(Msg::PhonePlaceholder) keep=true/>
                <TextField name="password" label=locale.t(Msg::Password) error=error kind="password" autocomplete="current-password"/>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                    {move || locale.t(if action.pending().get() { Msg::Submitting } else { Msg::Login })}
                </button>
            </ActionForm>
            <p class="auth-alt">{locale.t(Msg::NoAccountYet)} " " <A href=register_href>{locale.t(Msg::GoRegister)}</A></p>
            <p class="auth-alt"><A href="/reset">{locale.pick("忘记密码？", "Forgot your password?")}</A></p>
        </section>
    }
}
